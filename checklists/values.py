"""Reading a document's fields against a requirement: candidate selection and value checks."""

from __future__ import annotations

import re

from checklists.models import Check, Criteria
from extractors.vocabulary import Document

FIELD_LABELS: dict[str, str] = {
    "sex": "sex",
    "modality": "scan type",
    "body_region": "body region",
    "lvef_percent": "LVEF (%)",
    "fev1_percent_predicted": "FEV1 (% predicted)",
    "ecog": "ECOG",
    "anc_per_uL": "ANC (/uL)",
    "platelets_per_uL": "platelets (/uL)",
    "hemoglobin_g_dL": "hemoglobin (g/dL)",
    "creatinine_mg_dL": "creatinine (mg/dL)",
    "crcl_mL_min": "CrCl (mL/min)",
    "bilirubin_mg_dL": "bilirubin (mg/dL)",
    "alt_U_L": "ALT (U/L)",
    "ast_U_L": "AST (U/L)",
    "hiv": "HIV",
    "hbsag": "HBsAg",
    "hcv_ab": "HCV antibody",
    "pregnancy": "pregnancy test",
    "hla_a": "HLA-A",
    "diagnosis": "diagnosis",
    "cd19": "CD19",
    "bcma": "BCMA",
    "mage_a4": "MAGE-A4",
    "ss18": "SS18 rearrangement",
    "pd_l1": "PD-L1 (%)",
    "prior_lines": "number of prior treatment lines",
    "regimens": "regimens",
}


def label(field: str) -> str:
    return FIELD_LABELS.get(field, field)


def _tokens(value: object) -> set[str]:
    items = value if isinstance(value, list) else [value]
    out: set[str] = set()
    for item in items:
        text = str(item).strip().lower()
        out.add(text)
        # "chest/abdomen/pelvis" or "brain and orbits" names several regions; "PET-CT" stays whole.
        out.update(t.strip() for t in re.split(r"/|,|;|\band\b|\+", text) if t.strip())
    return out


def where_match(doc: Document, criteria: Criteria) -> bool | None:
    """True: the document fits every field condition; False: it states a different value;
    None: a condition's field was not read from the document."""
    unknown = False
    for field, wanted in criteria.where.items():
        value = getattr(doc.fields, field)
        if value is None or value == []:
            unknown = True
            continue
        if not _tokens(value) & {w.strip().lower() for w in wanted}:
            return False
    return None if unknown else True


def missing_fields(doc: Document, criteria: Criteria) -> list[str]:
    """Labels of required fields (or any-of groups) the document does not state."""
    out: list[str] = []
    for entry in criteria.present:
        group = [entry] if isinstance(entry, str) else entry
        if all(getattr(doc.fields, f) in (None, []) for f in group):
            out.append(" or ".join(label(f) for f in group))
    return out


def _norm(v: object) -> str:
    return re.sub(r"\s+", "", str(v)).upper()


def _targets(target: float | str | list[str]) -> set[str]:
    """A set rule's values, normalised; a single value written without a list is a set of one."""
    return {_norm(t) for t in (target if isinstance(target, list) else [target])}


def check_passes(check: Check, value: object) -> bool | None:
    """True/False for a stated value; None when the value is not stated."""
    if value is None or value == []:
        return None
    op, target = check.op, check.value
    if op in ("contains_any", "contains_none"):
        have = {_norm(v) for v in (value if isinstance(value, list) else [value])}
        hit = bool(have & _targets(target))
        return hit if op == "contains_any" else not hit
    if op in ("in", "not_in"):
        inside = _norm(value) in _targets(target)
        return inside if op == "in" else not inside
    if isinstance(target, float) and isinstance(value, int | float):
        v = float(value)
        return {
            ">=": v >= target,
            ">": v > target,
            "<=": v <= target,
            "<": v < target,
            "==": v == target,
            "!=": v != target,
        }[op]
    same = _norm(value) == _norm(target)
    if op == "==":
        return same
    if op == "!=":
        return not same
    return False


def show(value: object) -> str:
    if isinstance(value, float) and value.is_integer():
        return f"{int(value):,}" if abs(value) >= 10000 else str(int(value))
    if isinstance(value, list):
        return ", ".join(map(str, value))
    return str(value)


def failed_check_text(check: Check, value: object) -> str:
    words = {
        ">=": "below the minimum of",
        ">": "not above",
        "<=": "above the maximum of",
        "<": "not below",
        "==": "not",
        "!=": "equal to",
    }
    name = label(check.field)
    if check.op == "contains_any":
        return f"{name} {show(value)} includes none of {show(check.value)}"
    if check.op == "contains_none":
        return f"{name} {show(value)} includes an excluded allele ({show(check.value)})"
    if check.op in ("in", "not_in"):
        return f"{name} {show(value)} is {'not ' if check.op == 'in' else ''}one of {show(check.value)}"
    return f"{name} {show(value)} is {words[check.op]} {show(check.value)}"
