"""The device token in the keyring: an in-memory backend here, never keyrings.alt."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from keyring.backends import fail

from services.sync.credentials import CredentialError, CredentialStore
from tests.memory_keyring import MemoryKeyring, memory_keyring


@pytest.fixture(name="memory_keyring")
def memory_keyring_fixture() -> Iterator[MemoryKeyring]:
    with memory_keyring() as ring:
        yield ring


def test_token_round_trip_per_hub(memory_keyring: MemoryKeyring) -> None:
    store = CredentialStore()
    assert store.get_token("https://hub.example/") is None
    store.set_token("https://HUB.example/", " tok-123 ")
    assert store.get_token("https://hub.example") == "tok-123"
    assert list(memory_keyring.items.values()) == ["tok-123"]
    store.delete_token("https://hub.example")
    store.delete_token("https://hub.example")  # deleting twice is fine
    assert store.get_token("https://hub.example") is None


def test_bad_token_is_refused(memory_keyring: MemoryKeyring) -> None:
    with pytest.raises(CredentialError, match="格式无效"):
        CredentialStore().set_token("https://hub.example", "two words")


def test_no_keyring_gives_a_clear_chinese_message() -> None:
    store = CredentialStore(fail.Keyring())
    for call in (
        lambda: store.get_token("u"),
        lambda: store.set_token("u", "t"),
        lambda: store.delete_token("u"),
    ):
        with pytest.raises(CredentialError) as caught:
            call()
        assert caught.value.code == "credentials.no_keyring"
        assert "凭据" in caught.value.message
