"""Imaging studies from DICOM attributes: one object's, a DICOMDIR's, and many merged into one list.

A disc holds one study as hundreds of image objects; what a coordinator needs is the list of
studies (date, modality, body part, description, institution) and whether a written report
of each came with them. Modality and body part codes are mapped by dicom_codes.yaml.
"""

from __future__ import annotations

import datetime as dt
import io
import warnings
import zipfile
from collections.abc import Callable, Iterable, Iterator
from functools import cache
from pathlib import Path

import yaml
from pydantic import BaseModel, ConfigDict
from pydicom import config, dcmread
from pydicom.dataset import Dataset

from extractors.fields_imaging import read_body_region
from extractors.vocabulary import ImagingStudy, Patient

TABLES = Path(__file__).with_name("dicom_codes.yaml")
DICOMDIR_CLASS = "1.2.840.10008.1.3.10"
_REPORT_RECORDS = {"SR DOCUMENT", "ENCAP DOC", "REPORT"}
_IMAGE_RECORDS = {"IMAGE", "RT DOSE", "RT STRUCTURE SET", "PRESENTATION", "WAVEFORM"}


class DicomTables(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    modalities: dict[str, str]
    body_parts: dict[str, str]
    report_classes: tuple[str, ...]


@cache
def dicom_tables() -> DicomTables:
    with TABLES.open(encoding="utf-8") as fh:
        return DicomTables.model_validate(yaml.safe_load(fh))


def text(ds: Dataset, keyword: str) -> str | None:
    """An attribute as trimmed text, or None (absent, empty or unreadable)."""
    try:
        value = ds.get(keyword)
    except Exception:  # a malformed element: the attribute is simply unknown
        return None
    if value is None:
        return None
    shown = " ".join(str(value).replace("^", " ").split())
    return shown or None


def da_date(value: str | None) -> dt.date | None:
    if not value or len(value) < 8 or not value[:8].isdigit():
        return None
    try:
        return dt.date(int(value[:4]), int(value[4:6]), int(value[6:8]))
    except ValueError:
        return None


def patient_of(ds: Dataset) -> Patient:
    """PatientName is Family^Given^Middle: shown given name first, as the C-CDA reader does."""
    raw = str(ds.get("PatientName", "") or "")
    parts = [p.strip() for p in raw.split("^")]
    name = " ".join(p for p in (parts[1:3] + parts[:1]) if p) or None
    return Patient(name=name, dob=da_date(text(ds, "PatientBirthDate")), mrn=text(ds, "PatientID"))


def modality_of(codes: Iterable[str]) -> str | None:
    found = {c.upper() for c in codes if c}
    if {"PT", "CT"} <= found:
        return "PET-CT"
    table = dicom_tables().modalities
    for code in sorted(found - {"SR", "DOC", "OT", "KO", "PR", "REG", "SEG"}):
        return table.get(code, code)
    return None


def body_part_of(code: str | None, description: str | None) -> str | None:
    if code:
        mapped = dicom_tables().body_parts.get(code.upper().replace(" ", ""))
        if mapped:
            return mapped
    from_words = read_body_region(description or "")
    return from_words or (code.lower() if code else None)


def study_of(ds: Dataset, images: int = 1, has_report: bool = False) -> ImagingStudy:
    """One object's study (an image's, a report's) from its own attributes."""
    description = text(ds, "StudyDescription") or text(ds, "SeriesDescription")
    return ImagingStudy(
        study_uid=text(ds, "StudyInstanceUID"),
        date=da_date(text(ds, "StudyDate")) or da_date(text(ds, "SeriesDate")),
        modality=modality_of([text(ds, "Modality") or ""]),
        body_part=body_part_of(text(ds, "BodyPartExamined"), description),
        description=description,
        institution=text(ds, "InstitutionName"),
        accession=text(ds, "AccessionNumber"),
        patient=patient_of(ds),
        images=images,
        has_report=has_report,
    )


def _siblings(first: int, by_offset: dict[int, Dataset], seen: set[int]) -> Iterator[Dataset]:
    offset = first
    while offset and offset in by_offset and offset not in seen:
        seen.add(offset)  # a loop of offsets in a crafted file ends here
        record = by_offset[offset]
        yield record
        offset = int(record.get("OffsetOfTheNextDirectoryRecord", 0) or 0)


def _lower(record: Dataset, by_offset: dict[int, Dataset], seen: set[int]) -> list[Dataset]:
    first = int(record.get("OffsetOfReferencedLowerLevelDirectoryEntity", 0) or 0)
    return list(_siblings(first, by_offset, seen))


def dicomdir_studies(ds: Dataset, max_records: int) -> list[ImagingStudy]:
    """The studies a DICOMDIR lists, walked PATIENT -> STUDY -> SERIES -> objects by offset."""
    records = list(ds.get("DirectoryRecordSequence", []))[:max_records]
    by_offset = {int(r.seq_item_tell): r for r in records if getattr(r, "seq_item_tell", None)}
    root = int(ds.get("OffsetOfTheFirstDirectoryRecordOfTheRootDirectoryEntity", 0) or 0)
    seen: set[int] = set()
    out: list[ImagingStudy] = []
    for patient in _siblings(root, by_offset, seen):
        for study in _lower(patient, by_offset, seen):
            if text(study, "DirectoryRecordType") != "STUDY":
                continue
            modalities: list[str] = []
            body: str | None = None
            institution: str | None = None
            images, reports = 0, 0
            for series in _lower(study, by_offset, seen):
                modalities.append(text(series, "Modality") or "")
                body = body or text(series, "BodyPartExamined")
                institution = institution or text(series, "InstitutionName")
                for obj in _lower(series, by_offset, seen):
                    kind = text(obj, "DirectoryRecordType") or ""
                    reports += kind in _REPORT_RECORDS
                    images += kind in _IMAGE_RECORDS
            description = text(study, "StudyDescription")
            out.append(
                ImagingStudy(
                    study_uid=text(study, "StudyInstanceUID"),
                    date=da_date(text(study, "StudyDate")),
                    modality=modality_of(modalities),
                    body_part=body_part_of(body, description),
                    description=description,
                    institution=institution or text(study, "InstitutionName"),
                    accession=text(study, "AccessionNumber"),
                    patient=patient_of(patient),
                    images=images,
                    has_report=reports > 0,
                    from_index=True,
                )
            )
    return out


def study_key(s: ImagingStudy) -> tuple[object, ...]:
    return (s.study_uid,) if s.study_uid else (s.date, s.modality, s.description)


def merge_studies(studies: Iterable[ImagingStudy]) -> list[ImagingStudy]:
    """One entry per study: a report anywhere counts for the study, each attribute is taken
    from whichever object states it; images are the DICOMDIR's count or, past it, the
    objects seen."""
    merged: dict[tuple[object, ...], ImagingStudy] = {}
    seen: dict[tuple[object, ...], int] = {}
    listed: dict[tuple[object, ...], int] = {}
    for s in studies:
        key = study_key(s)
        if s.from_index:
            listed[key] = max(listed.get(key, 0), s.images)
        else:
            seen[key] = seen.get(key, 0) + s.images
        have = merged.get(key)
        if have is None:
            merged[key] = s.model_copy()
            continue
        update: dict[str, object] = {
            k: getattr(have, k) or getattr(s, k)
            for k in ("date", "modality", "body_part", "description", "institution", "accession")
        }
        # The CT series of a PET-CT study is still the PET-CT.
        if "PET-CT" in (have.modality, s.modality):
            update["modality"] = "PET-CT"
        update["has_report"] = have.has_report or s.has_report
        update["from_index"] = have.from_index or s.from_index
        merged[key] = have.model_copy(update=update)
    counted = [
        s.model_copy(update={"images": max(listed.get(k, 0), seen.get(k, 0))})
        for k, s in merged.items()
    ]
    return sorted(counted, key=lambda s: (s.date or dt.date.min, s.description or ""))


def study_words(s: ImagingStudy) -> str:
    """'CT chest', 'MRI brain', else the description, as a patient reads it."""
    what = " ".join(x for x in (s.modality, s.body_part) if x)
    return what or (s.description or "imaging").lower()


# A DICOMDIR larger than this is not a disc's index (a few hundred bytes per object).
_MAX_DICOMDIR_BYTES = 64 * 1024 * 1024


def _listed_images(data: bytes, folder: str) -> set[str]:
    config.settings.reading_validation_mode = config.IGNORE
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        ds = dcmread(io.BytesIO(data), stop_before_pixels=True)
    out: set[str] = set()
    first_of_series = True
    for record in ds.get("DirectoryRecordSequence", []):
        kind = text(record, "DirectoryRecordType")
        if kind == "SERIES":
            first_of_series = True
        if kind not in _IMAGE_RECORDS:
            continue
        ref = record.get("ReferencedFileID")
        parts = [ref] if isinstance(ref, str) else list(ref or [])
        path = "/".join(str(p).strip() for p in parts if str(p).strip())
        # One image of each series is read: it names what the index often leaves out
        # (the institution, the body part).
        if path and not first_of_series:
            out.add(f"{folder}/{path}".lstrip("/").upper())
        first_of_series = first_of_series and not path
    return out


def disc_images(
    files: list[zipfile.ZipInfo],
    read: Callable[[zipfile.ZipInfo], bytes],
) -> set[str]:
    """Upper-cased member paths of the image objects a zip's DICOMDIR lists that need not be
    read: all but one of each series, never a report. The DICOMDIR itself is read as a member
    like any other and gives the studies."""
    out: set[str] = set()
    for info in files:
        path = info.filename.replace("\\", "/")
        if path.rsplit("/", 1)[-1].upper() != "DICOMDIR" or info.file_size > _MAX_DICOMDIR_BYTES:
            continue
        folder = path.rsplit("/", 1)[0] if "/" in path else ""
        try:
            out |= _listed_images(read(info), folder)
        except Exception:  # a broken index: every file is read as it is
            continue
    return out
