"""Write the sample set and its ground truth (docs/CONTRACTS.md format) into a folder."""

from __future__ import annotations

import datetime as dt
import json
import random
import shutil
from collections.abc import Callable
from pathlib import Path
from typing import Any

from . import writers
from .catalog import ANCHOR, CASES, FORMATS, LOOSE, Case, Doc, FileSpec
from .documents import compose_document
from .people import INSTITUTIONS, PATIENTS
from .writers import Placed

SEED = 20261126
PASSWORD = "rr-outside-2026"


def _rng(seed: int, *parts: str) -> random.Random:
    return random.Random(f"{seed}/" + "/".join(parts))


def _place(d: Doc, anchor: dt.date, seed: int, key: str, idx: int) -> Placed:
    built = compose_document(
        d.doc_type,
        PATIENTS[d.patient],
        anchor - dt.timedelta(days=d.days),
        INSTITUTIONS[d.inst],
        _rng(seed, key, str(idx), "text"),
        **dict(d.values),
    )
    return Placed(built, d.render, dict(d.rotations), d.heavy)


def _documents(placed: list[Placed], patients: list[str]) -> list[dict[str, Any]]:
    out: list[dict[str, Any]] = []
    page = 1
    for pl, pkey in zip(placed, patients, strict=True):
        n = len(pl.built.pages)
        out.append(
            {
                "pages": [page, page + n - 1],
                "doc_type": pl.built.doc_type,
                "document_date": pl.built.date.isoformat(),
                "patient": pkey,
                "fields": pl.built.fields,
                "language": pl.built.language,
            }
        )
        page += n
    return out


def _entry(
    form: str,
    pages: list[dict[str, Any]],
    docs: list[dict[str, Any]],
    error: str | None = None,
    container: bool = False,
) -> dict[str, Any]:
    return {"form": form, "error": error, "container": container, "pages": pages, "documents": docs}


def _render(
    spec: FileSpec,
    anchor: dt.date,
    seed: int,
    key: str,
    folder_files: dict[str, bytes],
    truth: dict[str, Any],
) -> bytes:
    """Bytes of one file; records its ground truth (and its members') under `key`."""
    rng = _rng(seed, key, "pixels")
    placed = [_place(d, anchor, seed, key, i) for i, d in enumerate(spec.docs)]
    pkeys = [d.patient for d in spec.docs]
    form = spec.form
    if spec.copy_of:
        data = folder_files[spec.copy_of]
        truth[key] = json.loads(json.dumps(truth[key.rsplit("/", 1)[0] + "/" + spec.copy_of]))
        return data
    if form in ("text_pdf", "scan_pdf", "mixed_pdf", "packet", "unreadable_scan_pdf"):
        data, pages = writers.pdf(placed, rng, title=placed[0].built.title)
        truth[key] = _entry(form, pages, _documents(placed, pkeys))
    elif form in ("photo", "photo_sideways", "misnamed_jpeg"):
        data, pages = writers.photo_jpeg(placed[0], rng, sideways=form == "photo_sideways")
        truth[key] = _entry(form, pages, _documents(placed, pkeys))
    elif form == "heic":
        data, pages = writers.heic(placed[0], rng)
        truth[key] = _entry(form, pages, _documents(placed, pkeys))
    elif form == "png":
        data, pages = writers.png(placed[0])
        truth[key] = _entry(form, pages, _documents(placed, pkeys))
    elif form == "fax_tiff":
        data, pages = writers.fax_tiff(placed, rng)
        truth[key] = _entry(form, pages, _documents(placed, pkeys))
    elif form == "docx":
        data, pages = writers.docx(placed[0])
        truth[key] = _entry(form, pages, _documents(placed, pkeys))
    elif form == "encrypted_pdf":
        data, _ = writers.pdf(placed, rng, title=placed[0].built.title, password=PASSWORD)
        truth[key] = _entry(form, [], [], "encrypted")
    elif form == "truncated_pdf":
        full, _ = writers.pdf(placed, rng, title=placed[0].built.title)
        # Cut inside the first page's content stream: no page survives, as in an aborted upload.
        data = full[: max(400, len(full) // 5)]
        truth[key] = _entry(form, [], [], "corrupt")
    elif form == "empty":
        data = b""
        truth[key] = _entry(form, [], [], "empty")
    elif form == "audio":
        data = writers.wav_silence()
        truth[key] = _entry(form, [], [], "unsupported")
    elif form == "unreadable_photo":
        data = writers.unreadable_jpeg(rng)
        # The file opens, but no text can be recovered: a per-file problem, not a format error.
        truth[key] = _entry(
            form,
            [{"number": 1, "text": "", "kind": "photo", "upright_rotation": 0, "language": "en"}],
            [],
        )
    elif form in ("zip", "eml"):
        members: list[tuple[str, bytes]] = []
        member_form = f"{form}_member"
        for m in spec.members:
            mkey = f"{key}/{m.name}"
            mdata = _render(m, anchor, seed, mkey, {}, truth)
            truth[mkey]["form"] = member_form
            members.append((m.name, mdata))
        if form == "zip":
            data = writers.zip_of(members)
        else:
            data = writers.eml_of(
                "Fwd: outside records",
                "Records Coordinator <records@stbrendan.example.org>",
                "Cell Therapy Intake <intake@meridian.example.org>",
                "Please find the outside records attached.\n\nThis message may contain confidential information.\n",
                members,
                dt.datetime(2026, 11, 19, 15, 4, 0, tzinfo=dt.UTC),
                key.replace("/", "-").replace(".", "-"),
            )
        truth[key] = _entry(form, [], [], container=True)
    else:
        raise ValueError(f"unknown form {form}")
    return data


def _write_folder(
    root: Path,
    folder: str,
    specs: tuple[FileSpec, ...],
    anchor: dt.date,
    seed: int,
    truth: dict[str, Any],
    wanted: Callable[[str], bool],
) -> None:
    out = root / folder
    out.mkdir(parents=True, exist_ok=True)
    written: dict[str, bytes] = {}
    for spec in specs:
        key = f"{folder}/{spec.name}"
        if not wanted(key) and not any(
            s.copy_of == spec.name and wanted(f"{folder}/{s.name}") for s in specs
        ):
            continue
        data = _render(spec, anchor, seed, key, written, truth)
        written[spec.name] = data
        (out / spec.name).write_bytes(data)


def _case_json(case: Case) -> dict[str, Any]:
    p = PATIENTS[case.patient]
    out: dict[str, Any] = {"program": case.program, "as_of": case.as_of.isoformat()}
    if case.state_patient:
        out["patient"] = {"name": p.full_name, "dob": p.dob.isoformat(), "mrn": p.mrn}
    return out


def generate(root: Path, seed: int = SEED, only: set[str] | None = None) -> dict[str, Any]:
    """Rewrite `root/formats`, `root/inbox` and `root/ground_truth.json`.

    `only` limits the work to files whose key (path relative to `root`) starts with one of the
    given prefixes, e.g. {"formats/text_", "inbox/03_"}, for fast determinism checks; the
    ground truth written then covers just those files and cases.
    """
    root = Path(root)

    def wanted(key: str) -> bool:
        return only is None or any(key.startswith(o) for o in only)

    def touches(folder: str) -> bool:
        return only is None or any(o.startswith(folder) or folder.startswith(o) for o in only)

    if only is None:
        for sub in ("formats", "inbox"):
            if (root / sub).exists():
                shutil.rmtree(root / sub)
    files: dict[str, Any] = {}
    cases: dict[str, Any] = {}
    if touches("formats/"):
        _write_folder(root, "formats", FORMATS, ANCHOR, seed, files, wanted)
    for case in CASES:
        if not touches(case.folder + "/"):
            continue
        _write_folder(root, case.folder, case.files, case.as_of, seed, files, wanted)
        (root / case.folder / "case.json").write_text(json.dumps(_case_json(case), indent=2) + "\n")
        cases[case.folder] = {
            "program": case.program,
            "as_of": case.as_of.isoformat(),
            "patient": case.patient,
            "expected": case.expected,
        }
    _write_folder(root, "inbox", LOOSE, ANCHOR, seed, files, wanted)
    patients = {
        k: {"name": p.full_name, "dob": p.dob.isoformat(), "mrn": p.mrn, "sex": p.sex}
        for k, p in PATIENTS.items()
    }
    truth = {
        "generator": f"sample_docs/generator (seed {seed})",
        "patients": patients,
        "files": dict(sorted(files.items())),
        "cases": cases,
    }
    (root / "ground_truth.json").write_text(json.dumps(truth, indent=1, ensure_ascii=False) + "\n")
    return truth
