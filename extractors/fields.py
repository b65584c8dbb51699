"""Values stated in a document, with units normalised to the vocabulary's (see Fields).

Each value is read from a labelled statement ("ANC 1.2 K/uL", "LVEF: 55%", "HBsAg
Non-reactive"), the label first and the value within the same line, so reference ranges and
other rows are not picked up. Units are converted (K/uL and x10^9/L to /uL, g/L to g/dL,
umol/L to mg/dL); where a unit is missing the magnitude decides, as a reader would. Mentions
that are negated ("no ... testing"), historical ("prior", "previous", "history of") or
planned ("will obtain") are not values.
"""

from __future__ import annotations

from extractors.fields_function import LVEF_LABEL, read_ecog, read_fev1
from extractors.fields_history import read_prior_lines
from extractors.fields_hla import read_hla_a
from extractors.fields_imaging import read_body_region, read_modality
from extractors.fields_labs import STATUS_LABELS, read_labs, read_status
from extractors.fields_molecular import REARRANGED_GENES, read_rearrangement
from extractors.fields_oncology import (
    MARKERS,
    read_diagnosis,
    read_marker,
    read_pd_l1,
    read_regimens,
)
from extractors.fields_sex import stated_sex
from extractors.fields_tables import amended_part, unpair_cells
from extractors.fields_text import read_percent_after
from extractors.vocabulary import DocType, Fields


def extract_fields(text: str, doc_type: DocType, patient_name: str | None = None) -> Fields:
    """The values stated in one document's text (already joined across its pages).

    Two-analyte cells are read one analyte at a time; in an amended report, what the
    amendment states replaces the original's figures. `patient_name` (as the document
    prints it) tells the patient's title from a colleague's.
    """
    text = unpair_cells(text)
    fields = _read_fields(text, doc_type, patient_name)
    amended = amended_part(text)
    if amended is not None:
        fields.update(_read_fields(amended, doc_type, patient_name))
    return Fields(**fields)


def _read_fields(text: str, doc_type: DocType, patient_name: str | None) -> dict[str, object]:
    fields: dict[str, object] = {}
    sex = stated_sex(text, doc_type, patient_name)
    if sex:
        fields["sex"] = sex
    if doc_type in (DocType.IMAGING_REPORT, DocType.CARDIAC_FUNCTION):
        modality = read_modality(text, doc_type)
        if modality:
            fields["modality"] = modality
        if doc_type == DocType.IMAGING_REPORT:
            region = read_body_region(text)
            if region:
                fields["body_region"] = region
    lvef = read_percent_after(text, LVEF_LABEL)
    if lvef is not None:
        fields["lvef_percent"] = lvef
    fev1 = read_fev1(text)
    if fev1 is not None:
        fields["fev1_percent_predicted"] = fev1
    ecog = read_ecog(text)
    if ecog is not None:
        fields["ecog"] = ecog
    read_labs(text, fields)
    for name, label in STATUS_LABELS.items():
        status = read_status(text, label, allow_quantity=name == "pregnancy")
        if status:
            fields[name] = status
    hla = read_hla_a(text)
    if hla:
        fields["hla_a"] = hla
    diagnosis = read_diagnosis(text, pathology=doc_type == DocType.PATHOLOGY_REPORT)
    if diagnosis:
        fields["diagnosis"] = diagnosis
    for name, label in MARKERS.items():
        marker = read_marker(text, label)
        if marker:
            fields[name] = marker
    for name, gene in REARRANGED_GENES.items():
        rearranged = read_rearrangement(text, gene)
        if rearranged:
            fields[name] = rearranged
    pd_l1 = read_pd_l1(text)
    if pd_l1 is not None:
        fields["pd_l1"] = pd_l1
    if doc_type in (
        DocType.TREATMENT_SUMMARY,
        DocType.REFERRAL_LETTER,
        DocType.DISCHARGE_SUMMARY,
        DocType.CLINIC_NOTE,
    ):
        lines = read_prior_lines(text)
        if lines is not None:
            fields["prior_lines"] = lines
        regimens = read_regimens(text)
        if regimens:
            fields["regimens"] = regimens
    return fields
