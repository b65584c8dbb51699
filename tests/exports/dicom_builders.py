"""DICOM objects and discs made with pydicom: images, a Structured Report, an encapsulated PDF,
and a DICOMDIR written by pydicom's own file-set writer. Attributes are invented."""

from __future__ import annotations

import io
import zipfile
from pathlib import Path

from pydicom.dataset import Dataset, FileMetaDataset
from pydicom.fileset import FileSet
from pydicom.uid import (
    BasicTextSRStorage,
    CTImageStorage,
    EncapsulatedPDFStorage,
    ExplicitVRLittleEndian,
    PositronEmissionTomographyImageStorage,
    generate_uid,
)

PATIENT = {
    "PatientName": "Delgado-Ibarra^Rosa",
    "PatientID": "MRN-5530071",
    "PatientBirthDate": "19580622",
}


def _base(sop_class: str, study_uid: str, modality: str, **attrs: str) -> Dataset:
    ds = Dataset()
    ds.file_meta = FileMetaDataset()
    ds.file_meta.MediaStorageSOPClassUID = sop_class
    ds.SOPInstanceUID = generate_uid()
    ds.file_meta.MediaStorageSOPInstanceUID = ds.SOPInstanceUID
    ds.file_meta.TransferSyntaxUID = ExplicitVRLittleEndian
    ds.SOPClassUID = sop_class
    for k, v in PATIENT.items():
        setattr(ds, k, v)
    ds.StudyInstanceUID = study_uid
    ds.SeriesInstanceUID = attrs.pop("SeriesInstanceUID", generate_uid())
    ds.StudyDate = attrs.pop("StudyDate", "20261003")
    ds.StudyTime = "101500"
    ds.StudyID = "1"
    ds.SeriesNumber = 1
    ds.InstanceNumber = 1
    ds.Modality = modality
    ds.AccessionNumber = attrs.pop("AccessionNumber", "ACC-77120")
    ds.InstitutionName = attrs.pop("InstitutionName", "Lakeside University Hospital")
    for k, v in attrs.items():
        setattr(ds, k, v)
    return ds


def image(
    study_uid: str, modality: str = "CT", series_uid: str | None = None, **attrs: str
) -> Dataset:
    sop = PositronEmissionTomographyImageStorage if modality == "PT" else CTImageStorage
    ds = _base(sop, study_uid, modality, SeriesInstanceUID=series_uid or generate_uid(), **attrs)
    ds.StudyDescription = attrs.get("StudyDescription", "CT CHEST WITH CONTRAST")
    ds.BodyPartExamined = attrs.get("BodyPartExamined", "CHEST")
    ds.Rows, ds.Columns = 4, 4
    ds.BitsAllocated, ds.BitsStored, ds.HighBit = 8, 8, 7
    ds.PixelRepresentation, ds.SamplesPerPixel = 0, 1
    ds.PhotometricInterpretation = "MONOCHROME2"
    ds.PixelData = bytes(16)
    return ds


def _concept(meaning: str, code: str = "121071") -> Dataset:
    c = Dataset()
    c.CodeValue, c.CodingSchemeDesignator, c.CodeMeaning = code, "DCM", meaning
    return c


def _text_item(meaning: str, value: str) -> Dataset:
    item = Dataset()
    item.RelationshipType, item.ValueType = "CONTAINS", "TEXT"
    item.ConceptNameCodeSequence = [_concept(meaning)]
    item.TextValue = value
    return item


def structured_report(study_uid: str, findings: str, impression: str) -> Dataset:
    ds = _base(BasicTextSRStorage, study_uid, "SR", StudyDescription="CT CHEST WITH CONTRAST")
    ds.ValueType = "CONTAINER"
    ds.ContinuityOfContent = "SEPARATE"
    ds.ConceptNameCodeSequence = [_concept("Imaging Report", "18748-4")]
    ds.ContentDate = "20261004"
    ds.ContentTime = "090000"
    ds.CompletionFlag, ds.VerificationFlag = "COMPLETE", "VERIFIED"
    ds.ContentSequence = [_text_item("Findings", findings), _text_item("Impression", impression)]
    return ds


def encapsulated_pdf(study_uid: str, pdf: bytes) -> Dataset:
    ds = _base(
        EncapsulatedPDFStorage, study_uid, "DOC", StudyDescription="PET CT SKULL BASE TO THIGH"
    )
    ds.MIMETypeOfEncapsulatedDocument = "application/pdf"
    ds.DocumentTitle = "Report"
    ds.EncapsulatedDocument = pdf + (b"\x00" if len(pdf) % 2 else b"")
    return ds


def dicom_bytes(ds: Dataset) -> bytes:
    buf = io.BytesIO()
    ds.save_as(buf, enforce_file_format=True)
    return buf.getvalue()


def disc_zip(datasets: list[Dataset], tmp: Path) -> bytes:
    """A zip of a disc: DICOMDIR at the top, the objects in pydicom's file-set folders."""
    fs = FileSet()
    for ds in datasets:
        fs.add(ds)
    root = tmp / "disc"
    fs.write(root)
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as zf:
        for path in sorted(p for p in root.rglob("*") if p.is_file()):
            zf.write(path, path.relative_to(root).as_posix())
    return buf.getvalue()
