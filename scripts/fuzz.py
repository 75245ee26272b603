"""The long fuzz run: specs generated from the schema through check, build, diff and textconv.

Run with `nox -s fuzz` (or `python scripts/fuzz.py [SPECS] [--jobs N]`). The specs are
split into shards of at most 500, each a pytest run of tests/test_fuzz.py with its own
hypothesis seed (the shard's number), so a run is reproducible and a crash in one shard
does not stop the others. Shards run `--jobs` at a time. The figures (specs tried,
schema-valid, built, converted to PDF and DOCX, DOCX parts parsed) are summed into
build/fuzz/stats.json and printed; the exit code is 1 when any shard failed, and its log
in build/fuzz/ shows the failing spec as hypothesis generated it.
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
OUT = ROOT / "build" / "fuzz"
SHARD = 500
KEYS = ("tried", "valid", "built", "converted", "docx_parts")


def run_shard(number: int, size: int) -> tuple[int, dict[str, int], int, float]:
    """One pytest run of `size` specs with seed `number`: its exit code, figures and time."""
    stats, log = OUT / f"shard-{number}.json", OUT / f"shard-{number}.log"
    stats.unlink(missing_ok=True)
    env = {**os.environ, "AVTAL_FUZZ_EXAMPLES": str(size), "AVTAL_FUZZ_STATS": str(stats)}
    command = [sys.executable, "-m", "pytest", "-x", "-q", "-p", "no:cacheprovider",
               f"--hypothesis-seed={number}", "tests/test_fuzz.py"]
    start = time.monotonic()
    with log.open("wb") as sink:
        code = subprocess.run(command, cwd=ROOT, env=env, stdout=sink,
                              stderr=subprocess.STDOUT, check=False).returncode
    figures = json.loads(stats.read_text(encoding="utf-8")) if stats.exists() else {}
    return code, {k: int(figures.get(k, 0)) for k in KEYS}, number, time.monotonic() - start


def shards(total: int) -> list[tuple[int, int]]:
    """(seed, size) per shard, covering `total` specs."""
    return [(n + 1, min(SHARD, total - start)) for n, start in enumerate(range(0, total, SHARD))]


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("specs", nargs="?", type=int, default=10_000)
    parser.add_argument("--jobs", type=int, default=os.cpu_count() or 1)
    args = parser.parse_args()
    OUT.mkdir(parents=True, exist_ok=True)
    totals = dict.fromkeys(KEYS, 0)
    failed: list[int] = []
    start = time.monotonic()
    with ThreadPoolExecutor(max_workers=max(1, args.jobs)) as pool:
        runs = pool.map(lambda shard: run_shard(*shard), shards(args.specs))
        for code, figures, number, seconds in runs:
            for key in KEYS:
                totals[key] += figures[key]
            if code != 0:
                failed.append(number)
            state = "ok" if code == 0 else f"FAILED (see {OUT / f'shard-{number}.log'})"
            print(f"shard {number}: {figures['tried']} specs in {seconds:.0f} s, {state}",
                  flush=True)
    summary = {**totals, "failed_shards": failed, "seconds": round(time.monotonic() - start)}
    (OUT / "stats.json").write_text(json.dumps(summary, indent=2) + "\n", encoding="utf-8")
    print(json.dumps(summary))
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
