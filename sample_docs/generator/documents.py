"""Text builders, one per document type: what each record says, in each institution's words.

`build(doc_type, patient, date, institution, rng, **values)` is the public entry; keyword values
override what the builder would otherwise draw (e.g. `lvef=38`, `disease="mm"`, `ecog=1`).
"""

from __future__ import annotations

import datetime as dt
import random
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from .compose import compose, fmt_date, gap, heading, para
from .diseases import DISEASES, STAFF, Disease
from .labs import lab_rows
from .model import Built, Institution, Line, Person
from .people import INSTITUTIONS, PATIENTS

DOC_TYPES: tuple[str, ...] = (
    "pathology_report",
    "molecular_report",
    "hla_typing",
    "imaging_report",
    "lab_results",
    "cardiac_function",
    "pulmonary_function",
    "clinic_note",
    "treatment_summary",
    "discharge_summary",
    "operative_report",
    "medication_list",
    "referral_letter",
    "administrative",
    "other",
)


@dataclass
class Ctx:
    inst: Institution
    p: Person
    d: dt.date
    rng: random.Random
    v: dict[str, Any]
    fields: dict[str, Any] = field(default_factory=dict)
    # When the specimen a report is about was taken (printed as "Collected"): such a report
    # is dated by it (docs/CONTRACTS.md), while `d` stays the day it was reported.
    collected: dt.date | None = None

    def collected_ago(self, days: int) -> str:
        self.collected = self.ago(days)
        return self.date(self.collected)

    @property
    def disease(self) -> Disease:
        return DISEASES[self.v.get("disease", "lbcl")]

    def date(self, d: dt.date) -> str:
        return fmt_date(d, self.inst)

    def ago(self, days: int) -> dt.date:
        return self.d - dt.timedelta(days=days)

    def months_ago(self, months: int) -> dt.date:
        return self.d - dt.timedelta(days=round(months * 30.4))

    def staff(self, i: int = 0) -> str:
        names = STAFF[self.inst.key]
        return names[i % len(names)]

    def orderer(self) -> str:
        """Who ordered a test: the house's own clinician, or the referring oncologist for labs and
        imaging centres that have no clinicians of their own."""
        if self.inst.key in ("stbrendan", "meridian", "elmsworth", "binjiang"):
            return self.staff(0)
        return "Priya Raman, MD"

    def h(self, text: str) -> Line:
        return heading(self.inst, _HEADINGS.get(text, {}).get(self.inst.key, text))

    def para(self, text: str, style: str = "body") -> list[Line]:
        return para(self.inst, text, style)

    def acc(self, prefix: str) -> str:
        return f"{prefix}{self.d.strftime('%y')}-{self.rng.randint(10000, 99999)}"

    def time(self) -> str:
        return f"{self.rng.randint(7, 17):02d}:{self.rng.choice((5, 12, 24, 37, 42, 50)):02d}"

    def signature(self, when: dt.date, i: int = 0, at: str | None = None) -> list[Line]:
        key, who, t = self.inst.key, self.staff(i), at or self.time()
        if key == "stbrendan":
            return [Line((f"Electronically signed by {who} on {self.date(when)} at {t}",), "sig")]
        if key == "lakeshore":
            return [Line((f"Electronically signed out by {who}, {self.date(when)} {t}",), "sig")]
        if key == "meridian":
            return [Line((f"Signed: {who}  {self.date(when)} {t}",), "sig")]
        if key == "northgate":
            return [Line((f"Verified by: {who}  {self.date(when)} {t}",), "sig")]
        if key == "elmsworth":
            return [
                Line((who,), "sig"),
                Line((f"Dictated {self.date(when)}; typed {self.date(when)}",), "small"),
            ]
        if key == "cascadia":
            return [Line((f"Electronically signed by {who} on {self.date(when)} {t}",), "sig")]
        if key == "helix":
            return [Line((f"Approved by: {who}  {self.date(when)}",), "sig")]
        return [
            Line(
                (
                    f"报告医师：{self.staff(0)}  审核医师：{self.staff(1)}  报告日期：{self.date(when)}",
                ),
                "sig",
            )
        ]


# Each house words its section headings its own way; the canonical wording is the key.
_HEADINGS: dict[str, dict[str, str]] = {
    "Final diagnosis": {
        "lakeshore": "Diagnosis",
        "elmsworth": "Conclusion",
        "meridian": "Final pathologic diagnosis",
    },
    "Clinical history": {
        "elmsworth": "Clinical details",
        "cascadia": "History",
        "meridian": "Clinical information",
    },
    "Gross description": {"elmsworth": "Macroscopy", "meridian": "Gross"},
    "Specimen": {"lakeshore": "Specimen(s) received", "elmsworth": "Specimen type"},
    "History of present illness": {
        "stbrendan": "Interval history",
        "elmsworth": "History",
        "meridian": "HPI",
    },
    "Physical examination": {"stbrendan": "Exam", "elmsworth": "On examination"},
    "Review of systems": {"elmsworth": "Systems enquiry", "meridian": "ROS"},
    "Assessment and plan": {
        "elmsworth": "Impression and plan",
        "meridian": "Assessment/Plan",
        "lakeshore": "Impression/Plan",
    },
    "Findings": {"elmsworth": "Report"},
    "Impression": {"elmsworth": "Conclusion", "meridian": "Summary"},
    "Clinical indication": {
        "elmsworth": "Clinical details",
        "meridian": "Indication",
        "stbrendan": "Reason for exam",
    },
    "Hospital course": {"stbrendan": "Brief hospital course", "elmsworth": "Summary of admission"},
    "Discharge medications": {
        "elmsworth": "Medications on discharge",
        "lakeshore": "Discharge medication list",
    },
    "Principal diagnosis": {"elmsworth": "Primary diagnosis", "lakeshore": "Discharge diagnosis"},
    "Treatment history by line": {
        "elmsworth": "Previous systemic anticancer therapy",
        "meridian": "Prior therapy",
    },
    "Active medications": {"elmsworth": "Current medicines", "lakeshore": "Outpatient medications"},
    "Measurements": {"lakeshore": "2D and Doppler measurements", "elmsworth": "Measurements"},
    "Conclusion": {"stbrendan": "Summary", "meridian": "Interpretation"},
}


Builder = Callable[[Ctx], tuple[str, list[tuple[str, str]], list[Line]]]


def _lc(text: str) -> str:
    """Lower-case a leading capital inside a sentence, but keep acronyms (MRD, R-CHOP)."""
    return text[:1].lower() + text[1:] if text[1:2].islower() else text


def _table(head: tuple[str, ...], rows: list[tuple[str, ...]]) -> list[Line]:
    return [Line(head, "thead")] + [Line(r, "table") for r in rows]


# ---------------------------------------------------------------- pathology


def pathology(c: Ctx) -> tuple[str, list[tuple[str, str]], list[Line]]:
    dz = c.disease
    inst = c.inst
    variant = c.v.get("variant", "")
    title = {"elmsworth": "Histopathology Report", "lakeshore": "Surgical Pathology Report"}.get(
        inst.key, "SURGICAL PATHOLOGY REPORT"
    )
    marrow = dz.key in ("mm", "all")
    if marrow:
        title = (
            "Hematopathology Report" if inst.key == "lakeshore" else "BONE MARROW PATHOLOGY REPORT"
        )
    pairs = [
        ("Accession", c.acc("S" if not marrow else "BM")),
        ("Collected", c.collected_ago(3)),
        ("Received", c.date(c.ago(2))),
        ("Reported", c.date(c.d)),
        ("Submitting physician", c.v.get("submitter", c.orderer())),
    ]
    body = [c.h("Specimen"), *c.para(c.v.get("specimen", dz.specimen)), gap()]
    body += [
        c.h("Clinical history"),
        *c.para(
            c.v.get(
                "history",
                f"History of {dz.short}; evaluate for relapse / residual disease. Prior therapy as per referral.",
            )
        ),
        gap(),
    ]
    body += [c.h("Final diagnosis"), Line((dz.dx,), "body")]
    c.fields["diagnosis"] = dz.dx
    ihc: list[tuple[str, str]] = []
    if dz.key == "lbcl":
        body += c.para(
            "- Tumor cells are large, with vesicular chromatin and prominent nucleoli; Ki-67 approximately 80%."
        )
        ihc = [
            ("CD20", "Positive (diffuse)"),
            ("CD10", "Positive"),
            ("BCL6", "Positive"),
            ("MUM1", "Negative"),
            ("BCL2", "Positive (70%)"),
            ("MYC", "Positive (30%)"),
            ("CD19", "Positive"),
            ("Ki-67", "80%"),
        ]
        c.fields["cd19"] = "positive"
    elif dz.key == "mm":
        body += c.para(
            "- Hypercellular marrow (70%) with 45% clonal plasma cells by CD138 immunohistochemistry, kappa light chain restricted."
        )
        ihc = [
            ("CD138", "Positive, 45% of cellularity"),
            ("Kappa ISH", "Positive (restricted)"),
            ("Lambda ISH", "Rare scattered cells"),
            ("CD56", "Positive"),
            ("BCMA (IHC)", "Positive"),
        ]
        c.fields["bcma"] = "positive"
    elif dz.key == "all":
        body += c.para(
            "- Hypercellular marrow (90%) with 68% lymphoblasts on aspirate differential."
        )
        body += c.para(
            "- Flow cytometry: abnormal B-lymphoblast population (66% of events) expressing CD19, CD10, CD34, CD22 (dim), TdT; negative for myeloid and T-cell markers."
        )
        ihc = [
            ("CD19 (flow)", "Positive, 98% of blasts"),
            ("CD22 (flow)", "Positive, dim"),
            ("CD10", "Positive"),
            ("CD34", "Positive"),
            ("TdT", "Positive"),
            ("MPO", "Negative"),
        ]
        c.fields["cd19"] = "positive"
    elif dz.key == "melanoma":
        body += c.para(
            "- Metastatic melanoma in soft tissue, 2.4 cm in greatest dimension; margins not assessed (core biopsy)."
        )
        ihc = [
            ("SOX10", "Positive"),
            ("Melan-A", "Positive"),
            ("HMB-45", "Focally positive"),
            ("BRAF V600E (VE1)", "Positive"),
            ("PD-L1 (22C3)", "TPS 5%"),
        ]
        c.fields["pd_l1"] = 5.0
    elif dz.key == "pdac":
        body += c.para(
            "- Tumor size 2.8 cm; perineural invasion present; lymphovascular invasion present."
        )
        body += c.para(
            "- Margins: all margins negative for carcinoma (R0); closest (SMA) margin 0.4 cm."
        )
        body += c.para("- Lymph nodes: metastatic carcinoma in 3 of 21 lymph nodes (3/21).")
        body += c.para("- Treatment effect (CAP): partial response, score 2.")
        ihc = [
            ("Mismatch repair (MLH1, PMS2, MSH2, MSH6)", "Intact (proficient)"),
            ("HER2", "Negative"),
        ]
    elif dz.key == "synovial":
        body += c.para(
            "- Monomorphic spindle cell neoplasm with fascicular growth, mitoses 18/10 HPF, necrosis < 50%."
        )
        ihc = [
            ("TLE1", "Positive (strong, diffuse)"),
            ("SS18-SSX (E9X9V)", "Positive"),
            ("EMA", "Focally positive"),
            ("CD34", "Negative"),
            ("S100", "Negative"),
        ]
        if variant != "no_mage":
            ihc.append(("MAGE-A4 (OTI1F9)", "Positive, 3+ in 80% of tumor cells"))
            c.fields["mage_a4"] = "positive"
    if ihc:
        body += [gap(), c.h("Immunohistochemistry / ancillary studies")]
        body += _table(("Marker", "Result"), ihc)
    body += [gap(), c.h("Comment")]
    body += c.para(
        c.v.get(
            "comment",
            "No evidence of a second neoplasm. Controls stain appropriately. Case reviewed at intradepartmental consensus conference.",
        )
    )
    body += [gap(), c.h("Gross description")]
    body += c.para(
        f"Received in formalin labeled with the patient's name and medical record number, designated '{dz.specimen.split(',')[0].lower()}', consisting of tan-pink tissue. Entirely submitted in cassettes A1-A{c.rng.randint(2, 6)}."
    )
    body += [gap(), *c.signature(c.d)]
    if c.v.get("addendum"):
        body += [
            gap(),
            c.h("Addendum"),
            *c.para(c.v["addendum"]),
            *c.signature(c.d + dt.timedelta(days=1), 1),
        ]
    return title, pairs, body


def pathology_zh(c: Ctx) -> tuple[str, list[tuple[str, str]], list[Line]]:
    dz = c.disease
    pairs = [
        ("病理号", c.acc("B")),
        ("送检日期", c.collected_ago(4)),
        ("报告日期", c.date(c.d)),
        ("送检医师", c.staff(2)),
    ]
    c.fields["diagnosis"] = dz.zh_dx
    body = [c.h("送检标本"), Line(("左大腿肿物穿刺活检组织",), "body"), gap()]
    body += [
        c.h("肉眼所见"),
        *c.para("灰白色条索状组织3条，长0.8～1.5厘米，直径0.1厘米，全部取材。"),
        gap(),
    ]
    body += [
        c.h("镜下所见"),
        *c.para("肿瘤细胞呈梭形，束状排列，核分裂象易见（约18个/10HPF），可见灶性坏死。"),
        gap(),
    ]
    body += [
        c.h("免疫组化"),
        *_table(
            ("标记物", "结果"),
            [
                ("TLE1", "阳性"),
                ("EMA", "灶性阳性"),
                ("CD34", "阴性"),
                ("S-100", "阴性"),
                ("Ki-67", "约40%"),
            ],
        ),
    ]
    body += [gap(), c.h("病理诊断"), Line((dz.zh_dx,), "body")]
    body += c.para("注：建议行SS18基因断裂检测以进一步确诊。未见脉管内癌栓。")
    body += [gap(), *c.signature(c.d)]
    return "病理诊断报告单", pairs, body


# ---------------------------------------------------------------- molecular


def molecular(c: Ctx) -> tuple[str, list[tuple[str, str]], list[Line]]:
    dz = c.disease
    pairs = [
        ("Accession", c.acc("MG")),
        ("Collected", c.collected_ago(9)),
        ("Report date", c.date(c.d)),
        (
            "Specimen",
            c.v.get(
                "specimen",
                "FFPE block A2" if dz.key not in ("mm", "all") else "Bone marrow aspirate",
            ),
        ),
    ]
    body: list[Line] = []
    if dz.key == "mm":
        title = "Plasma Cell FISH Panel (CD138-enriched)"
        body += [
            c.h("Result summary"),
            *c.para("ABNORMAL. High-risk cytogenetics: t(4;14) detected; gain of 1q detected."),
        ]
        body += [
            gap(),
            *_table(
                ("Probe", "Target", "Result", "% nuclei"),
                [
                    ("FGFR3::IGH", "t(4;14)", "DETECTED", "62%"),
                    ("CCND1::IGH", "t(11;14)", "Not detected", "-"),
                    ("MAF::IGH", "t(14;16)", "Not detected", "-"),
                    ("TP53 / CEP17", "del(17p)", "Not detected", "-"),
                    ("CKS1B / CDKN2C", "1q gain", "DETECTED", "48%"),
                ],
            ),
        ]
        body += [
            gap(),
            c.h("Karyotype"),
            Line(
                ("46,XY[20] (normal male karyotype; plasma cells rarely divide in culture)",),
                "body",
            ),
        ]
    elif dz.key == "all":
        title = "Leukemia Cytogenetics and Molecular Report"
        body += [c.h("Karyotype"), Line(("46,XX,del(9)(p21p21)[12]/46,XX[8]",), "body"), gap()]
        body += _table(
            ("Assay", "Target", "Result"),
            [
                ("RT-PCR", "BCR::ABL1 p190", "Not detected"),
                ("RT-PCR", "BCR::ABL1 p210", "Not detected"),
                ("FISH", "KMT2A rearrangement", "Not detected"),
                ("FISH", "CDKN2A (9p21)", "Deleted, 58% nuclei"),
                ("FISH", "iAMP21 (RUNX1)", "Not detected"),
            ],
        )
        body += [gap(), c.h("Interpretation")]
        body += c.para(
            "Philadelphia chromosome-negative B-ALL with CDKN2A deletion. No BCR::ABL1 or KMT2A rearrangement."
        )
    elif dz.key == "melanoma":
        title = "Solid Tumor Mutation Panel (NGS, 161 genes)"
        body += [
            c.h("Reportable alterations"),
            *_table(
                ("Gene", "Alteration", "VAF / tier"),
                [
                    ("BRAF", "p.V600E (c.1799T>A)", "34% / IA"),
                    ("CDKN2A", "p.R80*", "29% / IIC"),
                    ("TERT", "promoter c.-124C>T", "41% / IIC"),
                ],
            ),
        ]
        body += [
            gap(),
            *c.para(
                "Tumor mutational burden: 18 mutations/Mb (high). Microsatellite status: stable. No NRAS or KIT alteration detected."
            ),
        ]
    elif dz.key == "synovial":
        title = "Sarcoma Fusion Panel (RNA NGS)"
        body += [
            c.h("Result"),
            Line(("SS18::SSX1 fusion DETECTED (SS18 exon 10 :: SSX1 exon 2)",), "body"),
            gap(),
        ]
        body += c.para(
            "Supporting reads: 1,842. The fusion is diagnostic of synovial sarcoma in the appropriate histologic context. No other fusions detected among 86 targeted genes."
        )
    else:
        title = "Comprehensive Genomic Profiling Report"
        body += [
            c.h("Reportable alterations"),
            *_table(
                ("Gene", "Alteration", "VAF"),
                [
                    ("KRAS", "p.G12D", "22%"),
                    ("TP53", "p.R273H", "19%"),
                    ("CDKN2A", "loss", "-"),
                    ("SMAD4", "p.R361C", "17%"),
                ],
            ),
        ]
        body += [
            gap(),
            *c.para(
                "Tumor mutational burden: 2 mutations/Mb. MSI: stable. No BRCA1/2, PALB2 or NTRK alterations detected."
            ),
        ]
    body += [gap(), c.h("Methodology")]
    body += c.para(
        "Testing was developed and its performance characteristics determined by the laboratory (laboratory-developed test). It has not been cleared or approved by the FDA. Results should be interpreted together with clinical and pathologic findings."
    )
    body += [gap(), *c.signature(c.d)]
    return title, pairs, body


# ---------------------------------------------------------------- HLA


def hla(c: Ctx) -> tuple[str, list[tuple[str, str]], list[Line]]:
    a = list(c.v.get("hla_a", ["A*02:01", "A*24:02"]))
    c.fields["hla_a"] = a
    pairs = [
        ("Accession", c.acc("HLA")),
        ("Collected", c.collected_ago(6)),
        ("Reported", c.date(c.d)),
        ("Sample", "Peripheral blood, EDTA"),
    ]
    rows = [
        ("HLA-A", a[0], a[1] if len(a) > 1 else a[0]),
        ("HLA-B", "B*07:02", "B*44:02"),
        ("HLA-C", "C*05:01", "C*07:02"),
        ("HLA-DRB1", "DRB1*04:01", "DRB1*15:01"),
        ("HLA-DQB1", "DQB1*03:02", "DQB1*06:02"),
    ]
    body = [
        c.h("High-resolution typing result"),
        *_table(("Locus", "Allele 1", "Allele 2"), rows),
        gap(),
    ]
    body += c.para(
        "Method: next-generation sequencing (exons 2-4 class I, exons 2-3 class II); ambiguities resolved to two-field resolution per the ARD/G-group convention."
    )
    body += c.para("Purpose: eligibility screening for HLA-restricted T-cell receptor therapy.")
    body += [gap(), *c.signature(c.d)]
    return "HLA TYPING REPORT - HIGH RESOLUTION", pairs, body


# ---------------------------------------------------------------- imaging

_IMAGING: dict[str, tuple[str, str, str]] = {
    # modality key: (modality field, body region, exam title)
    "pet": ("PET-CT", "whole body", "FDG PET/CT, skull base to mid-thigh"),
    "mri_brain": ("MRI", "brain", "MRI brain with and without gadolinium contrast"),
    "ct_cap": ("CT", "chest/abdomen/pelvis", "CT chest, abdomen and pelvis with IV contrast"),
    "ct_chest": ("CT", "chest", "CT chest with IV contrast"),
}


def imaging(c: Ctx) -> tuple[str, list[tuple[str, str]], list[Line]]:
    kind = c.v.get("exam", "pet")
    modality, region, exam = _IMAGING[kind]
    c.fields["modality"] = modality
    c.fields["body_region"] = region
    dz = c.disease
    title = "RADIOLOGY REPORT" if c.inst.key != "elmsworth" else "Radiology Report"
    if kind == "pet" and c.inst.key == "cascadia":
        title = "NUCLEAR MEDICINE REPORT"
    pairs = [
        ("Accession", c.acc("RAD")),
        ("Exam date", c.date(c.d)),
        ("Ordering", c.v.get("ordering", c.orderer())),
    ]
    body = [c.h("Exam"), Line((exam,), "body"), gap(), c.h("Clinical indication")]
    body += c.para(
        f"{dz.short.capitalize() if dz.short.islower() else dz.short}, {c.v.get('indication', 'restaging before cellular therapy')}."
    )
    body += [
        gap(),
        c.h("Comparison"),
        *c.para(c.v.get("comparison", f"Prior study dated {c.date(c.ago(97))}.")),
    ]
    body += [gap(), c.h("Technique")]
    if kind == "pet":
        body += c.para(
            "11.2 mCi F-18 FDG IV; uptake 62 minutes; fasting glucose 96 mg/dL. Low-dose CT for attenuation correction and localization."
        )
        body += [gap(), c.h("Findings")]
        body += c.para("Head/neck: physiologic uptake. No hypermetabolic cervical adenopathy.")
        if dz.key == "lbcl":
            body += c.para(
                "Chest: hypermetabolic left supraclavicular node 2.1 x 1.6 cm, SUVmax 14.2 (previously 9.8)."
            )
            body += c.para(
                "Abdomen/pelvis: conglomerate retroperitoneal nodal mass 5.4 x 3.9 cm, SUVmax 18.6. Left inguinal node 1.8 cm, SUVmax 11.0."
            )
            impression = [
                "1. Progressive FDG-avid lymphoma above and below the diaphragm, Deauville 5.",
                "2. No evidence of osseous or splenic involvement.",
            ]
        elif dz.key == "mm":
            body += c.para(
                "Skeleton: multiple FDG-avid lytic lesions, largest in the right iliac bone 3.2 cm, SUVmax 7.9; T11 vertebral body SUVmax 6.1. No extramedullary soft tissue disease."
            )
            impression = [
                "1. Multifocal FDG-avid osseous myeloma, increased since prior.",
                "2. No extramedullary disease.",
            ]
        elif dz.key == "pdac":
            body += c.para(
                "Post-surgical changes of pancreaticoduodenectomy. No FDG-avid local recurrence. Liver: no hypermetabolic lesion."
            )
            impression = [
                "1. Expected post-operative appearance. No evidence of residual or metastatic disease."
            ]
        else:
            body += c.para(
                "Multiple FDG-avid soft tissue and nodal lesions consistent with known disease; see measurements in the body of the report."
            )
            impression = ["1. FDG-avid disease as described."]
    elif kind == "mri_brain":
        body += c.para(
            "Multiplanar multisequence MRI of the brain before and after 0.1 mmol/kg gadobutrol."
        )
        body += [gap(), c.h("Findings")]
        body += c.para(
            "No enhancing intracranial mass. No restricted diffusion. No hemorrhage or midline shift. Ventricles and sulci are age-appropriate. No leptomeningeal enhancement."
        )
        impression = ["1. No evidence of intracranial metastatic disease or CNS involvement."]
    else:
        body += c.para(
            "Axial CT images from the thoracic inlet through the pubic symphysis after 100 mL iohexol 350 IV; coronal and sagittal reformats."
        )
        body += [gap(), c.h("Findings")]
        if dz.key == "melanoma":
            body += c.para(
                "Chest: two new pulmonary nodules, right lower lobe 1.4 cm (target 1) and left upper lobe 0.9 cm. Right axillary mass 3.1 x 2.6 cm (target 2), increased from 2.2 cm."
            )
            body += c.para(
                "Abdomen/pelvis: hepatic segment VI lesion 1.7 cm (target 3). No ascites. No bowel obstruction."
            )
            impression = [
                "1. Progressive metastatic melanoma by RECIST 1.1 (sum of target diameters 6.2 cm, previously 4.1 cm).",
                "2. Right axillary mass is accessible for surgical harvest.",
            ]
        elif dz.key == "synovial":
            body += c.para(
                "Chest: multiple bilateral pulmonary nodules, largest right lower lobe 2.3 cm (previously 1.5 cm). No pleural effusion."
            )
            body += c.para(
                "Abdomen/pelvis: no hepatic lesion. Left thigh soft tissue mass partially imaged, 6.8 cm."
            )
            impression = [
                "1. Progressive pulmonary metastatic disease.",
                "2. No evidence of intra-abdominal metastases.",
            ]
        elif dz.key == "pdac":
            body += c.para(
                "Post-Whipple anatomy with patent pancreaticojejunostomy and hepaticojejunostomy. Small fluid collection in the surgical bed 2.1 cm, likely post-operative. No liver lesion."
            )
            impression = ["1. Post-operative changes. No evidence of metastatic disease."]
        else:
            body += c.para(
                "Multiple enlarged lymph nodes as described previously; no new sites of disease."
            )
            impression = ["1. Stable disease."]
    body += [gap(), c.h("Impression"), *[Line((i,), "body") for i in impression]]
    body += [gap(), *c.signature(c.d, 2 if c.inst.key == "elmsworth" else 0)]
    return title, pairs, body


def imaging_zh(c: Ctx) -> tuple[str, list[tuple[str, str]], list[Line]]:
    c.fields["modality"] = "CT"
    c.fields["body_region"] = "chest"
    pairs = [
        ("检查号", c.acc("CT")),
        ("检查日期", c.date(c.d)),
        ("检查项目", "胸部增强CT"),
        ("申请科室", "骨与软组织肿瘤科"),
    ]
    body = [
        c.h("检查方法"),
        *c.para("胸部CT平扫＋增强扫描，层厚5毫米，静脉注射碘海醇80毫升。"),
        gap(),
    ]
    body += [
        c.h("影像所见"),
        *c.para(
            "双肺多发结节，较大者位于右肺下叶，大小约2.3厘米×1.9厘米，较前片（2026年6月）增大。纵隔未见肿大淋巴结。双侧胸腔未见积液。心影大小正常。"
        ),
    ]
    body += [
        gap(),
        c.h("诊断意见"),
        Line(("1. 双肺多发转移瘤，较前进展。",), "body"),
        Line(("2. 未见胸腔积液。",), "body"),
    ]
    body += [gap(), *c.signature(c.d)]
    return "CT检查报告单", pairs, body


# ---------------------------------------------------------------- labs


def labs(c: Ctx) -> tuple[str, list[tuple[str, str]], list[Line]]:
    panels = tuple(c.v.get("panels", ("cbc", "cmp")))
    si = c.inst.style.units == "si"
    zh = c.inst.language == "zh"
    rows, fields, notes = lab_rows(panels, c.p, si, zh, c.v)
    c.fields.update(fields)
    # Drawn in the morning, resulted and verified a few hours later the same day.
    hour, minute = c.rng.randint(6, 10), c.rng.randint(0, 59)
    t = f"{hour:02d}:{minute:02d}"
    t_rep = f"{hour + c.rng.randint(2, 5):02d}:{c.rng.randint(0, 59):02d}"
    if zh:
        pairs = [
            ("标本号", c.acc("L")),
            ("标本类型", "静脉血"),
            ("采集时间", f"{c.date(c.d)} {t}"),
            ("报告时间", f"{c.date(c.d)} {t_rep}"),
        ]
        body = _table(("项目", "结果", "提示", "单位", "参考区间"), rows)
        body += [gap(), *c.para("本报告仅对所检标本负责。"), *c.signature(c.d, at=t_rep)]
        return "检验报告单", pairs, body
    title = {
        "elmsworth": "Blood Sciences Report",
        "northgate": "LABORATORY REPORT",
        "lakeshore": "Laboratory Results",
    }.get(c.inst.key, "LABORATORY RESULTS")
    pairs = [
        ("Accession", c.acc("L")),
        ("Collected", f"{c.collected_ago(0)} {t}"),
        ("Reported", f"{c.date(c.d)} {t_rep}"),
        ("Ordering", c.v.get("ordering", c.orderer())),
    ]
    head, rows = _lab_columns(c.inst.key, rows)
    body = _table(head, rows)
    body += [gap()]
    for n in notes:
        body += c.para(n, "small")
    body += c.para(
        "H = above reference range; L = below reference range. Reference ranges are age and sex specific.",
        "small",
    )
    body += [*c.signature(c.d, at=t_rep)]
    return title, pairs, body


def _lab_columns(
    key: str, rows: list[tuple[str, ...]]
) -> tuple[tuple[str, ...], list[tuple[str, ...]]]:
    """Each laboratory arranges its result table its own way; rows come as
    (test, result, flag, units, range)."""
    if key == "lakeshore":
        return ("Component", "Value", "Flag", "Standard range", "Units"), [
            (t, r, f, rg, u) for t, r, f, u, rg in rows
        ]
    if key == "meridian":
        # Flag printed beside the value, as many EHR result views do.
        return ("Test", "Result", "Units", "Ref. range"), [
            (t, f"{r} ({f})" if f else r, u, rg) for t, r, f, u, rg in rows
        ]
    if key == "elmsworth":
        return ("Test", "Result", "", "Units", "Normal range"), [
            (t, r, f, u, f"({rg})" if rg else "") for t, r, f, u, rg in rows
        ]
    if key == "northgate":
        return ("TEST", "RESULT", "FLAG", "UNITS", "REFERENCE INTERVAL"), rows
    return ("Test", "Result", "Flag", "Units", "Reference range"), rows


# ---------------------------------------------------------------- cardiac / pulmonary


def cardiac(c: Ctx) -> tuple[str, list[tuple[str, str]], list[Line]]:
    kind = c.v.get("modality", "echo")
    pairs = [
        ("Study date", c.date(c.d)),
        ("Accession", c.acc("CV")),
        ("Referring", c.v.get("ordering", c.orderer())),
    ]
    if kind == "ECG":
        c.fields["modality"] = "ECG"
        body = [
            c.h("12-lead electrocardiogram"),
            *_table(
                ("Measure", "Value"),
                [
                    ("Ventricular rate", "74 bpm"),
                    ("PR interval", "158 ms"),
                    ("QRS duration", "92 ms"),
                    ("QT/QTc", "392/428 ms"),
                ],
            ),
        ]
        body += [
            gap(),
            c.h("Interpretation"),
            *c.para(
                "Normal sinus rhythm. Normal axis. No acute ST-T changes. No prior ECG for comparison."
            ),
        ]
        body += [gap(), *c.signature(c.d)]
        return "ELECTROCARDIOGRAM REPORT", pairs, body
    lvef = c.v.get("lvef", 58)
    c.fields["lvef_percent"] = float(lvef)
    if kind == "MUGA":
        c.fields["modality"] = "MUGA"
        body = [
            c.h("Procedure"),
            *c.para(
                "Resting multigated acquisition (MUGA) blood pool study after in vitro labelling of red cells with 25 mCi Tc-99m."
            ),
            gap(),
        ]
        body += [
            c.h("Findings"),
            *c.para(
                f"Left ventricular ejection fraction (LVEF) is {lvef}%. Normal left ventricular size. No regional wall motion abnormality."
            ),
        ]
        body += [
            gap(),
            c.h("Conclusion"),
            Line((f"LVEF {lvef}%.",), "body"),
            gap(),
            *c.signature(c.d),
        ]
        return "MUGA SCAN REPORT", pairs, body
    c.fields["modality"] = "echo"
    gls = "-19.4%" if lvef >= 50 else "-14.1%"
    rows = [
        ("LVEF (biplane Simpson)", f"{lvef}%", "52-72%"),
        ("LVIDd", "4.7 cm", "3.8-5.2 cm"),
        ("IVSd", "0.9 cm", "0.6-0.9 cm"),
        ("TAPSE", "2.2 cm", "> 1.7 cm"),
        ("Global longitudinal strain", gls, "< -18%"),
    ]
    body = [
        c.h("Measurements"),
        *_table(("Parameter", "Value", "Normal"), rows),
        gap(),
        c.h("Findings"),
    ]
    if lvef >= 50:
        body += c.para(
            "Normal left ventricular size and wall thickness. Normal global systolic function without regional wall motion abnormalities. Grade I diastolic dysfunction."
        )
    else:
        body += c.para(
            "Mildly dilated left ventricle with global hypokinesis. Moderately reduced systolic function. Compared with the prior study, LVEF has declined, consistent with anthracycline cardiotoxicity."
        )
    body += c.para(
        "Right ventricle normal in size and function. No significant valvular disease. No pericardial effusion."
    )
    body += [
        gap(),
        c.h("Conclusion"),
        Line((f"Left ventricular ejection fraction {lvef}%.",), "body"),
    ]
    body += [gap(), *c.signature(c.d)]
    return "TRANSTHORACIC ECHOCARDIOGRAM REPORT", pairs, body


def pulmonary(c: Ctx) -> tuple[str, list[tuple[str, str]], list[Line]]:
    fev1 = c.v.get("fev1_pct", 84)
    c.fields["fev1_percent_predicted"] = float(fev1)
    pred = 3.45
    rows = [
        ("FVC (L)", "4.21", "4.38", "96"),
        ("FEV1 (L)", f"{pred * fev1 / 100:.2f}", f"{pred:.2f}", f"{fev1}"),
        ("FEV1/FVC (%)", f"{100 * pred * fev1 / 100 / 4.21:.0f}", "79", "-"),
        ("TLC (L)", "6.02", "6.30", "96"),
        ("DLCO (mL/min/mmHg)", "22.4", "27.9", "80"),
    ]
    pairs = [
        ("Test date", c.date(c.d)),
        ("Height", "178 cm"),
        ("Weight", "81 kg"),
        ("Technician", "J. Morales, RRT"),
    ]
    body = [
        c.h("Spirometry, lung volumes and diffusion"),
        *_table(("Parameter", "Measured", "Predicted", "% Predicted"), rows),
        gap(),
    ]
    body += [c.h("Interpretation")]
    body += c.para(
        f"Normal spirometry with FEV1 {fev1}% of predicted. Lung volumes within normal limits. Diffusing capacity mildly reduced (80% predicted). No bronchodilator response."
    )
    body += [gap(), *c.signature(c.d)]
    return "PULMONARY FUNCTION TEST REPORT", pairs, body


# ---------------------------------------------------------------- notes and letters


def _ecog_phrase(c: Ctx, ecog: int) -> str:
    return c.rng.choice(
        (
            f"ECOG performance status: {ecog}",
            f"Performance status (ECOG): {ecog}",
            f"ECOG PS {ecog}",
            f"WHO/ECOG performance status {ecog}",
        )
    )


def clinic_note(c: Ctx) -> tuple[str, list[tuple[str, str]], list[Line]]:
    dz = c.disease
    ecog = c.v.get("ecog", 1)
    title = {
        "elmsworth": "Oncology Outpatient Clinic Letter",
        "meridian": "CELLULAR THERAPY CONSULTATION",
        "stbrendan": "HEMATOLOGY/ONCOLOGY PROGRESS NOTE",
    }.get(c.inst.key, "Clinic Note")
    pairs = [
        ("Date of service", c.date(c.d)),
        ("Provider", c.staff(0)),
        ("Visit type", c.v.get("visit", "Follow-up")),
    ]
    pronoun = "She" if c.p.sex == "female" else "He"
    body = [Line((f"Diagnosis: {dz.dx}",), "body")]
    c.fields["diagnosis"] = dz.dx
    body += [gap(), c.h("History of present illness")]
    reg = dz.regimens
    hist = (
        f"{pronoun} was diagnosed with {dz.short} {reg[0].months_ago[0] + 2} months ago and received {_lc(reg[0].name)}"
        f" ({reg[0].cycles}), with {_lc(reg[0].response)}."
    )
    if len(reg) > 1:
        hist += f" Subsequently treated with {reg[1].name}, best response {_lc(reg[1].response)}."
    hist += f" History of CT scan in {c.d.year - 2} showing the original disease extent; most recent imaging was reviewed at tumor board."
    body += c.para(hist)
    body += c.para(
        c.v.get(
            "hpi_extra",
            c.rng.choice(
                (
                    f"{pronoun} reports mild fatigue. Denies fevers, night sweats or weight loss. No new neurologic symptoms.",
                    f"Since the last visit {pronoun.lower()} has been able to walk daily and manage self-care. Appetite fair. No drenching sweats.",
                    f"{pronoun} feels reasonably well, with intermittent low back discomfort controlled with paracetamol. No bleeding or bruising.",
                )
            ),
        )
    )
    if c.v.get("long"):
        body += [gap(), c.h("Oncologic history")]
        for i, r in enumerate(reg, start=1):
            start = c.months_ago(r.months_ago[0])
            body += c.para(
                f"{i}. {c.date(start)}: {r.name}, {r.cycles}. Best response: {r.response}."
            )
        body += [gap(), c.h("Past medical history")]
        body += c.para(
            "Hypertension, well controlled. Hypothyroidism on replacement. No history of stroke, seizure or autoimmune disease. No prior hepatitis B or C."
        )
        body += [gap(), c.h("Social history")]
        body += c.para(
            "Lives with spouse, who will be the caregiver within two hours of the treating center. Former smoker (10 pack-years, quit 2009). Occasional alcohol. Works as a school administrator, currently on leave."
        )
        body += [gap(), c.h("Data reviewed")]
        body += c.para(
            "Outside pathology, the most recent imaging and screening laboratory results were reviewed today and are summarized in the assessment. Prior echocardiogram reviewed; no history of heart failure."
        )
    body += [gap(), c.h("Review of systems")]
    body += c.para(
        c.rng.choice(
            (
                "Negative for chest pain, dyspnea on exertion, bleeding, or infection. No evidence of peripheral edema. Denies headache or visual change.",
                "All other systems reviewed and negative except as noted in the history. No cough, no dysuria, no rash.",
                "No fever or rigors. No chest pain or palpitations. No change in bowel habit. No confusion or word-finding difficulty reported by family.",
            )
        )
    )
    body += [gap(), c.h("Physical examination")]
    vitals = (
        f"BP {c.rng.randint(108, 142)}/{c.rng.randint(64, 88)}, HR {c.rng.randint(62, 96)}, T 36.{c.rng.randint(4, 9)} C, "
        f"SpO2 {c.rng.randint(95, 99)}% on room air, weight {c.rng.randint(58, 92)}.{c.rng.randint(0, 9)} kg."
    )
    body += c.para(
        vitals
        + " "
        + c.rng.choice(
            (
                "Alert and oriented. No palpable hepatosplenomegaly. Neurologic examination non-focal.",
                "Well appearing. No peripheral lymphadenopathy on today's exam. Chest clear. Abdomen soft, non-tender.",
                "Comfortable at rest. Heart sounds normal, no murmur. No edema. Cranial nerves intact, gait normal.",
            )
        )
    )
    body += [Line((_ecog_phrase(c, ecog),), "body")]
    c.fields["ecog"] = ecog
    body += [gap(), c.h("Assessment and plan")]
    body += c.para(
        c.v.get(
            "plan",
            c.rng.choice(
                (
                    "Relapsed/refractory disease. Proceed with cellular therapy evaluation: complete screening laboratory studies, cardiac and infectious disease testing. Discussed risks including cytokine release syndrome and neurotoxicity; patient wishes to proceed.",
                    "Candidate for cellular therapy. Outstanding items before apheresis: confirm screening serologies, repeat blood counts, caregiver plan. Consent discussion held today; questions answered.",
                    "Progressive disease after the last line. Refer to the cell therapy team; bridging options reviewed. Return in two weeks or sooner if symptoms change.",
                )
            ),
        )
    )
    body += [gap(), *c.signature(c.d)]
    if c.v.get("addendum"):
        body += [
            gap(),
            c.h("Addendum"),
            *c.para(c.v["addendum"]),
            *c.signature(c.d + dt.timedelta(days=1)),
        ]
    return title, pairs, body


def treatment_summary(c: Ctx) -> tuple[str, list[tuple[str, str]], list[Line]]:
    dz = c.disease
    reg = dz.regimens
    c.fields["diagnosis"] = dz.dx
    c.fields["prior_lines"] = len(reg)
    c.fields["regimens"] = [r.name for r in reg]
    pairs = [("Date", c.date(c.d)), ("Prepared by", c.staff(1))]
    body = [
        Line((f"Diagnosis: {dz.dx}",), "body"),
        Line((f"Prior systemic lines of therapy: {len(reg)}",), "body"),
        gap(),
    ]
    body += [c.h("Treatment history by line")]
    for i, r in enumerate(reg, start=1):
        start, stop = c.months_ago(r.months_ago[0]), c.months_ago(r.months_ago[1])
        body += [Line((f"Line {i}: {r.name}",), "body")]
        body += [
            Line(
                (
                    f"    {r.cycles}; {c.date(start)} to {c.date(stop)}; best response: {r.response}",
                ),
                "body",
            )
        ]
    body += [
        gap(),
        c.h("Radiation"),
        *c.para(
            "None."
            if dz.key != "lbcl"
            else "Involved-site radiotherapy 30 Gy to the left inguinal region completed 7 months ago."
        ),
    ]
    body += [
        gap(),
        c.h("Transplant"),
        *c.para(
            "Autologous stem cell transplant (melphalan 200 mg/m2) as part of line 1."
            if dz.key == "mm"
            else "No prior stem cell transplant."
        ),
    ]
    body += [
        gap(),
        c.h("Toxicities of note"),
        *c.para(
            "Grade 2 peripheral neuropathy (resolved to grade 1). No history of cardiotoxicity, CNS disease or autoimmune disease."
        ),
    ]
    body += [gap(), *c.signature(c.d, 1)]
    return "TREATMENT SUMMARY", pairs, body


def discharge_summary(c: Ctx) -> tuple[str, list[tuple[str, str]], list[Line]]:
    dz = c.disease
    adm = c.ago(c.v.get("stay", 6))
    pairs = [
        ("Admission date", c.date(adm)),
        ("Discharge date", c.date(c.d)),
        ("Attending", c.staff(0)),
        ("Unit", "Oncology 7 West"),
    ]
    reason = c.v.get("reason", "Febrile neutropenia after salvage chemotherapy")
    body = [c.h("Principal diagnosis"), Line((reason,), "body"), gap(), c.h("Secondary diagnoses")]
    body += [Line((f"- {dz.dx}",), "body"), Line(("- Hypertension",), "body"), gap()]
    body += [c.h("Hospital course")]
    body += c.para(
        c.v.get(
            "course",
            "Admitted with fever to 38.9 C and ANC 200/uL nine days after chemotherapy. Blood cultures grew no organisms. Treated with cefepime, defervesced within 48 hours; counts recovered with filgrastim. No evidence of pneumonia on chest X-ray.",
        )
    )
    if c.v.get("long"):
        for day, event in (
            (
                1,
                "Blood and urine cultures obtained; empiric cefepime started. Chest X-ray without consolidation.",
            ),
            (
                2,
                "Persistent fever to 38.6 C; vancomycin added for a tender line site, stopped after 48 hours when cultures remained negative.",
            ),
            (
                3,
                "Afebrile since the early morning. Filgrastim continued. Tolerating a regular diet.",
            ),
            (
                4,
                "ANC recovered above 500/uL. Transitioned to oral levofloxacin. Line site improving.",
            ),
            (
                5,
                "Ambulating independently. Education on neutropenic precautions completed with the patient and caregiver.",
            ),
        ):
            body += c.para(f"Hospital day {day}: {event}")
    if c.v.get("state_lines"):
        n = len(dz.regimens)
        body += c.para(
            f"Oncologic history: {n} prior lines of systemic therapy ({'; '.join(r.name for r in dz.regimens)})."
        )
        c.fields["prior_lines"] = n
    body += [gap(), c.h("Discharge medications")]
    body += [
        Line((m,), "body")
        for m in (
            "Acyclovir 400 mg PO twice daily",
            "Levofloxacin 500 mg PO daily x 5 days",
            "Amlodipine 5 mg PO daily",
        )
    ]
    body += [
        gap(),
        c.h("Follow-up"),
        *c.para("Hematology clinic in one week with CBC. Return for temperature above 38.0 C."),
    ]
    body += [gap(), *c.signature(c.d)]
    return "DISCHARGE SUMMARY", pairs, body


def discharge_zh(c: Ctx) -> tuple[str, list[tuple[str, str]], list[Line]]:
    dz = c.disease
    adm = c.ago(c.v.get("stay", 5))
    n = len(dz.regimens)
    c.fields["prior_lines"] = n
    c.fields["diagnosis"] = dz.zh_dx
    pairs = [
        ("科室", "骨与软组织肿瘤科"),
        ("入院日期", c.date(adm)),
        ("出院日期", c.date(c.d)),
        ("床号", "12床"),
    ]
    body = [c.h("入院诊断"), Line((dz.zh_dx,), "body"), gap(), c.h("诊疗经过")]
    body += c.para(
        f"患者既往接受{n}线系统治疗：多柔比星联合异环磷酰胺化疗6周期，后予帕唑帕尼靶向治疗，病情进展。本次入院完善胸部增强CT，提示双肺转移灶较前增大。住院期间予对症支持治疗，无发热，无感染征象。"
    )
    body += [gap(), c.h("出院诊断"), Line((dz.zh_dx,), "body"), Line(("双肺转移",), "body")]
    body += [
        gap(),
        c.h("出院医嘱"),
        *c.para(
            "1. 建议至上级医院评估TCR-T细胞治疗临床试验。2. 定期复查血常规、肝肾功能。3. 如有不适及时就诊。"
        ),
    ]
    body += [gap(), *c.signature(c.d)]
    return "出院小结", pairs, body


def operative(c: Ctx) -> tuple[str, list[tuple[str, str]], list[Line]]:
    dz = c.disease
    if dz.key == "melanoma":
        proc, pre = (
            "Excision of right axillary metastatic deposit for tumor-infiltrating lymphocyte (TIL) manufacturing",
            "Metastatic melanoma, right axilla",
        )
        findings = "3.0 cm firm nodal mass excised en bloc; specimen divided sterilely, 2.1 cm fragment sent fresh to the manufacturing laboratory, remainder to pathology."
    else:
        proc, pre = (
            "Pylorus-preserving pancreaticoduodenectomy (Whipple procedure)",
            "Pancreatic head adenocarcinoma after neoadjuvant chemotherapy",
        )
        findings = "No ascites or peritoneal disease. No liver metastases on palpation and intraoperative ultrasound. Tumor in the pancreatic head separable from the SMV. Frozen section of the pancreatic neck margin negative."
    pairs = [
        ("Date of surgery", c.date(c.d)),
        ("Surgeon", c.staff(1)),
        ("Anesthesia", "General endotracheal"),
    ]
    body = [
        c.h("Preoperative diagnosis"),
        Line((pre,), "body"),
        gap(),
        c.h("Postoperative diagnosis"),
        Line(("Same",), "body"),
        gap(),
    ]
    body += [c.h("Procedure"), *c.para(proc), gap(), c.h("Findings"), *c.para(findings), gap()]
    body += [c.h("Description of procedure")]
    body += c.para(
        "The patient was brought to the operating room and placed supine. After induction of general anesthesia and a surgical pause confirming the patient, procedure and site, the operative field was prepped and draped in the usual sterile fashion. Dissection proceeded as planned without injury to surrounding structures. Hemostasis was obtained and the wound was closed in layers."
    )
    body += [
        gap(),
        Line(
            ("Estimated blood loss: 350 mL    Complications: None    Specimens: as above",), "body"
        ),
    ]
    body += [gap(), *c.signature(c.d, 1)]
    return "OPERATIVE REPORT", pairs, body


def medication_list(c: Ctx) -> tuple[str, list[tuple[str, str]], list[Line]]:
    meds = [
        ("Acyclovir", "400 mg", "PO", "BID", c.date(c.ago(1))),
        ("Allopurinol", "300 mg", "PO", "daily", c.date(c.ago(1))),
        ("Dexamethasone", "4 mg", "PO", "stopped", c.date(c.ago(21))),
        ("Pantoprazole", "40 mg", "PO", "daily", c.date(c.ago(1))),
        ("Ondansetron", "8 mg", "PO", "q8h PRN", c.date(c.ago(5))),
    ]
    if c.disease.key == "mm":
        meds.append(("Pomalidomide", "4 mg", "PO", "stopped", c.date(c.ago(30))))
    pairs = [
        ("Reconciled on", c.date(c.d)),
        ("Reconciled by", c.staff(2)),
        ("Allergies", c.v.get("allergies", "No known drug allergies")),
    ]
    body = [
        c.h("Active medications"),
        *_table(("Medication", "Dose", "Route", "Frequency", "Last dose"), meds),
        gap(),
    ]
    body += c.para(
        "Anticancer therapy, systemic corticosteroids and immunosuppressants are listed with last-dose dates for washout review. Patient confirms no herbal supplements."
    )
    body += [gap(), *c.signature(c.d, 2)]
    return "MEDICATION LIST", pairs, body


def referral_letter(c: Ctx) -> tuple[str, list[tuple[str, str]], list[Line]]:
    dz = c.disease
    p = c.p
    to = c.v.get(
        "to",
        (
            "Dr Kenji Morimoto",
            "Cellular Therapy Program",
            "Meridian Cancer Institute",
            "8800 Fannin Ridge Boulevard, Suite 400",
            "Brazos Point, TX 77031",
        ),
    )
    body = [Line((c.date(c.d),), "body"), gap(), *[Line((t,), "body") for t in to], gap()]
    body += [
        Line(
            (f"Re: {p.full_name}   DOB: {c.date(p.dob)}   {c.inst.style.mrn_label}: {p.mrn}",),
            "body",
        ),
        gap(),
    ]
    addressee = to[0].split(",")[0].split()
    body += [Line((f"Dear {addressee[0]} {addressee[-1]},",), "body"), gap()]
    pron = "her" if p.sex == "female" else "his"
    n = len(dz.regimens)
    body += c.para(
        f"Thank you for seeing {p.first} {p.last}, whom I am referring for evaluation for {c.v.get('therapy', 'CAR T-cell therapy')}."
    )
    body += [Line((f"Diagnosis: {dz.dx}",), "body")]
    c.fields["diagnosis"] = dz.dx
    text = (
        f"{p.first} has received {n} prior lines of systemic therapy: "
        + "; ".join(f"{r.name} ({_lc(r.response)})" for r in dz.regimens)
        + "."
    )
    body += c.para(text)
    c.fields["prior_lines"] = n
    if c.v.get("ecog") is not None:
        body += c.para(
            f"{pron.capitalize()} ECOG performance status today is {c.v['ecog']}, and {pron} organ function appears adequate."
        )
        c.fields["ecog"] = c.v["ecog"]
    body += c.para(
        f"Enclosed are {pron} pathology, recent imaging and laboratory results. Please do not hesitate to contact me with any questions."
    )
    body += [
        gap(),
        Line(("Yours sincerely," if c.inst.key == "elmsworth" else "Sincerely,",), "body"),
        gap(),
        *c.signature(c.d),
    ]
    body += [Line((f"cc: {p.first} {p.last} (patient)",), "small")]
    return "", [], body


def administrative(c: Ctx) -> tuple[str, list[tuple[str, str]], list[Line]]:
    kind = c.v.get("kind", "prior_auth")
    if kind == "face_sheet":
        pairs = [("Registration date", c.date(c.d)), ("Account", str(c.rng.randint(10**8, 10**9)))]
        rows = [
            ("Address", "412 Willow Bend Lane, Westbrook, MA 02193"),
            ("Home phone", "(617) 555-0116"),
            ("Emergency contact", "Spouse, (617) 555-0117"),
            ("Primary insurance", "Commonwealth Health Plan PPO"),
            ("Member ID", "CHP" + str(c.rng.randint(10**8, 10**9))),
            ("Primary care", "Westbrook Family Practice"),
            ("Preferred language", "English"),
            ("Advance directive on file", "Yes"),
        ]
        body = [c.h("Demographics and coverage"), *_table(("Item", "Value"), rows)]
        return "PATIENT REGISTRATION FACE SHEET", pairs, body
    if kind == "release":
        pairs = [("Date", c.date(c.d))]
        body = c.para(
            "I authorize the release of my protected health information, including pathology, imaging, laboratory and treatment records, to the Cellular Therapy Program for the purpose of eligibility review. This authorization expires one year from the date signed."
        )
        body += [
            gap(),
            Line(("Patient signature: ______________________    Date: ____________",), "body"),
            Line(("Witness: ______________________",), "body"),
        ]
        return "AUTHORIZATION FOR RELEASE OF HEALTH INFORMATION", pairs, body
    pairs = [("Decision date", c.date(c.d)), ("Reference", f"PA-{c.rng.randint(10**6, 10**7)}")]
    rows = [
        ("Service", c.v.get("service", "CAR T-cell therapy (HCPCS Q2041) and related services")),
        ("Decision", "APPROVED"),
        ("Valid from", c.date(c.d)),
        ("Valid to", c.date(c.d + dt.timedelta(days=180))),
        ("Facility", "Meridian Cancer Institute (in network)"),
    ]
    body = [c.h("Utilization management determination"), *_table(("Item", "Detail"), rows), gap()]
    body += c.para(
        "This approval is not a guarantee of payment. Benefits are subject to eligibility and plan terms on the date of service. Questions: Provider Services 1-800-555-0190."
    )
    return "PRIOR AUTHORIZATION DETERMINATION", pairs, body


def other(c: Ctx) -> tuple[str, list[tuple[str, str]], list[Line]]:
    kind = c.v.get("kind", "education")
    if kind == "diary":
        pairs = [("Week starting", c.date(c.d))]
        rows = [
            (
                c.date(c.d + dt.timedelta(days=i)),
                f"{36.5 + 0.1 * c.rng.randint(0, 6):.1f}",
                c.rng.choice(("none", "tired", "mild nausea")),
                c.rng.choice(("yes", "yes", "no")),
            )
            for i in range(6)
        ]
        body = [
            c.h("My daily record"),
            *_table(("Day", "Temp (C)", "Symptoms", "Ate well"), rows),
            gap(),
        ]
        body += c.para(
            "Bring this diary to every visit. Call the 24-hour line if your temperature is 38.0 C or higher."
        )
        return "PATIENT SYMPTOM DIARY", pairs, body
    pairs = [("Given on", c.date(c.d))]
    body = [c.h("What is apheresis?")]
    body += c.para(
        "Apheresis is a procedure that collects white blood cells from your blood. The cells are sent to a laboratory where your treatment is made. The collection takes three to six hours."
    )
    body += [gap(), c.h("How to prepare")]
    body += c.para(
        "Eat a good breakfast and drink plenty of fluids the day before. Wear comfortable clothes with loose sleeves. Bring something to read or watch. You may need a central line placed the day before."
    )
    body += [gap(), c.h("When to call us")]
    body += c.para(
        "Call if you have a fever, bleeding, or tingling around your mouth or fingers during or after the collection."
    )
    return "Patient Education: Preparing for Your Cell Collection (Apheresis)", pairs, body


_BUILDERS: dict[str, Builder] = {
    "pathology_report": pathology,
    "molecular_report": molecular,
    "hla_typing": hla,
    "imaging_report": imaging,
    "lab_results": labs,
    "cardiac_function": cardiac,
    "pulmonary_function": pulmonary,
    "clinic_note": clinic_note,
    "treatment_summary": treatment_summary,
    "discharge_summary": discharge_summary,
    "operative_report": operative,
    "medication_list": medication_list,
    "referral_letter": referral_letter,
    "administrative": administrative,
    "other": other,
}

_BUILDERS_ZH: dict[str, Builder] = {
    "pathology_report": pathology_zh,
    "imaging_report": imaging_zh,
    "lab_results": labs,
    "discharge_summary": discharge_zh,
}

# Documents whose header block prints no sex line.
_NO_SEX = {"referral_letter", "administrative", "other"}


def compose_document(
    doc_type: str,
    patient: Person,
    date: dt.date,
    institution: Institution,
    rng: random.Random,
    **values: Any,
) -> Built:
    """Compose one document: structured pages (for the renderers) and the facts it states."""
    zh = institution.language == "zh"
    table = _BUILDERS_ZH if zh else _BUILDERS
    if doc_type not in table:
        raise ValueError(f"no builder for {doc_type} in language {institution.language}")
    c = Ctx(institution, patient, date, rng, dict(values))
    title, pairs, body = table[doc_type](c)
    letter = doc_type == "referral_letter"
    show_sex = doc_type not in _NO_SEX
    if show_sex and not letter:
        c.fields["sex"] = patient.sex
    pages = compose(
        institution, patient, date, title, pairs, body, show_sex=show_sex, letter=letter
    )
    return Built(
        title or "Letter",
        doc_type,
        c.collected or date,
        pages,
        c.fields,
        institution.language,
        institution.key,
        patient.key,
    )


def build(
    doc_type: str,
    patient: Person | str,
    date: dt.date,
    institution: Institution | str,
    rng: random.Random,
    **values: Any,
) -> tuple[str, list[str], dict[str, Any]]:
    """Public text builder: (title, page texts, fields stated with normalised units)."""
    person = PATIENTS[patient] if isinstance(patient, str) else patient
    inst = INSTITUTIONS[institution] if isinstance(institution, str) else institution
    built = compose_document(doc_type, person, date, inst, rng, **values)
    return built.title, [pg.text for pg in built.pages], built.fields
