"""Backups (数据备份): online copies through SQLite's backup API, retention, checks, restore."""
