"""Personal data sealed at rest (个人信息加密存储): AES-GCM values and keyed blind indexes.

ID numbers and phones are stored only as *sealed tokens* ``e1.<key id>.<base64url(nonce|ct)>``
(AES-256-GCM with a synthetic nonce, the field name as associated data so an ID token cannot be
passed off as a phone)
in ``person.id_number`` / ``person.phone``, in every outbox payload and, as received, on the hub.
Equality lookups go through ``person.id_number_hmac`` / ``person.phone_hmac``: HMAC-SHA256 of the
normalised value under a key derived from the same data key, indexed, so matching by ID stays one
index probe.

The data key (:class:`DataKey`) is one random 32-byte secret per county deployment; the keyring
holds a :class:`KeySet` (every key this PC may meet, one of them active for new writes). The key
set of the running process is installed with :func:`install`; the ORM column type
:class:`Sealed` seals on write and opens on read through it, so services see plain text and
nothing else in the code handles ciphertext. Functions to call from services:

* :func:`services.store.personal.id_number_match` / ``phone_match``: a SQL condition "this
  person has that number" (index-fast, true under any key of the key set);
* :func:`blind` / :func:`blind_all`: the HMAC of a value (active key / every key);
* :func:`seal` / :func:`unseal`: a value to a token and back (outbox, migration, rotation).
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import hmac
import json
import os
from dataclasses import dataclass, field
from typing import Any, Final

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from cryptography.hazmat.primitives.kdf.hkdf import HKDF
from sqlalchemy import String
from sqlalchemy.engine import Dialect
from sqlalchemy.sql import operators
from sqlalchemy.types import TypeDecorator

from services.domain.errors import ServiceError
from services.domain.messages import msg

PREFIX: Final = "e1."
FIELDS: Final = ("id_number", "phone")
HMAC_HEX: Final = 32  # 128 bits of HMAC-SHA256, hex
_NONCE = 12


class DataKeyError(ServiceError):
    """The data key needed to open personal data is not on this PC (or does not fit)."""


def missing_key_message(key_id: str) -> str:
    return msg("本机没有打开个人信息（身份证号、电话）所需的数据密钥（编号 {key}）。"
               "这个数据库可能是从其他电脑复制来的：请系统管理员用设置时保存的密钥恢复文件导入密钥"
               "（python main.py keys recover 恢复文件），导入前证件号码和电话无法查看。",
               key=key_id)  # fmt: skip


def _hkdf(master: bytes, info: bytes) -> bytes:
    return HKDF(algorithm=hashes.SHA256(), length=32, salt=None, info=info).derive(master)


@dataclass(frozen=True)
class DataKey:
    """One data key: the secret and the two keys derived from it (encryption, blind index)."""

    secret: bytes
    key_id: str = field(init=False)
    _aead: AESGCM = field(init=False, repr=False, compare=False)
    _mac: bytes = field(init=False, repr=False, compare=False)
    _nonce: bytes = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        if len(self.secret) != 32:
            raise ValueError("a data key is 32 bytes")
        kid = hashlib.sha256(b"zongzhi-data-key-id\0" + self.secret).hexdigest()[:8]
        object.__setattr__(self, "key_id", kid)
        object.__setattr__(self, "_aead", AESGCM(_hkdf(self.secret, b"zongzhi/aes-gcm/v1")))
        object.__setattr__(self, "_mac", _hkdf(self.secret, b"zongzhi/blind-index/v1"))
        object.__setattr__(self, "_nonce", _hkdf(self.secret, b"zongzhi/aes-gcm-nonce/v1"))

    @classmethod
    def generate(cls) -> DataKey:
        return cls(os.urandom(32))

    def seal(self, value: str, field_name: str) -> str:
        # Deterministic (SIV-style): the nonce is a keyed hash of the field and value, so one
        # value has one token under one key. The hub compares a change's "before" token with
        # the one it holds to spot concurrent edits; equality is already visible through the
        # blind index, so this reveals nothing more, and no nonce ever serves two messages.
        msg = field_name.encode() + b"\0" + value.encode("utf-8")
        nonce = hmac.new(self._nonce, msg, hashlib.sha256).digest()[:_NONCE]
        body = self._aead.encrypt(nonce, value.encode("utf-8"), field_name.encode())
        text = base64.urlsafe_b64encode(nonce + body).decode("ascii").rstrip("=")
        return f"{PREFIX}{self.key_id}.{text}"

    def open(self, token: str, field_name: str) -> str:
        raw = token[len(PREFIX) + len(self.key_id) + 1 :]
        data = base64.urlsafe_b64decode(raw + "=" * (-len(raw) % 4))
        plain = self._aead.decrypt(data[:_NONCE], data[_NONCE:], field_name.encode())
        return plain.decode("utf-8")

    def blind(self, value: str, field_name: str) -> str:
        msg = field_name.encode() + b"\0" + value.encode("utf-8")
        return hmac.new(self._mac, msg, hashlib.sha256).hexdigest()[:HMAC_HEX]


@dataclass(frozen=True)
class KeySet:
    """Every data key this PC knows, by id, and the one new values are sealed with."""

    active_id: str
    keys: dict[str, DataKey]

    def __post_init__(self) -> None:
        if self.active_id not in self.keys:
            raise ValueError("the active key is not in the key set")

    @property
    def active(self) -> DataKey:
        return self.keys[self.active_id]

    @classmethod
    def new(cls) -> KeySet:
        key = DataKey.generate()
        return cls(key.key_id, {key.key_id: key})

    def with_key(self, key: DataKey, *, activate: bool) -> KeySet:
        keys = {**self.keys, key.key_id: key}
        return KeySet(key.key_id if activate else self.active_id, keys)

    def without(self, key_id: str) -> KeySet:
        if key_id == self.active_id:
            raise ValueError("the active key cannot be removed")
        return KeySet(self.active_id, {k: v for k, v in self.keys.items() if k != key_id})

    def to_json(self) -> str:
        keys = {k: base64.b64encode(v.secret).decode("ascii") for k, v in self.keys.items()}
        return json.dumps({"v": 1, "active": self.active_id, "keys": keys}, sort_keys=True)

    @classmethod
    def from_json(cls, text: str) -> KeySet:
        obj = json.loads(text)
        keys = [DataKey(base64.b64decode(s)) for s in obj["keys"].values()]
        return cls(str(obj["active"]), {k.key_id: k for k in keys})


_installed: KeySet | None = None


def install(keys: KeySet | None) -> None:
    """Make ``keys`` the key set of this process (``None``: no key, personal data unreadable)."""
    global _installed
    _installed = keys


def installed() -> KeySet | None:
    return _installed


def _keys() -> KeySet:
    if _installed is None:
        raise DataKeyError("datakey.none", missing_key_message("—"))
    return _installed


def is_sealed(value: object) -> bool:
    return isinstance(value, str) and value.startswith(PREFIX)


def key_id_of(token: str) -> str:
    """The id of the key a token was sealed with (``""`` for plain text)."""
    return token[len(PREFIX) : len(PREFIX) + 8] if is_sealed(token) else ""


def seal(value: str | None, field_name: str) -> str | None:
    """``value`` as a token under the active key; a token or ``None``/``""`` passes unchanged."""
    if value is None or value == "" or is_sealed(value):
        return value
    return _keys().active.seal(value, field_name)


def unseal(value: str | None, field_name: str) -> str | None:
    """The plain text of a token (plain text passes unchanged: rows not yet converted)."""
    if value is None or not is_sealed(value):
        return value
    kid = key_id_of(value)
    key = _keys().keys.get(kid)
    if key is None:
        raise DataKeyError("datakey.missing", missing_key_message(kid))
    try:
        return key.open(value, field_name)
    except (InvalidTag, ValueError, binascii.Error) as exc:
        raise DataKeyError("datakey.corrupt", "个人信息密文已损坏或被改动，无法解密") from exc


def blind(value: str | None, field_name: str) -> str | None:
    """The blind index of ``value`` under the active key (``None`` for no value)."""
    if not value:
        return None
    return _keys().active.blind(value, field_name)


def blind_all(value: str, field_name: str) -> tuple[str, ...]:
    """The blind index of ``value`` under every key of the key set (active first)."""
    ks = _keys()
    ordered = [ks.active, *(k for kid, k in ks.keys.items() if kid != ks.active_id)]
    return tuple(k.blind(value, field_name) for k in ordered)


class Sealed(TypeDecorator[str]):
    """A text column stored sealed: plain text in Python, a token in SQLite.

    Comparing it in SQL (``Person.id_number == x``, ``LIKE``, ranges) can never match, since
    each token has its own nonce: it raises instead of silently finding nothing. Use
    ``services.store.personal``. ``IS NULL`` / ``IS NOT NULL`` are fine.
    """

    impl = String
    cache_ok = True

    class Comparator(TypeDecorator.Comparator[str]):
        def operate(self, op: Any, *other: Any, **kwargs: Any) -> Any:
            null_test = op in (operators.is_, operators.is_not) or (
                op in (operators.eq, operators.ne) and other == (None,)
            )
            if not null_test:
                raise TypeError("sealed column: compare through services.store.personal")
            return super().operate(op, *other, **kwargs)

    comparator_factory = Comparator

    def __init__(self, field_name: str, length: int = 200) -> None:
        super().__init__(length)
        self.field_name = field_name

    def process_bind_param(self, value: str | None, dialect: Dialect) -> str | None:
        return seal(value, self.field_name)

    def process_result_value(self, value: str | None, dialect: Dialect) -> str | None:
        return unseal(value, self.field_name)
