"""Per-user settings (设置) in a JSON file; a lost or corrupt file falls back to defaults."""

from __future__ import annotations

import json
import logging
import os
from dataclasses import asdict, dataclass, field, fields
from pathlib import Path
from typing import Any

log = logging.getLogger(__name__)


@dataclass
class Settings:
    """What the app remembers between runs."""

    geometry: str = ""  # base64 of QMainWindow.saveGeometry()
    last_screen: str = "reception"
    user_id: str | None = None
    last_username: str = ""  # pre-filled in the sign-in dialog
    lock_minutes: int = -1  # screen lock after idle minutes; 0 never; -1 the roles file's policy
    hub_url: str = ""
    ca_bundle: str = ""
    slip_fonts: dict[str, str] = field(default_factory=dict)  # role -> font file (文书字体)
    language: str = "zh_CN"  # interface language (ui.i18n.LANGUAGES)
    backup_folder: str = ""  # automatic backups; "" = ``backups`` beside the database
    backup_keep: int = 14  # automatic backups kept (the oldest beyond it are deleted)
    extra: dict[str, Any] = field(default_factory=dict)


@dataclass
class LoadedSettings:
    settings: Settings
    notice: str = ""  # Chinese notice when the file was unreadable


def load_settings(path: Path) -> LoadedSettings:
    if not path.exists():
        return LoadedSettings(Settings())
    try:
        raw = json.loads(path.read_text(encoding="utf-8"))
        if not isinstance(raw, dict):
            raise ValueError("not an object")
        known = {f.name for f in fields(Settings)}
        values = {k: v for k, v in raw.items() if k in known}
        settings = Settings(**values)
        if not isinstance(settings.last_screen, str) or not isinstance(settings.geometry, str):
            raise ValueError("bad types")
        return LoadedSettings(settings)
    except (OSError, ValueError, TypeError) as exc:
        backup = path.with_suffix(".corrupt")
        log.warning("settings file %s unreadable (%r): defaults used", path, exc)
        try:
            path.replace(backup)
        except OSError:  # the defaults still apply; the next save overwrites the bad file
            log.warning("could not move the unreadable settings file aside", exc_info=True)
        notice = (
            f"设置文件无法读取（{exc.__class__.__name__}），已恢复默认设置；"
            f"原文件另存为 {backup.name}"
        )
        return LoadedSettings(Settings(), notice)


def save_settings(path: Path, settings: Settings) -> None:
    """Write atomically: a crash mid-write never leaves a half file."""
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_suffix(".tmp")
    tmp.write_text(json.dumps(asdict(settings), ensure_ascii=False, indent=2), encoding="utf-8")
    os.replace(tmp, path)
