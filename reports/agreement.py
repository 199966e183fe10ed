"""The 人民调解协议书 and the 调解通知书, printed through the slip PDF engine.

Both documents are turned into a :class:`~services.slips.dto.SlipDocument` (the agreement as a
table form, the notice as a notice) and rendered by the same renderer as the slips, so fonts,
per-glyph fallback, 缺字 checks and GB/T 9704 margins are shared.
"""

from __future__ import annotations

from collections.abc import Callable

from services.rooms.dto import AgreementDocument, AgreementParty, NoticeDocument, RoomPrintJob
from services.slips.dto import RenderedPdf, RenderOptions, SignLine, SlipDocument, SlipLine

Renderer = Callable[[SlipDocument, RenderOptions], RenderedPdf]
BLANK = "＿＿＿＿"
PARTY_HINT = "（签名盖章或按指印）"


def _party(p: AgreementParty) -> str:
    return (f"姓名：{p.name}　性别：{p.gender or BLANK}　民族：{BLANK}　年龄：{p.age or BLANK}\n"
            f"职业或职务：{BLANK}　联系方式：{p.phone or BLANK}\n"
            f"单位或住址：{p.address or BLANK}")  # fmt: skip


def agreement_slip(doc: AgreementDocument) -> SlipDocument:
    """The agreement laid out per research/domain.md §2.4 (MOJ 2010 文书格式)."""
    rows = [SlipLine(f"当事人（{p.role}）", _party(p)) for p in doc.parties]
    terms = "\n".join(f"{i}. {t}" for i, t in enumerate(doc.terms, 1))
    rows += [SlipLine("纠纷主要事实、争议事项", doc.facts),
             SlipLine("经调解，自愿达成如下协议", terms),
             SlipLine("履行方式、时限", doc.performance or BLANK)]  # fmt: skip
    if doc.oral:
        notes = ["当事人达成口头协议，经当事人确认，登记备查。"]
    else:
        notes = [f"本协议一式{doc.copies}份，当事人、人民调解委员会各持一份。",
                 "本协议经当事人签名（盖章或按指印）、人民调解员签名并加盖人民调解委员会印章后"
                 "生效。"]  # fmt: skip
    # one line per person signing by hand, with the name printed; kept with the seal and
    # spaced to sign and press a fingerprint
    signs = [SignLine(f"当事人（{p.role}）", p.name, PARTY_HINT) for p in doc.parties]
    signs += [SignLine("人民调解员", name) for name in [n for n in doc.mediators if n] or [""]]
    signs += [SignLine("记录人", doc.recorder)]
    return SlipDocument(
        kind="mediation_agreement",
        title="人民调解口头协议登记表" if doc.oral else "人民调解协议书",
        layout="form", issuer=doc.committee, number=doc.number, case_code=doc.case_code,
        date_text=doc.date_text, rows=tuple(rows), notes=tuple(notes), sign_lines=tuple(signs),
    )  # fmt: skip


def notice_slip(doc: NoticeDocument) -> SlipDocument:
    """A 调解通知书 addressed to one party."""
    mediators = "、".join(doc.mediators) or "本委员会指定的人民调解员"
    paragraphs: tuple[str, ...] = (
        f"关于“{doc.title}”一事，本委员会定于{doc.when_text}在{doc.room_name}进行调解，"
        f"由{mediators}主持。请准时参加。",
        "请携带本人居民身份证及与纠纷有关的证据材料；委托他人参加的，请携带授权委托书。"
        "如不能按时参加，请提前告知本委员会。",
    )
    contact = "；".join(part for part in (
        f"地址：{doc.centre_address}" if doc.centre_address else "",
        f"联系电话：{doc.centre_phone}" if doc.centre_phone else "") if part)  # fmt: skip
    if contact:
        paragraphs += (contact + "。",)
    return SlipDocument(
        kind="mediation_notice", title="调解通知书", layout="notice", issuer=doc.issuer,
        number=doc.number, case_code=doc.case_code, date_text=doc.date_text,
        addressee=doc.addressee, paragraphs=paragraphs,
    )  # fmt: skip


def _default_renderer() -> Renderer:
    from reports.slips import render_slip

    return render_slip


def render_agreement(doc: AgreementDocument, options: RenderOptions | None = None,
                     renderer: Renderer | None = None) -> RenderedPdf:  # fmt: skip
    """PDF bytes of the agreement (or the oral-agreement register form)."""
    render = renderer or _default_renderer()
    return render(agreement_slip(doc), options or RenderOptions())


def render_notice(doc: NoticeDocument, options: RenderOptions | None = None,
                  renderer: Renderer | None = None) -> RenderedPdf:  # fmt: skip
    """PDF bytes of one party's 调解通知书."""
    render = renderer or _default_renderer()
    return render(notice_slip(doc), options or RenderOptions())


def render_print_job(job: RoomPrintJob, *, allow_missing_glyphs: bool = False,
                     renderer: Renderer | None = None) -> RenderedPdf:  # fmt: skip
    """PDF bytes of a numbered room document as issued; marked 补打 from the second print on."""
    options = RenderOptions(reprint_note=job.reprint_note,
                            allow_missing_glyphs=allow_missing_glyphs)  # fmt: skip
    if job.agreement is not None:
        return render_agreement(job.agreement, options, renderer)
    assert job.notice is not None
    return render_notice(job.notice, options, renderer)
