"""Every input the fuzzer ever broke the readers with, replayed on each run.

tests/fuzz/corpus/ holds them (named <sha256 prefix>-<upload name>); when a fuzz run saves a
new failing input under tests/artifacts/fuzz/, copy it here once the reader is fixed.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from fuzz.harness import run_one, verdict

CORPUS = Path(__file__).with_name("corpus")
CASES = sorted(CORPUS.iterdir())


def test_the_corpus_is_there() -> None:
    assert len(CASES) >= 5


@pytest.mark.parametrize("path", CASES, ids=[p.name for p in CASES])
def test_past_fuzz_failure_is_handled(path: Path) -> None:
    name = path.name.split("-", 1)[1]
    result = run_one(name, path.read_bytes())
    assert verdict(name, result) == []
