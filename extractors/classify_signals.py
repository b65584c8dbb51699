"""The evidence each document type leaves on the page, with weights.

Three kinds of signal, because a person reads a record the same way:
- "title": the report's own name ("Surgical Pathology Report", "出院小结"). Decisive at the
  top of a document or on a line of its own; a passing mention in the body counts little.
- "header": section headers typical of the type ("GROSS DESCRIPTION", "HOSPITAL COURSE",
  "PREOPERATIVE DIAGNOSIS"). Strong as a header (line start, followed by a colon or alone on
  its line), weak in running text.
- "term": characteristic vocabulary ("ejection fraction", "SUVmax", "reference range"),
  counted wherever it occurs, discounted after "history of", "prior", negations.

Lists are drawn from the general conventions of US, UK and Chinese practice for each report
type, not from any one sample. Phrases are matched case-insensitively on spaCy tokens.
"""

from __future__ import annotations

from typing import Literal, NamedTuple

from extractors.vocabulary import DocType

Kind = Literal["title", "header", "term"]


class Signal(NamedTuple):
    phrase: str
    doc_type: DocType
    weight: float
    kind: Kind


T = DocType

_EN: dict[DocType, dict[Kind, dict[str, float]]] = {
    T.PATHOLOGY_REPORT: {
        "title": {
            "surgical pathology report": 6, "pathology report": 5, "surgical pathology": 5,
            "histopathology report": 6, "histopathology": 4, "cytopathology report": 6,
            "cytology report": 5, "hematopathology report": 6, "haematopathology report": 6,
            "bone marrow biopsy report": 6, "bone marrow report": 6, "bone marrow aspirate and biopsy": 5,
            "bone marrow aspirate": 5, "bone marrow biopsy": 5, "trephine biopsy": 5, "marrow aspirate": 4,
            "bone marrow examination": 5, "lymph node biopsy": 4, "tissue diagnosis": 4,
            "flow cytometry report": 5, "immunophenotyping report": 5, "pathology consultation": 5,
            "final pathology report": 6, "autopsy report": 4, "immunohistochemistry report": 5,
            "anatomic pathology": 5, "cellular pathology report": 6, "cellular pathology": 5,
            "immunohistochemical study": 5, "pathology": 2.5,
        },
        "header": {
            "gross description": 4, "microscopic description": 4, "final diagnosis": 3,
            "final pathologic diagnosis": 4, "pathologic diagnosis": 3.5, "gross examination": 3.5,
            "microscopic examination": 3.5, "specimen": 1.5, "specimens received": 3,
            "specimen source": 2.5, "specimen type": 2.5, "clinical information": 1, "gross": 2.5,
            "microscopic": 2.5, "diagnosis": 0.6, "synoptic report": 3, "frozen section diagnosis": 3,
            "intraoperative consultation": 3, "immunohistochemistry": 2, "immunohistochemical stains": 2.5,
            "comment": 0.3, "macroscopic description": 4, "macroscopy": 3.5, "microscopy": 3,
            "tumor size": 1.5, "histologic type": 2.5, "histologic grade": 2.5, "margins": 1.5,
            "lymph nodes examined": 2, "pathologic staging": 2.5, "pathologic stage": 2.5,
            "accession number": 2, "accession": 1.2, "case number": 1, "aspirate smear": 2.5,
            "trephine": 2.5, "peripheral blood smear": 1.5, "cellularity": 2, "flow cytometry": 2,
            "diagnostic opinion": 2.5, "ancillary studies": 2,
        },
        "term": {
            "hematoxylin": 1.5, "h&e": 1.2, "formalin": 1.5, "paraffin": 1.2, "cassette": 1.5,
            "cassettes": 1.5, "submitted entirely": 1.5, "representative sections": 1.5,
            "grossly": 1, "pathologist": 1.2, "electronically signed out": 1, "signed out": 1,
            "immunostains": 1.2, "ki-67": 1, "lymphovascular invasion": 1.2, "perineural invasion": 1.2,
            "margin": 0.5, "tumor cells": 0.6, "neoplasm": 0.4, "carcinoma": 0.4, "lymphoma": 0.3,
            "biopsy": 0.4, "core biopsy": 0.6, "excision": 0.3, "ffpe": 0.8, "block": 0.3,
            "blocks": 0.5, "fixative": 1.2, "received fresh": 1.5, "received in formalin": 2,
            "labeled": 0.6, "labelled": 0.6, "consists of": 0.8, "measuring": 0.3, "tan": 0.6,
            "blasts": 0.6, "myeloid": 0.4, "plasma cells": 0.4, "cd20": 0.5, "cd19": 0.3,
            "cd3": 0.4, "positive for": 0.3, "negative for": 0.2, "ihc": 0.8, "ajcc": 0.6,
            "gleason": 0.8, "adenocarcinoma": 0.4, "differentiated": 0.5, "invasion": 0.3,
        },
    },
    T.MOLECULAR_REPORT: {
        "title": {
            "molecular pathology report": 7, "molecular diagnostics report": 7, "molecular report": 6,
            "genomic profiling report": 7, "comprehensive genomic profiling": 6, "genomic report": 6,
            "next-generation sequencing report": 7, "ngs report": 6, "cytogenetics report": 7,
            "cytogenetic analysis": 6, "karyotype report": 6, "fish report": 6,
            "fluorescence in situ hybridization": 5, "mutation analysis": 5, "molecular genetics report": 7,
            "molecular testing": 4, "gene rearrangement": 4, "genetic testing report": 6,
            "biomarker report": 5, "molecular diagnostics": 5, "genomic testing": 4,
            "chromosome analysis": 5, "tumor genomic": 4, "variant report": 5,
            "fusion panel": 6, "gene fusion panel": 7, "fusion analysis": 6, "fusion detection": 5,
            "sequencing panel": 5, "ngs panel": 6, "targeted panel": 4, "mutation panel": 6,
            "solid tumor panel": 6, "myeloid panel": 6, "lymphoid panel": 5, "rna sequencing": 4,
            "dna sequencing": 4, "molecular pathology": 4, "pcr analysis": 4, "mutation testing": 5,
        },
        "header": {
            "variants detected": 4, "genomic findings": 4, "genes tested": 4, "gene panel": 3,
            "karyotype": 3, "fish result": 3.5, "fish results": 3.5, "probe": 2, "method": 1,
            "methodology": 1.5, "test performed": 1, "interpretation": 0.5, "result": 0.3,
            "biomarker findings": 4, "variants of uncertain significance": 3.5, "clinically significant variants": 4,
            "genomic alterations": 3.5, "alterations identified": 3.5, "gene": 0.5, "variant": 1.5,
            "tumor mutational burden": 3, "microsatellite status": 3, "limitations": 1.5, "assay": 1.5,
            "nuclei scored": 3, "metaphases": 3,
        },
        "term": {
            "variant allele frequency": 2, "allele frequency": 1.5, "vaf": 1.2, "exon": 1.2,
            "mutation": 0.7, "mutations": 0.7, "rearrangement": 1, "fusion": 1, "translocation": 1,
            "detected": 0.3, "not detected": 0.5, "pathogenic": 0.8, "likely pathogenic": 1.2,
            "sequencing": 1, "next-generation sequencing": 1.5, "ngs": 1, "pcr": 0.8, "rt-pcr": 1,
            "fish": 1, "break-apart": 1.5, "break apart": 1.5, "ss18": 1.5, "ss18-ssx": 2, "braf": 1,
            "v600e": 1.2, "kras": 1, "egfr": 0.8, "alk": 0.6, "bcr-abl1": 1.5, "bcr-abl": 1.2,
            "tp53": 1, "idh1": 0.8, "del(17p)": 1.5, "t(4;14)": 1.5, "t(14;16)": 1.5, "46,xx": 1.5,
            "46,xy": 1.5, "iscn": 1.5, "copy number": 1, "msi": 0.6, "tmb": 1, "mut/mb": 1.5,
            "supporting reads": 2, "fusion detected": 2, "targeted genes": 1.5, "read depth": 1.5,
            "hgvs": 1.5, "c.": 0.2, "p.": 0.2, "nm_": 1.2, "clinvar": 1.2, "genotype": 0.8,
        },
    },
    T.HLA_TYPING: {
        "title": {
            "hla typing report": 8, "hla typing": 7, "histocompatibility report": 7,
            "histocompatibility laboratory": 6, "histocompatibility": 5, "tissue typing": 6,
            "hla genotyping": 7, "high resolution hla": 6, "hla class i": 4, "hla-a typing": 7,
            "transplant immunology": 4, "immunogenetics": 4,
        },
        "header": {
            "hla-a": 3, "hla-b": 3, "hla-c": 2.5, "hla-drb1": 3, "hla-dqb1": 3, "hla-dpb1": 2.5,
            "locus": 2, "allele 1": 3, "allele 2": 3, "typing method": 3, "resolution": 1.5,
        },
        "term": {
            "sequence-based typing": 2.5, "sbt": 1.2, "sso": 1.2, "ssp": 1, "allele": 1, "alleles": 1,
            "two-field": 2, "antigen": 0.5, "haplotype": 1.5, "donor": 0.3, "g group": 1.5,
            "p group": 1.5, "serologic": 0.8,
        },
    },
    T.IMAGING_REPORT: {
        "title": {
            "radiology report": 7, "imaging report": 7, "diagnostic imaging": 5, "radiology": 3,
            "pet/ct": 4, "pet-ct": 4, "pet ct": 4, "ct scan": 3, "mri": 3, "mri of the": 4,
            "magnetic resonance imaging": 4, "computed tomography": 4, "ct of the": 4,
            "ultrasound": 3, "sonogram": 3, "x-ray": 3, "radiograph": 3, "mammogram": 4,
            "mammography": 4, "bone scan": 4, "nuclear medicine": 4, "pet scan": 4, "ct chest": 4,
            "ct abdomen": 4, "mri brain": 4, "ct angiography": 4, "doppler": 2, "duplex": 3,
            "ct thorax": 4, "ct head": 4, "ct brain": 4, "ct neck": 4, "ct pelvis": 4, "mri spine": 4,
            "mri head": 4, "mr brain": 4, "chest x-ray": 4, "chest radiograph": 4, "pet/ct scan": 5,
            "ultrasound report": 6, "mri report": 6, "ct report": 6, "pet-ct report": 7, "pet/ct report": 7,
            "fdg pet": 4, "scan report": 4, "examination": 1,
        },
        "header": {
            "findings": 2.5, "impression": 1.5, "technique": 3, "comparison": 3, "exam": 3,
            "examination": 1.5, "indication": 1, "clinical indication": 1.5, "history": 0.2,
            "procedure": 0.3, "contrast": 2.5, "radiopharmaceutical": 3, "conclusion": 0.8,
            "opinion": 0.8, "views": 2.5, "clinical history": 0.3, "protocol": 1.5,
        },
        "term": {
            "suvmax": 2.5, "suv": 1.5, "fdg": 1.5, "fdg-avid": 2, "deauville": 2, "hypermetabolic": 1.5,
            "axial": 1.2, "sagittal": 1.2, "coronal": 1.2, "contrast-enhanced": 1.2, "enhancement": 1,
            "iv contrast": 1.5, "without contrast": 1.2, "with contrast": 1.2, "hounsfield": 1.5,
            "t1": 0.8, "t2": 0.8, "flair": 1.2, "diffusion": 0.8, "dwi": 1, "radiologist": 1.5,
            "attenuation": 1.2, "opacity": 1.2, "lucency": 1, "echogenic": 1.2, "hypoechoic": 1.5,
            "lymphadenopathy": 0.6, "mass effect": 1, "nodule": 0.6, "nodules": 0.6, "lesion": 0.4,
            "no acute": 0.6, "unremarkable": 0.6, "visualized": 1, "images": 0.6, "slice": 1,
            "mm": 0.2, "cm": 0.1, "recist": 1.2, "kvp": 1.5, "dlp": 1.5, "mci": 1.5, "mbq": 1.5,
            "uptake": 0.8, "pleural effusion": 0.4, "parenchyma": 0.6, "midline shift": 1,
        },
    },
    T.LAB_RESULTS: {
        "title": {
            "laboratory results": 7, "laboratory report": 7, "lab results": 6, "lab report": 6,
            "laboratory": 2.5, "cumulative report": 5, "complete blood count": 5, "blood count": 3,
            "comprehensive metabolic panel": 5, "basic metabolic panel": 5, "chemistry panel": 4,
            "serology report": 6, "infectious disease serology": 5, "infectious disease markers": 5,
            "hematology": 2.5, "haematology": 2.5, "biochemistry": 3, "clinical chemistry": 4,
            "pathology results": 3, "blood test results": 6, "test results": 3,
        },
        "header": {
            "reference range": 4, "ref range": 4, "reference interval": 4, "normal range": 3,
            "units": 2, "result": 1.2, "results": 1, "flag": 2.5, "test": 0.8, "analyte": 3,
            "specimen: blood": 2, "collected": 1.5, "collection date": 2, "received": 0.5,
            "cbc with differential": 3, "differential": 1.5, "chemistry": 2, "serology": 2.5,
            "ordering provider": 1.5, "ordering physician": 1.5, "urinalysis": 2,
        },
        "term": {
            "wbc": 1.2, "rbc": 1.2, "hemoglobin": 0.8, "haemoglobin": 0.8, "hematocrit": 1.2,
            "hgb": 1, "hct": 1.2, "platelets": 0.8, "plt": 1.2, "mcv": 1.5, "mch": 1.5, "mchc": 1.5,
            "rdw": 1.5, "neutrophils": 0.8, "anc": 0.8, "lymphocytes": 0.6, "monocytes": 1.2,
            "eosinophils": 1.2, "basophils": 1.5, "sodium": 0.8, "potassium": 0.8, "chloride": 1.2,
            "bicarbonate": 1, "co2": 0.8, "bun": 1, "urea": 0.8, "creatinine": 0.6, "glucose": 0.6,
            "calcium": 0.6, "albumin": 0.6, "total protein": 1.2, "alkaline phosphatase": 1,
            "alt": 0.8, "ast": 0.8, "bilirubin": 0.6, "total bilirubin": 1, "ldh": 0.8, "egfr": 0.3,
            "hbsag": 1.5, "hepatitis b surface antigen": 1.5, "anti-hcv": 1.5, "hcv antibody": 1.5,
            "hiv-1/2": 1.5, "hiv 1/2": 1.5, "non-reactive": 1.5, "nonreactive": 1.5, "reactive": 0.8,
            "hcg": 1.2, "beta-hcg": 1.5, "k/ul": 1.5, "x10^9/l": 1.5, "g/dl": 0.8, "mg/dl": 0.6,
            "u/l": 0.8, "umol/l": 1, "mmol/l": 1, "µmol/l": 1, "10^3/ul": 1.5, "fl": 0.8,
            "high": 0.2, "low": 0.2, "h": 0.1, "l": 0.1, "crcl": 0.5, "creatinine clearance": 0.6,
        },
    },
    T.CARDIAC_FUNCTION: {
        "title": {
            "echocardiogram report": 8, "echocardiography report": 8, "echocardiogram": 6,
            "echocardiography": 6, "transthoracic echocardiogram": 7, "transesophageal echocardiogram": 7,
            "2-d echocardiogram": 7, "2d echo": 6, "echo report": 7, "muga scan": 7, "muga": 5,
            "multigated acquisition": 7, "radionuclide ventriculography": 7, "electrocardiogram": 5,
            "ecg report": 6, "ekg": 3, "12-lead ecg": 5, "stress test": 5, "exercise stress test": 6,
            "nuclear stress test": 6, "myocardial perfusion": 6, "myocardial perfusion imaging": 6,
            "holter monitor": 6, "holter": 4, "cardiac mri": 5, "cardiac function": 5,
            "stress echocardiogram": 7, "dobutamine stress": 6, "cardiology report": 5,
            "left ventricular function": 4,
        },
        "header": {
            "left ventricle": 3, "right ventricle": 3, "left atrium": 3, "right atrium": 2.5,
            "mitral valve": 3, "aortic valve": 3, "tricuspid valve": 3, "pulmonic valve": 3,
            "pericardium": 2, "measurements": 1, "summary": 0.3, "conclusions": 0.8,
            "exercise protocol": 3, "stress ecg": 3, "rhythm": 1.5, "intervals": 1.5,
            "perfusion": 2, "wall motion": 3, "protocol": 0.5,
        },
        "term": {
            "lvef": 2.5, "ejection fraction": 2, "ef": 0.8, "wall motion": 1.5, "hypokinesis": 1.5,
            "diastolic dysfunction": 1.5, "diastolic function": 1.5, "regurgitation": 1.5,
            "stenosis": 0.5, "doppler": 0.8, "e/a": 1.5, "e/e'": 1.5, "lvidd": 2, "lv": 0.8,
            "rvsp": 2, "tapse": 2, "gls": 1.5, "global longitudinal strain": 2, "pericardial effusion": 1,
            "sinus rhythm": 1.5, "qtc": 1.5, "pr interval": 1.5, "qrs": 1.2, "bruce protocol": 2.5,
            "bruce": 1.2, "mets": 1.2, "target heart rate": 2, "st depression": 1.5, "st segment": 1.5,
            "ischemia": 1, "infarct": 0.6, "technetium": 1, "sestamibi": 2, "myoview": 2, "lexiscan": 2,
            "adenosine": 1, "thallium": 1.5, "cardiolite": 2, "spect": 1.5, "gated": 1.5,
            "bpm": 0.8, "premature ventricular": 1.2, "pvcs": 1.2, "atrial fibrillation": 0.5,
            "cardiac": 0.3, "ventricular": 0.6, "valve": 0.5, "septal": 1, "aortic root": 1.5,
        },
    },
    T.PULMONARY_FUNCTION: {
        "title": {
            "pulmonary function test": 8, "pulmonary function tests": 8, "pulmonary function report": 8,
            "pulmonary function": 6, "lung function test": 8, "lung function": 5, "spirometry": 6,
            "pft": 5, "pfts": 5, "full pulmonary function": 8, "respiratory function": 6,
        },
        "header": {
            "spirometry": 3, "lung volumes": 4, "diffusing capacity": 4, "diffusion capacity": 4,
            "pre-bronchodilator": 3, "post-bronchodilator": 3, "flow-volume": 3, "interpretation": 0.5,
        },
        "term": {
            "fev1": 3, "fvc": 3, "fev1/fvc": 3, "dlco": 3, "tlc": 2, "frc": 2, "rv/tlc": 2,
            "% predicted": 1.2, "percent predicted": 1.2, "% pred": 1.5, "bronchodilator": 1.5,
            "obstructive": 1, "restrictive": 1, "airflow obstruction": 1.5, "fef25-75": 2.5,
            "mmef": 2, "kco": 2, "va": 0.5, "spirometric": 2,
        },
    },
    T.CLINIC_NOTE: {
        "title": {
            "clinic note": 7, "progress note": 7, "office visit": 6, "office note": 7, "clinic visit": 6,
            "consultation note": 7, "consultation": 4, "consult note": 7, "outpatient note": 7,
            "follow-up visit": 6, "follow up visit": 6, "history and physical": 6, "h&p": 5,
            "oncology consultation": 7, "new patient consultation": 7, "oncology clinic": 5,
            "outpatient clinic letter": 5, "clinic letter": 4, "follow-up note": 6, "soap note": 6,
            "new patient visit": 6, "return visit": 5, "outpatient visit": 6, "haematology clinic": 5,
            "hematology clinic": 5, "medical oncology": 2.5, "consult": 3, "clinic review": 5,
            "admission history and physical": 6, "oncology follow-up": 6, "telehealth visit": 6,
        },
        "header": {
            "history of present illness": 4.5, "hpi": 3.5, "chief complaint": 4, "reason for visit": 4,
            "reason for consultation": 4.5, "reason for consult": 4.5, "reason for referral": 2,
            "review of systems": 3.5, "ros": 2, "physical examination": 1.5, "physical exam": 1.5,
            "exam": 0.5, "assessment and plan": 4, "assessment/plan": 4, "assessment & plan": 4,
            "assessment": 2, "plan": 1.2, "impression and plan": 3.5, "subjective": 3.5, "objective": 2.5,
            "vital signs": 1.5, "vitals": 1.5, "past medical history": 1, "social history": 1,
            "family history": 1, "allergies": 1, "interval history": 4, "performance status": 2.5,
            "ecog performance status": 3, "recommendations": 1.5, "general": 0.5, "heent": 2,
            "extremities": 1.2, "neurologic": 0.8, "lungs": 0.8, "heart": 0.6, "abdomen": 0.4,
            "current medications": 0.8, "past surgical history": 1, "history": 0.3,
        },
        "term": {
            "ecog": 1.2, "karnofsky": 1.2, "presents": 0.8, "presents for": 1, "presents with": 1,
            "complains of": 1, "denies": 1, "reports": 0.3, "follow-up": 0.6, "follow up": 0.6,
            "return to clinic": 1.5, "rtc": 1.5, "we discussed": 1.2, "i discussed": 1.2,
            "discussed with the patient": 1.2, "counseled": 1, "counselled": 1, "seen today": 1.5,
            "thank you for referring": 5, "thank you for your referral": 5, "i saw": 1.5, "i reviewed": 1.2,
            "in clinic today": 2.5, "reviewed in clinic": 2.5, "was seen in": 1,
            "seen in clinic": 1.5, "year-old": 0.5, "well-appearing": 1, "no acute distress": 1.2,
            "alert and oriented": 1, "auscultation": 0.8, "nontender": 0.6, "plan:": 0.5,
        },
    },
    T.TREATMENT_SUMMARY: {
        "title": {
            "treatment summary": 8, "treatment history": 6, "oncology treatment summary": 8,
            "chemotherapy summary": 7, "summary of treatment": 7, "prior therapies": 5,
            "prior treatment": 4, "lines of therapy": 6, "treatment record": 5, "therapy summary": 7,
            "radiation treatment summary": 7, "radiotherapy summary": 7, "transplant summary": 6,
            "systemic therapy history": 7, "cancer treatment summary": 8, "end of treatment summary": 8,
            "treatment summary and care plan": 8, "chemotherapy flowsheet": 6, "chemotherapy history": 6,
            "treatment timeline": 6, "prior systemic therapy": 5, "oncology history summary": 6,
        },
        "header": {
            "line 1": 2.5, "line 2": 2.5, "line 3": 2, "first line": 1.5, "second line": 1.5,
            "first-line": 1.5, "second-line": 1.5, "third-line": 1.5, "regimen": 2, "regimens": 2,
            "cycles": 1.5, "best response": 3.5, "response": 0.8, "start date": 1.5, "end date": 1.5,
            "stop date": 1.5, "dates": 0.5, "prior lines of therapy": 3.5, "number of prior lines": 3.5,
            "radiation": 0.5, "transplant": 0.5, "toxicities": 1.5, "reason stopped": 2.5,
            "treatment intent": 2, "systemic therapy": 1.5,
        },
        "term": {
            "r-chop": 1, "chop": 0.6, "r-ice": 1, "ice": 0.3, "r-gemox": 1, "dhap": 1, "bendamustine": 0.6,
            "rituximab": 0.5, "cyclophosphamide": 0.4, "doxorubicin": 0.4, "ifosfamide": 0.5,
            "lenalidomide": 0.5, "bortezomib": 0.5, "daratumumab": 0.5, "pembrolizumab": 0.4,
            "nivolumab": 0.4, "ipilimumab": 0.4, "complete response": 0.8, "partial response": 0.8,
            "progressive disease": 0.8, "stable disease": 0.8, "refractory": 0.6, "relapsed": 0.4,
            "asct": 0.6, "autologous stem cell": 0.6, "x 6 cycles": 1, "cycles of": 0.8, "cr": 0.3,
            "pr": 0.2, "pd": 0.3,
        },
    },
    T.DISCHARGE_SUMMARY: {
        "title": {
            "discharge summary": 9, "hospital discharge summary": 9, "discharge note": 7,
            "discharge letter": 7, "inpatient discharge summary": 9, "death summary": 8,
            "transfer summary": 7, "discharge report": 8, "summary of admission": 6,
            "admission summary": 5, "immediate discharge summary": 9, "inpatient summary": 6,
            "discharge summary and instructions": 9, "hospital summary": 6,
        },
        "header": {
            "hospital course": 5, "course in hospital": 5, "course of hospitalization": 5,
            "date of admission": 4, "admission date": 4, "date of discharge": 5, "discharge date": 5,
            "admitting diagnosis": 4, "admission diagnosis": 4, "admission diagnoses": 4,
            "discharge diagnosis": 5, "discharge diagnoses": 5, "principal diagnosis": 2.5,
            "discharge medications": 4.5, "medications on discharge": 4.5, "discharge instructions": 4,
            "condition at discharge": 4.5, "condition on discharge": 4.5, "discharge condition": 4.5,
            "disposition": 2.5, "discharge disposition": 4, "follow-up appointments": 1.5,
            "procedures performed": 1, "consultations": 1.2, "length of stay": 3, "cause of death": 4,
            "transfer diagnoses": 4, "reason for admission": 3.5, "brief hospital course": 5,
            "discharge plan": 3.5, "admitted": 0.8, "discharge diet": 4, "discharge activity": 4,
            "discharge followup": 4, "discharge follow-up": 4, "discharge instructions and follow-up": 4,
            "diet": 0.8, "activity": 0.8, "hospital stay": 2, "admitting physician": 2.5,
            "attending physician": 0.8, "discharging physician": 3,
        },
        "term": {
            "was admitted": 1.5, "admitted to": 1, "discharged home": 2, "discharged to": 1.5,
            "was discharged": 2, "hospital day": 1.5, "hospitalization": 1, "inpatient": 0.8,
            "on the day of discharge": 2, "prior to discharge": 1.5, "stable for discharge": 2,
            "los": 0.8, "ward": 0.6, "icu": 0.5,
        },
    },
    T.OPERATIVE_REPORT: {
        "title": {
            "operative report": 9, "operative note": 9, "operation report": 9, "operation note": 9,
            "surgical report": 6, "procedure note": 6, "procedure report": 5, "brief operative note": 9,
            "report of operation": 9, "operative procedure": 6, "operative record": 8, "op note": 8,
            "surgical procedure note": 8,
        },
        "header": {
            "preoperative diagnosis": 5, "pre-operative diagnosis": 5, "postoperative diagnosis": 5,
            "post-operative diagnosis": 5, "procedure performed": 3.5, "procedures performed": 3,
            "operation performed": 4.5, "name of procedure": 3.5, "name of operation": 4.5,
            "operation": 2, "procedure": 1.5, "procedures": 1.2, "surgeon": 3.5, "assistant": 2,
            "assistants": 2, "assistant surgeon": 3, "anesthesia": 2.5, "anaesthesia": 2.5,
            "anesthesiologist": 2, "estimated blood loss": 4, "ebl": 3, "blood loss": 2.5,
            "complications": 1.5, "specimens": 1.5, "specimen": 0.5, "drains": 2.5, "fluids": 1.2,
            "indications": 1.2, "indications for procedure": 2.5, "indication for operation": 3,
            "description of procedure": 3.5, "description of operation": 4, "details of procedure": 3.5,
            "details of operation": 4, "operative findings": 4, "findings": 0.5, "implants": 2,
            "condition": 0.5, "operative technique": 4, "urine output": 1.5, "disposition": 0.3,
        },
        "term": {
            "incision": 1.5, "was prepped and draped": 3, "prepped and draped": 3, "draped": 1.5,
            "sterile fashion": 2, "time-out": 2, "time out": 1.2, "sutures": 1.5, "suture": 1.2,
            "vicryl": 2, "monocryl": 2, "prolene": 2, "hemostasis": 2, "retractor": 1.5, "trocar": 2,
            "cautery": 1.5, "electrocautery": 1.5, "dissection": 0.8, "general endotracheal": 2,
            "supine position": 1.5, "closed in layers": 2, "tolerated the procedure": 2,
            "sponge and needle counts": 2.5, "recovery room": 1.5, "pacu": 1.5, "laparoscopic": 0.8,
            "resection": 0.5, "excised": 0.6, "irrigated": 1.5, "skin was closed": 2,
        },
    },
    T.MEDICATION_LIST: {
        "title": {
            "medication list": 9, "current medications": 5, "medication reconciliation": 8,
            "medication administration record": 7, "active medications": 6, "home medications": 5,
            "outpatient medications": 6, "list of medications": 8, "medications": 2.5,
            "medication profile": 8, "medication history": 4, "medication summary": 7,
            "current medication list": 9, "prescription list": 6, "drug chart": 6, "medicines": 3,
            "repeat prescriptions": 6,
        },
        "header": {
            "medication": 1.5, "dose": 2, "dosage": 2, "strength": 1.5, "frequency": 2.5, "route": 2.5,
            "sig": 2.5, "instructions": 1, "start date": 0.8, "last dose": 2.5, "last taken": 2.5,
            "prescriber": 2.5, "indication": 0.5, "status": 0.5, "quantity": 1.5, "refills": 2,
        },
        "term": {
            "mg": 0.3, "tablet": 1, "tablets": 1, "capsule": 1, "by mouth": 1, "po": 0.6, "daily": 0.6,
            "once daily": 1, "twice daily": 1, "bid": 0.8, "tid": 0.8, "qd": 0.8, "qhs": 1, "prn": 1,
            "as needed": 0.8, "subcutaneous": 0.6, "inhaler": 0.8, "mcg": 0.5, "units": 0.2,
            "discontinued": 0.6, "active": 0.3,
        },
    },
    T.REFERRAL_LETTER: {
        "title": {
            "referral letter": 9, "letter of referral": 9, "referral for": 4, "referral": 3.5,
            "re: referral": 8, "request for consultation": 6, "referral form": 6, "cell therapy referral": 8,
            "car-t referral": 8, "car t referral": 8, "urgent referral": 7,
        },
        "header": {
            "dear dr": 2.5, "dear doctor": 2.5, "dear colleague": 3, "dear": 1, "re:": 1.5,
            "reason for referral": 3.5, "referring physician": 2.5, "referring doctor": 2.5,
            "referring clinician": 2.5, "referred by": 1.5, "yours sincerely": 2, "sincerely": 1.5,
            "kind regards": 2, "yours faithfully": 2, "best regards": 1.5, "with best wishes": 1.5,
            "cc:": 1, "question for consultant": 3,
        },
        "term": {
            "thank you for seeing": 5, "thank you for your consideration": 3, "i am writing to refer": 6,
            "i would like to refer": 6, "i am referring": 5, "i would be grateful": 3,
            "would be grateful if you could": 4, "please see": 1.5, "for your evaluation": 3,
            "for evaluation": 1.5, "for consideration of": 2, "kindly": 1.5, "i would appreciate": 2.5,
            "your opinion": 2.5, "your assessment": 2, "referred to you": 3, "to refer": 2,
            "for further evaluation": 1.5, "please do not hesitate": 2.5, "feel free to contact": 2,
            "thank you for allowing": 1.2, "i am writing": 2, "this patient to you": 3,
            "please evaluate": 3, "evaluate and treat": 3, "your evaluation": 2.5, "your recommendations": 2,
            "your expert opinion": 3, "asking you to see": 4, "kindly see": 3, "see this patient": 2.5,
            "would be grateful if you would see": 4, "i would appreciate your": 3, "for further management": 1,
            "i am sending": 2.5, "referring him": 3, "referring her": 3, "referring this": 3,
        },
    },
    T.ADMINISTRATIVE: {
        "title": {
            "face sheet": 8, "facesheet": 8, "patient registration": 7, "registration form": 7,
            "insurance information": 6, "prior authorization": 6, "prior authorisation": 6,
            "authorization request": 6, "consent form": 6, "informed consent": 5,
            "fax cover sheet": 8, "fax cover": 7, "release of information": 6, "demographics": 4,
            "patient demographics": 6, "insurance verification": 7, "benefits verification": 7,
            "financial clearance": 7, "caregiver plan": 5, "lodging": 2, "patient information form": 6,
            "notice of privacy practices": 6, "letter of medical necessity": 6, "appeal": 2,
        },
        "header": {
            "insurance": 2, "primary insurance": 3.5, "secondary insurance": 3.5, "payer": 3,
            "insurer": 2.5, "policy number": 3.5, "policy no": 3.5, "member id": 3.5, "group number": 3.5,
            "subscriber": 3, "guarantor": 3.5, "emergency contact": 3, "next of kin": 2,
            "address": 1, "phone": 0.8, "telephone": 0.6, "marital status": 2, "employer": 2.5,
            "number of pages": 3, "pages": 0.8, "to:": 1, "from:": 1, "fax": 1.2, "signature": 1,
            "relationship to patient": 2.5, "authorization number": 3.5, "cpt": 2, "npi": 2,
            "primary care physician": 1, "preferred language": 1.5, "religion": 1.5,
        },
        "term": {
            "confidentiality notice": 3, "intended recipient": 2.5, "hipaa": 1.5, "copay": 2,
            "deductible": 2, "medicare": 1, "medicaid": 1, "blue cross": 1.5, "aetna": 1.5,
            "united healthcare": 1.5, "cigna": 1.5, "i consent": 2, "i authorize": 2, "witness": 1,
        },
    },
    T.OTHER: {
        "title": {
            "electroencephalogram": 7, "eeg report": 8, "eeg": 5, "video eeg": 7, "electromyography": 7,
            "emg": 5, "nerve conduction study": 7, "nerve conduction studies": 7, "emg/ncs": 7,
            "polysomnography": 7, "polysomnogram": 7, "sleep study": 7, "cpap titration": 7,
            "electronystagmogram": 7, "electronystagmography": 7, "audiogram": 6, "audiology": 5,
            "physical therapy": 4, "occupational therapy": 4, "speech therapy": 4, "dietary": 3,
            "nutrition consult": 3,
        },
        "header": {
            "background": 1, "photic stimulation": 3, "hyperventilation": 2, "sleep architecture": 3,
            "motor nerve": 2.5, "sensory nerve": 2.5, "needle emg": 3, "apnea-hypopnea index": 3,
        },
        "term": {
            "alpha rhythm": 2, "posterior dominant rhythm": 2.5, "epileptiform": 2, "spike": 0.8,
            "conduction velocity": 2.5, "latency": 1.2, "amplitude": 0.8, "fibrillation potentials": 2.5,
            "motor unit": 2, "ahi": 2, "apnea": 1, "hypopnea": 1.5, "rem sleep": 2, "sleep latency": 2.5,
            "oxygen desaturation": 1, "nystagmus": 1.5, "caloric": 1.5, "montage": 2, "electrodes": 1,
        },
    },
}

# Chinese report titles and section headers (simplified), as printed on mainland hospital forms.
_ZH: dict[DocType, dict[Kind, dict[str, float]]] = {
    T.PATHOLOGY_REPORT: {
        "title": {"病理报告": 8, "病理诊断报告": 8, "病理检查报告": 8, "病理学诊断": 6, "细胞学报告": 7,
                  "骨髓检查报告": 7, "骨髓活检": 5, "病理会诊": 7, "免疫组化报告": 7},
        "header": {"病理诊断": 4, "大体所见": 4, "肉眼所见": 4, "镜下所见": 4, "光镜所见": 4,
                   "免疫组化": 3, "标本名称": 3, "送检标本": 3, "病理号": 3, "取材部位": 3},
        "term": {"切片": 1, "蜡块": 1.5, "组织": 0.5, "送检": 1, "免疫组化结果": 2},
    },
    T.MOLECULAR_REPORT: {
        "title": {"基因检测报告": 8, "分子病理报告": 8, "分子检测报告": 8, "染色体核型分析": 7,
                  "荧光原位杂交": 6, "二代测序": 6, "基因突变检测": 7},
        "header": {"检测基因": 3, "检测方法": 2, "突变位点": 3, "检测结果": 1},
        "term": {"突变": 1.2, "融合": 1.2, "重排": 1.2, "测序": 1.5, "等位基因": 1, "外显子": 1.5},
    },
    T.HLA_TYPING: {
        "title": {"HLA分型报告": 9, "HLA分型": 8, "组织配型": 7, "HLA基因分型": 9},
        "header": {"位点": 2, "等位基因": 2},
        "term": {"分型": 1.5},
    },
    T.IMAGING_REPORT: {
        "title": {"影像诊断报告": 8, "放射学报告": 8, "CT检查报告": 8, "CT报告": 7, "MRI报告": 7,
                  "磁共振检查报告": 8, "磁共振": 4, "PET-CT检查报告": 8, "PET/CT检查报告": 8,
                  "超声检查报告": 8, "超声报告": 7, "影像学检查": 5, "X线检查报告": 8, "医学影像": 5,
                  "CT诊断报告": 8, "MRI诊断报告": 8, "MR诊断报告": 8, "影像报告": 7, "放射科": 4, "核医学": 4},
        "header": {"检查所见": 4, "影像所见": 4, "影像学表现": 4, "诊断意见": 2.5, "影像诊断": 4,
                   "检查部位": 3, "检查方法": 2.5, "印象": 2, "超声所见": 4, "超声提示": 4},
        "term": {"增强扫描": 2, "平扫": 2, "密度": 1, "信号": 1, "强化": 1.5, "代谢": 1, "SUVmax": 2.5},
    },
    T.LAB_RESULTS: {
        "title": {"检验报告单": 9, "检验报告": 8, "化验单": 8, "血常规": 6, "生化检查": 6, "肝功能": 4,
                  "肾功能": 4, "检验科": 5, "传染病筛查": 6, "感染性疾病筛查": 6},
        "header": {"参考范围": 4, "参考值": 4, "检验项目": 4, "项目名称": 3, "结果": 1, "单位": 2,
                   "采样时间": 2.5, "标本类型": 2.5, "检验者": 2, "审核者": 2},
        "term": {"白细胞": 1.2, "血小板": 1, "血红蛋白": 1, "中性粒细胞": 1.2, "肌酐": 1, "胆红素": 1,
                 "谷丙转氨酶": 1.2, "阴性": 0.8, "阳性": 0.6, "乙肝表面抗原": 1.5, "丙肝抗体": 1.5},
    },
    T.CARDIAC_FUNCTION: {
        "title": {"超声心动图报告": 9, "超声心动图": 7, "心脏彩超": 7, "心脏超声": 7, "心电图报告": 8,
                  "心电图": 5, "心功能检查": 7},
        "header": {"左心室": 2.5, "二尖瓣": 2.5, "主动脉瓣": 2.5, "室壁运动": 3},
        "term": {"射血分数": 2.5, "左室射血分数": 3, "窦性心律": 2, "舒张功能": 1.5},
    },
    T.PULMONARY_FUNCTION: {
        "title": {"肺功能检查报告": 9, "肺功能检查": 8, "肺功能报告": 9, "肺功能": 6},
        "header": {"通气功能": 3, "弥散功能": 3},
        "term": {"预计值": 2, "第一秒用力呼气容积": 3, "用力肺活量": 3},
    },
    T.CLINIC_NOTE: {
        "title": {"门诊病历": 8, "门诊记录": 8, "会诊记录": 7, "复诊记录": 7, "病程记录": 6, "入院记录": 6,
                  "门诊": 3},
        "header": {"主诉": 4, "现病史": 4, "既往史": 2.5, "体格检查": 2.5, "查体": 2.5, "处理": 2,
                   "诊疗意见": 3, "初步诊断": 2.5, "体能状态": 2.5},
        "term": {"ECOG评分": 1.5, "随访": 1},
    },
    T.TREATMENT_SUMMARY: {
        "title": {"治疗小结": 9, "治疗总结": 9, "化疗记录": 7, "治疗经过": 5, "既往治疗": 5},
        "header": {"治疗方案": 3, "疗效评价": 3.5, "周期": 2},
        "term": {"线治疗": 2, "一线": 1.5, "二线": 1.5, "完全缓解": 1, "部分缓解": 1, "疾病进展": 1},
    },
    T.DISCHARGE_SUMMARY: {
        "title": {"出院小结": 10, "出院记录": 10, "出院证明": 7, "出院总结": 10, "死亡记录": 7},
        "header": {"入院日期": 4, "出院日期": 5, "入院诊断": 4, "出院诊断": 5, "住院经过": 5, "诊疗经过": 4,
                   "出院医嘱": 5, "出院情况": 5, "住院天数": 4, "入院情况": 4},
        "term": {"住院": 1, "出院": 1},
    },
    T.OPERATIVE_REPORT: {
        "title": {"手术记录": 10, "手术报告": 9},
        "header": {"术前诊断": 5, "术后诊断": 5, "手术名称": 4.5, "手术者": 3.5, "主刀": 3.5, "助手": 2,
                   "麻醉方式": 3.5, "手术经过": 4, "术中所见": 4, "出血量": 3},
        "term": {"切口": 1.5, "缝合": 1.5, "止血": 1.5},
    },
    T.MEDICATION_LIST: {
        "title": {"用药清单": 9, "用药记录": 8, "医嘱单": 6, "长期医嘱": 6},
        "header": {"药品名称": 4, "剂量": 2.5, "用法": 2.5, "频次": 2.5},
        "term": {"口服": 1, "每日": 0.8, "片": 0.3},
    },
    T.REFERRAL_LETTER: {
        "title": {"转诊单": 9, "转诊信": 9, "转诊": 5, "推荐信": 5},
        "header": {"转诊原因": 4, "转出医院": 3, "转入医院": 3},
        "term": {"敬请": 2, "此致": 2},
    },
    T.ADMINISTRATIVE: {
        "title": {"知情同意书": 8, "住院登记": 7, "医保": 4},
        "header": {"联系人": 2, "联系电话": 2, "医保卡号": 3},
        "term": {},
    },
    T.OTHER: {"title": {"脑电图": 7, "肌电图": 7, "睡眠监测": 7}, "header": {}, "term": {}},
}


def _flatten(table: dict[DocType, dict[Kind, dict[str, float]]]) -> list[Signal]:
    return [
        Signal(phrase, doc_type, weight, kind)
        for doc_type, kinds in table.items()
        for kind, phrases in kinds.items()
        for phrase, weight in phrases.items()
    ]


EN_SIGNALS: list[Signal] = _flatten(_EN)
ZH_SIGNALS: list[Signal] = _flatten(_ZH)
