"""The checklist schema: what a program YAML file may say.

A program is a list of requirements; a requirement names the document types that can
satisfy it, optional conditions on the document's fields and on the patient, a recency
window, value checks, and the words shown to patients and coordinators. Exported as JSON
Schema by `recordready schema` (program.schema.json).
"""

from __future__ import annotations

import re
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, field_validator, model_validator

from extractors.vocabulary import FIELD_NAMES, DocType

Op = Literal[">=", ">", "<=", "<", "==", "!=", "in", "not_in", "contains_any", "contains_none"]

_CHECK_TEXT = re.compile(r"^\s*([A-Za-z_][A-Za-z0-9_]*)\s*(>=|<=|==|!=|>|<)\s*(.+?)\s*$")


def _known_field(name: str) -> str:
    if name not in FIELD_NAMES:
        raise ValueError(f"unknown document field {name!r} (known: {', '.join(FIELD_NAMES)})")
    return name


def _scalar(text: str) -> float | str:
    try:
        return float(text)
    except ValueError:
        return text.strip("'\"")


class Check(BaseModel):
    """One value rule on a document field, e.g. `lvef_percent >= 45`.

    Written either as that one-line string or as a mapping (needed for list values:
    `{field: hla_a, op: contains_any, value: ["A*02:01"]}`).
    """

    model_config = ConfigDict(extra="forbid")

    field: str
    op: Op
    value: float | str | list[str]
    # True: a document that does not state the field passes this check (e.g. "CrCl >= 60
    # when stated"); False: the field must be stated and pass.
    when_present: bool = False

    @model_validator(mode="before")
    @classmethod
    def _from_text(cls, data: object) -> object:
        if isinstance(data, str):
            m = _CHECK_TEXT.match(data)
            if not m:
                raise ValueError(f"cannot read check {data!r}; write it like 'lvef_percent >= 45'")
            return {"field": m.group(1), "op": m.group(2), "value": _scalar(m.group(3))}
        return data

    @field_validator("field")
    @classmethod
    def _field_known(cls, v: str) -> str:
        return _known_field(v)

    @model_validator(mode="after")
    def _value_fits_op(self) -> Check:
        list_ops = {"in", "not_in", "contains_any", "contains_none"}
        if (self.op in list_ops) != isinstance(self.value, list):
            raise ValueError(
                f"operator {self.op!r} needs {'a list' if self.op in list_ops else 'a single value'}"
            )
        return self

    def label(self) -> str:
        value = ", ".join(self.value) if isinstance(self.value, list) else _fmt(self.value)
        return f"{self.field} {self.op} {value}"


def _fmt(v: float | str) -> str:
    if isinstance(v, float) and v.is_integer():
        return str(int(v))
    return str(v)


class Criteria(BaseModel):
    """Which documents can satisfy a requirement (one way of satisfying it)."""

    model_config = ConfigDict(extra="forbid")

    accepts: list[DocType] = Field(min_length=1, description="Document types that can satisfy it.")
    # Conditions on the document's fields that select candidates, e.g. {modality: [PET-CT]}.
    # Matching is case-insensitive; a list-valued field matches when any element does.
    where: dict[str, list[str]] = Field(default_factory=dict)
    # Fields that must be stated. An inner list means "any one of these".
    present: list[str | list[str]] = Field(default_factory=list)
    checks: list[Check] = Field(default_factory=list)
    # None: inherit the requirement's window.
    max_age_days: int | None = Field(default=None, ge=0)

    @field_validator("where")
    @classmethod
    def _where_fields(cls, v: dict[str, list[str]]) -> dict[str, list[str]]:
        for name in v:
            _known_field(name)
        return v

    @field_validator("present")
    @classmethod
    def _present_fields(cls, v: list[str | list[str]]) -> list[str | list[str]]:
        for entry in v:
            for name in [entry] if isinstance(entry, str) else entry:
                _known_field(name)
        return v


class PatientCondition(BaseModel):
    """Who a requirement applies to (e.g. a pregnancy test for people who could be pregnant)."""

    model_config = ConfigDict(extra="forbid")

    sex: list[Literal["female", "male"]] | None = None
    min_age: int | None = Field(default=None, ge=0)
    max_age: int | None = Field(default=None, ge=0)
    # When the patient's sex (or age) cannot be known the safe answer is to ask for it.
    when_unknown: Literal["applies", "skip"] = "applies"


class Requirement(Criteria):
    id: str = Field(pattern=r"^[a-z0-9_]+$")
    title: str = Field(min_length=1)
    # The title in words a patient knows; the coordinator title is used when absent.
    patient_title: str | None = None
    required: bool = True
    max_age_days: int | None = Field(
        default=None, ge=0, description="Counted back from the case's as-of date."
    )
    # Other ways of satisfying it (any-of): each alternative names its own documents.
    any_of: list[Criteria] = Field(default_factory=list)
    applies_to: PatientCondition | None = None
    patient_message: str = Field(
        min_length=1, description="Plain language: what the record is and who holds it."
    )
    coordinator_hint: str = ""

    def ways(self) -> list[Criteria]:
        """The requirement's own criteria first, then its alternatives (window inherited)."""
        own = Criteria(
            accepts=self.accepts,
            where=self.where,
            present=self.present,
            checks=self.checks,
            max_age_days=self.max_age_days,
        )
        alts = [
            a
            if a.max_age_days is not None
            else a.model_copy(update={"max_age_days": self.max_age_days})
            for a in self.any_of
        ]
        return [own, *alts]

    def all_accepts(self) -> list[DocType]:
        out: list[DocType] = []
        for way in self.ways():
            out.extend(t for t in way.accepts if t not in out)
        return out


class Source(BaseModel):
    model_config = ConfigDict(extra="forbid")

    key: str = ""
    label: str
    url: str | None = None
    trial: str | None = None  # e.g. NCT03391466


class Program(BaseModel):
    model_config = ConfigDict(extra="forbid")

    id: str = Field(pattern=r"^[a-z0-9][a-z0-9-]*$")
    title: str = Field(min_length=1)
    version: str = Field(min_length=1)
    description: str = Field(min_length=1, description="Plain-language description for patients.")
    sources: list[Source] = Field(min_length=1)
    requirements: list[Requirement] = Field(min_length=1)

    @field_validator("version", mode="before")
    @classmethod
    def _version_text(cls, v: object) -> object:
        # YAML reads `version: 1.0` as a float; a version is a label.
        return str(v) if isinstance(v, int | float) else v

    @model_validator(mode="after")
    def _unique_ids(self) -> Program:
        seen: set[str] = set()
        for req in self.requirements:
            if req.id in seen:
                raise ValueError(f"requirement id {req.id!r} appears twice")
            seen.add(req.id)
        return self

    def requirement(self, requirement_id: str) -> Requirement:
        for req in self.requirements:
            if req.id == requirement_id:
                return req
        raise KeyError(requirement_id)
