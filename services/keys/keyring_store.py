"""The key set in the OS keyring (Windows Credential Manager): load, save, make on first use."""

from __future__ import annotations

import hashlib
import logging
from typing import Any, Final

from services.domain.messages import msg
from services.store.sealed import DataKey, DataKeyError, KeySet

log = logging.getLogger(__name__)
KEYRING_SERVICE: Final = "zongzhi-workbench/data-key"
KEYRING_USER: Final = "keyset"
NO_KEYRING = msg(
    "本机没有可用的系统凭据库（Windows 凭据管理器），无法保存或读取个人信息的数据密钥；"
    "请在 Windows 上运行，或联系系统管理员。"
)


def demo_keys() -> KeySet:
    """The demo township's key set: fixed and public on purpose (its data is made up); used
    only with ``--demo``, never with the keyring."""
    key = DataKey(hashlib.sha256(b"zongzhi demo township data key (public, demo only)").digest())
    return KeySet(key.key_id, {key.key_id: key})


def _ring() -> Any:
    import keyring

    return keyring


def load_keys() -> KeySet | None:
    """The key set stored in the OS keyring, or ``None`` when there is none yet."""
    from keyring.errors import KeyringError

    try:
        text = _ring().get_password(KEYRING_SERVICE, KEYRING_USER)
    except (KeyringError, RuntimeError) as exc:
        raise DataKeyError("datakey.no_keyring", NO_KEYRING) from exc
    if not text:
        return None
    try:
        return KeySet.from_json(text)
    except (ValueError, KeyError, TypeError) as exc:
        message = msg("系统凭据库中的数据密钥已损坏：请用密钥恢复文件恢复")
        raise DataKeyError("datakey.unreadable", message) from exc


def save_keys(keys: KeySet) -> None:
    from keyring.errors import KeyringError

    try:
        _ring().set_password(KEYRING_SERVICE, KEYRING_USER, keys.to_json())
    except (KeyringError, RuntimeError) as exc:
        raise DataKeyError("datakey.no_keyring", NO_KEYRING) from exc


def load_or_create() -> tuple[KeySet, bool]:
    """This PC's key set; a new one (saved to the keyring) on the first start. True if new."""
    found = load_keys()
    if found is not None:
        return found, False
    made = KeySet.new()
    save_keys(made)
    log.warning("a new data key %s was made: write its recovery file (keys backup)", made.active_id)
    return made, True


def merge(keys: KeySet, imported: KeySet) -> KeySet:
    """``keys`` plus every key of ``imported``; the imported active key becomes active."""
    merged = keys
    for key in imported.keys.values():
        merged = merged.with_key(key, activate=False)
    return merged.with_key(imported.active, activate=True)
