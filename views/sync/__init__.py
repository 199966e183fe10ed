"""The 同步 screen: data freshness, pending, conflicts and quarantined changes."""
