"""Whose case this is: the given patient, or the one most documents are about.

A document whose identity conflicts with the case's patient is an identity mismatch and
never counts toward a requirement. A document with too little identity to compare (no
name, DOB or MRN read) is taken as the case's patient: refusing it would turn every
header-less page into a gap, and the coordinator sees its evidence anyway.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Hashable
from dataclasses import dataclass
from typing import Literal, TypeVar

from checklists.report import CasePatient
from extractors.identity import same_person
from extractors.vocabulary import Document, Patient


@dataclass(frozen=True)
class Belonging:
    """Whether one document is the case patient's, and why not when it is not."""

    own: bool
    reason: str = ""


_HAN = re.compile(r"[\u4e00-\u9fff]")


def comparable(a: Patient, b: Patient) -> tuple[Patient, Patient]:
    """The two identities with names dropped when written in different scripts.

    "张伟" and "Wei Zhang" cannot be compared letter by letter (no transliteration here),
    and a difference of script is not evidence of a different person: DOB and MRN decide.
    """
    if a.name and b.name and bool(_HAN.search(a.name)) != bool(_HAN.search(b.name)):
        return a.model_copy(update={"name": None}), b.model_copy(update={"name": None})
    return a, b


def same(a: Patient, b: Patient) -> bool | None:
    return same_person(*comparable(a, b))


def _has_identity(p: Patient) -> bool:
    return bool(p.name or p.dob or p.mrn)


_V = TypeVar("_V", bound=Hashable)


def _most_common(values: list[_V | None]) -> _V | None:
    present = [v for v in values if v]
    return Counter(present).most_common(1)[0][0] if present else None


def infer_patient(documents: list[Document]) -> Patient | None:
    """The identity shared by the largest group of documents (greedy grouping by same_person)."""
    groups: list[list[Patient]] = []
    for doc in documents:
        p = doc.patient
        if not _has_identity(p):
            continue
        for group in groups:
            verdicts = [same(p, q) for q in group]
            if True in verdicts and False not in verdicts:
                group.append(p)
                break
        else:
            groups.append([p])
    if not groups:
        return None
    # Ties go to the group seen first (files are read in name order): stable across runs.
    best = max(groups, key=len)
    return Patient(
        name=_most_common([p.name for p in best]),
        dob=_most_common([p.dob for p in best]),
        mrn=_most_common([p.mrn for p in best]),
    )


def case_patient(
    given: Patient | None,
    documents: list[Document],
    sex: Literal["female", "male"] | None = None,
) -> CasePatient:
    if given is not None and _has_identity(given):
        return CasePatient(name=given.name, dob=given.dob, mrn=given.mrn, source="given", sex=sex)
    inferred = infer_patient(documents) or Patient()
    return CasePatient(
        name=inferred.name, dob=inferred.dob, mrn=inferred.mrn, source="inferred", sex=sex
    )


def belongs(doc: Document, patient: CasePatient) -> Belonging:
    case = Patient(name=patient.name, dob=patient.dob, mrn=patient.mrn)
    if not _has_identity(doc.patient) or not _has_identity(case):
        return Belonging(True)
    if same(doc.patient, case) is False:
        return Belonging(False, _conflict(*comparable(doc.patient, case)))
    return Belonging(True)


def _conflict(doc: Patient, case: Patient) -> str:
    # Say which identifiers disagree without repeating either value (no identifiers in output
    # that may end up in logs).
    fields = []
    if (
        doc.name
        and case.name
        and same_person(Patient(name=doc.name), Patient(name=case.name)) is False
    ):
        fields.append("name")
    if doc.dob and case.dob and same_person(Patient(dob=doc.dob), Patient(dob=case.dob)) is False:
        fields.append("date of birth")
    if doc.mrn and case.mrn and same_person(Patient(mrn=doc.mrn), Patient(mrn=case.mrn)) is False:
        fields.append("MRN")
    what = (
        ", ".join(fields[:-1]) + " and " + fields[-1] if len(fields) > 1 else "".join(fields)
    ) or "identity"
    verb = "do" if len(fields) > 1 else "does"
    return f"the {what} on this document {verb} not match the case's patient"


def case_sex(stated: str | None, documents: list[Document]) -> str | None:
    """The patient's sex: as given, else the majority stated by their own documents."""
    if stated in ("female", "male"):
        return stated
    votes = Counter(d.fields.sex for d in documents if d.fields.sex)
    if not votes:
        return None
    (top, n), *rest = votes.most_common()
    # A tie means conflicting records: unknown, so sex-dependent items are still asked for.
    return None if rest and rest[0][1] == n else top
