"""Which case a loose file belongs to, by the identity of the patient its documents name."""

from __future__ import annotations

from dataclasses import dataclass

from extractors.identity import same_person
from extractors.vocabulary import Document, FileText, Patient


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


def assign_items(
    texts: list[FileText], documents: list[Document], cases: dict[str, Patient]
) -> list[tuple[FileText, list[Document], Assignment]]:
    """Each readable item of a loose upload with its case: an email's attachments are filed
    one by one, since one forwarded message often carries several patients' records.

    An item that names nobody (a cover note, the email's own text) follows its siblings when
    they all went to the same case, and stays unassigned otherwise.
    """
    out: list[tuple[FileText, list[Document], Assignment]] = []
    for ft in texts:
        if ft.status != "ok":
            continue
        docs = [d for d in documents if d.file == ft.file]
        out.append((ft, docs, assign(docs, cases)))
    decided = {a.case for _, _, a in out if a.case is not None}
    if len(decided) == 1:
        only = next(iter(decided))
        out = [(ft, docs, Assignment(only, "") if _anonymous(docs) else a) for ft, docs, a in out]
    return out


def _anonymous(documents: list[Document]) -> bool:
    return not any(_identified(d.patient) for d in documents)
