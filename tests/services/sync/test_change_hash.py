"""The hash of a change (services.sync.protocol) is the SHA-256 of its canonical JSON text,
however it is worked out: a hub compares it with the hashes it stored earlier (a change id
sent again with other content is refused), so its bytes may never drift."""

from __future__ import annotations

import hashlib
from typing import Any

from hypothesis import given
from hypothesis import strategies as st

from services.sync.protocol import canonical_json, change_hash, hash_and_payload_bytes

json_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | st.text(),
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(st.text(), inner, max_size=4),
    max_leaves=12,
)


def _reference(parts: list[Any]) -> str:
    return hashlib.sha256(canonical_json(parts).encode("utf-8")).hexdigest()


@given(st.text(), st.text(), st.sampled_from(["insert", "update"]), st.text(), json_values)
def test_the_hash_is_that_of_the_canonical_json_of_the_whole_change(
    entity: str, entity_id: str, op: str, hlc: str, payload: Any
) -> None:
    try:
        expected: str | None = _reference([entity, entity_id, op, hlc, payload])
    except UnicodeEncodeError:  # a lone surrogate: no UTF-8, no hash (the hub refuses it)
        expected = None
    try:
        digest, text, raw = hash_and_payload_bytes(entity, entity_id, op, hlc, payload)
    except UnicodeEncodeError:
        assert expected is None
        return
    assert digest == expected == change_hash(entity, entity_id, op, hlc, payload)
    assert text == canonical_json(payload) and raw == text.encode("utf-8")


def test_a_hash_stored_by_earlier_hubs_is_still_the_same() -> None:
    """The digest the hub of session 8 (canonical_json of the whole list) gave this change."""
    payload = {"row": {"id": "c1", "title": '宅基地\t边界\n纠纷"\\', "n": 1.5, "ok": True}}
    digest = change_hash("case_file", "c1", "insert", "1795000000000-0000000001-pc-1", payload)
    assert digest == "b97cbccafc35e54cd2117a6da3e7236f57d0b10b29ded6d786918659c8a06a53"
