"""Pure rules of the centre's work, no database.

Errors, ids, the hybrid logical clock, identity (GB 11643), the workflow state machine, work-day
arithmetic, deadline and supervision rules, DTOs and vocabularies.
"""
