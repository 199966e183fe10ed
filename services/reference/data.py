"""Versioned reference data (categories, channels, dictionaries, deadline rules) and its loader."""

from __future__ import annotations

import functools
import json
import re
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Final, Generic, TypeVar

from services.domain.deadlines import RuleSpec
from services.domain.enums import REFERENCE_VOCABULARIES
from services.domain.errors import ServiceError

REFERENCE_DIR: Final[Path] = Path(__file__).resolve().parents[2] / "resources" / "reference"

CATEGORIES_FILE: Final = "categories.json"
CHANNELS_FILE: Final = "channels.json"
DICTIONARIES_FILE: Final = "dictionaries.json"
DEADLINE_RULES_FILE: Final = "deadline_rules.json"

# Dictionaries that dictionaries.json must provide (event_scales comes from categories.json).
FILE_DICTIONARIES: Final[tuple[str, ...]] = (
    "colours",
    "handling_levels",
    "party_roles",
    "visitor_roles",
    "dispositions",
    "supervision_levels",
    "id_types",
    "evaluations",
    "closure_types",
    "mediation_results",
)
MILESTONES: Final[frozenset[str]] = frozenset(
    {"sign", "resolve", "mediation", "feedback_review", "evaluation", "revisit"}
)
UNITS: Final[frozenset[str]] = frozenset({"hours", "natural_hours", "natural_days", "working_days"})

_CODE_RE: Final = re.compile(r"[A-Za-z0-9_]+")
_CLASS_CODE_RE: Final = re.compile(r"[0-9]{2}")
_SUBCLASS_CODE_RE: Final = re.compile(r"[0-9]{4}")
_QUERY_SEPARATORS_RE: Final = re.compile(r"[\s'’\-_·]+")
_NOT_LATIN_RE: Final = re.compile(r"[^a-z0-9]+")

K = TypeVar("K")
V = TypeVar("V")


class FrozenMap(Mapping[K, V], Generic[K, V]):
    """Read-only, hashable mapping (hashable when its values are)."""

    __slots__ = ("_data",)

    def __init__(self, items: Mapping[K, V] | Iterable[tuple[K, V]] = ()) -> None:
        self._data: dict[K, V] = dict(items)

    def __getitem__(self, key: K) -> V:
        return self._data[key]

    def __iter__(self) -> Iterator[K]:
        return iter(self._data)

    def __len__(self) -> int:
        return len(self._data)

    def __hash__(self) -> int:
        return hash(frozenset(self._data.items()))

    def __eq__(self, other: object) -> bool:
        if isinstance(other, Mapping):
            return dict(self._data.items()) == dict(other.items())
        return NotImplemented

    def __repr__(self) -> str:
        return f"FrozenMap({self._data!r})"


@dataclass(frozen=True, slots=True)
class Category:
    """纠纷类别: a GB/T 31000-2015 class (2-digit code) or sub-class (4-digit code).

    ``pinyin`` is the lower-case full pinyin, syllables separated by single spaces
    (``"lin li jiu fen"``); ``initials`` the lower-case first letters (``"lljf"``).
    Both are computed at load time.
    """

    code: str
    name: str
    parent_code: str | None
    initials: str
    pinyin: str

    @property
    def is_class(self) -> bool:
        return len(self.code) == 2


@dataclass(frozen=True, slots=True)
class Option:
    """One dictionary entry: ASCII code, Chinese name and optional string attributes."""

    code: str
    name: str
    extra: Mapping[str, str] = field(default_factory=FrozenMap)

    def __post_init__(self) -> None:
        if not isinstance(self.extra, FrozenMap):
            object.__setattr__(self, "extra", FrozenMap(self.extra))


@dataclass(frozen=True, slots=True)
class Reference:
    """All reference data of one load; immutable and safe to share."""

    version: str
    categories: tuple[Category, ...]
    channels: tuple[Option, ...]
    dictionaries: Mapping[str, tuple[Option, ...]]
    deadline_rules: tuple[RuleSpec, ...]

    def category(self, code: str) -> Category:
        """The category with this code; raises ``KeyError`` when unknown."""
        for cat in self.categories:
            if cat.code == code:
                return cat
        raise KeyError(code)

    def children(self, code: str) -> tuple[Category, ...]:
        """Sub-classes of a class, in code order (empty for a sub-class or ``99``)."""
        return tuple(c for c in self.categories if c.parent_code == code)

    def qualified_name(self, code: str) -> str:
        """Name with its class for context: ``"婚恋家庭纠纷/其他"``; a class's own name."""
        cat = self.category(code)
        if cat.parent_code is None:
            return cat.name
        return f"{self.category(cat.parent_code).name}/{cat.name}"

    def options(self, dictionary: str) -> tuple[Option, ...]:
        """Entries of a dictionary in file order; raises ``KeyError`` when unknown."""
        return self.dictionaries[dictionary]

    def name_of(self, dictionary: str, code: str) -> str:
        """Chinese name of ``code`` in ``dictionary``; raises ``KeyError`` when unknown."""
        for opt in self.options(dictionary):
            if opt.code == code:
                return opt.name
        raise KeyError(f"{dictionary}:{code}")

    def codes(self, dictionary: str) -> frozenset[str]:
        """All codes of a dictionary; raises ``KeyError`` when unknown."""
        return frozenset(opt.code for opt in self.options(dictionary))

    def search_categories(self, query: str, limit: int = 20) -> tuple[Category, ...]:
        """Categories matching ``query``, best first, at most ``limit``.

        Matches a code prefix, a Chinese substring, or pinyin (case-insensitive): initials
        (``"ll"`` → 邻里纠纷) or full pinyin starting at any syllable (``"linli"``,
        ``"jiufen"``); spaces and apostrophes in the query are ignored. A matched class
        brings its sub-classes after the direct hits. An empty query returns the classes.
        """
        if limit <= 0:
            return ()
        text = query.strip()
        if not text:
            return tuple(c for c in self.categories if c.is_class)[:limit]
        latin = _QUERY_SEPARATORS_RE.sub("", text.casefold())
        if not (latin.isascii() and latin.isalnum()):
            latin = ""
        scored: dict[str, tuple[int, Category]] = {}
        for cat in self.categories:
            score = _match_score(cat, text, latin)
            if score is not None:
                scored[cat.code] = (score, cat)
        matched_classes = {code for code, (_, cat) in scored.items() if cat.is_class}
        for cat in self.categories:
            if cat.parent_code in matched_classes and cat.code not in scored:
                scored[cat.code] = (9, cat)
        ranked = sorted(scored.values(), key=lambda pair: (pair[0], pair[1].code))
        return tuple(cat for _, cat in ranked[:limit])


def _match_score(cat: Category, text: str, latin: str) -> int | None:
    """Lower is better; ``None`` when the category does not match."""
    if cat.code == text or cat.name == text:
        return 0
    if text.isascii() and text.isdigit() and cat.code.startswith(text):
        return 1
    if cat.name.startswith(text):
        return 2
    if text in cat.name:
        return 3
    if not latin or latin.isdigit():
        return None
    syllables = cat.pinyin.split(" ")
    if cat.initials.startswith(latin) or "".join(syllables).startswith(latin):
        return 4
    if latin in cat.initials:
        return 5
    for i in range(1, len(syllables)):
        if "".join(syllables[i:]).startswith(latin):
            return 5
    return None


def romanize(name: str) -> tuple[str, str]:
    """(space-separated lower-case pinyin, lower-case initials) of a Chinese name.

    Punctuation is dropped; ASCII letters and digits are kept as they are (lower-cased).
    """
    from pypinyin import Style, lazy_pinyin  # costs ~0.3 s: only when a name lacks stored pinyin

    syllables = [_NOT_LATIN_RE.sub("", s.casefold()) for s in lazy_pinyin(name)]
    letters = [
        _NOT_LATIN_RE.sub("", s.casefold()) for s in lazy_pinyin(name, style=Style.FIRST_LETTER)
    ]
    return " ".join(s for s in syllables if s), "".join(letters)


# --- loading -------------------------------------------------------------------------


class _InvalidError(Exception):
    """Internal: a structural problem, turned into ``ServiceError`` naming the file."""


def _fail(filename: str, detail: str) -> ServiceError:
    return ServiceError("reference.invalid", f"参考数据文件 {filename} 无效：{detail}")


def _reject_duplicate_keys(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
    result: dict[str, Any] = {}
    for key, value in pairs:
        if key in result:
            raise _InvalidError(f"键“{key}”重复")
        result[key] = value
    return result


def _read(directory: Path, filename: str) -> tuple[dict[str, Any], str]:
    """Parse one file; return its top-level object and version."""
    path = directory / filename
    try:
        raw = path.read_text(encoding="utf-8-sig")
    except FileNotFoundError:
        raise _fail(filename, f"文件不存在（{path}）") from None
    except UnicodeDecodeError:
        raise _fail(filename, "不是 UTF-8 编码") from None
    except OSError as exc:
        raise _fail(filename, f"无法读取（{exc.strerror or exc}）") from None
    try:
        data = json.loads(raw, object_pairs_hook=_reject_duplicate_keys)
    except json.JSONDecodeError as exc:
        raise _fail(filename, f"JSON 格式错误（第 {exc.lineno} 行第 {exc.colno} 列）") from None
    except _InvalidError as exc:
        raise _fail(filename, str(exc)) from None
    try:
        top = _obj(data, "顶层")
        version = _text(top, "version", "顶层")
        _text(top, "source", "顶层")
    except _InvalidError as exc:
        raise _fail(filename, str(exc)) from None
    return top, version


def _obj(value: Any, where: str) -> dict[str, Any]:
    if not isinstance(value, dict):
        raise _InvalidError(f"{where}应为对象")
    return value


def _list(value: Any, where: str) -> list[Any]:
    if not isinstance(value, list):
        raise _InvalidError(f"{where}应为数组")
    return value


def _text(obj: dict[str, Any], key: str, where: str) -> str:
    value = obj.get(key)
    if not isinstance(value, str) or not value.strip():
        raise _InvalidError(f"{where}缺少非空文本字段“{key}”")
    return value


def _optional_text(obj: dict[str, Any], key: str, where: str) -> str | None:
    if key not in obj:
        raise _InvalidError(f"{where}缺少字段“{key}”（可为 null）")
    value = obj[key]
    if value is None:
        return None
    if not isinstance(value, str) or not value.strip():
        raise _InvalidError(f"{where}字段“{key}”应为非空文本或 null")
    return value


def _options(value: Any, where: str) -> tuple[Option, ...]:
    """A list of ``{code, name, ...}``; other keys (string/bool/int) become ``extra``."""
    result: list[Option] = []
    seen: set[str] = set()
    for i, item in enumerate(_list(value, where), start=1):
        here = f"{where}第 {i} 项"
        entry = _obj(item, here)
        code = _text(entry, "code", here)
        name = _text(entry, "name", here)
        if not _CODE_RE.fullmatch(code):
            raise _InvalidError(f"{here}代码“{code}”只能含 ASCII 字母、数字和下划线")
        if code in seen:
            raise _InvalidError(f"{where}代码“{code}”重复")
        seen.add(code)
        extra: dict[str, str] = {}
        for key, raw in entry.items():
            if key in ("code", "name"):
                continue
            if isinstance(raw, bool):
                extra[key] = "true" if raw else "false"
            elif isinstance(raw, str | int):
                extra[key] = str(raw)
            else:
                raise _InvalidError(f"{here}字段“{key}”应为文本、数字或布尔值")
        result.append(Option(code, name, FrozenMap(extra)))
    if not result:
        raise _InvalidError(f"{where}不能为空")
    return tuple(result)


def _category(code: str, name: str, parent: str | None, entry: dict[str, Any]) -> Category:
    """A category; pinyin stored in the file (checked by a test) spares importing pypinyin."""
    stored_pinyin, stored_initials = entry.get("pinyin"), entry.get("initials")
    if isinstance(stored_pinyin, str) and isinstance(stored_initials, str):
        return Category(code, name, parent, stored_initials, stored_pinyin)
    pinyin, initials = romanize(name)
    return Category(code, name, parent, initials, pinyin)


def _parse_categories(top: dict[str, Any]) -> tuple[tuple[Category, ...], tuple[Option, ...]]:
    cats: list[Category] = []
    seen: set[str] = set()
    for i, item in enumerate(_list(top.get("classes"), "“classes”"), start=1):
        here = f"“classes”第 {i} 项"
        cls = _obj(item, here)
        code = _text(cls, "code", here)
        if not _CLASS_CODE_RE.fullmatch(code):
            raise _InvalidError(f"{here}大类代码“{code}”应为两位数字")
        if code in seen:
            raise _InvalidError(f"类别代码“{code}”重复")
        seen.add(code)
        cats.append(_category(code, _text(cls, "name", here), None, cls))
        for j, child_item in enumerate(_list(cls.get("children"), f"{here}“children”"), 1):
            where = f"大类 {code} 第 {j} 个小类"
            child = _obj(child_item, where)
            child_code = _text(child, "code", where)
            if not _SUBCLASS_CODE_RE.fullmatch(child_code) or not child_code.startswith(code):
                raise _InvalidError(f"{where}代码“{child_code}”应为以 {code} 开头的四位数字")
            if child_code in seen:
                raise _InvalidError(f"类别代码“{child_code}”重复")
            seen.add(child_code)
            cats.append(_category(child_code, _text(child, "name", where), code, child))
    if not cats:
        raise _InvalidError("“classes”不能为空")
    cats.sort(key=lambda c: c.code)
    scales = _options(top.get("event_scales"), "“event_scales”")
    return tuple(cats), scales


def _parse_dictionaries(top: dict[str, Any]) -> dict[str, tuple[Option, ...]]:
    raw = _obj(top.get("dictionaries"), "“dictionaries”")
    result: dict[str, tuple[Option, ...]] = {}
    for key in FILE_DICTIONARIES:
        if key not in raw:
            raise _InvalidError(f"缺少字典“{key}”")
    for key, value in raw.items():
        result[key] = _options(value, f"字典“{key}”")
    for key, vocabulary in REFERENCE_VOCABULARIES.items():
        codes = [o.code for o in result.get(key, ())]
        wanted = [v.value for v in vocabulary]
        if codes != wanted:  # the workflow accepts only its own codes: never two lists
            raise _InvalidError(f"字典“{key}”的代码（{'、'.join(codes)}）与流程使用的代码"
                                f"（{'、'.join(wanted)}）不一致")  # fmt: skip
    return result


def _parse_rules(
    top: dict[str, Any],
    levels: frozenset[str],
    colours: frozenset[str],
    category_codes: frozenset[str],
) -> tuple[RuleSpec, ...]:
    milestones = _options(top.get("milestones"), "“milestones”")
    units = _options(top.get("units"), "“units”")
    if {o.code for o in milestones} != MILESTONES:
        raise _InvalidError(f"“milestones”应恰为 {sorted(MILESTONES)}")
    if {o.code for o in units} != UNITS:
        raise _InvalidError(f"“units”应恰为 {sorted(UNITS)}")
    rules: list[RuleSpec] = []
    keys: set[tuple[str, str | None, str | None, str]] = set()
    for i, item in enumerate(_list(top.get("rules"), "“rules”"), start=1):
        here = f"第 {i} 条规则"
        obj = _obj(item, here)
        level = _text(obj, "handling_level", here)
        category = _optional_text(obj, "category_code", here)
        colour = _optional_text(obj, "risk_colour", here)
        milestone = _text(obj, "milestone", here)
        unit = _text(obj, "unit", here)
        amount = obj.get("amount")
        if level not in levels:
            raise _InvalidError(f"{here}办理层级“{level}”未在字典 handling_levels 中定义")
        if category is not None and category not in category_codes:
            raise _InvalidError(f"{here}类别代码“{category}”不存在")
        if colour is not None and colour not in colours:
            raise _InvalidError(f"{here}风险颜色“{colour}”未在字典 colours 中定义")
        if milestone not in MILESTONES:
            raise _InvalidError(f"{here}节点“{milestone}”无效")
        if unit not in UNITS:
            raise _InvalidError(f"{here}单位“{unit}”无效")
        if isinstance(amount, bool) or not isinstance(amount, int) or amount <= 0:
            raise _InvalidError(f"{here}时限“amount”应为正整数")
        key = (level, category, colour, milestone)
        if key in keys:
            raise _InvalidError(f"{here}与前面的规则重复（层级、类别、颜色、节点相同）")
        keys.add(key)
        rules.append(RuleSpec(level, category, colour, milestone, amount, unit))
    if not rules:
        raise _InvalidError("“rules”不能为空")
    return tuple(rules)


def load_reference(directory: Path | None = None) -> Reference:
    """Load and validate the four reference files from ``directory`` (default ``REFERENCE_DIR``).

    Raises ``ServiceError(code="reference.invalid")`` whose message names the bad file.
    """
    base = REFERENCE_DIR if directory is None else directory
    versions: list[str] = []

    cat_top, version = _read(base, CATEGORIES_FILE)
    versions.append(f"categories:{version}")
    try:
        categories, scales = _parse_categories(cat_top)
    except _InvalidError as exc:
        raise _fail(CATEGORIES_FILE, str(exc)) from None

    chan_top, version = _read(base, CHANNELS_FILE)
    versions.append(f"channels:{version}")
    try:
        channels = _options(chan_top.get("channels"), "“channels”")
    except _InvalidError as exc:
        raise _fail(CHANNELS_FILE, str(exc)) from None

    dict_top, version = _read(base, DICTIONARIES_FILE)
    versions.append(f"dictionaries:{version}")
    try:
        dictionaries = _parse_dictionaries(dict_top)
        for reserved in ("event_scales", "channels", "deadline_milestones", "deadline_units"):
            if reserved in dictionaries:
                raise _InvalidError(f"字典名“{reserved}”为保留名，由其他文件提供")
    except _InvalidError as exc:
        raise _fail(DICTIONARIES_FILE, str(exc)) from None

    rules_top, version = _read(base, DEADLINE_RULES_FILE)
    versions.append(f"deadline_rules:{version}")
    try:
        rules = _parse_rules(
            rules_top,
            frozenset(o.code for o in dictionaries["handling_levels"]),
            frozenset(o.code for o in dictionaries["colours"]),
            frozenset(c.code for c in categories),
        )
        milestones = _options(rules_top.get("milestones"), "“milestones”")
        units = _options(rules_top.get("units"), "“units”")
    except _InvalidError as exc:
        raise _fail(DEADLINE_RULES_FILE, str(exc)) from None

    dictionaries["event_scales"] = scales
    dictionaries["channels"] = channels
    dictionaries["deadline_milestones"] = milestones
    dictionaries["deadline_units"] = units
    return Reference(
        version=";".join(versions),
        categories=categories,
        channels=channels,
        dictionaries=FrozenMap(dictionaries),
        deadline_rules=rules,
    )


@functools.cache
def default_reference() -> Reference:
    """The shipped reference data, loaded once per process."""
    return load_reference(REFERENCE_DIR)
