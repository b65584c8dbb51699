"""Seeds of the export formats: a C-CDA, an XDM portal zip, and DICOM objects (an image, a
Structured Report, an encapsulated PDF, a DICOMDIR). Small and valid; every value invented."""

from __future__ import annotations

import io
import tempfile
import zipfile
from functools import cache
from pathlib import Path

from pydicom.dataset import Dataset, FileMetaDataset
from pydicom.fileset import FileSet
from pydicom.uid import (
    BasicTextSRStorage,
    CTImageStorage,
    EncapsulatedPDFStorage,
    ExplicitVRLittleEndian,
)

_STUDY = "1.2.826.0.1.3680043.8.498.1001"
_SERIES = {"CT": 1, "SR": 2, "DOC": 3}

CCDA = """<?xml version="1.0" encoding="UTF-8"?>
<ClinicalDocument xmlns="urn:hl7-org:v3" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance">
  <templateId root="2.16.840.1.113883.10.20.22.1.2"/>
  <code code="34133-9" codeSystem="2.16.840.1.113883.6.1" displayName="Summary of episode note"/>
  <title>Health Summary</title>
  <effectiveTime value="20261005"/>
  <recordTarget><patientRole><id root="2.16.840.1.113883.19.5" extension="MRN-0001"/>
    <patient><name><given>Ann</given><family>Example</family></name>
    <administrativeGenderCode code="F"/><birthTime value="19700101"/></patient>
  </patientRole></recordTarget>
  <custodian><assignedCustodian><representedCustodianOrganization><name>Example Hospital</name>
  </representedCustodianOrganization></assignedCustodian></custodian>
  <component><structuredBody>
    <component><section><code code="30954-2" codeSystem="2.16.840.1.113883.6.1"/>
      <title>Results</title>
      <text><table><tr><th>Test</th><th>Value</th></tr><tr><td>Platelets</td><td>182 10*3/uL</td></tr></table></text>
      <entry><organizer classCode="BATTERY" moodCode="EVN"><effectiveTime value="20261002"/>
        <component><observation classCode="OBS" moodCode="EVN">
          <code code="777-3" codeSystem="2.16.840.1.113883.6.1" displayName="Platelets"/>
          <statusCode code="completed"/><effectiveTime value="20261002"/>
          <value xsi:type="PQ" value="182" unit="10*3/uL"/></observation></component>
      </organizer></entry>
    </section></component>
    <component><section><code code="10160-0" codeSystem="2.16.840.1.113883.6.1"/>
      <title>Medications</title><text><list><item>Allopurinol 300 mg daily</item></list></text>
    </section></component>
  </structuredBody></component>
</ClinicalDocument>
"""

METADATA = """<?xml version="1.0" encoding="UTF-8"?>
<lcm:SubmitObjectsRequest xmlns:lcm="urn:oasis:names:tc:ebxml-regrep:xsd:lcm:3.0"
    xmlns:rim="urn:oasis:names:tc:ebxml-regrep:xsd:rim:3.0"><rim:RegistryObjectList>
  <rim:ExtrinsicObject id="Document01" mimeType="text/xml">
    <rim:Slot name="creationTime"><rim:ValueList><rim:Value>20261005</rim:Value></rim:ValueList></rim:Slot>
    <rim:Slot name="URI"><rim:ValueList><rim:Value>DOC0001.XML</rim:Value></rim:ValueList></rim:Slot>
    <rim:Name><rim:LocalizedString value="Health Summary"/></rim:Name>
    <rim:Classification classificationScheme="urn:uuid:f0306f51-975f-434e-a61c-c59651d33983"
        classifiedObject="Document01" nodeRepresentation="34133-9"/>
  </rim:ExtrinsicObject></rim:RegistryObjectList></lcm:SubmitObjectsRequest>
"""


def ccda() -> bytes:
    return CCDA.encode("utf-8")


@cache
def xdm_zip() -> bytes:
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as zf:
        zf.writestr("README.TXT", "Health records in the IHE XDM format.\n")
        zf.writestr("IHE_XDM/SUBSET01/METADATA.XML", METADATA)
        zf.writestr("IHE_XDM/SUBSET01/DOC0001.XML", CCDA)
    return buf.getvalue()


def _dataset(sop: str, modality: str, number: int = 1) -> Dataset:
    ds = Dataset()
    ds.file_meta = FileMetaDataset()
    ds.file_meta.MediaStorageSOPClassUID = sop
    ds.SOPInstanceUID = f"{_STUDY}.{_SERIES[modality]}.{number}"
    ds.file_meta.MediaStorageSOPInstanceUID = ds.SOPInstanceUID
    ds.file_meta.TransferSyntaxUID = ExplicitVRLittleEndian
    ds.SOPClassUID = sop
    ds.PatientName, ds.PatientID, ds.PatientBirthDate = "Example^Ann", "MRN-0001", "19700101"
    ds.StudyInstanceUID, ds.SeriesInstanceUID = _STUDY, f"{_STUDY}.{_SERIES[modality]}"
    ds.StudyDate, ds.StudyTime, ds.StudyID = "20261003", "101500", "1"
    ds.SeriesNumber, ds.InstanceNumber = 1, number
    ds.Modality, ds.StudyDescription, ds.BodyPartExamined = modality, "CT CHEST", "CHEST"
    ds.InstitutionName = "Example Hospital"
    return ds


def _image(number: int = 1) -> Dataset:
    ds = _dataset(CTImageStorage, "CT", number)
    ds.Rows, ds.Columns, ds.BitsAllocated, ds.BitsStored, ds.HighBit = 4, 4, 8, 8, 7
    ds.PixelRepresentation, ds.SamplesPerPixel = 0, 1
    ds.PhotometricInterpretation = "MONOCHROME2"
    ds.PixelData = bytes(16)
    return ds


def _bytes(ds: Dataset) -> bytes:
    buf = io.BytesIO()
    ds.save_as(buf, enforce_file_format=True)
    return buf.getvalue()


@cache
def dicom_image() -> bytes:
    return _bytes(_image())


@cache
def dicom_sr() -> bytes:
    ds = _dataset(BasicTextSRStorage, "SR")
    ds.ValueType = "CONTAINER"
    concept = Dataset()
    concept.CodeValue, concept.CodingSchemeDesignator, concept.CodeMeaning = (
        "18748-4",
        "LN",
        "Report",
    )
    ds.ConceptNameCodeSequence = [concept]
    item = Dataset()
    item.RelationshipType, item.ValueType, item.TextValue = "CONTAINS", "TEXT", "CT chest: clear."
    item.ConceptNameCodeSequence = [concept]
    ds.ContentSequence = [item]
    return _bytes(ds)


@cache
def dicom_pdf(pdf: bytes) -> bytes:
    ds = _dataset(EncapsulatedPDFStorage, "DOC")
    ds.MIMETypeOfEncapsulatedDocument = "application/pdf"
    ds.EncapsulatedDocument = pdf + (b"\0" if len(pdf) % 2 else b"")
    return _bytes(ds)


@cache
def dicomdir() -> bytes:
    fs = FileSet()
    for n in (1, 2):
        fs.add(_image(n))
    with tempfile.TemporaryDirectory() as tmp:
        fs.write(tmp)
        return (Path(tmp) / "DICOMDIR").read_bytes()
