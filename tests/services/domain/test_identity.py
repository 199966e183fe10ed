"""Tests for services.domain.identity: ID numbers, phones, names and masking."""

from __future__ import annotations

import dataclasses
import datetime

import pytest
from hypothesis import assume, given
from hypothesis import strategies as st

from services.domain.errors import ValidationError
from services.domain.identity import (
    ID_TYPE_RESIDENT,
    IdNumberInfo,
    PhoneInfo,
    id_check_char,
    is_valid_id_number,
    mask_id_number,
    mask_phone,
    normalise_name,
    parse_id_number,
    parse_phone,
    to_halfwidth,
)

TODAY = datetime.date(2024, 6, 1)


def reference_check_char(first17: str) -> str:
    """Independent ISO 7064 MOD 11-2: the check digit a makes sum(a_i * 2^(18-i)) ≡ 1 mod 11."""
    total = sum(int(d) * pow(2, 17 - i, 11) for i, d in enumerate(first17))
    value = (12 - total % 11) % 11
    return "X" if value == 10 else str(value)


def with_check(first17: str) -> str:
    return first17 + reference_check_char(first17)


def error_of(func: object, *args: object, **kwargs: object) -> ValidationError:
    with pytest.raises(ValidationError) as info:
        func(*args, **kwargs)  # type: ignore[operator]
    return info.value


def is_chinese(text: str) -> bool:
    return any("\u4e00" <= ch <= "\u9fff" for ch in text)


# --- ID numbers: examples ----------------------------------------------------------------


def test_id_type_code() -> None:
    assert ID_TYPE_RESIDENT == "111"


@pytest.mark.parametrize(
    ("first17", "expected"),
    [("11010519491231002", "X"), ("44052418800101001", "4"), ("37010119010203997", "3")],
)
def test_check_char_known_examples(first17: str, expected: str) -> None:
    assert id_check_char(first17) == expected
    assert reference_check_char(first17) == expected


@pytest.mark.parametrize(
    "bad", ["", "1234", "1101051949123100X", "１１０１０５１９４９１２３１００２", "1" * 18]
)
def test_check_char_rejects_non_digits(bad: str) -> None:
    with pytest.raises(ValueError):
        id_check_char(bad)


def test_parse_valid_resident() -> None:
    info = parse_id_number("11010519491231002X", today=TODAY)
    assert info == IdNumberInfo(
        number="11010519491231002X",
        kind="resident",
        birth_date=datetime.date(1949, 12, 31),
        gender="女",
        area_code="110105",
        upgraded_from=None,
        warnings=(),
    )
    male = parse_id_number("370101190102039973", today=TODAY)
    assert male.birth_date == datetime.date(1901, 2, 3)
    assert male.gender == "男"
    assert male.area_code == "370101"


def test_result_is_frozen() -> None:
    info = parse_id_number("11010519491231002X")
    with pytest.raises(dataclasses.FrozenInstanceError):
        info.number = "x"  # type: ignore[misc]
    assert not hasattr(info, "__dict__")


@pytest.mark.parametrize(
    "text",
    [
        "11010519491231002x",
        " 11010519491231002X\n",
        "110105 19491231 002x",
        "１１０１０５１９４９１２３１００２ｘ",
        "１１０１０５１９４９１２３１００２Ｘ",
        "\u3000110105\u300019491231\u3000002X",
    ],
)
def test_normalises_case_whitespace_and_fullwidth(text: str) -> None:
    assert parse_id_number(text, today=TODAY).number == "11010519491231002X"
    assert is_valid_id_number(text)


def test_legacy_15_digit_upgrade() -> None:
    legacy = "110105491231002"
    expected = with_check(legacy[:6] + "19" + legacy[6:])
    assert expected == "11010519491231002X"
    info = parse_id_number(legacy, today=TODAY)
    assert info.number == expected
    assert info.upgraded_from == legacy
    assert info.birth_date == datetime.date(1949, 12, 31)
    assert info.gender == "女"
    assert info.kind == "resident"
    assert parse_id_number("３７０１０１０１０２０３９９７", today=TODAY).number == with_check(
        "37010119010203997"
    )


@pytest.mark.parametrize(
    ("legacy", "code"),
    [("110105491332002", "id_number.birth_date"), ("11010549123100X", "id_number.format")],
)
def test_legacy_15_digit_errors(legacy: str, code: str) -> None:
    err = error_of(parse_id_number, legacy, today=TODAY)
    assert err.code == code


@pytest.mark.parametrize(
    ("first17", "kind"),
    [
        ("81000019900101123", "hk_macau_permit"),
        ("82000019851231456", "hk_macau_permit"),
        ("83000020000229789", "taiwan_permit"),
        ("93115619880808001", "foreign_permanent"),
        ("99999919880808001", "foreign_permanent"),
    ],
)
def test_permit_kinds(first17: str, kind: str) -> None:
    number = with_check(first17)
    info = parse_id_number(number, today=TODAY)
    assert info.kind == kind
    assert info.warnings == ()
    assert info.area_code == first17[:6]
    year, month, day = int(first17[6:10]), int(first17[10:12]), int(first17[12:14])
    assert info.birth_date == datetime.date(year, month, day)
    assert info.gender == ("男" if int(first17[16]) % 2 else "女")


def test_permit_birth_date_still_checked() -> None:
    err = error_of(parse_id_number, with_check("83000020010229789"), today=TODAY)
    assert err.code == "id_number.birth_date"


@pytest.mark.parametrize("province", ["11", "15", "21", "23", "31", "37", "41", "46", "50", "54"])
def test_known_provinces_no_warning(province: str) -> None:
    assert parse_id_number(with_check(province + "010519900101001"), today=TODAY).warnings == ()


@pytest.mark.parametrize("province", ["10", "16", "20", "40", "55", "60", "66", "71", "80"])
def test_unknown_province_is_a_warning(province: str) -> None:
    info = parse_id_number(with_check(province + "010519900101001"), today=TODAY)
    assert info.kind == "resident"
    assert len(info.warnings) == 1
    assert province in info.warnings[0]
    assert is_chinese(info.warnings[0])


@pytest.mark.parametrize(
    ("text", "code"),
    [
        ("", "id_number.empty"),
        ("   \u3000", "id_number.empty"),
        ("1101051949123100", "id_number.format"),
        ("11010519491231002X1", "id_number.format"),
        ("1101051949123100XX", "id_number.format"),
        ("11010519491231002Y", "id_number.format"),
        ("X10105194912310021", "id_number.format"),
        ("11010519491231002-", "id_number.format"),
        ("١١٠١٠٥١٩٤٩١٢٣١٠٠٢X", "id_number.format"),
        ("11010519491231002", "id_number.format"),
        ("110105194912310020", "id_number.checksum"),
        ("11010519491231003X", "id_number.checksum"),
        ("440524188001010014", "id_number.birth_date"),
        (with_check("11010518991231002"), "id_number.birth_date"),
        (with_check("11010519490230002"), "id_number.birth_date"),
        (with_check("11010519491301002"), "id_number.birth_date"),
        (with_check("11010519490100002"), "id_number.birth_date"),
        (with_check("11010520240602002"), "id_number.birth_date"),
    ],
)
def test_id_error_codes(text: str, code: str) -> None:
    err = error_of(parse_id_number, text, field="applicant.id_number", today=TODAY)
    assert err.code == code
    assert err.field == "applicant.id_number"
    assert is_chinese(err.message)
    if text != with_check("11010520240602002"):  # only in the future relative to TODAY
        assert not is_valid_id_number(text)


def test_default_field_name() -> None:
    assert error_of(parse_id_number, "").field == "id_number"


def test_checksum_message_points_at_last_digit() -> None:
    err = error_of(parse_id_number, "110105194912310020")
    assert "校验位" in err.message and "最后一位" in err.message


def test_future_birth_date_uses_today() -> None:
    number = with_check("11010520240602002")
    assert error_of(parse_id_number, number, today=TODAY).code == "id_number.birth_date"
    assert parse_id_number(number, today=datetime.date(2024, 6, 2)).birth_date == (
        datetime.date(2024, 6, 2)
    )
    assert error_of(parse_id_number, with_check("11010530000101002")).code == (
        "id_number.birth_date"
    )


def test_earliest_birth_date_accepted() -> None:
    info = parse_id_number(with_check("11010519000101002"), today=TODAY)
    assert info.birth_date == datetime.date(1900, 1, 1)


# --- ID numbers: properties ----------------------------------------------------------------

birth_dates = st.dates(min_value=datetime.date(1900, 1, 1), max_value=TODAY)


@st.composite
def first17s(draw: st.DrawFn) -> str:
    area = draw(st.text("0123456789", min_size=6, max_size=6))
    seq = draw(st.text("0123456789", min_size=3, max_size=3))
    return area + draw(birth_dates).strftime("%Y%m%d") + seq


@given(first17s())
def test_property_check_char_makes_valid_number(first17: str) -> None:
    check = id_check_char(first17)
    assert check == reference_check_char(first17)
    info = parse_id_number(first17 + check, today=TODAY)
    assert info.number == first17 + check
    assert info.birth_date == datetime.date(
        int(first17[6:10]), int(first17[10:12]), int(first17[12:14])
    )
    assert info.gender == ("男" if int(first17[16]) % 2 else "女")


@given(first17s(), st.integers(0, 17), st.sampled_from("0123456789X"))
def test_property_single_substitution_detected(first17: str, pos: int, new: str) -> None:
    number = first17 + id_check_char(first17)
    assume(new != number[pos])
    assume(pos == 17 or new != "X")
    changed = number[:pos] + new + number[pos + 1 :]
    assert not is_valid_id_number(changed)
    assert error_of(parse_id_number, changed, today=TODAY).code == "id_number.checksum"


@given(first17s(), st.integers(0, 15))
def test_property_adjacent_transposition_detected(first17: str, pos: int) -> None:
    assume(first17[pos] != first17[pos + 1])
    swapped = first17[:pos] + first17[pos + 1] + first17[pos] + first17[pos + 2 :]
    changed = swapped + id_check_char(first17)
    assert error_of(parse_id_number, changed, today=TODAY).code == "id_number.checksum"


@given(st.text())
def test_property_is_valid_never_raises(text: str) -> None:
    assert isinstance(is_valid_id_number(text), bool)


@given(st.text(alphabet="0123456789xX １２ｘ\t", max_size=20))
def test_property_parse_raises_only_validation_error(text: str) -> None:
    try:
        info = parse_id_number(text, today=TODAY)
    except ValidationError as err:
        assert err.code.startswith("id_number.")
    else:
        assert len(info.number) == 18 and info.number == info.number.upper()


@given(first17s())
def test_property_legacy_upgrade_round_trip(first17: str) -> None:
    assume(first17[6:8] == "19")
    legacy = first17[:6] + first17[8:]
    info = parse_id_number(legacy, today=TODAY)
    assert info.number == with_check(first17)
    assert info.upgraded_from == legacy


# --- masking -----------------------------------------------------------------------------


def test_mask_id_examples() -> None:
    assert mask_id_number("11010519491231002X") == "110105********002X"
    assert mask_id_number("11010519491231002x") == "110105********002X"
    assert mask_id_number("") == ""
    assert mask_id_number("1") == "*"
    assert mask_id_number("110105491231002") == "11010*******002"
    assert set(mask_id_number("1234")) <= {"1", "4", "*"}


@given(st.text())
def test_property_mask_id_never_reveals_more_than_ten(text: str) -> None:
    masked = mask_id_number(text)
    assert sum(ch != "*" for ch in masked) <= 10


@given(first17s())
def test_property_mask_valid_id_shape(first17: str) -> None:
    number = with_check(first17)
    masked = mask_id_number(number)
    assert masked == number[:6] + "*" * 8 + number[-4:]


@pytest.mark.parametrize(
    ("number", "expected"),
    [
        ("13812345678", "138****5678"),
        ("+86 138-1234-5678", "138****5678"),
        ("0931-8123456", "0931-***3456"),
        ("010-81234567", "010-****4567"),
        ("0931-8123456-801", "0931-***3456-***"),
        ("8123456", "***3456"),
        ("400-123-4567", "400-***-4567"),
    ],
)
def test_mask_phone(number: str, expected: str) -> None:
    assert mask_phone(number) == expected


@given(st.text())
def test_property_mask_phone_never_raises(text: str) -> None:
    assert len(mask_phone(text)) <= len(text) + 20


# --- phones ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "number", "kind"),
    [
        ("13812345678", "13812345678", "mobile"),
        ("138 1234 5678", "13812345678", "mobile"),
        ("138-1234-5678", "13812345678", "mobile"),
        ("１３８１２３４５６７８", "13812345678", "mobile"),
        ("１３８－１２３４－５６７８", "13812345678", "mobile"),
        ("+86 13812345678", "13812345678", "mobile"),
        ("＋８６ １３８１２３４５６７８", "13812345678", "mobile"),
        ("(+86) 138 1234 5678", "13812345678", "mobile"),
        ("0086 138 1234 5678", "13812345678", "mobile"),
        ("8613812345678", "13812345678", "mobile"),
        ("19912345678", "19912345678", "mobile"),
        ("0931-8123456", "0931-8123456", "landline"),
        ("09318123456", "0931-8123456", "landline"),
        ("(0931) 8123456", "0931-8123456", "landline"),
        ("（０９３１）８１２３４５６", "0931-8123456", "landline"),
        ("0931－8123456", "0931-8123456", "landline"),
        ("0931—8123456", "0931-8123456", "landline"),
        ("010-81234567", "010-81234567", "landline"),
        ("010 8123 4567", "010-81234567", "landline"),
        ("020-87654321", "020-87654321", "landline"),
        ("0755-26543210", "0755-26543210", "landline"),
        ("+86 10 8123 4567", "010-81234567", "landline"),
        ("0931-8123456-801", "0931-8123456-801", "landline"),
        ("0931-8123456转801", "0931-8123456-801", "landline"),
        ("0931-8123456 ext. 801", "0931-8123456-801", "landline"),
        ("0931 8123456 EXT 801", "0931-8123456-801", "landline"),
        ("8123456", "8123456", "landline"),
        ("8123-4567", "81234567", "landline"),
        ("8123456-801", "8123456-801", "landline"),
        ("400-123-4567", "400-123-4567", "landline"),
        ("4001234567", "400-123-4567", "landline"),
        ("800 123 4567", "800-123-4567", "landline"),
    ],
)
def test_parse_phone_valid(text: str, number: str, kind: str) -> None:
    assert parse_phone(text) == PhoneInfo(number=number, kind=kind)
    assert parse_phone(number) == PhoneInfo(number=number, kind=kind)


@pytest.mark.parametrize(
    ("text", "code"),
    [
        ("", "phone.empty"),
        ("  \u3000 ", "phone.empty"),
        ("110", "phone.format"),
        ("120", "phone.format"),
        ("12345", "phone.format"),
        ("95555", "phone.format"),
        ("1381234567", "phone.format"),
        ("138123456789", "phone.format"),
        ("12812345678", "phone.format"),
        ("13812345678转1", "phone.format"),
        ("0931-0123456", "phone.format"),
        ("0931-1234567", "phone.format"),
        ("0931-812345", "phone.format"),
        ("0931-812345678", "phone.format"),
        ("0931-8123456-801-2", "phone.format"),
        ("0931-8123456-801转2", "phone.format"),
        ("0931-8123456转", "phone.format"),
        ("400-123-4567转8", "phone.format"),
        ("+1 415 555 0100", "phone.format"),
        ("138abc45678", "phone.format"),
        ("电话13812345678", "phone.format"),
        ("١٣٨١٢٣٤٥٦٧٨", "phone.format"),
        ("+", "phone.format"),
        ("+86", "phone.format"),
    ],
)
def test_parse_phone_errors(text: str, code: str) -> None:
    err = error_of(parse_phone, text, field="contact.phone")
    assert err.code == code
    assert err.field == "contact.phone"
    assert is_chinese(err.message)


def test_short_number_message_is_clear() -> None:
    err = error_of(parse_phone, "12345")
    assert err.field == "phone"
    assert "短号码" in err.message


@given(st.text())
def test_property_parse_phone_raises_only_validation_error(text: str) -> None:
    try:
        parse_phone(text)
    except ValidationError as err:
        assert err.code in ("phone.empty", "phone.format")


@given(st.text(alphabet="0123456789 -()+转ext.０１８－（）＋", max_size=25))
def test_property_parse_phone_phone_like_text(text: str) -> None:
    try:
        info = parse_phone(text)
    except ValidationError as err:
        assert err.code in ("phone.empty", "phone.format")
    else:
        assert parse_phone(info.number) == info


separators = st.sampled_from(["", " ", "-", "－", "  "])


@st.composite
def landlines(draw: st.DrawFn) -> tuple[str, str]:
    area = draw(st.sampled_from(["010", "021", "029", "0931", "0755", "0571"]))
    local = draw(st.sampled_from("23456789")) + draw(st.text("0123456789", min_size=6, max_size=7))
    sep = draw(separators)
    text, expected = f"{area}{sep}{local}", f"{area}-{local}"
    if draw(st.booleans()):
        ext = draw(st.text("0123456789", min_size=1, max_size=4))
        text += draw(st.sampled_from(["-", "转", " ext "])) + ext
        expected += f"-{ext}"
    return text, expected


@given(landlines())
def test_property_landline_normalised(case: tuple[str, str]) -> None:
    text, expected = case
    info = parse_phone(text)
    assert info == PhoneInfo(number=expected, kind="landline")
    assert parse_phone(info.number) == info


@given(st.sampled_from("3456789"), st.text("0123456789", min_size=9, max_size=9), separators)
def test_property_mobile_normalised(second: str, rest: str, sep: str) -> None:
    number = "1" + second + rest
    text = f"{number[:3]}{sep}{number[3:7]}{sep}{number[7:]}"
    assert parse_phone(text) == PhoneInfo(number=number, kind="mobile")
    assert mask_phone(number) == number[:3] + "****" + number[-4:]


# --- names -------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("张三", "张三"),
        ("  张三\u3000", "张三"),
        ("买买提・艾力", "买买提·艾力"),
        ("买买提·艾力", "买买提·艾力"),
        ("买买提‧艾力", "买买提·艾力"),
        ("买买提•艾力", "买买提·艾力"),
        ("买买提･艾力", "买买提·艾力"),
        ("买买提．艾力", "买买提·艾力"),
        ("阿依古丽·买买提·艾力", "阿依古丽·买买提·艾力"),
        ("John Smith", "John Smith"),
        ("John   Smith", "John Smith"),
        ("John\u3000\u3000Smith", "John Smith"),
        ("Zoë Müller", "Zoë Müller"),
        ("Zoe\u0308", "Zoe\u0308"),
        ("Zoe\u0308  Smith", "Zoe\u0308 Smith"),
        ("Anna Maria·Smith", "Anna Maria·Smith"),
        ("JOHN·SMITH", "JOHN·SMITH"),
        ("𠮷野家", "𠮷野家"),
        ("\u3400\U0002a700\U0002b740\U0002b820\U0002ceb0\U00030000", None),
        ("葛\U000e0100优", "葛\U000e0100优"),
        ("张" * 30, "张" * 30),
        ("𠮷" * 30, "𠮷" * 30),
    ],
)
def test_normalise_name_valid(text: str, expected: str | None) -> None:
    result = normalise_name(text)
    assert result == (text if expected is None else expected)
    assert normalise_name(result) == result


def test_non_bmp_name_kept_exactly() -> None:
    name = normalise_name("𠮷野家")
    assert name == "\U00020bb7野家"
    assert len(name) == 3
    assert name.encode("utf-8") == "𠮷野家".encode()


@pytest.mark.parametrize(
    ("text", "code"),
    [
        ("", "name.empty"),
        (" \u3000\t", "name.empty"),
        ("张" * 31, "name.too_long"),
        ("𠮷" * 31, "name.too_long"),
        ("A" * 31, "name.too_long"),
        ("张三1", "name.invalid_char"),
        ("张三１", "name.invalid_char"),
        ("张三😀", "name.invalid_char"),
        ("张三\U0001f468\u200d\U0001f469", "name.invalid_char"),
        ("张\x00三", "name.invalid_char"),
        ("张\t三", "name.invalid_char"),
        ("张\u200b三", "name.invalid_char"),
        ("张三\n李四", "name.invalid_char"),
        ("张 三", "name.invalid_char"),
        ("John 张", "name.invalid_char"),
        ("·张三", "name.invalid_char"),
        ("张三·", "name.invalid_char"),
        ("买买提··艾力", "name.invalid_char"),
        ("约翰.史密斯", "name.invalid_char"),
        ("张三@", "name.invalid_char"),
        ("ＪＯＨＮ", "name.invalid_char"),
        ("Иван", "name.invalid_char"),
        ("\u0301张", "name.invalid_char"),
        ("A\ufe00", "name.invalid_char"),
        ("葛\U000e0100\U000e0100", "name.invalid_char"),
        ("葛\U000e0100\u0301", "name.invalid_char"),
        ("John · Smith", "name.invalid_char"),
        ("John Smith·", "name.invalid_char"),
    ],
)
def test_normalise_name_errors(text: str, code: str) -> None:
    err = error_of(normalise_name, text, field="party.name")
    assert err.code == code
    assert err.field == "party.name"
    assert is_chinese(err.message)


def test_digit_message() -> None:
    assert "数字" in error_of(normalise_name, "张3").message


@given(st.text())
def test_property_normalise_name_raises_only_validation_error(text: str) -> None:
    try:
        name = normalise_name(text)
    except ValidationError as err:
        assert err.code in ("name.empty", "name.too_long", "name.invalid_char")
    else:
        assert 0 < len(name) <= 30
        assert normalise_name(name) == name


name_chars = st.sampled_from(["张", "三", "𠮷", "\U0002b740", "A", "b", "é", " ", "\u3000", "・"])


@given(st.lists(name_chars, min_size=1, max_size=40).map("".join))
def test_property_name_keeps_letters_in_order(text: str) -> None:
    try:
        name = normalise_name(text)
    except ValidationError as err:
        assert err.code in ("name.empty", "name.too_long", "name.invalid_char")
    else:
        letters = [ch for ch in text if ch not in " \u3000・"]
        assert [ch for ch in name if ch not in " ·"] == letters


# --- full-width conversion ---------------------------------------------------------------


def test_to_halfwidth() -> None:
    assert to_halfwidth("０１２３４５６７８９") == "0123456789"
    assert to_halfwidth("ＡＢＣｘｙｚ") == "ABCxyz"
    assert to_halfwidth("\u3000－＋（）") == " -+()"
    assert to_halfwidth("张三·𠮷") == "张三·𠮷"


@given(st.text())
def test_property_to_halfwidth_preserves_length(text: str) -> None:
    assert len(to_halfwidth(text)) == len(text)
