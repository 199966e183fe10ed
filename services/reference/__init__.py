"""Reference data (GB/T 31000 categories, channels, dictionaries, deadline rules), the county's
version of it stored on this PC, and the holiday calendar store."""
