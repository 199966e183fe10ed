"""Cases (案件): actions recorded as events and replayed, the case file, the ledger, search, and the
schedule refresh that recomputes deadlines after a calendar change."""
