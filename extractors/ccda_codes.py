"""The C-CDA code tables (ccda_codes.yaml): loaded once and checked against the vocabulary.

The tables are data so that a coordinator or an informatician can add a local document
code or a lab's LOINC variant without Python; a typo in a type, a field or a section kind
fails at load, not silently on a patient's record.
"""

from __future__ import annotations

from functools import cache
from pathlib import Path
from typing import Literal

import yaml
from pydantic import BaseModel, ConfigDict, Field, model_validator

from extractors.vocabulary import FIELD_NAMES, DocType

TABLES = Path(__file__).with_name("ccda_codes.yaml")

SectionKind = Literal["results", "problems", "medications", "procedures", "vitals", "other"]
Qualitative = Literal["negative", "positive"]
# Fields a coded result can fill, and how: by a quantity in a unit, or by a coded answer.
QUANTITY_FIELDS = {
    "hemoglobin_g_dL",
    "platelets_per_uL",
    "anc_per_uL",
    "creatinine_mg_dL",
    "crcl_mL_min",
    "bilirubin_mg_dL",
    "alt_U_L",
    "ast_U_L",
    "lvef_percent",
    "fev1_percent_predicted",
}
STATUS_FIELDS = {"hiv", "hbsag", "hcv_ab", "pregnancy", "cd19", "bcma", "mage_a4"}
SCORE_FIELDS = {"ecog"}


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class DocumentCode(_Strict):
    type: DocType
    split: tuple[SectionKind, ...] = ()


class FieldCodes(_Strict):
    codes: tuple[str, ...]
    units: dict[str, float] = Field(default_factory=dict)
    answers: dict[str, int] = Field(default_factory=dict)


class Answers(_Strict):
    codes: tuple[str, ...]
    words: tuple[str, ...]


class CodeTables(_Strict):
    documents: dict[str, DocumentCode]
    templates: dict[str, str]
    sections: dict[str, SectionKind]
    section_titles: dict[SectionKind, tuple[str, ...]]
    fields: dict[str, FieldCodes]
    qualitative: dict[Qualitative, Answers]
    cancer_words: tuple[str, ...]
    not_record_numbers: tuple[str, ...]

    @model_validator(mode="after")
    def _consistent(self) -> CodeTables:
        for root, code in self.templates.items():
            if code not in self.documents:
                raise ValueError(f"templates.{root}: {code} is not in documents")
        seen: dict[str, str] = {}
        for name, spec in self.fields.items():
            if name not in FIELD_NAMES:
                raise ValueError(f"fields.{name}: not a field of the vocabulary")
            if name in QUANTITY_FIELDS and not spec.units:
                raise ValueError(f"fields.{name}: a quantity needs its units")
            if name in SCORE_FIELDS and not spec.answers:
                raise ValueError(f"fields.{name}: a score needs its coded answers")
            if name not in QUANTITY_FIELDS | STATUS_FIELDS | SCORE_FIELDS:
                raise ValueError(f"fields.{name}: not a field a coded result can fill")
            for code in spec.codes:
                if code in seen:
                    raise ValueError(f"fields.{name}: {code} is already {seen[code]}")
                seen[code] = name
        return self

    def field_of(self, code: str) -> str | None:
        for name, spec in self.fields.items():
            if code in spec.codes:
                return name
        return None


def load_tables(path: Path = TABLES) -> CodeTables:
    with path.open(encoding="utf-8") as fh:
        return CodeTables.model_validate(yaml.safe_load(fh))


@cache
def code_tables() -> CodeTables:
    return load_tables()
