"""Slip (文书) data: kinds from the catalogue, issued documents, register rows and render results.

The renderer lives in ``reports/`` and is handed to the slip service as a callable
(:data:`SlipRenderer`), so ``services`` never imports reportlab.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field, fields
from typing import Any

from services.domain.dto import Changes
from services.domain.errors import ServiceError
from services.domain.messages import msg

LAYOUT_VERSION = 1
LAYOUTS = ("form", "notice", "letter")
INPUTS = ("text", "multiline", "date", "unit", "units", "choice", "checklist")


class MissingGlyphsError(ServiceError):
    """No installed font can draw some characters (缺字); raised before anything is printed.

    Attributes:
        chars: the characters no font has, in order of first appearance.
    """

    def __init__(self, chars: tuple[str, ...]) -> None:
        listed = "、".join(f"{c}（U+{ord(c):04X}）" for c in chars)
        super().__init__(
            "slip.missing_glyphs",
            msg(
                "本机没有能显示以下字符的字体：{chars}。请安装含这些字的字体（如 SimSun-ExtB），"
                "或确认以编码代替打印。",
                chars=listed,
            ),
        )
        self.chars = chars


class SlipPermissionError(ServiceError):
    """The signed-in user's role may not issue this kind of slip (无权签发)."""


@dataclass(frozen=True, slots=True)
class SlipGrade:
    """A colour grade of a slip (红色/橙色/黄色), printed as a colour band."""

    code: str
    label: str
    colour: str  # "#RRGGBB"
    urgency: str = ""  # 紧急程度 printed with this grade (特急/加急), GB/T 9704 §7.2.3


@dataclass(frozen=True, slots=True)
class SlipField:
    """One field of a slip kind (文书字段).

    ``source`` is ``"input"`` (typed on the form) or a case fact such as ``"case.code"``;
    ``payload`` names the key of the case action's payload the value goes to.
    """

    name: str
    label: str
    required: bool = False
    source: str = "input"
    input: str = "text"
    options: tuple[str, ...] = ()
    payload: str | None = None
    default: str = ""
    max_len: int = 500
    unmasked_basis: str = ""  # legal basis for printing full ID numbers/phones; empty = masked
    # Which personal data the basis covers ("id_number", "phone"); empty with a basis = both.
    unmasked: tuple[str, ...] = ()

    @property
    def is_input(self) -> bool:
        return self.source == "input"


@dataclass(frozen=True, slots=True)
class SlipAction:
    """The case action a slip records (交办单 → ``assign``), with constant payload entries.

    A value ``"$grade"`` in ``constants`` is replaced by the chosen grade's code. In the states
    listed in ``skip_states`` the step is already on record, so the slip records nothing.
    """

    name: str
    constants: tuple[tuple[str, str], ...] = ()
    skip_states: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class SlipKind:
    """A kind of slip (文书种类) as configured in ``resources/slips/kinds.json``."""

    code: str
    title: str
    series: str  # 单种代字
    layout: str
    fields: tuple[SlipField, ...]
    grades: tuple[SlipGrade, ...] = ()
    roles: tuple[str, ...] = ()
    action: SlipAction | None = None
    rows: tuple[str, ...] = ()
    body: tuple[str, ...] = ()
    addressee: str | None = None
    notes: tuple[str, ...] = ()
    stub_title: str = ""
    stub_rows: tuple[str, ...] = ()
    signature: tuple[str, ...] = ()
    qr: bool = True
    secrecy: str = ""  # 密级 or handling mark (工作秘密), GB/T 9704 §7.2.2
    urgency: str = ""  # 紧急程度 of every slip of the kind (a grade's own wins)
    copy_numbered: bool = False  # 份号 on every print (GB/T 9704 §7.2.1)

    def field(self, name: str) -> SlipField:
        for f in self.fields:
            if f.name == name:
                return f
        raise KeyError(name)

    def grade(self, code: str | None) -> SlipGrade | None:
        return next((g for g in self.grades if g.code == code), None)


@dataclass(frozen=True, slots=True)
class SlipCatalogue:
    """Every slip kind plus the numbering format, after county overrides are merged."""

    version: str
    number_format: str
    issuer_format: str
    agency_code: str
    kinds: tuple[SlipKind, ...]

    def kind(self, code: str) -> SlipKind:
        for k in self.kinds:
            if k.code == code:
                return k
        raise ServiceError("slip.kind_unknown", msg("未知的文书种类：{code}", code=code))


@dataclass(frozen=True, slots=True)
class SlipLine:
    """A labelled line of an issued slip (表格行)."""

    label: str
    value: str


@dataclass(frozen=True, slots=True)
class SignLine:
    """A line signed by hand: who (当事人（甲方）), their printed name, what they do there."""

    label: str
    name: str = ""
    hint: str = "（签名）"


@dataclass(frozen=True, slots=True)
class SlipDocument:
    """The issued content of a slip, fully resolved text (文书快照); reprints render this.

    It is stored as JSON with the slip, so later changes to the catalogue, the case or the
    organisation tree never alter what a reprint shows.
    """

    kind: str
    title: str
    layout: str
    issuer: str
    number: str
    case_code: str
    date_text: str
    grade_label: str = ""
    grade_colour: str = ""
    addressee: str = ""
    rows: tuple[SlipLine, ...] = ()
    paragraphs: tuple[str, ...] = ()
    notes: tuple[str, ...] = ()
    stub_title: str = ""
    stub_rows: tuple[str, ...] = ()
    signature: tuple[SlipLine, ...] = ()
    qr: bool = True
    layout_version: int = LAYOUT_VERSION
    sign_lines: tuple[SignLine, ...] = ()  # lines signed by hand, kept with the seal
    secrecy: str = ""  # 密级 or a handling mark (工作秘密), top left
    urgency: str = ""  # 紧急程度 (特急/加急), top left
    copy_numbered: bool = False  # prints carry a 6-digit 份号 (RenderOptions.copy_number)
    copy_to: str = ""  # 抄送 (a 专报): printed in the 版记 at the foot of the last page

    def to_json(self) -> dict[str, Any]:
        out: dict[str, Any] = {}
        for f in fields(self):
            value = getattr(self, f.name)
            if f.name in ("rows", "signature"):
                value = [[line.label, line.value] for line in value]
            elif f.name == "sign_lines":
                value = [[line.label, line.name, line.hint] for line in value]
            elif isinstance(value, tuple):
                value = list(value)
            out[f.name] = value
        return out

    @classmethod
    def from_json(cls, data: Mapping[str, Any]) -> SlipDocument:
        known = {f.name for f in fields(cls)}
        values: dict[str, Any] = {}
        for key, value in data.items():
            if key not in known:
                continue
            if key in ("rows", "signature"):
                value = tuple(SlipLine(str(a), str(b)) for a, b in value)
            elif key == "sign_lines":  # a plain string: one line of text (before SignLine)
                value = tuple(SignLine(v, "", "") if isinstance(v, str)
                              else SignLine(*(str(x) for x in v)) for v in value)  # fmt: skip
            elif isinstance(value, list):
                value = tuple(str(v) for v in value)
            values[key] = value
        return cls(**values)

    def texts(self) -> tuple[str, ...]:
        """Every piece of text the slip prints (for glyph checks)."""
        parts = [self.title, self.issuer, self.number, self.case_code, self.date_text,
                 self.grade_label, self.addressee, self.stub_title]  # fmt: skip
        parts += [t for line in (*self.rows, *self.signature) for t in (line.label, line.value)]
        parts += [*self.paragraphs, *self.notes, *self.stub_rows]
        parts += [t for line in self.sign_lines for t in (line.label, line.name, line.hint)]
        parts += [self.secrecy, self.urgency, self.copy_to]
        return tuple(p for p in parts if p)


@dataclass(frozen=True, slots=True)
class RenderOptions:
    """Print-time marks; the stored hash is of the rendering with none of them."""

    watermark: str = ""  # e.g. "王接待 2026-11-22 10:30"
    reprint_note: str = ""  # non-empty: marked 补打 with this note
    void_note: str = ""  # non-empty: stamped 作废 with this note
    draft: bool = False
    allow_missing_glyphs: bool = False
    copy_number: int = 0  # 份号 of this print (copy-numbered kinds only; 0: none)


@dataclass(frozen=True, slots=True)
class RenderedPdf:
    """PDF bytes with their SHA-256 and what the user should be told (font warnings, 缺字)."""

    pdf: bytes
    sha256: str
    pages: int
    warnings: tuple[str, ...] = ()
    missing_glyphs: tuple[str, ...] = ()


SlipRenderer = Callable[[SlipDocument, RenderOptions], RenderedPdf]


@dataclass(frozen=True, slots=True)
class SlipInfo:
    """One row of the slip register (文书台账)."""

    id: str
    number: str
    kind: str
    kind_title: str
    grade_label: str
    case_id: str
    case_code: str
    addressee: str
    issued_at: dt.datetime
    issued_by: str | None
    status: str  # issued / voided
    void_reason: str
    voided_at: dt.datetime | None
    print_count: int
    sha256: str
    changes: Changes = field(default=Changes(), compare=False)  # of the print or void

    @property
    def voided(self) -> bool:
        return self.status == "voided"


@dataclass(frozen=True, slots=True)
class SlipQuery:
    """Register search: number or case code text, kind, issue dates (inclusive)."""

    text: str = ""
    kind: str | None = None
    date_from: dt.date | None = None
    date_to: dt.date | None = None
    include_voided: bool = True
    case_id: str | None = None
    limit: int = 500
    offset: int = 0


@dataclass(frozen=True, slots=True)
class IssueRequest:
    """What the issue form submits (签发文书)."""

    case_id: str
    kind: str
    values: Mapping[str, str] = field(default_factory=dict)
    grade: str | None = None
    allow_missing_glyphs: bool = False


@dataclass(frozen=True, slots=True)
class SlipForm:
    """What the issue form needs: the kind, values taken from the case, units to choose from."""

    kind: SlipKind
    case_id: str
    case_code: str
    case_title: str
    values: Mapping[str, str]
    units: tuple[tuple[str, str], ...]  # (id, name)


@dataclass(frozen=True, slots=True)
class IssueResult:
    """An issued slip, its PDF and what changed."""

    slip: SlipInfo
    rendered: RenderedPdf
    changes: Changes


@dataclass(frozen=True, slots=True)
class PrintJob:
    """A slip rendered for printing: original (first print) or 补打."""

    slip: SlipInfo
    rendered: RenderedPdf
    reprint: bool
