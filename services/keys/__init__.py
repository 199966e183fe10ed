"""The data key (数据密钥): where it lives (OS keyring), its recovery file and its rotation.

Key scope: one data key per county deployment. The first PC set up makes it and writes the
recovery file (encrypted with the administrator's passphrase); every other PC of the county,
the county PC included, imports that file at set-up (``python main.py keys recover FILE``), so
all of them read each other's sealed rows and compute the same blind indexes. The hub never has
it: it stores and serves the tokens as received.
"""
