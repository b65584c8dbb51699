"""Deterministic generator of the fictional sample records and their ground truth.

Run `python -m sample_docs.generator` from the repository root to rewrite `sample_docs/`.
"""
