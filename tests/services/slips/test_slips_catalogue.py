"""Slip kinds as data: the shipped catalogue, county overrides and bad files."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from services.domain.errors import ServiceError
from services.domain.workflow import Action
from services.slips.kinds import load_catalogue

REQUIRED_KINDS = {
    "acceptance": ("受理告知单", None),
    "assignment": ("交办单", "assign"),
    "supervision": ("督办单", "supervise"),
    "risk_warning": ("风险预警单", "warn"),
    "report_up": ("呈报单", "escalate"),
    "feedback": ("反馈单", "feedback"),
    "rejection": ("不予受理告知书", "reject"),
    "reminder_letter": ("提醒函", None),
    "supervision_letter": ("督办函", None),
}


def write(directory: Path, data: dict[str, Any]) -> Path:
    directory.mkdir(parents=True, exist_ok=True)
    (directory / "kinds.json").write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
    return directory


def test_shipped_catalogue_has_every_slip_kind() -> None:
    cat = load_catalogue()
    assert cat.number_format == "{agency}{series}〔{year}〕{seq}号"
    for code, (title, action) in REQUIRED_KINDS.items():
        kind = cat.kind(code)
        assert title in kind.title
        assert (kind.action.name if kind.action else None) == action
        assert kind.roles and kind.series
        assert kind.qr
    assert [g.code for g in cat.kind("supervision").grades] == ["yellow", "red"]
    assert [g.code for g in cat.kind("risk_warning").grades] == ["red", "orange", "yellow"]
    assert cat.kind("assignment").stub_rows == ("签收单位", "签收人", "签收时间")
    assert cat.kind("reminder_letter").layout == "letter"
    assert cat.kind("supervision_letter").layout == "letter"
    channels = cat.kind("rejection").field("channels").options
    assert any("人民法院" in c for c in channels) and any("仲裁" in c for c in channels)
    # every payload key an action needs is supplied by a field, a constant or the service
    needs = {"assign": {"unit_id"}, "supervise": {"level", "opinion"},
             "warn": {"risk_colour", "basis"}, "escalate": {"reason"}, "feedback": {"result"},
             "reject": {"reason", "advised_channel"}}  # fmt: skip
    for kind in cat.kinds:
        if kind.action:
            given = {f.payload for f in kind.fields if f.payload}
            given |= {k for k, _ in kind.action.constants}
            assert needs[kind.action.name] <= given, kind.code
            Action(kind.action.name)


def test_county_override_merges_over_the_defaults(tmp_path: Path) -> None:
    override = write(tmp_path / "county", {
        "version": "620123-1",
        "agency_code": "青山综治",
        "number_format": "{agency}{series}〔{year}〕第{seq}号",
        "kinds": [
            {"code": "assignment", "title": "青山镇矛盾纠纷转办交办单",
             "fields": [{"name": "signer", "label": "签发领导"},
                        {"name": "pledge", "label": "承诺事项", "input": "text"},
                        {"name": "co_units", "disabled": True}],
             "rows": ["case_code", "unit", "parties", "summary", "requirement", "due_date",
                      "pledge"]},
            {"code": "reminder_letter", "disabled": True},
            {"code": "mediation_notice", "title": "调解通知书", "series": "调通",
             "layout": "notice", "roles": ["mediator"],
             "fields": [{"name": "who", "label": "当事人", "source": "case.applicant"}],
             "addressee": "who", "body": ["请于约定时间到本中心参加调解。"]},
        ],
    })  # fmt: skip
    cat = load_catalogue(override)

    assert cat.version == "2026.11-1+620123-1"
    assert cat.agency_code == "青山综治"
    kind = cat.kind("assignment")
    assert kind.title == "青山镇矛盾纠纷转办交办单"
    assert kind.field("signer").label == "签发领导" and kind.field("signer").required  # kept
    assert kind.field("pledge").label == "承诺事项"
    assert "co_units" not in [f.name for f in kind.fields]
    assert kind.series == "交" and kind.action and kind.action.name == "assign"  # untouched keys
    assert "reminder_letter" not in [k.code for k in cat.kinds]
    assert cat.kind("mediation_notice").layout == "notice"
    assert cat.kind("supervision").title == "矛盾纠纷督办单"  # other kinds as shipped


def test_no_override_folder_means_the_defaults(tmp_path: Path) -> None:
    assert load_catalogue(tmp_path / "missing") == load_catalogue()


@pytest.mark.parametrize(
    ("override", "fragment"),
    [
        ({"number_format": "{agency}{year}"}, "{seq}"),
        ({"kinds": [{"code": "assignment", "layout": "poster"}]}, "版式"),
        ({"kinds": [{"code": "assignment", "rows": ["nope"]}]}, "nope"),
        ({"kinds": [{"code": "assignment", "roles": ["janitor"]}]}, "roles"),
        (
            {
                "kinds": [
                    {
                        "code": "x",
                        "title": "X",
                        "series": "X",
                        "layout": "form",
                        "roles": ["admin"],
                        "action": {"name": "fly"},
                    }
                ]
            },
            "fly",
        ),
        ({"kinds": [{"code": "rejection", "body": ["{nobody}"]}]}, "nobody"),
        (
            {
                "kinds": [
                    {
                        "code": "supervision",
                        "grades": [{"code": "red", "label": "红", "colour": "red"}],
                    }
                ]
            },
            "#RRGGBB",
        ),
        (
            {
                "kinds": [
                    {"code": "assignment", "fields": [{"name": "unit", "source": "case.secret"}]}
                ]
            },
            "case.secret",
        ),
    ],
)
def test_bad_override_is_refused_naming_the_file(
    tmp_path: Path, override: dict[str, Any], fragment: str
) -> None:
    folder = write(tmp_path, override)
    with pytest.raises(ServiceError) as info:
        load_catalogue(folder)
    assert info.value.code == "slips.invalid"
    assert str(folder / "kinds.json") in info.value.message
    assert fragment in info.value.message


def test_broken_json_is_refused(tmp_path: Path) -> None:
    (tmp_path / "kinds.json").write_text("{", encoding="utf-8")
    with pytest.raises(ServiceError) as info:
        load_catalogue(tmp_path)
    assert "JSON 格式错误" in info.value.message
