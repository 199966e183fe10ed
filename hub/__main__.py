"""``python -m hub …`` (same as ``python main.py hub …``)."""

import sys

from hub.cli import main

sys.exit(main(sys.argv[1:]))
