"""The FHIR code tables (checklists/codes/fhir.yaml): loaded once, checked against the vocabulary.

The tables are data so that an informatician can correct a LOINC code or add one for a field
without Python. A document type or field left out, a code that is not LOINC-shaped, or a
value kind that does not fit the field's type in `extractors.vocabulary.Fields` fails at
load, never as a wrongly coded resource sent to a coordinator's system.
"""

from __future__ import annotations

import re
import types
import typing
from functools import cache
from pathlib import Path
from typing import Literal

import yaml
from pydantic import BaseModel, ConfigDict, Field, field_validator, model_validator

from extractors.vocabulary import FIELD_NAMES, DocType, Fields

TABLES = Path(__file__).resolve().parent / "codes" / "fhir.yaml"
LOINC = "http://loinc.org"
UCUM = "http://unitsofmeasure.org"
_LOINC_CODE = re.compile(r"^\d{1,7}-\d$")
_DICOM_MODALITY = re.compile(r"^[A-Z]{2,3}$")
DICOM_DCM = "http://dicom.nema.org/resources/ontology/DCM"

ValueKind = Literal["quantity", "integer", "coded", "text"]
Category = Literal["laboratory", "imaging", "procedure", "survey", "exam", "therapy", "vital-signs"]


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class LoincCode(_Strict):
    loinc: str | None
    display: str = ""

    @field_validator("loinc")
    @classmethod
    def _loinc_shaped(cls, v: str | None) -> str | None:
        if v is not None and not _LOINC_CODE.match(v):
            raise ValueError(f"{v!r} is not a LOINC code (digits, a dash, a check digit)")
        return v

    @model_validator(mode="after")
    def _named(self) -> LoincCode:
        if self.loinc and not self.display:
            raise ValueError(f"LOINC {self.loinc} needs its display name")
        return self


class DocumentCode(LoincCode):
    by_modality: dict[str, LoincCode] = Field(default_factory=dict)

    def for_modality(self, modality: str | None) -> LoincCode:
        """The code for a document of this type made with `modality` (case-insensitive)."""
        wanted = (modality or "").casefold()
        for name, code in self.by_modality.items():
            if name.casefold() == wanted:
                return code
        return self


class FieldCode(LoincCode):
    display: str = Field(min_length=1)
    value: ValueKind
    unit: str | None = None  # UCUM, for quantities
    category: Category | None = None

    @model_validator(mode="after")
    def _unit_fits(self) -> FieldCode:
        if (self.value == "quantity") != (self.unit is not None):
            raise ValueError("a quantity needs its UCUM unit, and only a quantity has one")
        return self


class Answer(_Strict):
    system: str
    code: str
    display: str


class FhirCodes(_Strict):
    base: str = Field(pattern=r"^https?://[^\s/]+(/[^\s]*)?$")
    documents: dict[DocType, DocumentCode]
    fields: dict[str, FieldCode]
    answers: dict[Literal["positive", "negative"], Answer]
    modalities: dict[str, tuple[str, ...]]

    @field_validator("modalities")
    @classmethod
    def _dicom_codes(cls, v: dict[str, tuple[str, ...]]) -> dict[str, tuple[str, ...]]:
        for name, codes in v.items():
            if not codes or not all(_DICOM_MODALITY.match(c) for c in codes):
                raise ValueError(f"modalities.{name}: give DICOM modality codes (CT, MR, PT)")
        return v

    @model_validator(mode="after")
    def _complete(self) -> FhirCodes:
        missing_types = [t.value for t in DocType if t not in self.documents]
        if missing_types:
            raise ValueError(f"documents: no entry for {', '.join(missing_types)}")
        unknown = [n for n in self.fields if n not in FIELD_NAMES]
        if unknown:
            raise ValueError(f"fields: {', '.join(unknown)} not fields of the vocabulary")
        missing = [n for n in FIELD_NAMES if n not in self.fields]
        if missing:
            raise ValueError(f"fields: no entry for {', '.join(missing)}")
        for name, spec in self.fields.items():
            kind = value_kind(name)
            if spec.value != kind:
                raise ValueError(f"fields.{name}: value is {kind}, not {spec.value}")
        if set(self.answers) != {"positive", "negative"}:
            raise ValueError("answers: give both positive and negative")
        return self

    def dicom_modalities(self, modality: str | None) -> tuple[str, ...]:
        """The DICOM codes of one of our modality words (case-insensitive), or the word itself
        when it is a DICOM code; none for a word we cannot code."""
        wanted = (modality or "").casefold()
        for name, codes in self.modalities.items():
            if name.casefold() == wanted:
                return codes
        return (modality,) if modality and _DICOM_MODALITY.match(modality) else ()

    def url(self, kind: str, name: str) -> str:
        """The address of one of our code systems or extensions under `base`."""
        return f"{self.base.rstrip('/')}/{kind}/{name}"


def value_kind(field: str) -> ValueKind:
    """How a vocabulary field's value is written in FHIR, from its declared type."""
    annotation = Fields.model_fields[field].annotation
    args = [a for a in typing.get_args(annotation) if a is not type(None)]
    inner = args[0] if len(args) == 1 else annotation
    if inner is float:
        return "quantity"
    if inner is int:
        return "integer"
    if typing.get_origin(inner) is Literal and set(typing.get_args(inner)) == {
        "positive",
        "negative",
    }:
        return "coded"
    if (
        inner is str
        or typing.get_origin(inner) in (list, types.UnionType)
        or (typing.get_origin(inner) is Literal)
    ):
        return "text"
    raise ValueError(f"field {field}: no FHIR value kind for {annotation!r}")


def load_codes(path: Path = TABLES) -> FhirCodes:
    with path.open(encoding="utf-8") as fh:
        return FhirCodes.model_validate(yaml.safe_load(fh))


@cache
def fhir_codes() -> FhirCodes:
    return load_codes()
