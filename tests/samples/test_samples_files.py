"""The files are what the ground truth says they are, read with the real libraries."""

from __future__ import annotations

import email
import io
import re
import zipfile
from typing import Any

import pdfplumber
import pillow_heif
import pypdfium2 as pdfium
import pytest
from PIL import Image, ImageOps
from samples_support import SAMPLES


def _norm(text: str) -> str:
    return re.sub(r"\s+", " ", text).strip()


def _bytes_of(key: str, truth: dict[str, Any]) -> bytes:
    """A file's bytes, or a container member's, by ground-truth key."""
    for container, entry in truth["files"].items():
        if entry["container"] and key.startswith(container + "/"):
            member = key[len(container) + 1 :]
            data = (SAMPLES / container).read_bytes()
            if container.endswith(".zip"):
                with zipfile.ZipFile(io.BytesIO(data)) as z:
                    return z.read(member)
            msg = email.message_from_bytes(data)
            return next(
                p.get_payload(decode=True) for p in msg.walk() if p.get_filename() == member
            )
    return (SAMPLES / key).read_bytes()


def _pdf_keys(truth: dict[str, Any]) -> list[str]:
    return [
        k
        for k, e in truth["files"].items()
        if not e["error"] and not e["container"] and _bytes_of(k, truth)[:5] == b"%PDF-"
    ]


def test_text_layer_pages_print_exactly_the_ground_truth(truth: dict[str, Any]) -> None:
    checked = 0
    for key in _pdf_keys(truth):
        pages = truth["files"][key]["pages"]
        with pdfplumber.open(io.BytesIO(_bytes_of(key, truth))) as pdf:
            assert len(pdf.pages) == len(pages), key
            for page, want in zip(pdf.pages, pages, strict=True):
                got = page.extract_text() or ""
                if want["kind"] == "text":
                    assert _norm(got) == _norm(want["text"]), f"{key} p{want['number']}"
                    checked += 1
                else:
                    # Scanned pages carry no text layer: the words exist only as pixels.
                    assert got.strip() == "", f"{key} p{want['number']}"
                    assert page.images, f"{key} p{want['number']}"
    assert checked >= 80


def test_scanned_pages_are_stored_turned_as_labelled(truth: dict[str, Any]) -> None:
    turned = 0
    for key in _pdf_keys(truth):
        doc = pdfium.PdfDocument(_bytes_of(key, truth))
        for i, want in enumerate(truth["files"][key]["pages"]):
            if want["kind"] != "scan":
                continue
            w, h = doc[i].get_size()
            # Portrait paper turned by 90 or 270 degrees is stored landscape.
            assert (w > h) == (want["upright_rotation"] in (90, 270)), f"{key} p{i + 1}"
            turned += want["upright_rotation"] != 0
    assert turned >= 3


def test_sideways_photo_has_exif_orientation(truth: dict[str, Any]) -> None:
    keys = [k for k, e in truth["files"].items() if e["form"] == "photo_sideways"]
    assert keys
    for key in keys:
        img = Image.open(SAMPLES / key)
        assert img.getexif()[0x0112] == 6
        assert img.width > img.height  # stored sideways ...
        upright = ImageOps.exif_transpose(img)
        assert upright.height > upright.width  # ... and upright once the tag is applied
        assert truth["files"][key]["pages"][0]["upright_rotation"] == 90


def test_fax_is_one_bit_group4_multi_page_at_fax_resolution(truth: dict[str, Any]) -> None:
    keys = [k for k, e in truth["files"].items() if e["form"] == "fax_tiff"]
    assert any(len(truth["files"][k]["pages"]) >= 2 for k in keys)
    for key in keys:
        img = Image.open(SAMPLES / key)
        assert img.mode == "1"
        assert img.info["compression"] == "group4"
        xdpi, ydpi = img.info["dpi"]
        assert round(xdpi) == 204 and round(ydpi) == 98
        assert img.n_frames == len(truth["files"][key]["pages"])


def test_heic_png_docx_open_as_their_formats(truth: dict[str, Any]) -> None:
    pillow_heif.register_heif_opener()
    by_form = {e["form"]: k for k, e in truth["files"].items()}
    heic = Image.open(SAMPLES / by_form["heic"])
    assert heic.format == "HEIF" and min(heic.size) > 1000
    png = Image.open(SAMPLES / by_form["png"])
    assert png.format == "PNG"
    from docx import Document as DocxDocument

    docx_key = by_form["docx"]
    paragraphs = [p.text for p in DocxDocument(str(SAMPLES / docx_key)).paragraphs if p.text]
    assert "\n".join(paragraphs) == truth["files"][docx_key]["pages"][0]["text"]


def test_bad_files_are_bad_in_the_labelled_way(truth: dict[str, Any]) -> None:
    seen = set()
    for key, entry in truth["files"].items():
        data = (SAMPLES / key).read_bytes() if (SAMPLES / key).exists() else None
        if entry["error"] == "empty":
            assert data == b""
        elif entry["error"] == "encrypted":
            with pytest.raises(pdfium.PdfiumError, match="password"):
                pdfium.PdfDocument(data)
        elif entry["error"] == "corrupt":
            assert data is not None and data.startswith(b"%PDF-")
            with pytest.raises(pdfium.PdfiumError):
                pdfium.PdfDocument(data)
        elif entry["error"] == "unsupported":
            assert data is not None and data[:4] == b"RIFF"
        elif entry["form"] == "misnamed_jpeg":
            assert key.endswith(".pdf") and data is not None and data[:3] == b"\xff\xd8\xff"
        else:
            continue
        seen.add(entry["error"] or entry["form"])
    assert seen == {"empty", "encrypted", "corrupt", "unsupported", "misnamed_jpeg"}


def test_duplicate_upload_is_byte_identical_and_rescan_is_not(truth: dict[str, Any]) -> None:
    for folder, case in truth["cases"].items():
        dups = [p["file"] for p in case["expected"]["problems"] if p["kind"] == "duplicate"]
        if not dups:
            continue
        datas = {name: (SAMPLES / folder / name).read_bytes() for name in dups}
        texts = {
            name: [p["text"] for p in truth["files"][f"{folder}/{name}"]["pages"]] for name in dups
        }
        originals = [
            k
            for k in truth["files"]
            if k.startswith(folder + "/")
            and k.rsplit("/", 1)[1] not in dups
            and [p["text"] for p in truth["files"][k]["pages"]] in texts.values()
        ]
        assert originals, folder
        original = (SAMPLES / originals[0]).read_bytes()
        assert any(d == original for d in datas.values())  # uploaded twice
        assert any(d != original for d in datas.values())  # and once as a re-scan
