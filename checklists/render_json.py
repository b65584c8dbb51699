"""The report as JSON (`recordready check --format json`)."""

from __future__ import annotations

import json
from typing import Any

from checklists.patient_words import DEFAULT_LANGUAGE
from checklists.report import Report
from checklists.requests import records_requests
from checklists.wording import View

# Keys of an item only a coordinator needs; the patient view leaves them out.
_COORDINATOR_ITEM_KEYS = ("coordinator_hint", "values", "confidence", "institution")


def report_dict(
    report: Report, view: View = "coordinator", language: str = DEFAULT_LANGUAGE
) -> dict[str, Any]:
    data = report.model_dump(mode="json")
    if view == "patient":
        for item in data["items"]:
            for key in _COORDINATOR_ITEM_KEYS:
                item.pop(key, None)
    data["records_requests"] = [
        r.model_dump(mode="json") for r in records_requests(report, language)
    ]
    return data


def render_json(
    report: Report, view: View = "coordinator", language: str = DEFAULT_LANGUAGE
) -> str:
    return json.dumps(report_dict(report, view, language), indent=2, ensure_ascii=False) + "\n"
