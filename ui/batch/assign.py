"""Which case a loose file belongs to, by the identity of the patient its documents name."""

from __future__ import annotations

from dataclasses import dataclass

from extractors.identity import same_person
from extractors.vocabulary import Document, Patient


@dataclass(frozen=True)
class Assignment:
    case: str | None  # the case's name, or None when the file stays unassigned
    reason: str  # why not, for the coordinator (never the patient's identifiers)


def _identified(p: Patient) -> bool:
    return bool(p.name or p.dob or p.mrn)


def assign(documents: list[Document], cases: dict[str, Patient]) -> Assignment:
    """The one case whose patient every identified document of the file matches.

    A file goes to a case only when at least one of its documents names the patient, none
    of them contradicts that case's patient, and no other case fits as well: a misfiled
    record is worse than one left for a coordinator.
    """
    people = [d.patient for d in documents if _identified(d.patient)]
    if not people:
        return Assignment(None, "no patient name, date of birth or MRN found in the file")
    fits: list[str] = []
    for name, patient in sorted(cases.items()):
        if not _identified(patient):
            continue
        verdicts = [same_person(p, patient) for p in people]
        if any(v is True for v in verdicts) and not any(v is False for v in verdicts):
            fits.append(name)
    if len(fits) == 1:
        return Assignment(fits[0], "")
    if not fits:
        return Assignment(None, "matches no case's patient")
    return Assignment(None, f"matches {len(fits)} cases' patients")
