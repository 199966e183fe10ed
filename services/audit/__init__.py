"""The tamper-evident audit log (审计日志): hash-chained, signed per device, synced to the hub."""
