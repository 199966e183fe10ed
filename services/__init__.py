"""Pure-Python domain core of the governance-centre workbench (no Qt, no reportlab)."""
