"""What an imaging or heart study examined: modality and body region, read from the exam
line first, then the top of the report."""

from __future__ import annotations

import re

from extractors.vocabulary import DocType

_MODALITIES: list[tuple[str, str]] = [
    ("PET-CT", r"pet\s*[-/ ]?\s*ct|pet\s+scan|fdg[- ]pet|pet/ct|18f-fdg|petct|正电子"),
    ("MUGA", r"muga|multi-?gated\s+acquisition|radionuclide\s+ventriculogra"),
    ("echo", r"echocardiogra|\becho\b|\btte\b|\btee\b|超声心动|心脏彩超|心脏超声"),
    ("ECG", r"electrocardiogra|\becg\b|\bekg\b|心电图"),
    ("MRI", r"\bmri\b|\bMR\s+(?:brain|head|spine|angiogra)|magnetic\s+resonance|磁共振|\bmra\b"),
    ("CT", r"\bct\b|\bcta\b|computed\s+tomograph|\bcat\s+scan|[^a-z]ct(?=[^a-z]|$)"),
    ("bone scan", r"bone\s+scan|skeletal\s+scintigra|骨扫描"),
    ("ultrasound", r"ultrasound|sonogra|\bus\b|doppler|超声"),
    ("X-ray", r"x-?ray|radiograph|\bcxr\b|chest\s+film|\bviews?\b|x线|平片"),
]


_EXAM_LINE = re.compile(
    r"(?:^|\n)[ \t]*(?:exam(?:ination)?|study|procedure|test|examination\s+performed|scan|modality|"
    r"检查(?:项目|名称|方法|部位)?)[ \t]*(?:[:：][ \t]*([^\n]+)|\n[ \t]*([^\n]+))",
    re.I,
)


def _exam_lines(text: str) -> list[str]:
    """What was examined: 'EXAM: CT chest', or 'Exam' with the study on the next line."""
    return [m.group(1) or m.group(2) for m in _EXAM_LINE.finditer(text)]


def _head(text: str, lines: int) -> str:
    # The top of the page without identity lines ("Mr", "MRN" are not imaging words).
    return "\n".join(
        line
        for line in text.splitlines()[:lines]
        if not re.search(r"patient|name|d\.?o\.?b|mrn|birth|hospital\s+no|姓名", line, re.I)
    )


def read_modality(text: str, doc_type: DocType) -> str | None:
    for region in [*_exam_lines(text), _head(text, 12), text]:
        for name, pattern in _MODALITIES:
            if doc_type == DocType.IMAGING_REPORT and name in ("echo", "ECG", "MUGA"):
                continue
            if doc_type == DocType.CARDIAC_FUNCTION and name not in ("echo", "ECG", "MUGA", "MRI"):
                continue
            if re.search(pattern, region, re.I):
                return name
    return None


_REGIONS: list[tuple[str, str]] = [
    ("brain", r"brain|head\b|cranial|intracranial|头颅|颅脑|脑"),
    ("neck", r"neck|颈部"),
    ("chest", r"chest|thorax|thoracic|lungs?\b|胸部|胸"),
    ("abdomen", r"abdomen|abdominal|腹部|腹"),
    ("pelvis", r"pelvis|pelvic|盆腔"),
    ("spine", r"spine|spinal|脊柱"),
]


_WHOLE_BODY = r"whole[- ]body|skull\s+base\s+to\s+(?:mid-?)?thigh|vertex\s+to\s+(?:mid-?)?thighs?|eyes\s+to\s+thighs|全身"


def read_body_region(text: str) -> str | None:
    for region in [*_exam_lines(text), _head(text, 10)]:
        if re.search(_WHOLE_BODY, region, re.I):
            return "whole body"
        named = [name for name, pattern in _REGIONS if re.search(pattern, region, re.I)]
        if re.search(r"\bcap\b|c/a/p", region, re.I):
            named = ["chest", "abdomen", "pelvis"]
        if named:
            if named == ["brain", "neck"]:
                return "head/neck"
            return "/".join(named)
    return None
