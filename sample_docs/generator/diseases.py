"""Clinical background per disease: diagnosis lines, prior regimens, specimens, staff names."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Regimen:
    name: str
    cycles: str
    months_ago: tuple[int, int]  # start, stop: months before the document date
    response: str
    intent: str = ""


@dataclass(frozen=True)
class Disease:
    key: str
    dx: str
    short: str
    specimen: str
    regimens: tuple[Regimen, ...]
    zh_dx: str = ""


DISEASES: dict[str, Disease] = {
    "lbcl": Disease(
        "lbcl",
        "Diffuse large B-cell lymphoma, germinal center B-cell type",
        "DLBCL",
        "Lymph node, left inguinal, excisional biopsy",
        (
            Regimen("R-CHOP", "6 cycles", (26, 21), "Complete metabolic response"),
            Regimen("R-ICE", "3 cycles", (10, 8), "Progressive disease", "salvage"),
            Regimen(
                "Polatuzumab vedotin + bendamustine + rituximab",
                "2 cycles",
                (3, 2),
                "Stable disease",
                "bridging",
            ),
        ),
    ),
    "mm": Disease(
        "mm",
        "Plasma cell myeloma (multiple myeloma), IgG kappa",
        "MM",
        "Bone marrow, right posterior iliac crest, aspirate and core biopsy",
        (
            Regimen(
                "VRd (bortezomib, lenalidomide, dexamethasone) induction, ASCT, lenalidomide maintenance",
                "4 cycles + ASCT",
                (52, 14),
                "Very good partial response",
            ),
            Regimen(
                "Daratumumab + carfilzomib + dexamethasone (DKd)",
                "9 cycles",
                (13, 4),
                "Progressive disease",
            ),
            Regimen(
                "Pomalidomide + elotuzumab + dexamethasone",
                "3 cycles",
                (4, 1),
                "Progressive disease",
            ),
        ),
    ),
    "all": Disease(
        "all",
        "B-lymphoblastic leukemia/lymphoma, Philadelphia chromosome-negative",
        "B-ALL",
        "Bone marrow, left posterior iliac crest, aspirate and core biopsy",
        (
            Regimen(
                "Pediatric-inspired multi-agent induction and consolidation (CALGB 10403-like)",
                "Induction through maintenance",
                (30, 12),
                "Complete remission, MRD negative",
            ),
            Regimen("Blinatumomab", "2 cycles", (6, 3), "Refractory; MRD 1.2%"),
        ),
    ),
    "melanoma": Disease(
        "melanoma",
        "Metastatic melanoma, BRAF V600E mutated, stage IV (M1c)",
        "melanoma",
        "Soft tissue, right axilla, core needle biopsy",
        (
            Regimen(
                "Nivolumab + ipilimumab, then nivolumab maintenance",
                "4 + 8 doses",
                (20, 9),
                "Progressive disease",
            ),
            Regimen("Dabrafenib + trametinib", "5 months", (8, 2), "Progressive disease"),
        ),
    ),
    "pdac": Disease(
        "pdac",
        "Pancreatic ductal adenocarcinoma, moderately differentiated, ypT2 N1",
        "PDAC",
        "Pancreas, head, pancreaticoduodenectomy (Whipple)",
        (
            Regimen(
                "mFOLFIRINOX (neoadjuvant)", "4 cycles", (5, 3), "Partial response", "neoadjuvant"
            ),
        ),
    ),
    "synovial": Disease(
        "synovial",
        "Synovial sarcoma, monophasic, left thigh, FNCLCC grade 3",
        "synovial sarcoma",
        "Soft tissue, left thigh, core needle biopsy",
        (
            Regimen("Doxorubicin + ifosfamide", "6 cycles", (22, 17), "Partial response"),
            Regimen("Pazopanib", "7 months", (12, 4), "Progressive disease"),
        ),
        zh_dx="左大腿滑膜肉瘤（单相型），FNCLCC 3级",
    ),
}

STAFF: dict[str, tuple[str, ...]] = {
    "stbrendan": ("Priya Raman, MD", "Thomas Kearney, MD", "Elena Vasquez, NP"),
    "lakeshore": ("Martin Oyelaran, MD", "Susan Whitcombe, MD, PhD"),
    "meridian": ("Kenji Morimoto, MD", "Rachel Adebayo, MD", "Laura Chen, PA-C"),
    "northgate": ("Gregory Hale, MD (Laboratory Director)",),
    "elmsworth": (
        "Dr Fiona McAllister, Consultant Medical Oncologist",
        "Dr Owen Pritchard, Specialty Registrar",
        "Dr Helen Achterberg, Consultant Radiologist",
    ),
    "cascadia": ("Nadia Petrova, MD", "Samuel Okoro, MD"),
    "helix": ("Anjali Deshmukh, PhD, FACMG", "Victor Lindqvist, MD"),
    "binjiang": ("李明", "王芳", "陈建国"),
}
