"""The patient page and the downloaded report say the same thing about the same item or file
(both take it from checklists/words/en.yaml); the page escapes what came from uploads."""

from __future__ import annotations

import datetime as dt

import pytest

from checklists.patient_words import StatusKey, patient_words
from checklists.report import EvidenceRef, Item, Problem, ProblemKind, Status
from checklists.wording import patient_next_step, patient_problem
from ui.app.theme import esc as escape  # the page's own escaping (HTML and Markdown)
from ui.app.words import file_chip, patient_item_card, problem_card


def _item(status: Status, **kw: object) -> Item:
    base: dict[str, object] = {
        "id": "pet_ct",
        "title": "PET-CT scan report",
        "patient_title": "Your PET-CT scan report",
        "status": status,
        "required": True,
        "accepts": ["imaging_report"],
        "detail": "coordinator detail, never shown to the patient",
        "patient_message": "Ask the imaging center that did your scan for the written report.",
    }
    return Item.model_validate(base | kw)


@pytest.mark.parametrize(
    ("item", "key"),
    [
        (_item(Status.MISSING), StatusKey.MISSING),
        (_item(Status.MISSING, required=False), StatusKey.ADVISORY),
        (_item(Status.STALE, document_date=dt.date(2026, 5, 14)), StatusKey.STALE),
        (_item(Status.STALE), StatusKey.STALE),
        (_item(Status.NEEDS_REVIEW, review_reason="unreadable"), StatusKey.CLEARER_COPY),
        (_item(Status.NEEDS_REVIEW, review_reason="low_confidence"), StatusKey.NEEDS_REVIEW),
        (_item(Status.OUT_OF_RANGE), StatusKey.OUT_OF_RANGE),
        (_item(Status.WAIVED), StatusKey.WAIVED),
    ],
)
def test_item_cards_use_the_reports_words(item: Item, key: StatusKey) -> None:
    card = patient_item_card(item)
    words = patient_words().statuses[key]
    assert escape(words.label) in card and "Your PET-CT scan report" in card
    step = patient_next_step(item)
    assert step and escape(step) in card
    assert "coordinator detail" not in card and "{" not in card


def test_a_received_item_names_its_evidence_escaped() -> None:
    ev = EvidenceRef(file="<script>x</script>.pdf", pages=(2, 3))
    card = patient_item_card(_item(Status.MET, evidence=[ev]))
    assert "&lt;script&gt;" in card and "<script>" not in card and "pages 2–3" in card
    assert escape(patient_words().statuses[StatusKey.RECEIVED].label) in card


@pytest.mark.parametrize("kind", list(ProblemKind))
def test_problem_cards_say_what_the_report_says(kind: ProblemKind) -> None:
    p = Problem(kind=kind, file='<b>"lab".pdf</b>', detail="coordinator detail")
    card = problem_card(p)
    assert escape(patient_problem(p)) in card
    assert escape(patient_words().problems[kind].label) in card
    assert '<b>"lab"' not in card and "coordinator detail" not in card


def test_file_chips_use_the_words_file() -> None:
    states = patient_words().file_states
    for state, label in states.items():
        assert escape(label) in file_chip(state)
    assert "mystery" in file_chip("mystery")
