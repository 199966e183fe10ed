"""The document type read from a number (issue 12, finding 2): a 港澳台 residence permit or a
外国人永久居留身份证 typed under 居民身份证 is recognised and named."""

from __future__ import annotations

import datetime

import pytest

from services.domain.identity import (
    detect_id_kind,
    id_check_char,
    id_type_mismatch,
    mismatch_message,
    parse_document_number,
    parse_id_number,
)

TODAY = datetime.date(2024, 6, 1)


def valid(first17: str) -> str:
    return first17 + id_check_char(first17)


HK = valid("81000019900101123")
MACAO = valid("82000019851231456")
TAIWAN = valid("83000020000229789")
FOREIGN_2023 = valid("93115619880808001")
FOREIGN_2017 = "USA310188051201"  # 3 letters + 12 digits
RESIDENT = "11010519491231002X"


@pytest.mark.parametrize(
    ("number", "kind"),
    [(HK, "hk_macau_permit"), (MACAO, "hk_macau_permit"), (TAIWAN, "taiwan_permit"),
     (FOREIGN_2023, "foreign_permanent"), (FOREIGN_2017, "foreign_permanent"),
     (FOREIGN_2017.lower(), "foreign_permanent"), (RESIDENT, "resident"),
     ("110105491231002", "resident"), ("1101051949123100", None), ("E12345678", None)],
)  # fmt: skip
def test_the_kind_is_read_from_the_number(number: str, kind: str | None) -> None:
    assert detect_id_kind(number, today=TODAY) == kind


def test_only_the_permit_prefixes_make_a_permit() -> None:
    # 81xxxx with another area part is no permit: a resident number with an unknown province
    info = parse_id_number(valid("81010119900101123"), today=TODAY)
    assert info.kind == "resident" and info.warnings


@pytest.mark.parametrize(
    ("id_type", "number", "found"),
    [("111", HK, "hk_macau_permit"), ("111", TAIWAN, "taiwan_permit"),
     ("111", FOREIGN_2023, "foreign_permanent"), ("111", FOREIGN_2017, "foreign_permanent"),
     ("hk_macau_permit", RESIDENT, "111"), ("foreign_permanent", TAIWAN, "taiwan_permit"),
     ("111", RESIDENT, None), ("hk_macau_permit", HK, None),
     ("foreign_permanent", FOREIGN_2017, None), ("passport", HK, None), ("111", "123", None)],
)  # fmt: skip
def test_mismatch_between_type_and_number(id_type: str, number: str, found: str | None) -> None:
    assert id_type_mismatch(id_type, number, today=TODAY) == found


def test_the_message_names_both_types() -> None:
    message = mismatch_message("111", "hk_macau_permit")
    assert "港澳居民居住证" in message and "居民身份证" in message


def test_a_2017_permanent_residence_number_is_accepted_under_its_type() -> None:
    info = parse_document_number("foreign_permanent", " usa310188051201 ")
    assert (info.number, info.kind, info.birth_date) == (FOREIGN_2017, "foreign_permanent", None)
