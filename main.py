"""Entry point of the governance-centre workbench (综治中心工作台)."""

import sys

from desktop.app import run

if __name__ == "__main__":
    sys.exit(run(sys.argv[1:]))
