"""Chinese identity helpers: ID numbers (GB 11643-1999), phone numbers, names and masking."""

from __future__ import annotations

import datetime
import re
import unicodedata
from dataclasses import dataclass

from services.domain.errors import ValidationError
from services.domain.messages import msg

ID_TYPE_RESIDENT = "111"  # 居民身份证
ID_TYPE_PASSPORT = "414"  # 普通护照
ID_TYPE_FOREIGN_PERMANENT = "553"  # 外国人永久居留身份证
ID_TYPE_OTHER = "990"  # 其他证件

KIND_RESIDENT = "resident"
KIND_HK_MACAU_PERMIT = "hk_macau_permit"
KIND_TAIWAN_PERMIT = "taiwan_permit"
KIND_FOREIGN_PERMANENT = "foreign_permanent"

_WEIGHTS = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)
_CHECK_CHARS = "10X98765432"
_MIN_BIRTH = datetime.date(1900, 1, 1)
_PROVINCE_RANGES = ((11, 15), (21, 23), (31, 37), (41, 46), (50, 54), (61, 65))
_PROVINCES = frozenset(str(p) for lo, hi in _PROVINCE_RANGES for p in range(lo, hi + 1))
# 港澳台居民居住证 numbers (GB 11643 format) start with these six digits instead of an area code.
_PERMIT_KINDS = {
    "810000": KIND_HK_MACAU_PERMIT,
    "820000": KIND_HK_MACAU_PERMIT,
    "830000": KIND_TAIWAN_PERMIT,
}
# The id_type code (reference ``id_types``) of each kind of number, and its name.
ID_TYPE_OF_KIND = {
    KIND_RESIDENT: ID_TYPE_RESIDENT,
    KIND_HK_MACAU_PERMIT: KIND_HK_MACAU_PERMIT,
    KIND_TAIWAN_PERMIT: KIND_TAIWAN_PERMIT,
    KIND_FOREIGN_PERMANENT: KIND_FOREIGN_PERMANENT,
}
_KIND_OF_TYPE = {v: k for k, v in ID_TYPE_OF_KIND.items()}
KIND_LABELS = {
    KIND_RESIDENT: "居民身份证",
    KIND_HK_MACAU_PERMIT: "港澳居民居住证",
    KIND_TAIWAN_PERMIT: "台湾居民居住证",
    KIND_FOREIGN_PERMANENT: "外国人永久居留身份证",
}

# Full-width digits, Latin letters, ideographic space, hyphen, plus and parentheses.
_HALFWIDTH = {c: c - 0xFEE0 for c in range(0xFF10, 0xFF1A)}
_HALFWIDTH.update({c: c - 0xFEE0 for c in range(0xFF21, 0xFF3B)})
_HALFWIDTH.update({c: c - 0xFEE0 for c in range(0xFF41, 0xFF5B)})
_HALFWIDTH.update({0x3000: 0x20, 0xFF0D: 0x2D, 0xFF0B: 0x2B, 0xFF08: 0x28, 0xFF09: 0x29})

_ID18 = re.compile(r"[0-9]{17}[0-9X]")
_ID15 = re.compile(r"[0-9]{15}")
_FOREIGN_2017 = re.compile(r"[A-Z]{3}[0-9]{12}")  # 2017 永居证: 3-letter country code + 12 digits


@dataclass(frozen=True, slots=True)
class IdNumberInfo:
    """A parsed, valid 18-character ID number (居民身份证 or a number in the same format)."""

    number: str
    kind: str
    birth_date: datetime.date | None
    gender: str | None
    area_code: str
    upgraded_from: str | None
    warnings: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class PhoneInfo:
    """A parsed phone number in normalised form."""

    number: str
    kind: str


def to_halfwidth(text: str) -> str:
    """Map full-width digits, letters, space, hyphen, plus and parentheses to ASCII."""
    return text.translate(_HALFWIDTH)


def id_check_char(first17: str) -> str:
    """Check character (ISO 7064 MOD 11-2) for the first 17 digits of an ID number.

    Raises ``ValueError`` (a programming error, not user input) unless given 17 ASCII digits.
    """
    if len(first17) != 17 or not first17.isascii() or not first17.isdigit():
        raise ValueError(f"expected 17 ASCII digits, got {first17!r}")
    total = sum(int(d) * w for d, w in zip(first17, _WEIGHTS, strict=True))
    return _CHECK_CHARS[total % 11]


def _birth_date(digits8: str, field: str, today: datetime.date) -> datetime.date:
    code = "id_number.birth_date"
    try:
        born = datetime.date(int(digits8[:4]), int(digits8[4:6]), int(digits8[6:]))
    except ValueError:
        raise ValidationError(
            field, code, msg("身份证号码中的出生日期“{digits}”不是有效日期", digits=digits8)
        ) from None
    if born < _MIN_BIRTH:
        raise ValidationError(field, code, "身份证号码中的出生日期早于1900年，请核对")
    if born > today:
        raise ValidationError(field, code, "身份证号码中的出生日期晚于今天，请核对")
    return born


def parse_id_number(
    text: str, *, field: str = "id_number", today: datetime.date | None = None
) -> IdNumberInfo:
    """Validate and normalise an ID number; 15-digit legacy numbers are upgraded to 18.

    Whitespace anywhere is ignored, full-width input and a lowercase ``x`` are accepted.
    """
    today = today or datetime.date.today()
    s = "".join(to_halfwidth(text).split()).upper()
    if not s:
        raise ValidationError(field, "id_number.empty", "未填写身份证号码")
    upgraded_from: str | None = None
    if _ID15.fullmatch(s):
        upgraded_from = s
        first17 = s[:6] + "19" + s[6:]
        s = first17 + id_check_char(first17)
    elif not _ID18.fullmatch(s):
        if len(s) in (15, 18):
            text = msg("身份证号码只能由数字组成，18位号码的最后一位可以是X")
        else:
            text = msg("身份证号码应为18位（或15位旧号码），现在是{count}位", count=len(s))
        raise ValidationError(field, "id_number.format", text)
    elif id_check_char(s[:17]) != s[17]:
        raise ValidationError(field, "id_number.checksum", "身份证号码校验位不正确，请核对最后一位")
    born = _birth_date(s[6:14], field, today)
    warnings: list[str] = []
    kind = KIND_RESIDENT  # legacy 15-digit numbers predate the permits
    if upgraded_from is None:
        kind = KIND_FOREIGN_PERMANENT if s[0] == "9" else _PERMIT_KINDS.get(s[:6], kind)
    if kind == KIND_RESIDENT and s[:2] not in _PROVINCES:
        warnings.append(
            msg("身份证号码前两位“{code}”不是已知的省级行政区划代码，请核对", code=s[:2])
        )
    return IdNumberInfo(
        number=s,
        kind=kind,
        birth_date=born,
        gender="男" if int(s[16]) % 2 else "女",
        area_code=s[:6],
        upgraded_from=upgraded_from,
        warnings=tuple(warnings),
    )


def parse_foreign_permanent_2017(text: str, *, field: str = "id_number") -> IdNumberInfo:
    """A 2017-version 外国人永久居留身份证 number (3 Latin letters + 12 digits, no checksum in
    GB 11643's sense); no birth date or sex is read from it."""
    s = "".join(to_halfwidth(text).split()).upper()
    if not _FOREIGN_2017.fullmatch(s):
        raise ValidationError(
            field,
            "id_number.format",
            "外国人永久居留身份证号码应为18位（9开头），或旧版的3位字母加12位数字",
        )
    return IdNumberInfo(
        number=s, kind=KIND_FOREIGN_PERMANENT, birth_date=None, gender=None, area_code="",
        upgraded_from=None, warnings=(),
    )  # fmt: skip


def parse_document_number(
    id_type: str, text: str, *, field: str = "id_number", today: datetime.date | None = None
) -> IdNumberInfo:
    """Parse a number of one of the GB 11643-format types; a 外国人永久居留身份证 may also be of
    the 2017 version (:func:`parse_foreign_permanent_2017`)."""
    if id_type == KIND_FOREIGN_PERMANENT:
        s = "".join(to_halfwidth(text).split()).upper()
        if s[:1].isalpha():
            return parse_foreign_permanent_2017(s, field=field)
    return parse_id_number(text, field=field, today=today)


def detect_id_kind(text: str, *, today: datetime.date | None = None) -> str | None:
    """The kind of document a typed number is (``KIND_*``), read from its format, or ``None``
    when it is no valid number of any kind (GB 11643 §6.2 notes in research/domain.md):
    18 characters starting 810000/820000 (港澳) or 830000 (台湾) are residence permits, 18 digits
    starting with 9 the 2023 外国人永久居留身份证, 3 letters + 12 digits the 2017 one."""
    s = "".join(to_halfwidth(text).split()).upper()
    if _FOREIGN_2017.fullmatch(s):
        return KIND_FOREIGN_PERMANENT
    try:
        return parse_id_number(s, today=today).kind
    except ValidationError:
        return None


def id_type_of_number(text: str, *, today: datetime.date | None = None) -> str | None:
    """The id_type code (reference ``id_types``) a typed number shows, or ``None``."""
    return ID_TYPE_OF_KIND.get(detect_id_kind(text, today=today) or "")


def id_type_mismatch(id_type: str, text: str, *, today: datetime.date | None = None) -> str | None:
    """The id_type code the number shows when it differs from the chosen ``id_type`` (a 港澳
    居住证 number typed under 居民身份证), else ``None``. Only the GB 11643-format types are
    compared; a passport or 无证件 is the clerk's word."""
    if id_type not in ID_TYPE_OF_KIND.values():
        return None
    found = id_type_of_number(text, today=today)
    return found if found is not None and found != id_type else None


def mismatch_message(id_type: str, found: str) -> str:
    """ "这是港澳居民居住证号码，证件类型却选了“居民身份证”…" for :func:`id_type_mismatch`."""
    chosen = KIND_LABELS.get(_KIND_OF_TYPE.get(id_type, ""), id_type)
    real = KIND_LABELS[_KIND_OF_TYPE[found]]
    return msg(
        "该号码是{real}号码，证件类型却选了“{chosen}”，请把证件类型改为“{real}”",
        real=real,
        chosen=chosen,
    )


def is_valid_id_number(text: str) -> bool:
    """True when ``parse_id_number`` accepts the text; never raises."""
    try:
        parse_id_number(text)
    except ValidationError:
        return False
    return True


# --- phones ---------------------------------------------------------------------------

_DASHES = re.compile(r"[\u2010-\u2015\u2212\uFE58\uFE63]")
_EXT_SPLIT = re.compile(r"\s*(?:转|分机|ext\.?)\s*", re.IGNORECASE)
_PHONE_CHARS = re.compile(r"[0-9\s()+\-]+")
_COUNTRY = re.compile(r"\(?\s*(?:\+|00)86\s*\)?")
_SEPARATORS = re.compile(r"[\s()\-]+")
_MOBILE = re.compile(r"1[3-9][0-9]{9}")
_SERVICE = re.compile(r"[48]00[0-9]{7}")
_LOCAL = re.compile(r"[2-9][0-9]{6,7}")
_EXT = re.compile(r"[0-9]{1,6}")


def _phone_error(field: str, message: str) -> ValidationError:
    return ValidationError(field, "phone.format", message)


def _landline(digits: str, groups: list[str]) -> tuple[str, str, str] | None:
    """(area code, local number, extension) for ``digits``; a trailing group may be an extension."""
    if digits.startswith("0"):
        area_len = 3 if digits.startswith(("010", "02")) else 4
        area, rest = digits[:area_len], digits[area_len:]
    else:
        area, rest = "", digits
    if len(groups) >= 2 and _EXT.fullmatch(groups[-1]):
        local = rest[: len(rest) - len(groups[-1])]
        # "010-2345678-9": a whole local number then a separate group is an extension
        if _LOCAL.fullmatch(local) and (
            groups[-2] in (local, area + local) or not _LOCAL.fullmatch(rest)
        ):
            return area, local, groups[-1]
    return (area, rest, "") if _LOCAL.fullmatch(rest) else None


def _split_phone(text: str, field: str) -> tuple[str, str, bool]:
    """(number part, extension, had a +86 prefix) of what was typed; raises on bad characters."""
    s = _DASHES.sub("-", to_halfwidth(text)).strip()
    if not s:
        raise ValidationError(field, "phone.empty", "未填写电话号码")
    parts = _EXT_SPLIT.split(s)
    if len(parts) > 2 or any(not p for p in parts):
        raise _phone_error(field, "分机号的写法不正确，请写成“区号-号码-分机号”")
    main, ext = parts[0], (parts[1] if len(parts) == 2 else "")
    if not _PHONE_CHARS.fullmatch(main) or (ext and not _EXT.fullmatch(ext)):
        raise _phone_error(field, "电话号码只能包含数字，以及空格、短横线或括号")
    country = _COUNTRY.match(main)
    if country:
        main = main[country.end() :]
    if "+" in main:
        raise _phone_error(field, "只支持中国大陆电话号码，国家代码应为+86")
    return main, ext, country is not None


def _mobile_or_service(digits: str, ext: str, field: str) -> PhoneInfo | None:
    """A mobile or 400/800 number (neither takes an extension); None for anything else."""
    if _MOBILE.fullmatch(digits):
        if ext:
            raise _phone_error(field, "手机号码不能带分机号")
        return PhoneInfo(number=digits, kind="mobile")
    if _SERVICE.fullmatch(digits):
        if ext:
            raise _phone_error(field, "400、800号码不能带分机号")
        return PhoneInfo(f"{digits[:3]}-{digits[3:6]}-{digits[6:]}", kind="landline")
    return None


def parse_phone(text: str, *, field: str = "phone") -> PhoneInfo:
    """Validate a mainland mobile, landline (optionally with extension) or 400/800 number."""
    main, ext, country = _split_phone(text, field)
    groups = [g for g in _SEPARATORS.split(main) if g]
    digits = "".join(groups)
    if not country and len(digits) == 13 and digits.startswith("86"):
        if _MOBILE.fullmatch(digits[2:]):
            digits = digits[2:]
    short = _mobile_or_service(digits, ext, field)
    if short is not None:
        return short
    if country and groups and not digits.startswith("0"):
        digits, groups[0] = "0" + digits, "0" + groups[0]  # "+86 10 ..." drops the trunk 0
    if 3 <= len(digits) <= 5:
        raise _phone_error(
            field, "不能填写110、12345等短号码，请填写11位手机号码或带区号的固定电话"
        )
    if digits.startswith("1"):
        raise _phone_error(field, "手机号码应为11位数字，以13至19开头")
    found = _landline(digits, groups)
    if found is None:
        raise _phone_error(field, "固定电话格式不正确，应为区号加7至8位号码，例如“0931-8123456”")
    area, local, dash_ext = found
    if dash_ext and ext:
        raise _phone_error(field, "分机号重复，请只保留一个分机号")
    pieces = [p for p in (area, local, dash_ext or ext) if p]
    return PhoneInfo(number="-".join(pieces), kind="landline")


# --- names ----------------------------------------------------------------------------

_MIDDLE_DOTS = str.maketrans(
    dict.fromkeys("\u0387\u30fb\u2027\u2022\uff65\uff0e\u2219\u22c5", "\u00b7")
)
_SPACES = " \u3000\u00a0"
_CJK_RANGES = (
    (0x3400, 0x4DBF),  # Extension A
    (0x4E00, 0x9FFF),  # URO
    (0xF900, 0xFAFF),  # compatibility ideographs
    (0x20000, 0x2A6DF),  # Extension B
    (0x2A700, 0x2EE5F),  # Extensions C, D, E, F, I
    (0x2F800, 0x2FA1F),  # compatibility supplement
    (0x30000, 0x323AF),  # Extensions G, H
)
_NAME_MAX = 30


def _is_cjk(ch: str) -> bool:
    cp = ord(ch)
    return any(lo <= cp <= hi for lo, hi in _CJK_RANGES)


def _is_latin(ch: str) -> bool:
    return unicodedata.category(ch).startswith("L") and unicodedata.name(ch, "").startswith("LATIN")


def _name_char_error(field: str, ch: str) -> ValidationError:
    cat = unicodedata.category(ch)
    if cat.startswith("N"):
        text = msg("姓名不能包含数字")
    elif cat.startswith("C") or cat in ("Zl", "Zp"):
        text = msg("姓名包含不可见的控制字符（{code}），请重新输入", code=f"U+{ord(ch):04X}")
    elif cat.startswith("S"):
        text = msg("姓名不能包含表情符号或其他符号")
    elif ch == ".":
        text = msg("姓名各部分之间请使用间隔号“·”，不要使用句点")
    else:
        text = msg("姓名包含不支持的字符“{char}”，只能使用汉字、外文字母和间隔号“·”", char=ch)
    return ValidationError(field, "name.invalid_char", text)


def _name_char_class(field: str, ch: str, last: str, *, at_end: bool) -> str:
    """The class of a kept name character (cjk, latin, vs or dot) after one of class ``last``."""
    if ch == "\u00b7":
        if last in ("", "dot") or at_end:
            raise ValidationError(field, "name.invalid_char", "间隔号“·”只能用在姓名的两部分之间")
        return "dot"
    if 0xFE00 <= ord(ch) <= 0xFE0F or 0xE0100 <= ord(ch) <= 0xE01EF:
        if last != "cjk":  # a variation selector may only follow an ideograph
            raise _name_char_error(field, ch)
        return "vs"
    if unicodedata.category(ch) == "Mn":
        if last != "latin":  # combining accents only on Latin letters
            raise _name_char_error(field, ch)
        return last
    if _is_cjk(ch):
        return "cjk"
    if _is_latin(ch):
        return "latin"
    raise _name_char_error(field, ch)


def fold_name(text: str) -> str:
    """The one folding of a typed name for storing, matching, searching and pinyin: trimmed,
    every middle-dot look-alike (•, ・, ･, ‧, …) as U+00B7; never raises."""
    return text.strip().translate(_MIDDLE_DOTS)


def dotless(name: str) -> str:
    """``name`` without its middle dots (阿依古丽·买买提 → 阿依古丽买买提), as often typed."""
    return name.replace("\u00b7", "")


def normalise_name(text: str, *, field: str = "name") -> str:
    """Trim a person's name and unify middle dots; otherwise keep exactly what was typed.

    Runs of spaces are allowed only between Latin words and collapse to one ASCII space.
    Characters outside the BMP (e.g. rare CJK extension characters) are kept as is.
    """
    s = fold_name(text)
    if not s:
        raise ValidationError(field, "name.empty", "未填写姓名")
    out: list[str] = []
    last = ""  # class of the previous kept character: latin, cjk, vs, dot or space
    for i, ch in enumerate(s):
        if ch in _SPACES or last == "space":
            if last not in ("latin", "space") or not (ch in _SPACES or _is_latin(ch)):
                raise ValidationError(
                    field, "name.invalid_char", "姓名中的空格只能用于分隔外文单词"
                )
            if ch in _SPACES:
                if last == "latin":
                    out.append(" ")
                last = "space"
                continue
        last = _name_char_class(field, ch, last, at_end=i == len(s) - 1)
        out.append(ch)
    name = "".join(out)
    if len(name) > _NAME_MAX:
        raise ValidationError(
            field,
            "name.too_long",
            msg("姓名不能超过{limit}个字，现在是{count}个", limit=_NAME_MAX, count=len(name)),
        )
    return name


# --- masking --------------------------------------------------------------------------


def mask_id_number(number: str) -> str:
    """Mask an ID number keeping the first 6 and last 4 characters; never raises.

    Shorter text keeps proportionally fewer characters (a third at the front, two ninths
    at the back), so no more than 6 + 4 characters are ever shown.
    """
    s = "".join(to_halfwidth(number).split()).upper()
    n = len(s)
    head, tail = min(6, n // 3), min(4, n * 2 // 9)
    return s[:head] + "*" * (n - head - tail) + s[n - tail :]


def mask_phone(number: str) -> str:
    """Mask a phone number: mobile keeps 3 + 4 digits, landline keeps area code and last 4."""
    try:
        info = parse_phone(number)
    except ValidationError:
        s = "".join(number.split())
        n = len(s)
        head, tail = min(3, n // 4), min(4, n // 4)
        return s[:head] + "*" * (n - head - tail) + s[n - tail :]
    if info.kind == "mobile":
        return f"{info.number[:3]}****{info.number[-4:]}"
    parts = info.number.split("-")
    if parts[0] in ("400", "800"):
        return f"{parts[0]}-***-{parts[2]}"
    if parts[0].startswith("0"):
        area, local, ext = parts[0] + "-", parts[1], parts[2:]
    else:
        area, local, ext = "", parts[0], parts[1:]
    masked = area + "*" * (len(local) - 4) + local[-4:]
    return masked + ("-" + "*" * len(ext[0]) if ext else "")


def validate_township_code(code: str) -> str:
    """A 12-digit 统计用区划代码 of a township (乡镇/街道)."""
    text = code.strip()
    if len(text) != 12 or not text.isdigit():
        raise ValidationError("code", "township.code", "乡镇代码须为12位数字（统计用区划代码）")
    if not text.endswith("000") or text[6:9] == "000":
        raise ValidationError("code", "township.code_level", "该代码不是乡镇（街道）级区划代码")
    return text
