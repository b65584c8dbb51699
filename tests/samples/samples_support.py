"""Shared paths for the sample-record tests; makes the repository root importable.

`sample_docs` is not an installed package, so `pytest` run as a console script (not
`python -m pytest`) would not find it without this.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[2]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

SAMPLES = ROOT / "sample_docs"


def load_truth(root: Path = SAMPLES) -> dict[str, Any]:
    return json.loads((root / "ground_truth.json").read_text(encoding="utf-8"))
