"""`python -m sample_docs.generator [--out DIR] [--seed N]`: rewrite the sample set."""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

from .generate import SEED, generate


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(prog="python -m sample_docs.generator", description=__doc__)
    ap.add_argument(
        "--out",
        type=Path,
        default=Path(__file__).resolve().parent.parent,
        help="folder to write formats/, inbox/ and ground_truth.json into (default: sample_docs/)",
    )
    ap.add_argument("--seed", type=int, default=SEED)
    ap.add_argument(
        "--only",
        action="append",
        default=None,
        help="only folders starting with this prefix (repeatable), e.g. formats",
    )
    args = ap.parse_args(argv)
    start = time.perf_counter()
    truth = generate(args.out, args.seed, set(args.only) if args.only else None)
    n_docs = sum(len(e["documents"]) for e in truth["files"].values())
    print(
        f"wrote {len(truth['files'])} files, {n_docs} documents, {len(truth['cases'])} cases "
        f"into {args.out} in {time.perf_counter() - start:.1f} s"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
