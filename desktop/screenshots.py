"""Every screen and dialog, pictured at the three screens the desk must fit (`make screenshots`).

``python -m desktop.screenshots docs/screenshots`` runs ``main.py --demo --screenshot DIR --view all
--size screen`` once per screen below, on Qt's offscreen platform given that screen's size and
scaling, so the pictures are what a clerk sees on such a PC (the user guide uses the first set).
"""

from __future__ import annotations

import json
import logging
import os
import subprocess
import sys
import tempfile
from pathlib import Path

log = logging.getLogger(__name__)
ROOT = Path(__file__).resolve().parents[1]
# name: (work area in physical pixels, Windows display scaling)
SCREENS: dict[str, tuple[int, int, float]] = {
    "1366x728": (1366, 728, 1.0),
    "1920x1040-125": (1920, 1040, 1.25),
    "1920x1040-150": (1920, 1040, 1.5),
}


def environment(width: int, height: int, scale: float, folder: Path) -> dict[str, str]:
    """Offscreen Qt with one screen of this size (physical pixels) at this scaling."""
    config = folder / f"screen-{width}x{height}.json"
    screen = {"name": "screen", "x": 0, "y": 0, "width": width, "height": height,
              "logicalDpi": 96, "dpr": 1}  # fmt: skip
    config.write_text(json.dumps({"screens": [screen]}), encoding="utf-8")
    env = dict(os.environ)
    env["QT_QPA_PLATFORM"] = f"offscreen:configfile={config}"
    env["QT_SCALE_FACTOR"] = str(scale)
    return env


def take(out: Path, names: list[str] | None = None, extra: list[str] | None = None) -> int:
    """Run the screenshot mode for each screen; returns the first non-zero exit code, or 0."""
    with tempfile.TemporaryDirectory() as tmp:
        for name in names or list(SCREENS):
            width, height, scale = SCREENS[name]
            folder = out / name
            command = [sys.executable, str(ROOT / "main.py"), "--demo", "--screenshot", str(folder),
                       "--view", "all", "--size", "screen", *(extra or [])]  # fmt: skip
            code = subprocess.run(command, env=environment(width, height, scale, Path(tmp)),
                                  check=False).returncode  # fmt: skip
            if code:
                log.error("screenshots for %s failed (exit %d)", name, code)
                return code
            log.info("%s: %d pictures in %s", name, len(list(folder.glob("*.png"))), folder)
    return 0


if __name__ == "__main__":
    logging.basicConfig(level=logging.INFO, format="%(message)s")
    target = Path(sys.argv[1]) if len(sys.argv) > 1 else ROOT / "docs" / "screenshots"
    sys.exit(take(target, sys.argv[2:] or None))
