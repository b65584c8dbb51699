"""A larger synthetic set for benchmarks (never committed): text PDFs and scanned PDFs.

`bench_set(out_dir, scanned_pages=200, text_pages=500, seed=...)` writes multi-document PDFs
plus `bench_truth.json` (same per-file format as `sample_docs/ground_truth.json`), so a
benchmark can time reading and also score what it read.
"""

from __future__ import annotations

import datetime as dt
import json
import random
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path
from typing import Any

from . import writers
from .catalog import ANCHOR
from .documents import compose_document
from .people import INSTITUTIONS, PATIENTS
from .writers import Placed

# What a cell-therapy intake inbox mostly holds, by rough share.
_TYPE_WEIGHTS: dict[str, int] = {
    "lab_results": 8,
    "imaging_report": 5,
    "pathology_report": 4,
    "clinic_note": 5,
    "cardiac_function": 3,
    "treatment_summary": 2,
    "medication_list": 2,
    "molecular_report": 2,
    "referral_letter": 2,
    "discharge_summary": 2,
    "hla_typing": 1,
    "pulmonary_function": 1,
    "operative_report": 1,
    "administrative": 1,
    "other": 1,
}
_DISEASE_OF: dict[str, str] = {
    "P1": "lbcl",
    "P2": "mm",
    "P3": "all",
    "P4": "melanoma",
    "P5": "pdac",
    "P6": "synovial",
    "P7": "lbcl",
    "P8": "lbcl",
    "P9": "mm",
    "P10": "lbcl",
    "P11": "synovial",
}
_ZH_TYPES = ("pathology_report", "imaging_report", "lab_results", "discharge_summary")


def _random_doc(rng: random.Random, scanned: bool) -> Placed:
    pkey = rng.choice(sorted(PATIENTS))
    inst_key = rng.choice(sorted(k for k in INSTITUTIONS if k != "binjiang"))
    doc_type = rng.choices(list(_TYPE_WEIGHTS), weights=list(_TYPE_WEIGHTS.values()))[0]
    if pkey == "P6" and doc_type in _ZH_TYPES and rng.random() < 0.5:
        inst_key = "binjiang"
    values: dict[str, Any] = {"disease": _DISEASE_OF[pkey]}
    if doc_type == "lab_results":
        values["panels"] = tuple(rng.sample(["cbc", "cmp", "serology"], rng.randint(1, 3)))
        values["anc"] = rng.randrange(500, 6000, 100)
        values["plt"] = rng.randrange(40000, 350000, 1000)
        values["anc_unit"] = rng.choice(("K/uL", "/uL", "x10^9/L"))
        values["plt_unit"] = rng.choice(("K/uL", "x10^3/uL", "x10^9/L"))
    elif doc_type == "imaging_report":
        values["exam"] = rng.choice(("pet", "mri_brain", "ct_cap", "ct_chest"))
    elif doc_type == "cardiac_function":
        values["modality"] = rng.choice(("echo", "echo", "MUGA", "ECG"))
        values["lvef"] = rng.randint(35, 68)
    elif doc_type == "clinic_note":
        values["ecog"] = rng.randint(0, 2)
        values["long"] = rng.random() < 0.4
    elif doc_type == "discharge_summary":
        values["long"] = rng.random() < 0.5
    elif doc_type == "administrative":
        values["kind"] = rng.choice(("prior_auth", "face_sheet", "release"))
    elif doc_type == "other":
        values["kind"] = rng.choice(("education", "diary"))
    date = ANCHOR - dt.timedelta(days=rng.randint(1, 200))
    built = compose_document(doc_type, PATIENTS[pkey], date, INSTITUTIONS[inst_key], rng, **values)
    rotations = {}
    if scanned and rng.random() < 0.1:
        rotations[rng.randrange(len(built.pages))] = rng.choice((90, 180, 270))
    return Placed(built, "scan" if scanned else "text", rotations)


def _plan(seed: int, kind: str, pages: int) -> list[list[Placed]]:
    """Files of 1-5 documents each, with exactly `pages` pages in all."""
    rng = random.Random(f"{seed}/bench/{kind}")
    files: list[list[Placed]] = []
    left = pages
    while left > 0:
        docs: list[Placed] = []
        for _ in range(rng.randint(1, 5)):
            for _attempt in range(20):
                pl = _random_doc(rng, kind == "scan")
                if len(pl.built.pages) <= left:
                    break
            else:
                # Only long documents drawn: an HLA report is always one page.
                built = compose_document(
                    "hla_typing", PATIENTS["P6"], ANCHOR, INSTITUTIONS["helix"], rng
                )
                pl = Placed(built, "scan" if kind == "scan" else "text")
            docs.append(pl)
            left -= len(pl.built.pages)
            if left <= 0:
                break
        if docs:
            files.append(docs)
    return files


def _write_one(args: tuple[Path, str, list[Placed], int]) -> tuple[str, dict[str, Any]]:
    out_dir, name, placed, seed = args
    data, pages = writers.pdf(
        placed, random.Random(f"{seed}/bench/{name}/pixels"), title=placed[0].built.title
    )
    (out_dir / name).write_bytes(data)
    docs: list[dict[str, Any]] = []
    page = 1
    for pl in placed:
        n = len(pl.built.pages)
        docs.append(
            {
                "pages": [page, page + n - 1],
                "doc_type": pl.built.doc_type,
                "document_date": pl.built.date.isoformat(),
                "patient": pl.built.patient,
                "fields": pl.built.fields,
                "language": pl.built.language,
            }
        )
        page += n
    form = "scan_pdf" if placed[0].render == "scan" else "text_pdf"
    return name, {
        "form": form,
        "error": None,
        "container": False,
        "pages": pages,
        "documents": docs,
    }


def bench_set(
    out_dir: Path | str,
    scanned_pages: int = 200,
    text_pages: int = 500,
    seed: int = 20261126,
    workers: int = 1,
) -> dict[str, Any]:
    """Write `scan_NNN.pdf` and `text_NNN.pdf` files and `bench_truth.json` into `out_dir`.

    Deterministic for a given seed (also with `workers` > 1: each file has its own generator).
    Returns the manifest that is also written to `bench_truth.json`.
    """
    out = Path(out_dir)
    out.mkdir(parents=True, exist_ok=True)
    jobs: list[tuple[Path, str, list[Placed], int]] = []
    for kind, pages in (("scan", scanned_pages), ("text", text_pages)):
        for i, placed in enumerate(_plan(seed, kind, pages), start=1):
            jobs.append((out, f"{kind}_{i:03d}.pdf", placed, seed))
    if workers > 1:
        with ProcessPoolExecutor(max_workers=workers) as pool:
            results = list(pool.map(_write_one, jobs, chunksize=2))
    else:
        results = [_write_one(j) for j in jobs]
    patients = {
        k: {"name": p.full_name, "dob": p.dob.isoformat(), "mrn": p.mrn, "sex": p.sex}
        for k, p in PATIENTS.items()
    }
    manifest = {
        "generator": f"sample_docs/generator bench_set (seed {seed})",
        "patients": patients,
        "files": dict(sorted(results)),
        "cases": {},
        "totals": {"scan_pages": scanned_pages, "text_pages": text_pages, "files": len(results)},
    }
    (out / "bench_truth.json").write_text(json.dumps(manifest, indent=1, ensure_ascii=False) + "\n")
    return manifest
