"""Each PC's audit signing key (审计签名密钥): Ed25519, private half in the OS keyring.

The public half is stored in ``audit_key`` and synced to the hub, so the hub (and any PC) can
check a device's chain. Without a keyring backend (a headless test machine) the key lives for
the process only: its entries still verify, and a forger would have to replace the public key
the hub already holds.
"""

from __future__ import annotations

import functools
import hashlib
import logging
from dataclasses import dataclass

from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey, Ed25519PublicKey
from cryptography.hazmat.primitives.serialization import Encoding, PublicFormat

log = logging.getLogger(__name__)
KEYRING_SERVICE = "zongzhi-workbench/audit"


def key_id_of(public_hex: str) -> str:
    return hashlib.sha256(bytes.fromhex(public_hex)).hexdigest()[:16]


@dataclass(frozen=True)
class Signer:
    """A device's signing key."""

    private: Ed25519PrivateKey

    @functools.cached_property
    def public_hex(self) -> str:
        """Worked out once per signer: every audit entry names its key (~0.1 ms each time)."""
        return self.private.public_key().public_bytes(Encoding.Raw, PublicFormat.Raw).hex()

    @functools.cached_property
    def key_id(self) -> str:
        return key_id_of(self.public_hex)

    def sign(self, digest_hex: str) -> str:
        return self.private.sign(bytes.fromhex(digest_hex)).hex()

    @classmethod
    def generate(cls) -> Signer:
        return cls(Ed25519PrivateKey.generate())


def verify_signature(public_hex: str, digest_hex: str, signature_hex: str) -> bool:
    try:
        key = Ed25519PublicKey.from_public_bytes(bytes.fromhex(public_hex))
        key.verify(bytes.fromhex(signature_hex), bytes.fromhex(digest_hex))
    except (InvalidSignature, ValueError):
        return False
    return True


def device_signer(device_id: str) -> Signer:
    """This PC's key from the OS keyring, made on first use; a per-process key without one."""
    try:
        import keyring
        from keyring.errors import KeyringError

        stored = keyring.get_password(KEYRING_SERVICE, device_id)
        if stored:
            return Signer(Ed25519PrivateKey.from_private_bytes(bytes.fromhex(stored)))
        signer = Signer.generate()
        raw = signer.private.private_bytes_raw().hex()
        keyring.set_password(KEYRING_SERVICE, device_id, raw)
        return signer
    except (KeyringError, RuntimeError, ValueError) as exc:
        log.warning("no OS keyring for the audit key (%s): using a key for this run only",
                    type(exc).__name__)  # fmt: skip
        return Signer.generate()
