"""Mutation fuzzing of the readers from real seed files: nothing escapes, hangs or runs away.

Each target starts from a valid small file of one kind (or a hostile shape from
tests/hostile/builders.py) and applies one to four byte- or structure-level mutations.
CI runs a short deterministic pass; `make fuzz` (--fuzz-long) a long random one.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable
from pathlib import Path

import pytest
from hostile import builders
from hypothesis import example, given, settings

from fuzz import seeds
from fuzz.conftest import FuzzTally
from fuzz.harness import outcome_label, run_one, verdict
from fuzz.mutators import mutated

SEED_KINDS = sorted(seeds.seeds())

HOSTILE_SEEDS: dict[str, Callable[[], tuple[str, bytes]]] = {
    "zip_bomb": lambda: ("bomb.zip", builders.zip_bomb(8)),
    "zip_traversal": lambda: ("names.zip", builders.zip_traversal()),
    "nested_zip": lambda: ("nested.zip", builders.nested_zip(4)),
    "png_declared": lambda: ("big.png", builders.png_declared(30000, 30000)),
    "tiff_frames": lambda: ("frames.tif", builders.tiff_many_frames(2001)),
    "pdf_image_bomb": lambda: ("bomb.pdf", builders.pdf_image_bomb()),
    "pdf_encrypted": lambda: ("locked.pdf", builders.pdf_encrypted()),
    "eml_nested": lambda: ("fwd.eml", builders.eml_nested(6)),
    "docx_broken": lambda: ("broken.docx", builders.docx_broken_xml()),
    "eml_mangled_boundary": lambda: ("fwd2.eml", builders.eml_forwarded_with_8bit_boundary()),
    "eml_deep": lambda: ("deep.eml", builders.eml_deep_multipart(40, forwarded_every=2)),
    "zip_future_version": lambda: ("future.zip", builders.zip_future_version()),
    "jpeg_declared": lambda: ("big.jpg", builders.jpeg_declared()),
    "tiff_declared": lambda: ("big.tif", builders.tiff_declared(100_000, 100_000)),
    "ccda_entity_bomb": lambda: ("summary.xml", builders.ccda_entity_bomb()),
    "ccda_external_entity": lambda: ("summary.xml", builders.ccda_external_entity()),
    "dicomdir_loop": lambda: ("DICOMDIR", builders.dicomdir_loop()),
    "msg_nested": lambda: ("fwd.msg", seeds.outlook_nested(8)),
    "odt_bomb": lambda: ("bomb.odt", seeds.odt_bomb()),
    "rtf_deep": lambda: ("deep.rtf", seeds.rtf_deep()),
}


ARTIFACTS = Path(__file__).resolve().parents[1] / "artifacts" / "fuzz"


def save_failure(name: str, data: bytes) -> Path:
    """Keep a failing input (tests/artifacts is git-ignored) so its owner can replay it."""
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    path = ARTIFACTS / f"{hashlib.sha256(data).hexdigest()[:12]}-{Path(name).name}"
    path.write_bytes(data)
    return path


def _fuzz(
    name: str,
    seed: bytes,
    others: list[bytes],
    fuzz_settings: settings,
    tally: FuzzTally,
    expect_read: bool,
) -> None:
    @fuzz_settings
    @example(data=seed)
    @given(data=mutated(seed, others))
    def one(data: bytes) -> None:
        result = run_one(name, data)
        tally.outcomes[outcome_label(result)] += 1
        tally.slowest_s = max(tally.slowest_s, result.elapsed_s)
        tally.peak_growth_bytes = max(tally.peak_growth_bytes, result.peak_growth_bytes or 0)
        problems = verdict(name, result)
        if problems:
            saved = save_failure(name, data)
            problems.append(f"input saved as {saved}")
        assert problems == []
        if data == seed and expect_read:
            # The seed itself must be a good file, or the mutations start from rubbish.
            assert outcome_label(result) == "read"

    one()


@pytest.mark.parametrize("kind", SEED_KINDS)
def test_mutated_seed_files(kind: str, fuzz_settings: settings, tally: FuzzTally) -> None:
    name, seed = seeds.seeds()[kind]
    others = [data for other, (_, data) in seeds.seeds().items() if other != kind]
    _fuzz(name, seed, others, fuzz_settings, tally, expect_read=True)


@pytest.mark.parametrize("shape", sorted(HOSTILE_SEEDS))
def test_mutated_hostile_shapes(shape: str, fuzz_settings: settings, tally: FuzzTally) -> None:
    name, seed = HOSTILE_SEEDS[shape]()
    _fuzz(name, seed, [], fuzz_settings, tally, expect_read=False)
