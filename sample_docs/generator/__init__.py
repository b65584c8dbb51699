"""Deterministic generator of the fictional sample records and their ground truth.

Run `python -m sample_docs.generator` from the repository root to rewrite `sample_docs/`.

Library use:
- `build(doc_type, patient, date, institution, rng, **values) -> (title, page_texts, fields)`
- `generate(root, seed=SEED, only=None) -> ground truth dict` (writes formats/, inbox/, ground_truth.json)
- `bench_set(out_dir, scanned_pages=200, text_pages=500, seed=SEED, workers=1) -> manifest`
"""

from .bench import bench_set
from .documents import DOC_TYPES, build
from .generate import SEED, generate

__all__ = ["DOC_TYPES", "SEED", "bench_set", "build", "generate"]
