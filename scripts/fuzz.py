"""The long fuzz run: specs generated from the schema through check, build, diff and
textconv, and team repositories mutated as a pull request could (party files,
avtal.toml, file names, symbolic links, templates, a committed build folder).

Run with `nox -s fuzz` (or `python scripts/fuzz.py [SPECS] [--repositories N] [--jobs N]`).
The examples are split into shards of at most 500 (specs, tests/test_fuzz.py) or 250
(repositories, tests/test_fuzz_repository.py), each a pytest run with its own hypothesis
seed (the shard's number), so a run is reproducible and a crash in one shard does not
stop the others. Shards run `--jobs` at a time. The figures (specs tried, schema-valid,
built, converted to PDF and DOCX, DOCX parts parsed; repositories tried, built,
refused, with git) are summed into build/fuzz/stats.json and printed; the exit code is
1 when any shard failed, and its log in build/fuzz/ shows the failing example as
hypothesis generated it.
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
# Each kind: its test file, the shard size, the figures it counts.
KINDS = {
    "spec": ("tests/test_fuzz.py", 500, ("tried", "valid", "built", "converted", "docx_parts")),
    "repo": ("tests/test_fuzz_repository.py", 250, ("tried", "built", "refused", "git")),
}


def run_shard(kind: str, number: int, size: int) -> tuple[int, dict[str, int], str, float]:
    """One pytest run of `size` examples with seed `number`: its exit code, figures,
    name and time."""
    test, _, keys = KINDS[kind]
    name = f"{kind}-{number}"
    stats, log = OUT / f"shard-{name}.json", OUT / f"shard-{name}.log"
    stats.unlink(missing_ok=True)
    env = {**os.environ, "AVTAL_FUZZ_EXAMPLES": str(size), "AVTAL_FUZZ_STATS": str(stats)}
    command = [sys.executable, "-m", "pytest", "-x", "-q", "-p", "no:cacheprovider",
               f"--hypothesis-seed={number}", test]
    start = time.monotonic()
    with log.open("wb") as sink:
        code = subprocess.run(command, cwd=ROOT, env=env, stdout=sink,
                              stderr=subprocess.STDOUT, check=False).returncode
    figures = json.loads(stats.read_text(encoding="utf-8")) if stats.exists() else {}
    return code, {k: int(figures.get(k, 0)) for k in keys}, name, time.monotonic() - start


def shards(kind: str, total: int, first: int = 1) -> list[tuple[str, int, int]]:
    """(kind, seed, size) per shard, covering `total` examples, seeds from `first`."""
    size = KINDS[kind][1]
    return [(kind, first + n, min(size, total - start))
            for n, start in enumerate(range(0, total, size))]


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("specs", nargs="?", type=int, default=10_000)
    parser.add_argument("--repositories", type=int, default=2_000)
    parser.add_argument("--seed", type=int, default=1, help="the first shard's seed")
    parser.add_argument("--jobs", type=int, default=os.cpu_count() or 1)
    args = parser.parse_args()
    OUT.mkdir(parents=True, exist_ok=True)
    totals = {f"{kind}_{key}": 0 for kind, (_, _, keys) in KINDS.items() for key in keys}
    failed: list[str] = []
    start = time.monotonic()
    planned = [*shards("repo", args.repositories, args.seed),
               *shards("spec", args.specs, args.seed)]
    with ThreadPoolExecutor(max_workers=max(1, args.jobs)) as pool:
        runs = pool.map(lambda shard: run_shard(*shard), planned)
        for code, figures, name, seconds in runs:
            kind = name.split("-")[0]
            for key, count in figures.items():
                totals[f"{kind}_{key}"] += count
            if code != 0:
                failed.append(name)
            state = "ok" if code == 0 else f"FAILED (see {OUT / f'shard-{name}.log'})"
            print(f"shard {name}: {figures['tried']} tried in {seconds:.0f} s, {state}",
                  flush=True)
    summary = {**totals, "failed_shards": failed, "seconds": round(time.monotonic() - start)}
    (OUT / "stats.json").write_text(json.dumps(summary, indent=2) + "\n", encoding="utf-8")
    print(json.dumps(summary))
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
