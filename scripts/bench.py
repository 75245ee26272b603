"""Benchmark the build against the floor: the same Markdown converted with nothing else.

Run with `nox -s bench` (or `python scripts/bench.py`). The floor is measured in the
same run: every Markdown document the build converted, turned into DOCX and Typst by
one `pandoc lua` process (same filter, template and reference document) and compiled
by one reused typst.Compiler. Every figure is given as a ratio against it, never
asserted in tests. The per-call figure (two pandoc processes and a fresh typst per
document) is kept as a second reference.

On a shared machine the wall-clock figures vary with the other load: `--repeat N` runs
each measure N times and keeps the fastest, and the CPU seconds (this process and its
converters) show the work done whatever the load. The no-op rebuild is measured twice:
in this process, and as `avtal build` started afresh, as from the shell.
"""

from __future__ import annotations

import argparse
import resource
import shutil
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import typst
import yaml

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from generator import convert  # noqa: E402
from generator.build import Options, SpecResult, build_all, default_jobs  # noqa: E402
from generator.consistency import luhn_ok  # noqa: E402

# One pandoc for every file in a list: DOCX and Typst each, like the build makes them.
FLOOR_SCRIPT = """
local filter, template, reference, reader, list, out = table.unpack(arg)
local function slurp(path)
  local handle = assert(io.open(path, "rb"))
  local text = handle:read("a")
  handle:close()
  return text
end
local typst_template = pandoc.template.compile(slurp(template), template)
local docx_template = pandoc.template.compile(pandoc.template.default("openxml"))
local n = 0
for path in io.lines(list) do
  n = n + 1
  local doc = pandoc.read(slurp(path), reader)
  for to, options in pairs({
    docx = { wrap_text = "none", template = docx_template, reference_doc = reference },
    typst = { wrap_text = "none", template = typst_template },
  }) do
    FORMAT = to
    local result = pandoc.write(pandoc.utils.run_lua_filter(doc:clone(), filter), to, options)
    local handle = assert(io.open(out .. "/" .. n .. "." .. to, "wb"))
    handle:write(result)
    handle:close()
  end
end
"""


def org_nr(seed: int) -> str:
    """A valid municipal organisation number for a generated party (212090-0000 and on:
    no example party has one of these)."""
    base = f"2120{90_000 + seed:05d}"
    check = next(d for d in range(10) if luhn_ok(base + str(d)))
    return f"{base[:6]}-{base[6:]}{check}"


def registered(entry: dict[str, Any]) -> dict[str, Any]:
    """A spec's party written out whole: its registry file with the spec's additions
    (the generated spec lives outside the repository, away from parties/)."""
    if "ref" not in entry:
        return entry
    path = ROOT / "parties" / f"{entry['ref']}.yaml"
    base: dict[str, Any] = yaml.safe_load(path.read_text(encoding="utf-8"))
    return {**base, **{k: v for k, v in entry.items() if k != "ref"}}


def hub_spec(folder: Path, counterparties: int) -> Path:
    """The ROC example widened to generated counterparties."""
    data = yaml.safe_load((ROOT / "specs" / "roc-ingang.yaml").read_text(encoding="utf-8"))
    data["parties"] = [registered(p) for p in data["parties"]]
    host = next(p for p in data["parties"] if p["id"] == data["hub"]["host"])
    model = next(p for p in data["parties"] if p["id"] != host["id"])
    parties = [host]
    for n in range(counterparties):
        party = yaml.safe_load(yaml.safe_dump(model))
        party.update(id=f"kommun-{n:03d}", name=f"Exempelkommun {n:03d}", org_nr=org_nr(n))
        parties.append(party)
    data.update(id=f"bench-hub-{counterparties}", parties=parties)
    path = folder / f"bench-hub-{counterparties}.yaml"
    text = yaml.safe_dump(data, allow_unicode=True, sort_keys=False)
    path.write_text(text, encoding="utf-8")
    return path


Timing = tuple[float, float]  # wall-clock seconds, CPU seconds (with the converters)
REPEAT = 1  # how often each measure runs; the fastest counts (--repeat)


def cpu_seconds() -> float:
    """CPU time of this process and of its ended children (pandoc, typst workers)."""
    own = resource.getrusage(resource.RUSAGE_SELF)
    children = resource.getrusage(resource.RUSAGE_CHILDREN)
    return own.ru_utime + own.ru_stime + children.ru_utime + children.ru_stime


def timed(
    action: Callable[[], object],
    prepare: Callable[[], object] = lambda: None,
    *,
    repeat: int | None = None,
) -> Timing:
    """Seconds one call takes, the fastest of `repeat` (default REPEAT) runs, each after
    `prepare`."""
    best: Timing | None = None
    for _ in range(repeat or REPEAT):
        prepare()
        start, cpu = time.perf_counter(), cpu_seconds()
        action()
        taken = (time.perf_counter() - start, cpu_seconds() - cpu)
        best = taken if best is None or taken[0] < best[0] else best
    assert best is not None
    return best


def floor(markdown_files: list[Path], work: Path) -> Timing:
    """One `pandoc lua` for every file (DOCX and Typst), one typst.Compiler for the PDFs."""
    work.mkdir()
    script, listing = work / "floor.lua", work / "files.txt"
    script.write_text(FLOOR_SCRIPT, encoding="utf-8")
    listing.write_text("".join(f"{p}\n" for p in markdown_files), encoding="utf-8")
    paths = (convert.LUA_FILTER, convert.TYPST_TEMPLATE, convert.REFERENCE_DOCX)
    command = [convert.pandoc_path(), "lua", str(script), *map(str, paths)]
    command += [convert.MARKDOWN, str(listing), str(work)]
    stamp = datetime.fromtimestamp(0, tz=UTC)

    def run() -> None:
        subprocess.run(command, check=True)
        compiler = typst.Compiler(font_paths=[str(convert.FONTS)], ignore_system_fonts=True)
        for n in range(1, len(markdown_files) + 1):
            source = (work / f"{n}.typst").read_bytes()
            compiler.compile(source, format="pdf", pdf_standards="a-2b", timestamp=stamp)

    return timed(run)


def per_call(markdown_files: list[Path]) -> Timing:
    """pandoc to DOCX, pandoc to Typst and a new typst per file: the old way, bare."""
    pandoc = convert.pandoc_path()

    def run() -> None:
        for md in markdown_files:
            subprocess.run([pandoc, str(md), "-o", "/dev/null", "-t", "docx"], check=True)
            source = subprocess.run(
                [pandoc, str(md), "-t", "typst", "--standalone"], check=True, capture_output=True
            ).stdout
            typst.compile(source, format="pdf", font_paths=[str(convert.FONTS)])

    return timed(run, repeat=1)  # a reference only, and slow


def converted(out: Path) -> list[Path]:
    """Every document the build turned into PDF and DOCX (checklists are HTML only)."""
    return sorted(p for p in out.rglob("*.md") if p.name != "checklista.md")


def build_time(
    specs: list[Path], options: Options, jobs: int | None = None, *, cold: bool = False
) -> Timing:
    """Seconds `avtal build` takes for these specs (`cold`: into an empty folder each
    time); a spec that fails stops the bench."""
    results: list[SpecResult] = []

    def prepare() -> None:
        results.clear()
        if cold:
            shutil.rmtree(options.out, ignore_errors=True)

    taken = timed(lambda: results.extend(build_all(specs, options, jobs=jobs)), prepare)
    for result in results:
        if result.failed:
            raise SystemExit(f"{result.path} byggdes inte: {result.issues[0].message}")
    return taken


def shell_noop(examples: list[Path], out: Path) -> Timing:
    """`avtal build` of the examples started afresh, as from the shell, when nothing
    changed (a first run brings the folder to the command line's options)."""
    command = [sys.executable, "-m", "generator", "build", "--format", "md,pdf,docx"]
    command += ["--out", str(out), *map(str, examples)]

    def run() -> None:
        done = subprocess.run(command, cwd=ROOT, capture_output=True, text=True)
        if done.returncode != 0:
            raise SystemExit(f"avtal build misslyckades:\n{done.stderr}")

    run()
    taken = timed(run)
    done = subprocess.run(command, cwd=ROOT, capture_output=True, text=True)
    if " 0 filer skrivna" not in done.stdout:
        raise SystemExit(f"avtal build skrev filer igen: {done.stdout}")
    return taken


Row = tuple[str, int, Timing, Timing]  # measure, documents, its timing, the floor's


def measure(examples: list[Path], hub: int, folder: Path) -> list[Row]:
    """The examples plus a generated hub: floor, builds with one and two jobs, no-op."""
    specs = [*examples, hub_spec(folder, hub)]
    out = folder / f"build-{hub}"
    options = Options(out=out, formats=("md", "pdf", "docx"))
    cold = build_time(specs, options, jobs=1, cold=True)
    documents = converted(out)
    count = len(documents)
    bare = floor(documents, folder / f"floor-{hub}")
    name = f"examples + {hub}-counterparty hub"
    rows = [(f"floor: one pandoc lua + one typst.Compiler ({name})", count, bare, bare)]
    if hub == 25:
        rows.append((f"pandoc and typst per call ({name})", count, per_call(documents), bare))
    rows.append((f"avtal build, cold, --jobs 1 ({name})", count, cold, bare))
    two = build_time(specs, options, jobs=2, cold=True)
    rows.append((f"avtal build, cold, --jobs 2 ({name})", count, two, bare))
    if hub == 25:
        noop = build_time(examples, options)
        own = [d for d in documents if not d.relative_to(out).parts[0].startswith("bench")]
        rows.append(("avtal build of the examples, nothing changed", len(own), noop, bare))
        fresh = shell_noop(examples, out)
        rows.append(("the same, `avtal build` started afresh", len(own), fresh, bare))
    return rows


def main() -> None:
    """Print the figures as a Markdown table for the README."""
    global REPEAT
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--repeat", type=int, default=1, help="runs per measure (fastest)")
    REPEAT = max(1, parser.parse_args().repeat)
    examples = sorted((ROOT / "specs").glob("*.yaml"))
    with tempfile.TemporaryDirectory() as temp:
        rows = [row for hub in (25, 100) for row in measure(examples, hub, Path(temp))]
    print(
        f"| measure ({default_jobs()} cores, fastest of {REPEAT}) | documents | seconds "
        "| per document | × floor | CPU seconds | CPU × floor |"
    )
    print("|---|---:|---:|---:|---:|---:|---:|")
    for name, count, (seconds, cpu), (base, base_cpu) in rows:
        per = "" if "nothing changed" in name or "afresh" in name else f"{seconds / count:.3f}"
        print(
            f"| {name} | {count} | {seconds:.2f} | {per} | {seconds / base:.2f} "
            f"| {cpu:.2f} | {cpu / base_cpu:.2f} |"
        )
    own = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss // 1024
    child = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss // 1024
    print(f"\nPeak memory: {own} MB (avtal with typst), {child} MB (largest pandoc).")


if __name__ == "__main__":
    main()
