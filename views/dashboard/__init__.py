"""The 统计 screen (dashboard): figures, rates and charts over the ledger; reports from here."""
