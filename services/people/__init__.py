"""Persons (来访人): matching by ID number, phone, name and pinyin; summaries for lists."""
