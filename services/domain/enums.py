"""Shared vocabularies (StrEnum) and their Chinese labels, in one place (STYLE rule 41).

The workflow validates against these, the forms in views/ offer them, and anything shown to a
person goes through :func:`label` or :func:`payload_text`, so no raw code reaches a screen.
"""

from __future__ import annotations

from collections.abc import Mapping
from enum import StrEnum
from types import MappingProxyType


class RiskColour(StrEnum):
    """风险等级 (三色/四色预警)."""

    GREEN = "green"
    YELLOW = "yellow"
    ORANGE = "orange"
    RED = "red"


class HandlingLevel(StrEnum):
    """办理层级."""

    VILLAGE = "village"
    TOWNSHIP = "township"
    COUNTY = "county"


class SupervisionLevel(StrEnum):
    """督办等级."""

    NONE = "none"
    REMINDER = "reminder"
    YELLOW = "yellow"
    RED = "red"


class ClosureType(StrEnum):
    """办结类型."""

    NORMAL = "normal"
    TERMINATED_MEDIATION = "terminated_mediation"
    EVALUATION_TIMEOUT = "evaluation_timeout"
    COUNTY_CLOSED = "county_closed"


class Evaluation(StrEnum):
    """群众评价."""

    SATISFIED = "satisfied"
    BASICALLY = "basically"
    DISSATISFIED = "dissatisfied"


class MediationResult(StrEnum):
    """调解结果."""

    REACHED = "reached"
    NOT_REACHED = "not_reached"
    CONTINUING = "continuing"


class RevisitOutcome(StrEnum):
    """回访结果."""

    OK = "ok"
    RECURRED = "recurred"


# Labels per vocabulary: StrEnum members compare equal to their strings, so RiskColour.YELLOW
# and SupervisionLevel.YELLOW must not share one dict.
_LABELS: Mapping[type[StrEnum], Mapping[str, str]] = MappingProxyType(
    {
        RiskColour: {
            RiskColour.GREEN: "绿色",
            RiskColour.YELLOW: "黄色",
            RiskColour.ORANGE: "橙色",
            RiskColour.RED: "红色",
        },
        HandlingLevel: {
            HandlingLevel.VILLAGE: "村(社区)",
            HandlingLevel.TOWNSHIP: "乡镇(街道)",
            HandlingLevel.COUNTY: "县(区)",
        },
        SupervisionLevel: {
            SupervisionLevel.NONE: "无",
            SupervisionLevel.REMINDER: "提醒",
            SupervisionLevel.YELLOW: "黄色督办",
            SupervisionLevel.RED: "红色督办",
        },
        ClosureType: {
            ClosureType.NORMAL: "正常办结",
            ClosureType.TERMINATED_MEDIATION: "终止调解",
            ClosureType.EVALUATION_TIMEOUT: "评价超时办结",
            ClosureType.COUNTY_CLOSED: "县级办结",
        },
        Evaluation: {
            Evaluation.SATISFIED: "满意",
            Evaluation.BASICALLY: "基本满意",
            Evaluation.DISSATISFIED: "不满意",
        },
        MediationResult: {
            MediationResult.REACHED: "达成",
            MediationResult.NOT_REACHED: "未达成",
            MediationResult.CONTINUING: "继续调解",
        },
        RevisitOutcome: {
            RevisitOutcome.OK: "已解决",
            RevisitOutcome.RECURRED: "问题反复，重新受理",
        },
    }
)

# Reference dictionaries (resources/reference/dictionaries.json) that name a workflow vocabulary:
# the enum is the one source of the codes, and the loader refuses a file that disagrees.
REFERENCE_VOCABULARIES: Mapping[str, type[StrEnum]] = MappingProxyType(
    {
        "colours": RiskColour,
        "handling_levels": HandlingLevel,
        "supervision_levels": SupervisionLevel,
        "closure_types": ClosureType,
        "evaluations": Evaluation,
        "mediation_results": MediationResult,
    }
)

# Which vocabulary a coded value of an action's payload belongs to ("result" is coded only for
# 调解结果; a 反馈's result is free text and stays as typed).
PAYLOAD_VOCABULARIES: Mapping[str, type[StrEnum]] = MappingProxyType(
    {
        "risk_colour": RiskColour,
        "handling_level": HandlingLevel,
        "level": SupervisionLevel,
        "closure_type": ClosureType,
        "evaluation": Evaluation,
        "result": MediationResult,
        "outcome": RevisitOutcome,
    }
)


def label(value: StrEnum) -> str:
    """The Chinese label of a vocabulary value."""
    return _LABELS[type(value)][value]


def choices(vocabulary: type[StrEnum], skip: tuple[str, ...] = ()) -> tuple[tuple[str, str], ...]:
    """(code, label) pairs for a form's combo box, in the vocabulary's order."""
    labels = _LABELS[vocabulary]
    return tuple((v.value, labels[v]) for v in vocabulary if v.value not in skip)


def payload_text(key: str, value: object) -> str:
    """How one payload value reads in the case timeline: labels for codes, 同意/不同意 for a
    decision, everything else as entered."""
    if isinstance(value, bool):
        return "同意" if value else "不同意"
    vocabulary = PAYLOAD_VOCABULARIES.get(key)
    if vocabulary is not None and isinstance(value, str):
        # free text under a coded key (a 反馈's result) stays as typed
        return _LABELS[vocabulary].get(value, value)
    return str(value)
