"""The classifier's phrase tables are YAML data: they load, and a malformed table is refused."""

from __future__ import annotations

import pytest

from extractors.classify_signals import (
    EN_SIGNALS,
    ZH_SIGNALS,
    PhraseTableError,
    parse_phrase_table,
)
from extractors.vocabulary import DocType


def test_shipped_tables_cover_every_document_type() -> None:
    assert {s.doc_type for s in EN_SIGNALS} == set(DocType)
    assert any(s.phrase == "出院小结" for s in ZH_SIGNALS)
    assert all(s.weight > 0 for s in EN_SIGNALS + ZH_SIGNALS)


def test_a_table_loads_as_signals() -> None:
    signals = parse_phrase_table("lab_results:\n  title:\n    blood count report: 6\n")
    assert [(s.phrase, s.doc_type, s.weight, s.kind) for s in signals] == [
        ("blood count report", DocType.LAB_RESULTS, 6.0, "title")
    ]


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("lab_result:\n  title:\n    x: 1\n", "unknown document type"),
        ("lab_results:\n  heading:\n    x: 1\n", "kinds must be among"),
        ("lab_results:\n  title:\n    x: 0\n", "weight must be"),
        ("lab_results:\n  title:\n    x: 30\n", "weight must be"),
        ("lab_results:\n  title:\n    x: high\n", "weight must be"),
        ("lab_results:\n  title:\n    x: 1\n    x: 2\n", "given twice"),
        ("lab_results:\n  title:\n    '  ': 1\n", "non-empty"),
        ("- a list\n", "mapping of document types"),
    ],
)
def test_a_malformed_table_is_refused_with_the_reason(text: str, message: str) -> None:
    with pytest.raises(PhraseTableError, match=message):
        parse_phrase_table(text, "table.yaml")
