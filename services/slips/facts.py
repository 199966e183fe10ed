"""What a slip says: case facts, checked form values, and the resolved document (文书内容)."""

from __future__ import annotations

import datetime as dt
import json
import re
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any, Final

from sqlalchemy import select
from sqlalchemy.orm import Session

from services.context import ServiceContext
from services.domain.docdate import document_date
from services.domain.errors import ValidationError, ValidationErrors
from services.domain.identity import mask_id_number, mask_phone
from services.domain.messages import msg
from services.domain.textutil import clean_text
from services.domain.workflow import STATE_LABELS, CaseState
from services.slips.dto import SlipCatalogue, SlipDocument, SlipField, SlipKind, SlipLine
from services.store.models import Case, CaseParty, OrgUnit, Person
from services.store.sealed import seal, unseal

UNIT_KINDS = ("unit", "township", "village", "community", "county")
CHECKLIST_SEPARATOR = "\n"  # options may contain 、 and ；, so the form joins choices with newlines
DISPLAY_SEPARATOR = "；"
PENDING_NUMBER = "（签发时编号）"


def date_text(day: dt.date) -> str:
    """GB/T 9704 date: full year, month and day without padding (2026年11月2日)."""
    return document_date(day)


def _name_of(ctx: ServiceContext, dictionary: str, code: str) -> str:
    try:
        return ctx.reference.name_of(dictionary, code)
    except KeyError:
        return code


FULL: Final = frozenset({"id_number", "phone"})
# Personal data a kind prints in full stays sealed inside the issued snapshot (slip.content, the
# outbox, the hub) between these marks, and is opened only to render or show it (``reveal``).
_SEALED_RE: Final = re.compile(r"⟦(e1\.[0-9a-f]{8}\.[A-Za-z0-9_-]+)\|(id_number|phone)⟧")


def _sealed_mark(value: str, field_name: str) -> str:
    return f"⟦{seal(value, field_name)}|{field_name}⟧"


def reveal(text: str) -> str:
    """``text`` with its sealed marks opened (for the printer or the screen, never stored)."""
    if "⟦" not in text:
        return text
    return _SEALED_RE.sub(lambda m: unseal(m.group(1), m.group(2)) or "", text)


def reveal_document(doc: SlipDocument) -> SlipDocument:
    """The snapshot with its sealed personal data opened, to render."""
    text = doc.to_json()
    blob = json.dumps(text, ensure_ascii=False)
    if "⟦" not in blob:
        return doc
    return SlipDocument.from_json(json.loads(reveal(blob)))


def _party_text(person: Person, role: str, ctx: ServiceContext, full: frozenset[str]) -> str:
    bits = [_name_of(ctx, "party_roles", role)]
    if person.id_number:
        whole = "id_number" in full
        number = _sealed_mark(person.id_number, "id_number") if whole else None
        bits.append("身份证 " + (number or mask_id_number(person.id_number)))
    if person.phone:
        phone = _sealed_mark(person.phone, "phone") if "phone" in full else None
        bits.append("电话 " + (phone or mask_phone(person.phone)))
    return f"{person.name}（{'，'.join(bits)}）"


def case_facts(
    session: Session, ctx: ServiceContext, case: Case, *, unmasked: bool | frozenset[str] = False
) -> dict[str, str]:
    """Every ``case.*`` source a slip field may print, as display text (personal data masked;
    ``unmasked``: True for all of it in full, or the set of fields printed in full)."""
    full = (FULL if unmasked else frozenset()) if isinstance(unmasked, bool) else unmasked
    rows = session.execute(
        select(CaseParty, Person)
        .join(Person, Person.id == CaseParty.person_id)
        .where(CaseParty.case_id == case.id)
        .order_by(CaseParty.sort_order)
    ).all()
    applicant = next((p.name for cp, p in rows if cp.role == "applicant"), "")
    township = session.get(OrgUnit, case.township_id)
    unit = session.get(OrgUnit, case.assignee_unit_id) if case.assignee_unit_id else None
    try:
        category = f"{case.category_code} {ctx.reference.qualified_name(case.category_code)}"
    except KeyError:
        category = case.category_code
    return {
        "case.code": case.code,
        "case.title": case.title,
        "case.summary": case.summary,
        "case.category": category,
        "case.registered_date": date_text(case.registered_at.date()),
        "case.applicant": applicant or (rows[0][1].name if rows else ""),
        "case.parties": DISPLAY_SEPARATOR.join(
            _party_text(p, cp.role, ctx, full) for cp, p in rows
        ),
        "case.assignee_unit": unit.name if unit else "",
        "case.due_date": _due_text(case),
        "case.risk_colour": _name_of(ctx, "colours", case.risk_colour),
        "case.state": STATE_LABELS[CaseState(case.state)],
        "case.place": case.occurred_place,
        "case.people_count": f"{case.people_count}人" if case.people_count else "",
        "case.channel": _name_of(ctx, "channels", case.channel),
        "township.name": township.name if township else "",
    }


def _due_text(case: Case) -> str:
    """The deadline as printed; 暂定 while next year's holidays are not imported yet."""
    if case.due_at is None:
        return ""
    text = date_text(case.due_at.date())
    return f"{text}（暂定）" if case.due_provisional else text


def field_facts(
    session: Session, ctx: ServiceContext, case: Case, kind: SlipKind
) -> dict[str, str]:
    """Values of the kind's case-sourced fields; full ID numbers only with a legal basis."""
    masked = case_facts(session, ctx, case)
    out: dict[str, str] = {}
    for f in kind.fields:
        if f.is_input:
            continue
        if f.unmasked_basis:
            shown = frozenset(f.unmasked) or FULL
            out[f.name] = case_facts(session, ctx, case, unmasked=shown)[f.source]
        else:
            out[f.name] = masked[f.source]
    return out


def unmasked_in(kind: SlipKind) -> tuple[str, ...]:
    """The personal data a kind prints in full, for the print's audit entry."""
    shown: set[str] = set()
    for f in kind.fields:
        if f.unmasked_basis and not f.is_input:
            shown |= set(f.unmasked) or FULL
    return tuple(sorted(shown))


def unit_choices(session: Session) -> tuple[tuple[str, str], ...]:
    """Handling units a 交办单 can go to (id, name), units first."""
    rows = session.scalars(
        select(OrgUnit)
        .where(OrgUnit.active.is_(True), OrgUnit.kind.in_(UNIT_KINDS))
        .order_by(OrgUnit.kind != "unit", OrgUnit.sort_order, OrgUnit.name)
    )
    return tuple((o.id, o.name) for o in rows)


@dataclass(frozen=True, slots=True)
class CheckedValues:
    """Form values after checking: what prints, and what goes to the case action's payload."""

    display: dict[str, str]
    payload: dict[str, Any]


def _check_units(session: Session, f: SlipField, raw: str) -> tuple[str, list[str]]:
    """Several units chosen from the organisation tree (协办单位): names, and their ids."""
    ids = [i.strip() for i in raw.split(CHECKLIST_SEPARATOR) if i.strip()]
    units = [session.get(OrgUnit, i) for i in dict.fromkeys(ids)]
    found = [u for u in units if u is not None and u.active]
    if len(found) != len(units):
        raise ValidationError(
            f.name, f"slip.{f.name}.unit", msg("{field}不存在，请重新选择", field=f.label)
        )
    return DISPLAY_SEPARATOR.join(u.name for u in found), [u.id for u in found]


def _check_input(session: Session, f: SlipField, raw: str, today: dt.date) -> tuple[str, Any]:
    """Return (display text, payload value) of one typed value; raise ``ValidationError``."""
    if f.input in ("text", "multiline"):
        text = clean_text(raw, f.name, f.label, max_len=f.max_len)
        if f.input == "text":
            text = " ".join(text.split())
        return text, text
    if f.input == "date":
        try:
            day = dt.date.fromisoformat(raw.strip()[:10])
        except ValueError:
            raise ValidationError(
                f.name, f"slip.{f.name}.date", msg("{field}日期无效", field=f.label)
            ) from None
        if day < today:
            raise ValidationError(
                f.name, f"slip.{f.name}.past", msg("{field}不能早于今天", field=f.label)
            )
        return date_text(day), day.isoformat()
    if f.input == "unit":
        unit = session.get(OrgUnit, raw.strip())
        if unit is None or not unit.active:
            raise ValidationError(
                f.name, f"slip.{f.name}.unit", msg("{field}不存在，请重新选择", field=f.label)
            )
        return unit.name, unit.id
    if f.input == "units":
        return _check_units(session, f, raw)
    if f.input == "choice":
        if raw.strip() not in f.options:
            raise ValidationError(
                f.name, f"slip.{f.name}.choice", msg("{field}取值无效", field=f.label)
            )
        return raw.strip(), raw.strip()
    chosen = [c.strip() for c in raw.split(CHECKLIST_SEPARATOR) if c.strip()]
    if any(c not in f.options for c in chosen):
        raise ValidationError(
            f.name, f"slip.{f.name}.choice", msg("{field}含有无效选项", field=f.label)
        )
    text = DISPLAY_SEPARATOR.join(c for c in f.options if c in chosen)
    return text, text


def check_values(
    session: Session, kind: SlipKind, facts: Mapping[str, str], values: Mapping[str, str],
    today: dt.date, *, strict: bool = True,
) -> CheckedValues:  # fmt: skip
    """Check every field; raise one ``ValidationErrors`` naming each bad or missing field.

    With ``strict=False`` (drafts) bad or missing fields print blank instead.
    """
    display: dict[str, str] = {}
    payload: dict[str, Any] = {}
    errors: list[ValidationError] = []
    for f in kind.fields:
        if not f.is_input:
            text, value = facts.get(f.name, ""), facts.get(f.name, "")
            if f.required and not text.strip():
                errors.append(
                    ValidationError(
                        f.name,
                        f"slip.{f.name}.missing",
                        msg("案件缺少“{field}”，暂不能签发", field=f.label),
                    )
                )
                continue
        else:
            raw = values.get(f.name, f.default)
            if not raw.strip():
                if f.required:
                    errors.append(ValidationError(f.name, f"slip.{f.name}.required",
                                                  msg("请填写{label}", label=f.label)))  # fmt: skip
                display[f.name] = ""
                continue
            try:
                text, value = _check_input(session, f, raw, today)
            except ValidationError as exc:
                errors.append(exc)
                continue
        display[f.name] = text
        if f.payload:
            payload[f.payload] = value
    if errors and strict:
        raise ValidationErrors(errors)
    return CheckedValues(display, payload)


def agency_code(catalogue: SlipCatalogue, township_name: str) -> str:
    """机关代字: configured, else the township's first character + 综治 (青山镇 → 青综治)."""
    return catalogue.agency_code or (township_name[:1] + "综治")


def slip_number(
    catalogue: SlipCatalogue, kind: SlipKind, township_name: str, township_code: str,
    year: int, seq: int,
) -> str:  # fmt: skip
    """``{机关代字}{单种代字}〔yyyy〕N号``: 〔〕 brackets, no zero padding, no 第 (GB/T 9704)."""
    return catalogue.number_format.format(
        agency=agency_code(catalogue, township_name), series=kind.series, year=year, seq=seq,
        township=township_code,
    )  # fmt: skip


def build_document(
    catalogue: SlipCatalogue, kind: SlipKind, grade: str | None, display: Mapping[str, str],
    *, number: str, case_code: str, township_name: str, day: dt.date,
) -> SlipDocument:  # fmt: skip
    """Resolve a kind and checked values into the text that prints (the snapshot)."""
    issuer = catalogue.issuer_format.format(township=township_name)
    chosen = kind.grade(grade)
    labels = {f.name: f.label for f in kind.fields}
    words = {**display, "number": number, "issuer": issuer, "date": date_text(day)}
    return SlipDocument(
        kind=kind.code,
        title=kind.title,
        layout=kind.layout,
        issuer=issuer,
        number=number,
        case_code=case_code,
        date_text=date_text(day),
        grade_label=chosen.label if chosen else "",
        grade_colour=chosen.colour if chosen else "",
        addressee=display.get(kind.addressee, "") if kind.addressee else "",
        rows=tuple(SlipLine(labels[n], display.get(n, "")) for n in kind.rows),
        paragraphs=tuple(t.format_map(words) for t in kind.body),
        notes=kind.notes,
        stub_title=kind.stub_title,
        stub_rows=kind.stub_rows,
        signature=tuple(SlipLine(labels[n], display.get(n, "")) for n in kind.signature),
        qr=kind.qr,
        secrecy=kind.secrecy,
        urgency=(chosen.urgency if chosen else "") or kind.urgency,
        copy_numbered=kind.copy_numbered,
    )
