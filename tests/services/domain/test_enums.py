"""Every vocabulary value has one Chinese label, and the workflow validates the same codes."""

from __future__ import annotations

from enum import StrEnum

import pytest

from services.domain import enums, workflow

VOCABULARIES: list[tuple[type[StrEnum], tuple[str, ...]]] = [
    (enums.RiskColour, workflow.COLOURS),
    (enums.HandlingLevel, workflow.LEVELS),
    (enums.SupervisionLevel, workflow.SUPERVISION_LEVELS),
    (enums.ClosureType, workflow.CLOSURE_TYPES),
    (enums.Evaluation, workflow.EVALUATIONS),
    (enums.MediationResult, workflow.MEDIATION_RESULTS),
    (enums.RevisitOutcome, workflow.REVISIT_OUTCOMES),
]


@pytest.mark.parametrize(("vocabulary", "codes"), VOCABULARIES)
def test_each_value_has_a_chinese_label_and_the_workflow_knows_it(
    vocabulary: type[StrEnum], codes: tuple[str, ...]
) -> None:
    assert tuple(v.value for v in vocabulary) == codes
    labels = [enums.label(v) for v in vocabulary]
    assert all(label and not label.isascii() for label in labels)
    assert [code for code, _ in enums.choices(vocabulary)] == list(codes)


def test_same_code_in_two_vocabularies_keeps_its_own_label() -> None:
    assert enums.payload_text("risk_colour", "yellow") == "黄色"
    assert enums.payload_text("level", "yellow") == "黄色督办"


def test_free_text_and_plain_values_read_as_entered() -> None:
    assert enums.payload_text("result", "已协调退还押金") == "已协调退还押金"
    assert enums.payload_text("days", 5) == "5"
    assert enums.payload_text("approved", True) == "同意"


@pytest.mark.parametrize(
    ("dictionary", "vocabulary"),
    [("colours", enums.RiskColour), ("handling_levels", enums.HandlingLevel)],
)
def test_the_registration_form_offers_the_codes_the_workflow_knows(
    dictionary: str, vocabulary: type[StrEnum]
) -> None:
    """The 登记 form lists these from the shipped reference dictionary, the case actions from the
    vocabulary: the same codes, in the same order, so both screens store what the other reads."""
    from services.reference.data import default_reference

    offered = [o.code for o in default_reference().options(dictionary)]
    assert offered == [v.value for v in vocabulary]
