"""Tests of the versioned reference data and its loader (services.reference.data)."""

from __future__ import annotations

import json
import shutil
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from services.domain.enums import REFERENCE_VOCABULARIES, ClosureType, label
from services.domain.errors import ServiceError
from services.domain.workflow import CLOSURE_TYPES
from services.reference.data import (
    DEADLINE_RULES_FILE,
    MILESTONES,
    REFERENCE_DIR,
    UNITS,
    Category,
    FrozenMap,
    Option,
    Reference,
    default_reference,
    load_reference,
)

# GB/T 31000-2015 矛盾纠纷事件类型 classes, exactly as in domain.md §3.1.
CLASSES = {
    "01": "婚恋家庭纠纷",
    "02": "邻里纠纷",
    "03": "人格权纠纷",
    "04": "物权相关纠纷",
    "05": "侵权相关纠纷",
    "06": "合同及相关纠纷",
    "07": "劳动人事争议",
    "08": "金融借贷纠纷",
    "09": "土地及资源权属纠纷",
    "10": "其他民商事纠纷",
    "11": "城乡建设发展纠纷",
    "12": "涉民政纠纷",
    "13": "其他行政执法纠纷",
    "14": "涉法涉诉纠纷",
    "15": "涉组织涉纪检纠纷",
    "16": "涉民族宗教纠纷",
    "99": "其他",
}
# Sub-classes per class in the §3.1 table: 4+4+4+4+8+5+5+5+5+7+6+4+8+4+3+2+0.
SUBCLASS_COUNTS = {
    "01": 4, "02": 4, "03": 4, "04": 4, "05": 8, "06": 5, "07": 5, "08": 5, "09": 5,
    "10": 7, "11": 6, "12": 4, "13": 8, "14": 4, "15": 3, "16": 2, "99": 0,
}  # fmt: skip
TOTAL_SUBCLASSES = 78

DICTIONARY_KEYS = {
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
    "event_scales",
}


@pytest.fixture(scope="module")
def ref() -> Reference:
    return default_reference()


def _codes(found: tuple[Category, ...]) -> list[str]:
    return [c.code for c in found]


# --- categories ------------------------------------------------------------------------


def test_all_classes_present_with_exact_names(ref: Reference) -> None:
    classes = {c.code: c.name for c in ref.categories if c.is_class}
    assert classes == CLASSES


def test_subclass_count_matches_the_standard_table(ref: Reference) -> None:
    subs = [c for c in ref.categories if not c.is_class]
    assert len(subs) == TOTAL_SUBCLASSES == sum(SUBCLASS_COUNTS.values())
    for code, count in SUBCLASS_COUNTS.items():
        assert len(ref.children(code)) == count, code
    assert len(ref.categories) == 17 + 78


def test_subclass_codes_belong_to_their_class_and_are_unique(ref: Reference) -> None:
    codes = [c.code for c in ref.categories]
    assert len(codes) == len(set(codes))
    assert codes == sorted(codes)
    for cat in ref.categories:
        if cat.is_class:
            assert cat.parent_code is None
            assert len(cat.code) == 2
        else:
            assert cat.parent_code is not None
            assert len(cat.code) == 4
            assert cat.code.startswith(cat.parent_code)
            assert ref.category(cat.parent_code).is_class


def test_specific_subclasses_and_table_quirks(ref: Reference) -> None:
    assert [(c.code, c.name) for c in ref.children("01")] == [
        ("0101", "恋爱及婚姻"),
        ("0102", "抚养赡养监护"),
        ("0103", "分家与继承"),
        ("0199", "其他"),
    ]
    assert ref.category("0902").name == "宅基地使用"
    assert ref.category("1201").name == "村(社区)选举和管理"
    assert ref.category("0701").name == "劳动合同、劳务派遣"
    # 14 and 16 have no "99 其他" sub-class in the standard's table; 99 has no sub-classes.
    assert "1499" not in {c.code for c in ref.categories}
    assert "1699" not in {c.code for c in ref.categories}
    assert ref.children("99") == ()


def test_category_lookup_and_qualified_name(ref: Reference) -> None:
    assert ref.category("02").name == "邻里纠纷"
    assert ref.qualified_name("0199") == "婚恋家庭纠纷/其他"
    assert ref.qualified_name("01") == "婚恋家庭纠纷"
    with pytest.raises(KeyError):
        ref.category("0198")


def test_pinyin_is_computed_at_load(ref: Reference) -> None:
    neighbours = ref.category("02")
    assert neighbours.pinyin == "lin li jiu fen"
    assert neighbours.initials == "lljf"
    # punctuation is dropped from both forms
    election = ref.category("1201")
    assert election.initials == "csqxjhgl"
    assert "(" not in election.pinyin


def test_event_scales(ref: Reference) -> None:
    assert [(o.code, o.name) for o in ref.options("event_scales")] == [
        ("01", "个体性事件"),
        ("02", "一般群体性事件"),
        ("03", "重大群体性事件"),
    ]


# --- search ----------------------------------------------------------------------------


def test_search_by_chinese_substring(ref: Reference) -> None:
    found = ref.search_categories("宅基地")
    assert _codes(found)[0] == "0902"
    assert _codes(ref.search_categories("邻里"))[0] == "02"


def test_search_by_initials_is_case_insensitive(ref: Reference) -> None:
    assert _codes(ref.search_categories("ll"))[0] == "02"
    assert _codes(ref.search_categories("LL"))[0] == "02"
    assert _codes(ref.search_categories("fysy")) == ["0102"]  # 抚养赡养监护
    assert _codes(ref.search_categories("zjd"))[0] == "0902"  # 宅基地使用


def test_search_by_full_pinyin(ref: Reference) -> None:
    assert _codes(ref.search_categories("linli"))[0] == "02"
    assert _codes(ref.search_categories("Lin Li"))[0] == "02"
    assert _codes(ref.search_categories("zhaijidi"))[0] == "0902"
    # a later syllable also matches: 医疗损害 via "sunhai"
    assert "0502" in _codes(ref.search_categories("yiliao"))
    assert "0502" in _codes(ref.search_categories("sunhai"))


def test_search_by_code_prefix(ref: Reference) -> None:
    assert _codes(ref.search_categories("0902")) == ["0902"]
    found = _codes(ref.search_categories("09"))
    assert found == ["09", "0901", "0902", "0903", "0904", "0999"]


def test_class_match_brings_its_subclasses_after_direct_hits(ref: Reference) -> None:
    found = ref.search_categories("婚恋")
    assert _codes(found) == ["01", "0101", "0102", "0103", "0199"]


def test_other_subclasses_can_be_shown_with_their_class(ref: Reference) -> None:
    found = ref.search_categories("其他", limit=100)
    labels = {ref.qualified_name(c.code) for c in found}
    assert "婚恋家庭纠纷/其他" in labels
    assert "其他" in labels  # class 99
    assert "其他民商事纠纷" in labels  # class 10, name contains 其他


def test_search_limit(ref: Reference) -> None:
    assert len(ref.search_categories("1", limit=3)) == 3
    assert ref.search_categories("ll", limit=0) == ()


def test_empty_query_returns_the_classes(ref: Reference) -> None:
    classes = ref.search_categories("")
    assert _codes(classes) == sorted(CLASSES)
    assert _codes(ref.search_categories("   ")) == sorted(CLASSES)
    assert len(ref.search_categories("", limit=5)) == 5


@pytest.mark.parametrize(
    "query", ['"', "'", "%", "%%_", "😀", "纠纷😀", "'; DROP TABLE x; --", "\\", "\x00", "ß", "〇"]
)
def test_weird_input_does_not_raise(ref: Reference, query: str) -> None:
    result = ref.search_categories(query)
    assert isinstance(result, tuple)
    assert all(isinstance(c, Category) for c in result)


def test_no_match_returns_empty(ref: Reference) -> None:
    assert ref.search_categories("xyzxyz") == ()
    assert ref.search_categories("8888") == ()


# --- channels and dictionaries -----------------------------------------------------------


def test_channels(ref: Reference) -> None:
    names = [o.name for o in ref.channels]
    assert names == [
        "来访(走访)",
        "来电",
        "来信",
        "网上",
        "12345转办",
        "网格员上报",
        "部门推送",
        "上级交办",
        "诉调对接",
        "警调对接",
        "访调对接",
    ]
    assert all(o.code.isascii() for o in ref.channels)
    assert ref.name_of("channels", "walk_in") == "来访(走访)"


def test_dictionary_keys_and_ascii_codes(ref: Reference) -> None:
    assert DICTIONARY_KEYS <= set(ref.dictionaries)
    for key, options in ref.dictionaries.items():
        codes = [o.code for o in options]
        assert len(codes) == len(set(codes)), key
        assert all(c.isascii() and c for c in codes), key
        assert all(o.name for o in options), key


def test_dictionary_contents(ref: Reference) -> None:
    assert ref.codes("colours") == {"green", "yellow", "orange", "red"}
    assert ref.name_of("colours", "red") == "红"
    colours = {o.code: o for o in ref.options("colours")}
    assert colours["orange"].extra["optional"] == "true"
    assert colours["green"].extra["optional"] == "false"
    for opt in colours.values():
        hex_colour = opt.extra["hex"]
        assert len(hex_colour) == 7 and hex_colour.startswith("#")
        int(hex_colour[1:], 16)
        assert opt.extra["meaning"]
    levels = {o.code: o.extra["gbt_level_code"] for o in ref.options("handling_levels")}
    assert levels == {"village": "06", "township": "05", "county": "04"}
    assert ref.name_of("handling_levels", "township") == "乡镇(街道)"
    assert ref.codes("party_roles") == {
        "applicant",
        "respondent",
        "representative",
        "third_party",
        "agent",
    }
    assert ref.name_of("dispositions", "referred_12345") == "引导至12345"
    assert ref.codes("supervision_levels") == {"none", "reminder", "yellow", "red"}
    assert ref.name_of("id_types", "111") == "居民身份证"
    assert ref.name_of("evaluations", "basically") == "基本满意"
    assert [o.name for o in ref.options("closure_types")] == [
        "正常办结",
        "终止调解",
        "评价超时办结",
        "县级办结",
    ]
    assert [o.name for o in ref.options("mediation_results")] == ["达成", "未达成", "继续调解"]


def test_unknown_dictionary_or_code_raises_key_error(ref: Reference) -> None:
    with pytest.raises(KeyError):
        ref.name_of("colours", "purple")
    with pytest.raises(KeyError):
        ref.codes("nope")


def test_values_are_immutable_and_hashable(ref: Reference) -> None:
    option = ref.options("colours")[0]
    assert hash(option) == hash(Option(option.code, option.name, dict(option.extra)))
    assert option == Option(option.code, option.name, dict(option.extra))
    assert isinstance(ref.dictionaries, FrozenMap)
    hash(ref)
    with pytest.raises(AttributeError):
        option.name = "x"  # type: ignore[misc]


# --- deadline rules ----------------------------------------------------------------------


def _rule(ref: Reference, level: str, milestone: str, colour: str | None = None) -> tuple[int, str]:
    matches = [
        r
        for r in ref.deadline_rules
        if r.handling_level == level
        and r.milestone == milestone
        and r.risk_colour == colour
        and r.category_code is None
    ]
    assert len(matches) == 1, (level, milestone, colour)
    return matches[0].amount, matches[0].unit


def test_resolve_defaults(ref: Reference) -> None:
    assert _rule(ref, "village", "resolve") == (3, "working_days")
    assert _rule(ref, "township", "resolve") == (7, "working_days")
    assert _rule(ref, "county", "resolve") == (15, "working_days")
    assert _rule(ref, "township", "resolve", "red") == (3, "working_days")


def test_other_milestone_defaults_at_every_level(ref: Reference) -> None:
    for level in ("village", "township", "county"):
        assert _rule(ref, level, "mediation") == (30, "natural_days")
        assert _rule(ref, level, "sign") == (24, "hours")
        assert _rule(ref, level, "evaluation") == (5, "working_days")
        assert _rule(ref, level, "revisit") == (15, "natural_days")
    assert len(ref.deadline_rules) == 16


def test_every_rule_is_valid(ref: Reference) -> None:
    levels = ref.codes("handling_levels")
    colours = ref.codes("colours")
    for rule in ref.deadline_rules:
        assert rule.unit in UNITS
        assert rule.milestone in MILESTONES
        assert rule.handling_level in levels
        assert rule.risk_colour is None or rule.risk_colour in colours
        assert rule.category_code is None or ref.category(rule.category_code)
        assert isinstance(rule.amount, int) and rule.amount > 0
    assert ref.codes("deadline_units") == UNITS
    assert ref.codes("deadline_milestones") == MILESTONES


def test_overrides_are_documented() -> None:
    data = json.loads((REFERENCE_DIR / DEADLINE_RULES_FILE).read_text(encoding="utf-8"))
    assert "覆盖" in data["notes"]


# --- files and loading -------------------------------------------------------------------


def test_files_have_version_and_source() -> None:
    for name in ("categories.json", "channels.json", "dictionaries.json", "deadline_rules.json"):
        data = json.loads((REFERENCE_DIR / name).read_text(encoding="utf-8"))
        assert data["version"] and data["source"], name
    assert (
        "GB/T 31000-2015"
        in json.loads((REFERENCE_DIR / "categories.json").read_text(encoding="utf-8"))["source"]
    )


def test_version_combines_the_files(ref: Reference) -> None:
    for part in ("categories:", "channels:", "dictionaries:", "deadline_rules:"):
        assert part in ref.version


def test_default_reference_is_cached() -> None:
    assert default_reference() is default_reference()


def test_load_from_a_copy_equals_default(tmp_path: Path, ref: Reference) -> None:
    copy = tmp_path / "ref"
    shutil.copytree(REFERENCE_DIR, copy)
    assert load_reference(copy) == ref


def _broken_copy(tmp_path: Path, name: str, text: str) -> Path:
    copy = tmp_path / "ref"
    shutil.copytree(REFERENCE_DIR, copy)
    (copy / name).write_text(text, encoding="utf-8")
    return copy


@pytest.mark.parametrize(
    "name", ["categories.json", "channels.json", "dictionaries.json", "deadline_rules.json"]
)
def test_broken_json_names_the_file(tmp_path: Path, name: str) -> None:
    copy = _broken_copy(tmp_path, name, '{"version": "2026.1", ')
    with pytest.raises(ServiceError) as info:
        load_reference(copy)
    assert info.value.code == "reference.invalid"
    assert name in info.value.message


def test_closure_types_are_the_codes_the_workflow_accepts(ref: Reference) -> None:
    """Issue 12 #9: the reference listed 终止受理/引导其他途径/上报, which 办结 refuses, and lacked
    评价超时办结/县级办结, which it needs (a second, unread list at the top held the right ones)."""
    for name, vocabulary in REFERENCE_VOCABULARIES.items():
        assert [o.code for o in ref.options(name)] == [v.value for v in vocabulary], name
    assert ref.codes("closure_types") == set(CLOSURE_TYPES)
    for option in ref.options("closure_types"):
        assert option.name == label(ClosureType(option.code))
    top = json.loads((REFERENCE_DIR / "dictionaries.json").read_text(encoding="utf-8"))
    assert set(top) == {"version", "source", "notes", "dictionaries"}  # one list, not two


def test_a_reference_file_with_other_closure_codes_is_refused(tmp_path: Path) -> None:
    text = (REFERENCE_DIR / "dictionaries.json").read_text(encoding="utf-8")
    copy = _broken_copy(tmp_path, "dictionaries.json",
                        text.replace('"county_closed"', '"escalated"'))  # fmt: skip
    with pytest.raises(ServiceError) as info:
        load_reference(copy)
    assert "dictionaries.json" in info.value.message and "closure_types" in info.value.message


def test_missing_file_names_the_file(tmp_path: Path) -> None:
    copy = tmp_path / "ref"
    shutil.copytree(REFERENCE_DIR, copy)
    (copy / "channels.json").unlink()
    with pytest.raises(ServiceError) as info:
        load_reference(copy)
    assert info.value.code == "reference.invalid"
    assert "channels.json" in info.value.message
    assert "不存在" in info.value.message


Mutation = Callable[[dict[str, Any]], None]


def _mutated(tmp_path: Path, name: str, mutate: Mutation) -> Path:
    data = json.loads((REFERENCE_DIR / name).read_text(encoding="utf-8"))
    mutate(data)
    return _broken_copy(tmp_path, name, json.dumps(data, ensure_ascii=False))


def _bad_unit(d: dict[str, Any]) -> None:
    d["rules"][0]["unit"] = "fortnights"


def _bad_subclass(d: dict[str, Any]) -> None:
    d["classes"][0]["children"][0]["code"] = "0201"


def _no_version(d: dict[str, Any]) -> None:
    del d["version"]


def _missing_dictionary(d: dict[str, Any]) -> None:
    del d["dictionaries"]["colours"]


@pytest.mark.parametrize(
    ("name", "mutate"),
    [
        ("deadline_rules.json", _bad_unit),
        ("categories.json", _bad_subclass),
        ("channels.json", _no_version),
        ("dictionaries.json", _missing_dictionary),
    ],
)
def test_structural_errors_name_the_file(tmp_path: Path, name: str, mutate: Mutation) -> None:
    copy = _mutated(tmp_path, name, mutate)
    with pytest.raises(ServiceError) as info:
        load_reference(copy)
    assert info.value.code == "reference.invalid"
    assert name in info.value.message


def test_duplicate_keys_are_rejected(tmp_path: Path) -> None:
    text = (REFERENCE_DIR / "channels.json").read_text(encoding="utf-8")
    copy = _broken_copy(tmp_path, "channels.json", text.replace("{\n", '{"version": "x",\n', 1))
    with pytest.raises(ServiceError) as info:
        load_reference(copy)
    assert "channels.json" in info.value.message
    assert "重复" in info.value.message


def test_stored_pinyin_matches_pypinyin() -> None:
    """categories.json carries pinyin so start-up need not import pypinyin; it must not drift."""
    from services.reference.data import romanize

    for cat in default_reference().categories:
        assert (cat.pinyin, cat.initials) == romanize(cat.name), cat.code
