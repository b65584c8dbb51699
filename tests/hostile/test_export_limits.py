"""Hostile export files: entity bombs, external entities, deep XML, huge portal indexes and
DICOMDIR loops each come back as a per-file result in bounded time, reading nothing outside."""

from __future__ import annotations

import pytest
from fuzz.harness import run_one, verdict

from extractors.errors import FileErrorCode
from extractors.limits import Limits
from extractors.vocabulary import FileText
from hostile import builders

pytestmark = pytest.mark.filterwarnings("ignore::UserWarning")


def read(name: str, data: bytes) -> list[FileText]:
    result = run_one(name, data, Limits())
    assert verdict(name, result) == []
    return [FileText.model_validate(r) for r in result.value or []]


@pytest.mark.parametrize("build", [builders.ccda_entity_bomb, builders.ccda_external_entity])
def test_a_ccda_with_a_dtd_is_refused_without_expanding_or_fetching(build: object) -> None:
    (ft,) = read("portal.xml", build())  # type: ignore[operator]
    assert ft.status == "error" and ft.error is not None
    assert ft.error.code is FileErrorCode.UNSUPPORTED and "portal.xml" in ft.error.message
    assert "lollol" not in ft.model_dump_json()


def test_xml_nested_past_the_parsers_depth_is_corrupt() -> None:
    (ft,) = read("deep.xml", builders.ccda_deep())
    assert ft.status == "error" and ft.error is not None and ft.error.code is FileErrorCode.CORRUPT


def test_a_huge_xdm_index_costs_the_hints_not_the_documents() -> None:
    texts = read("portal.zip", builders.xdm_huge_index())
    assert [t.file for t in texts] == ["portal.zip/IHE_XDM/SUBSET01/DOC0001.XML"]
    assert texts[0].status == "ok"


def test_a_dicomdir_whose_records_loop_is_walked_once() -> None:
    (ft,) = read("DICOMDIR", builders.dicomdir_loop())
    assert ft.status in ("ok", "error")
    if ft.status == "ok":
        record = ft.pages[0].record
        assert record is not None and len(record.studies) <= 1
