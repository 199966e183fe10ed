"""The key recovery file (密钥恢复文件): the key set encrypted with the administrator's passphrase.

Written at set-up (and after every rotation) to a place the administrator keeps (a USB stick in
the safe); read back on a replacement PC, a re-installed Windows, or another PC of the county.
scrypt (n=2^16, r=8, p=1) stretches the passphrase; AES-256-GCM seals the key set.
"""

from __future__ import annotations

import base64
import json
import os
from pathlib import Path
from typing import Final

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from cryptography.hazmat.primitives.kdf.scrypt import Scrypt

from services.domain.errors import ValidationError
from services.domain.messages import msg
from services.store.sealed import DataKeyError, KeySet

FORMAT: Final = "zongzhi-data-key-recovery"
MIN_PASSPHRASE = 12
SCRYPT_N = 2**16


def _b64(data: bytes) -> str:
    return base64.b64encode(data).decode("ascii")


def _kek(passphrase: str, salt: bytes, n: int) -> bytes:
    return Scrypt(salt=salt, length=32, n=n, r=8, p=1).derive(passphrase.encode("utf-8"))


def check_passphrase(passphrase: str) -> None:
    if len(passphrase) < MIN_PASSPHRASE:
        raise ValidationError("passphrase", "passphrase.short",
                              msg("恢复口令至少{least}个字符", least=MIN_PASSPHRASE))  # fmt: skip


def write_recovery(path: Path, keys: KeySet, passphrase: str) -> None:
    """Write ``keys`` to ``path`` sealed with ``passphrase`` (replacing the file atomically)."""
    check_passphrase(passphrase)
    salt, nonce = os.urandom(16), os.urandom(12)
    body = AESGCM(_kek(passphrase, salt, SCRYPT_N)).encrypt(
        nonce, keys.to_json().encode(), FORMAT.encode()
    )
    doc = {"format": FORMAT, "v": 1, "kdf": "scrypt", "n": SCRYPT_N, "r": 8, "p": 1,
           "salt": _b64(salt), "nonce": _b64(nonce), "sealed": _b64(body),
           "key_ids": sorted(keys.keys), "active": keys.active_id}  # fmt: skip
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(path.name + ".tmp")
    tmp.write_text(json.dumps(doc, ensure_ascii=False, indent=1), encoding="utf-8")
    os.replace(tmp, path)


def read_recovery(path: Path, passphrase: str) -> KeySet:
    """The key set in a recovery file; a Chinese message for a wrong passphrase or file."""
    try:
        doc = json.loads(path.read_text(encoding="utf-8"))
        if doc.get("format") != FORMAT:
            raise ValueError(path)
        salt = base64.b64decode(doc["salt"])
        nonce = base64.b64decode(doc["nonce"])
        body = base64.b64decode(doc["sealed"])
        n = int(doc["n"])
    except (OSError, ValueError, KeyError, TypeError) as exc:
        raise DataKeyError(
            "recovery.file", msg("不是有效的密钥恢复文件：{name}", name=path.name)
        ) from exc
    try:
        plain = AESGCM(_kek(passphrase, salt, n)).decrypt(nonce, body, FORMAT.encode())
    except InvalidTag as exc:
        raise DataKeyError("recovery.passphrase", "恢复口令不正确") from exc
    return KeySet.from_json(plain.decode())
