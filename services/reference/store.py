"""The reference data in force on this PC: the shipped files, replaced by the county's copies."""

from __future__ import annotations

import json
import tempfile
from pathlib import Path

from sqlalchemy import select
from sqlalchemy.orm import Session

from services.domain.errors import ServiceError
from services.reference.data import (
    CATEGORIES_FILE,
    CHANNELS_FILE,
    DEADLINE_RULES_FILE,
    DICTIONARIES_FILE,
    REFERENCE_DIR,
    Reference,
    default_reference,
    load_reference,
)
from services.store.models import SyncReference

FILES = (CATEGORIES_FILE, CHANNELS_FILE, DICTIONARIES_FILE, DEADLINE_RULES_FILE)


def effective_reference(session: Session) -> tuple[Reference, str]:
    """The reference in force, and a Chinese notice when the county's copy was refused.

    Files the county published (stored by sync in ``sync_reference``) replace the shipped ones;
    the rest stay as shipped. The result goes through the same validation as the shipped files,
    so a broken county file never breaks the desktop: the shipped reference stays in force.
    """
    rows = session.scalars(select(SyncReference).where(SyncReference.name.in_(FILES))).all()
    county = {r.name: r.content for r in rows if isinstance(r.content, dict)}
    if not county:
        return default_reference(), ""
    with tempfile.TemporaryDirectory(prefix="zz-reference-") as tmp:
        folder = Path(tmp)
        for name in FILES:
            if name in county:
                text = json.dumps(county[name], ensure_ascii=False)
            else:
                text = (REFERENCE_DIR / name).read_text(encoding="utf-8")
            (folder / name).write_text(text, encoding="utf-8")
        try:
            return load_reference(folder), ""
        except ServiceError as exc:
            notice = f"县级下发的基础数据无法使用，仍按本机内置数据：{exc.message}"
            return default_reference(), notice
