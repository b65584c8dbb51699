"""Job rows queued by the release before named jobs: they named a function by import path and
carried its one argument in that release's own JSON codec.

A queue drained across the upgrade must still run, so a worker maps those four paths to
today's names and turns the old argument into today's payload. Nothing else of the old
codec survives: it decodes to plain data (dicts, lists, bytes) and never imports or builds
a class a message names; the payload model then validates it like any other payload.
"""

from __future__ import annotations

import base64
import json
from typing import Any

from intake.jobs.registry import JobSpec, get

# Import path in a row of the previous release -> the registered name of the same job.
LEGACY_NAMES: dict[str, str] = {
    "ui.batch.work:plan_file": "read.plan",
    "ui.batch.work:ocr_page": "read.ocr_page",
    "ui.batch.work:find_documents": "understand.documents",
    "ui.app.pipeline:warm_up": "app.warm_up",
}

# The old codec's markers (intake.jobs.celery_pool.to_plain of that release).
_DC, _TUPLE, _DICT, _BYTES = "__dataclass__", "__tuple__", "__dict__", "__bytes__"


def is_legacy(name: str) -> bool:
    return name in LEGACY_NAMES


def legacy_job(name: str, raw: str) -> tuple[JobSpec, Any]:
    """The job and the payload (plain data, not yet validated) of an old row."""
    spec = get(LEGACY_NAMES[name])
    return spec, fit(spec, decode(json.loads(raw)))


def decode(obj: Any) -> Any:
    """Plain data from the old codec: a dataclass becomes the dict of its fields."""
    if isinstance(obj, list):
        return [decode(v) for v in obj]
    if not isinstance(obj, dict):
        return obj
    if _DICT in obj and len(obj) == 1:
        return {k: decode(v) for k, v in obj[_DICT].items()}
    if _TUPLE in obj and len(obj) == 1:
        return [decode(v) for v in obj[_TUPLE]]
    if _BYTES in obj and len(obj) == 1:
        return base64.b64decode(obj[_BYTES])
    if _DC in obj:
        return {k: decode(v) for k, v in obj.get("fields", {}).items()}
    return {k: decode(v) for k, v in obj.items()}


def fit(spec: JobSpec, argument: Any) -> Any:
    """The old single argument in the shape of the new payload model: nothing for a payload
    without fields, wrapped in the field of a one-field payload, else as it is (a dataclass
    whose fields are the payload's)."""
    fields = list(spec.payload.model_fields)
    if not fields:
        return {}
    if len(fields) == 1:
        return {fields[0]: argument}
    return argument
