"""Slips (文书): kinds as data; issuing, numbering, voiding, reprinting.

交办单、督办单、风险预警单 and the letters (函) as configured per county.
"""
