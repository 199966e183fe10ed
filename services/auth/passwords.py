"""Password hashes (口令散列): argon2id in PHC string form; old PBKDF2 hashes still verify.

Parameters follow the OWASP password storage cheat sheet's first argon2id option (19 MiB, two
passes, one lane): about 30 ms on a reception PC, so signing in stays instant while an offline
guess costs the same.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import os
from dataclasses import dataclass
from typing import Final

from cryptography.exceptions import InvalidKey
from cryptography.hazmat.primitives.kdf.argon2 import Argon2id

MEMORY_KIB: Final = 19 * 1024
ITERATIONS: Final = 2
LANES: Final = 1
HASH_LENGTH: Final = 32
SALT_LENGTH: Final = 16
_PREFIX: Final = "$argon2id$v=19$"
# The cost new hashes get: the parameters above, unless a test lowers them (set_cost).
_cost: tuple[int, int] = (MEMORY_KIB, ITERATIONS)


def set_cost(memory_kib: int = MEMORY_KIB, iterations: int = ITERATIONS) -> None:
    """Choose the argon2id cost of hashes made from now on (the defaults unless a test says
    otherwise). The test suite hashes hundreds of passwords for users it sets up (~40 ms each
    at the real cost) and uses a tiny cost; the tests of this module hash at the real one.
    Hashes record their parameters, so each verifies at the cost it was made with."""
    global _cost
    if not (8 <= memory_kib <= 4 * 1024 * 1024 and 1 <= iterations <= 20):
        raise ValueError((memory_kib, iterations))
    _cost = (memory_kib, iterations)


def current_cost() -> tuple[int, int]:
    """(memory in KiB, iterations) of the hashes made now."""
    return _cost


@dataclass(frozen=True, slots=True)
class _Argon2Params:
    memory_kib: int
    iterations: int
    lanes: int
    salt: bytes
    digest: bytes


def _b64(data: bytes) -> str:
    return base64.b64encode(data).decode("ascii").rstrip("=")


def _unb64(text: str) -> bytes:
    return base64.b64decode(text + "=" * (-len(text) % 4))


def _kdf(salt: bytes, memory_kib: int, iterations: int, lanes: int, length: int) -> Argon2id:
    return Argon2id(salt=salt, length=length, iterations=iterations, lanes=lanes,
                    memory_cost=memory_kib)  # fmt: skip


def hash_password(password: str, *, salt: bytes | None = None) -> str:
    """``$argon2id$v=19$m=…,t=…,p=…$salt$hash`` (PHC string format, unpadded base64)."""
    salt = salt or os.urandom(SALT_LENGTH)
    memory_kib, iterations = _cost
    digest = _kdf(salt, memory_kib, iterations, LANES, HASH_LENGTH).derive(password.encode())
    return f"{_PREFIX}m={memory_kib},t={iterations},p={LANES}${_b64(salt)}${_b64(digest)}"


def _parse_argon2(encoded: str) -> _Argon2Params | None:
    if not encoded.startswith(_PREFIX):
        return None
    try:
        params, salt, digest = encoded[len(_PREFIX) :].split("$")
        values = dict(part.split("=", 1) for part in params.split(","))
        return _Argon2Params(int(values["m"]), int(values["t"]), int(values["p"]),
                             _unb64(salt), _unb64(digest))  # fmt: skip
    except (ValueError, KeyError):
        return None


def _verify_pbkdf2(password: str, encoded: str) -> bool:
    """The set-up wizard's first format: ``pbkdf2$rounds$salt_hex$hash_hex``."""
    try:
        _scheme, rounds, salt, digest = encoded.split("$")
        expected = bytes.fromhex(digest)
        actual = hashlib.pbkdf2_hmac("sha256", password.encode(), bytes.fromhex(salt), int(rounds))
    except ValueError:
        return False
    return hmac.compare_digest(actual, expected)


def verify_password(password: str, encoded: str | None) -> bool:
    """True when ``password`` matches ``encoded`` (argon2id, or a PBKDF2 hash to migrate)."""
    if not encoded:
        return False
    if encoded.startswith("pbkdf2$"):
        return _verify_pbkdf2(password, encoded)
    p = _parse_argon2(encoded)
    if p is None or not (8 <= p.memory_kib <= 4 * 1024 * 1024) or not 1 <= p.iterations <= 20:
        return False
    try:
        _kdf(p.salt, p.memory_kib, p.iterations, p.lanes, len(p.digest)).verify(
            password.encode(), p.digest
        )
    except (InvalidKey, ValueError):
        return False
    return True


def needs_rehash(encoded: str | None) -> bool:
    """True for a hash in an old format or with weaker parameters than today's."""
    p = _parse_argon2(encoded or "")
    return p is None or (p.memory_kib, p.iterations) < _cost
