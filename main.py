"""Entry point of the governance-centre workbench (综治中心工作台).

``python main.py [--demo] …`` starts the desktop; ``python main.py hub …`` the county hub;
``python main.py report …`` writes a report for scheduled printing;
``python main.py audit verify`` checks the audit log; ``python main.py keys …`` manages the
data key that seals ID numbers and phones; ``python main.py backup …`` backs up and restores.
"""

import sys


def main(argv: list[str]) -> int:
    if argv[:1] == ["hub"]:
        from hub.cli import main as hub_main

        return hub_main(argv[1:])
    if argv[:1] == ["report"]:
        from desktop.report_cli import main as report_main

        return report_main(argv[1:])
    if argv[:1] == ["keys"]:
        from desktop.keys_cli import main as keys_main

        return keys_main(argv[1:])
    if argv[:1] == ["audit"]:
        from desktop.audit_cli import main as audit_main

        return audit_main(argv[1:])
    if argv[:1] == ["backup"]:
        from desktop.backup_cli import main as backup_main

        return backup_main(argv[1:])
    from desktop.app import run

    return run(argv)


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
