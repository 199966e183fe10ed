"""文书 screen (slip register) and the issue-slip dialog used from the case file."""

from views.slips.issue_dialog import IssueSlipDialog
from views.slips.view import SlipsView

__all__ = ["IssueSlipDialog", "SlipsView"]
