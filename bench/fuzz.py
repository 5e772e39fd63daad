"""Fuzz the whole build: random content folders (front matter, Markdown, math, figures, Plotly JSON,
BibTeX, site.yml; see tests/fuzz_inputs.py), each checked and built in this process.

    python bench/fuzz.py [--inputs 5000] [--seed 1] [--time-limit 20]

Prints counts by outcome (ok, errors reported, traceback, timeout, malformed message), the slowest
input, the peak memory of the process, and the first few failures in full. Every run should end
as ok or errors: a traceback, a timeout or a message that is not `path:line:col:` is a bug.
"""

from __future__ import annotations

import argparse
import random
import resource
import sys
import tempfile
import time
from collections import Counter
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

from tests.fuzz_inputs import random_content, run_one  # noqa: E402


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--inputs", type=int, default=5000)
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--time-limit", type=int, default=20)
    args = ap.parse_args()
    rng = random.Random(args.seed)
    counts, failures, slowest = Counter(), [], (0.0, None)
    t0 = time.perf_counter()
    with tempfile.TemporaryDirectory() as tmp:
        for i in range(args.inputs):
            files = random_content(rng)
            result = run_one(files, Path(tmp) / "run", args.time_limit)
            counts[result["outcome"]] += 1
            if result["seconds"] > slowest[0]:
                slowest = (result["seconds"], sorted(str(k) for k in files))
            if result["outcome"] not in ("ok", "errors"):
                failures.append((i, result, files))
            if (i + 1) % 250 == 0:
                print(f"{i + 1} inputs, {dict(counts)}, {time.perf_counter() - t0:.0f} s", flush=True)
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"inputs {args.inputs} (seed {args.seed}) in {time.perf_counter() - t0:.0f} s: {dict(counts)}")
    print(f"slowest input {slowest[0]:.2f} s ({slowest[1]}); peak memory of the process {peak:.0f} MB")
    for i, result, files in failures[:5]:
        print(f"--- input {i}: {result['outcome']}\n{files!r}\n{result['detail']}")
    sys.exit(1 if failures else 0)


if __name__ == "__main__":
    main()
