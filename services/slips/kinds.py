"""Slip kinds as data (文书种类): ``resources/slips/kinds.json`` merged with a county override.

The county file (``kinds.json`` in a configurable directory) may change top-level settings
(number format, issuer name, 机关代字), change any key of a shipped kind, change or add fields by
name, add kinds, or drop one with ``"disabled": true``. 四单两函 differs by county, so nothing
about a kind is code.
"""

from __future__ import annotations

import json
import re
import string
from pathlib import Path
from typing import Any, Final

from services.domain.errors import ServiceError
from services.domain.workflow import Action, CaseState
from services.slips.dto import (
    INPUTS,
    LAYOUTS,
    SlipAction,
    SlipCatalogue,
    SlipField,
    SlipGrade,
    SlipKind,
)

SLIPS_DIR: Final[Path] = Path(__file__).resolve().parents[2] / "resources" / "slips"
KINDS_FILE: Final = "kinds.json"
CASE_SOURCES: Final[frozenset[str]] = frozenset(
    {
        "case.code", "case.title", "case.summary", "case.category", "case.registered_date",
        "case.applicant", "case.parties", "case.assignee_unit", "case.due_date",
        "case.risk_colour", "case.state", "case.place", "case.people_count", "case.channel",
        "township.name",
    }
)  # fmt: skip
ROLES: Final[frozenset[str]] = frozenset({"receptionist", "mediator", "director", "admin"})
NUMBER_KEYS: Final[frozenset[str]] = frozenset({"agency", "series", "year", "seq", "township"})
BUILTIN_KEYS: Final[frozenset[str]] = frozenset({"number", "issuer", "date"})
_CODE_RE: Final = re.compile(r"[a-z][a-z0-9_]{0,23}")
_COLOUR_RE: Final = re.compile(r"#[0-9A-Fa-f]{6}")
_FIELD_KEYS: Final = frozenset(
    {"name", "label", "required", "source", "input", "options", "payload", "default", "max_len",
     "unmasked_basis", "unmasked"}
)  # fmt: skip


class _InvalidError(Exception):
    """Internal: a structural problem, turned into a ``ServiceError`` naming the file."""


def _fail(path: Path, detail: str) -> ServiceError:
    return ServiceError("slips.invalid", f"文书配置文件 {path} 无效：{detail}")


def _read(path: Path) -> dict[str, Any]:
    try:
        data = json.loads(path.read_text(encoding="utf-8-sig"))
    except OSError as exc:
        raise _fail(path, f"无法读取（{exc.strerror or exc}）") from None
    except UnicodeDecodeError:
        raise _fail(path, "不是 UTF-8 编码") from None
    except json.JSONDecodeError as exc:
        raise _fail(path, f"JSON 格式错误（第 {exc.lineno} 行第 {exc.colno} 列）") from None
    if not isinstance(data, dict):
        raise _fail(path, "顶层应为对象")
    return data


def merge(base: dict[str, Any], override: dict[str, Any]) -> dict[str, Any]:
    """Merge a county override over the shipped catalogue (both as parsed JSON)."""
    out = {k: v for k, v in base.items() if k != "kinds"}
    out.update({k: v for k, v in override.items() if k != "kinds"})
    if "version" in override:
        out["version"] = f"{base.get('version', '')}+{override['version']}"
    kinds: list[dict[str, Any]] = [dict(k) for k in base.get("kinds", [])]
    by_code = {k.get("code"): k for k in kinds}
    for kind in override.get("kinds", []):
        if not isinstance(kind, dict) or "code" not in kind:
            raise _InvalidError("覆盖文件中的文书种类须为含“code”的对象")
        current = by_code.get(kind["code"])
        if current is None:
            kinds.append(dict(kind))
            by_code[kind["code"]] = kinds[-1]
            continue
        for key, value in kind.items():
            if key == "fields":
                current["fields"] = _merge_fields(current.get("fields", []), value)
            else:
                current[key] = value
    out["kinds"] = [k for k in kinds if not k.get("disabled")]
    return out


def _merge_fields(base: list[dict[str, Any]], override: Any) -> list[dict[str, Any]]:
    if not isinstance(override, list):
        raise _InvalidError("“fields”应为数组")
    fields = [dict(f) for f in base]
    by_name = {f.get("name"): f for f in fields}
    for item in override:
        if not isinstance(item, dict) or "name" not in item:
            raise _InvalidError("字段须为含“name”的对象")
        if item["name"] in by_name:
            by_name[item["name"]].update(item)
        else:
            fields.append(dict(item))
            by_name[item["name"]] = fields[-1]
    return [f for f in fields if not f.get("disabled")]


def _text(obj: dict[str, Any], key: str, where: str, *, default: str | None = None) -> str:
    value = obj.get(key, default)
    if not isinstance(value, str) or (default is None and not value.strip()):
        raise _InvalidError(f"{where}缺少文本字段“{key}”")
    return value


def _strings(obj: dict[str, Any], key: str, where: str) -> tuple[str, ...]:
    value = obj.get(key, [])
    if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
        raise _InvalidError(f"{where}的“{key}”应为文本数组")
    return tuple(value)


def _placeholders(template: str, where: str) -> set[str]:
    try:
        return {name for _, name, _, _ in string.Formatter().parse(template) if name is not None}
    except ValueError as exc:
        raise _InvalidError(f"{where}的模板“{template}”有误：{exc}") from None


def _field(obj: Any, where: str) -> SlipField:
    if not isinstance(obj, dict):
        raise _InvalidError(f"{where}应为对象")
    unknown = set(obj) - _FIELD_KEYS - {"disabled"}
    if unknown:
        raise _InvalidError(f"{where}有未知的键：{'、'.join(sorted(unknown))}")
    name = _text(obj, "name", where)
    here = f"{where}“{name}”"
    source = _text(obj, "source", here, default="input")
    if source != "input" and source not in CASE_SOURCES:
        raise _InvalidError(f"{here}的来源“{source}”无效")
    kind = _text(obj, "input", here, default="text")
    if kind not in INPUTS:
        raise _InvalidError(f"{here}的输入类型“{kind}”无效")
    options = _strings(obj, "options", here)
    if kind in ("choice", "checklist") and not options:
        raise _InvalidError(f"{here}须给出“options”")
    max_len = obj.get("max_len", 500)
    if not isinstance(max_len, int) or isinstance(max_len, bool) or not 1 <= max_len <= 5000:
        raise _InvalidError(f"{here}的“max_len”应为1至5000的整数")
    payload = obj.get("payload")
    if payload is not None and not isinstance(payload, str):
        raise _InvalidError(f"{here}的“payload”应为文本")
    unmasked = _strings(obj, "unmasked", here)
    if set(unmasked) - {"id_number", "phone"}:
        raise _InvalidError(f"{here}的“unmasked”只能列出 id_number 和 phone")
    if unmasked and not obj.get("unmasked_basis"):
        raise _InvalidError(f"{here}列出“unmasked”时须写明“unmasked_basis”（依据）")
    return SlipField(
        name=name, label=_text(obj, "label", here), required=bool(obj.get("required", False)),
        source=source, input=kind, options=options, payload=payload,
        default=_text(obj, "default", here, default=""), max_len=max_len,
        unmasked_basis=_text(obj, "unmasked_basis", here, default=""), unmasked=unmasked,
    )  # fmt: skip


def _grades(obj: dict[str, Any], where: str) -> tuple[SlipGrade, ...]:
    grades = []
    for item in obj.get("grades", []):
        if not isinstance(item, dict):
            raise _InvalidError(f"{where}的颜色等级应为对象")
        colour = _text(item, "colour", where)
        if not _COLOUR_RE.fullmatch(colour):
            raise _InvalidError(f"{where}的颜色“{colour}”应为 #RRGGBB")
        grades.append(SlipGrade(_text(item, "code", where), _text(item, "label", where), colour,
                                _text(item, "urgency", where, default="")))  # fmt: skip
    return tuple(grades)


def _action(value: Any, where: str) -> SlipAction | None:
    if value is None:
        return None
    if not isinstance(value, dict):
        raise _InvalidError(f"{where}的“action”应为对象或 null")
    name = _text(value, "name", where)
    try:
        action = Action(name)
    except ValueError:
        raise _InvalidError(f"{where}的案件操作“{name}”不存在") from None
    if action in (Action.REGISTER, Action.VOID):
        raise _InvalidError(f"{where}不能记录“{name}”操作")
    constants = value.get("constants", {})
    if not isinstance(constants, dict) or not all(isinstance(v, str) for v in constants.values()):
        raise _InvalidError(f"{where}的“constants”应为文本对象")
    skip = _strings(value, "skip_states", where)
    states = {s.value for s in CaseState}
    if any(s not in states for s in skip):
        raise _InvalidError(f"{where}的“skip_states”含未知状态")
    return SlipAction(name, tuple(sorted(constants.items())), skip)


def _kind(obj: Any) -> SlipKind:
    if not isinstance(obj, dict):
        raise _InvalidError("文书种类应为对象")
    code = _text(obj, "code", "文书种类")
    where = f"文书种类“{code}”"
    if not _CODE_RE.fullmatch(code):
        raise _InvalidError(f"{where}的代码应为小写字母、数字和下划线（不超过24个字符）")
    layout = _text(obj, "layout", where)
    if layout not in LAYOUTS:
        raise _InvalidError(f"{where}的版式“{layout}”无效")
    fields = tuple(_field(f, f"{where}的字段") for f in obj.get("fields", []))
    names = [f.name for f in fields]
    if len(set(names)) != len(names):
        raise _InvalidError(f"{where}有重复的字段名")
    roles = _strings(obj, "roles", where)
    if not roles or any(r not in ROLES for r in roles):
        raise _InvalidError(f"{where}的“roles”应列出可签发的角色：{'、'.join(sorted(ROLES))}")
    grades = _grades(obj, where)
    action = _action(obj.get("action"), where)
    if action and any(v == "$grade" for _, v in action.constants) and not grades:
        raise _InvalidError(f"{where}引用了颜色等级，但没有配置“grades”")
    rows, signature = _strings(obj, "rows", where), _strings(obj, "signature", where)
    addressee = obj.get("addressee")
    known = set(names)
    for ref in (*rows, *signature, *([addressee] if addressee else [])):
        if ref not in known:
            raise _InvalidError(f"{where}引用了不存在的字段“{ref}”")
    body = _strings(obj, "body", where)
    for template in body:
        unknown = _placeholders(template, where) - known - BUILTIN_KEYS
        if unknown:
            missing = "、".join(sorted(unknown))
            raise _InvalidError(f"{where}的正文模板引用了不存在的字段：{missing}")
    if layout != "form" and not body:
        raise _InvalidError(f"{where}为“{layout}”版式，须有正文“body”")
    return SlipKind(
        code=code, title=_text(obj, "title", where), series=_text(obj, "series", where),
        layout=layout, fields=fields, grades=grades, roles=roles, action=action, rows=rows,
        body=body, addressee=addressee, notes=_strings(obj, "notes", where),
        stub_title=_text(obj, "stub_title", where, default=""),
        stub_rows=_strings(obj, "stub_rows", where), signature=signature,
        qr=bool(obj.get("qr", True)), secrecy=_text(obj, "secrecy", where, default=""),
        urgency=_text(obj, "urgency", where, default=""),
        copy_numbered=bool(obj.get("copy_numbered", False)),
    )  # fmt: skip


def parse_catalogue(data: dict[str, Any]) -> SlipCatalogue:
    """Validate merged catalogue JSON and build the catalogue (raises ``_InvalidError``)."""
    number_format = _text(data, "number_format", "顶层")
    unknown = _placeholders(number_format, "编号格式") - NUMBER_KEYS
    if unknown or "seq" not in _placeholders(number_format, "编号格式"):
        raise _InvalidError("编号格式须含 {seq}，且只能用 {agency}{series}{year}{seq}{township}")
    issuer = _text(data, "issuer_format", "顶层", default="{township}综治中心")
    if _placeholders(issuer, "机关名称格式") - {"township"}:
        raise _InvalidError("机关名称格式只能用 {township}")
    kinds_raw = data.get("kinds")
    if not isinstance(kinds_raw, list) or not kinds_raw:
        raise _InvalidError("“kinds”应为非空数组")
    kinds = tuple(_kind(k) for k in kinds_raw)
    codes = [k.code for k in kinds]
    if len(set(codes)) != len(codes):
        raise _InvalidError("文书种类代码重复")
    return SlipCatalogue(
        version=_text(data, "version", "顶层"),
        number_format=number_format,
        issuer_format=issuer,
        agency_code=_text(data, "agency_code", "顶层", default=""),
        kinds=kinds,
    )


def load_catalogue(
    override_dir: Path | None = None, *, base_dir: Path = SLIPS_DIR
) -> SlipCatalogue:
    """Load the shipped slip kinds and merge ``override_dir/kinds.json`` over them if present.

    Raises:
        ServiceError: ``slips.invalid`` naming the bad file.
    """
    base_path = base_dir / KINDS_FILE
    data = _read(base_path)
    where = base_path
    override_path = override_dir / KINDS_FILE if override_dir is not None else None
    try:
        if override_path is not None and override_path.is_file():
            where = override_path
            data = merge(data, _read(override_path))
        return parse_catalogue(data)
    except _InvalidError as exc:
        raise _fail(where, str(exc)) from None
