"""Benchmark the build against the floors: the same Markdown converted with nothing else.

Run with `nox -s bench` (or `python scripts/bench.py`). Two sets of specs are built in a
temporary project (its own specs/ and parties/): the examples, and the examples plus a
hub spec with 300 generated counterparties, each with its own party file. Three floors
are measured in the same run on every Markdown document the build converted to PDF and
DOCX: the physical floor (one `pandoc lua` process turning each into DOCX and Typst
with only the reference document and the Typst template, no filter of ours, then one
reused typst.Compiler), the same as two such processes at once, each on half the
documents (what two cores can do: the bound for `--jobs 2`), and the physical floor
with our layout filter (the floor before issue 28). Every figure is given as a ratio
against the physical floor, never asserted in tests. `--per-call` adds the old way as
a reference (two pandoc processes and a fresh typst per document, over the examples).

Every measure runs as a process of its own, started as from the shell, so that its
seconds include Python's start and imports, and its peak memory (avtal's own process,
and its largest converter: pandoc, or the typst worker) is its own. On a shared
machine the wall-clock figures vary with the other load: `--repeat N` runs every
measure N times, taking turns (a round of all of them, then the next), and keeps the
fastest of each; the CPU seconds (the process and its
converters) show the work done whatever the load.
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import shutil
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import typst
import yaml

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from generator import convert  # noqa: E402
from generator.build import default_jobs  # noqa: E402
from generator.consistency import luhn_ok  # noqa: E402

# One pandoc for every file in a list: DOCX and Typst each, like the build makes them.
# FILTER empty: no filter of ours (the physical floor).
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
  for _, to in ipairs({ "docx", "typst" }) do
    local options = { wrap_text = "none" }
    if to == "docx" then
      options.template, options.reference_doc = docx_template, reference
    else
      options.template = typst_template
    end
    FORMAT = to
    local converted = doc
    if filter ~= "" then
      converted = pandoc.utils.run_lua_filter(doc:clone(), filter)
    end
    local handle = assert(io.open(out .. "/" .. n .. "." .. to, "wb"))
    handle:write(pandoc.write(converted, to, options))
    handle:close()
  end
end
"""

# A floor as a process of its own: the pandoc command given, then one typst.Compiler
# for the Typst files it wrote; its memory on the last line of stderr.
FLOOR_CHILD = """
import json, resource, subprocess, sys
from datetime import UTC, datetime
import typst
fonts, work, count, *command = sys.argv[1:]
subprocess.run(command, check=True)
compiler = typst.Compiler(font_paths=[fonts], ignore_system_fonts=True)
stamp = datetime.fromtimestamp(0, tz=UTC)
for n in range(1, int(count) + 1):
    source = open(f"{work}/{n}.typst", "rb").read()
    compiler.compile(source, format="pdf", pdf_standards="a-2b", timestamp=stamp)
"""

# Several floor processes at once (their commands after each `--`); the largest memory
# of any of them on the last line of stderr.
PARALLEL = """
import json, subprocess, sys
commands, current = [], None
for word in sys.argv[1:]:
    if word == "--":
        current = []
        commands.append(current)
    else:
        current.append(word)
running = [subprocess.Popen(c, stderr=subprocess.PIPE, text=True) for c in commands]
peaks = [0, 0]
for process in running:
    err = process.communicate()[1]
    if process.returncode:
        sys.exit(err[-3000:])
    line = [l for l in err.splitlines() if l.startswith("bench-memory ")][-1]
    peaks = [max(a, b) for a, b in zip(peaks, json.loads(line.split(" ", 1)[1]))]
print("bench-memory " + json.dumps(peaks), file=sys.stderr)
"""

# `avtal ARGS` as from the shell, its memory on the last line of stderr.
AVTAL_CHILD = """
import sys
from generator.cli import main
code = main(sys.argv[1:])
"""

MEMORY_LINE = """
import json, resource
own = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
child = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
print("bench-memory " + json.dumps([own, child]), file=sys.stderr)
"""

COUNTERPARTIES = 300
PYCACHE = Path(tempfile.gettempdir()) / "avtal-bench-pycache"
REPEAT = 1  # how often each measure runs; the fastest counts (--repeat)


@dataclass(frozen=True)
class Timing:
    """One measure: wall-clock and CPU seconds (with the converters), and the peak
    memory in MB of the process itself and of its largest converter."""

    seconds: float
    cpu: float
    own_mb: int = 0
    converter_mb: int = 0


def org_nr(seed: int) -> str:
    """A valid municipal organisation number for a generated party (212090-0000 and on:
    no example party has one of these)."""
    base = f"2120{90_000 + seed:05d}"
    check = next(d for d in range(10) if luhn_ok(base + str(d)))
    return f"{base[:6]}-{base[6:]}{check}"


def project(folder: Path, counterparties: int) -> Path:
    """A project with the examples and their party registry, plus (with counterparties)
    the ROC example widened to that many generated counterparties, each with a party
    file of its own."""
    (folder / "specs").mkdir(parents=True)
    shutil.copytree(ROOT / "parties", folder / "parties")
    for spec in sorted((ROOT / "specs").glob("*.yaml")):
        shutil.copyfile(spec, folder / "specs" / spec.name)
    if counterparties:
        hub_spec(folder, counterparties)
    return folder


def hub_spec(folder: Path, counterparties: int) -> Path:
    """The ROC example with `counterparties` generated municipalities in place of its
    own, each written to the project's registry like a real party."""
    data = yaml.safe_load((ROOT / "specs" / "roc-ingang.yaml").read_text(encoding="utf-8"))
    host = next(p for p in data["parties"] if p["ref"] == data["hub"]["host"])
    model = next(p for p in data["parties"] if p["ref"] != host["ref"])
    registry = folder / "parties"
    base = yaml.safe_load((registry / f"{model['ref']}.yaml").read_text(encoding="utf-8"))
    parties = [host]
    for n in range(counterparties):
        party_id = f"kommun-{n:03d}"
        own = {**base, "id": party_id, "name": f"Exempelkommun {n:03d}", "org_nr": org_nr(n)}
        text = yaml.safe_dump(own, allow_unicode=True, sort_keys=False)
        (registry / f"{party_id}.yaml").write_text(text, encoding="utf-8")
        entry = {**model, "ref": party_id}
        if "decision" in entry:  # each party prepares the matter and registers it itself
            officer = {**entry["decision"]["case_officer"], "name": f"Handläggare {n:03d}",
                       "phone": f"0123-{n:03d} 00"}
            number = f"SN 2026/{n + 1:04d}"
            decision = {"diarienummer": number, "case_officer": officer}
            entry["decision"] = {**entry["decision"], **decision}
        parties.append(entry)
    data.update(id=f"bench-hub-{counterparties}", parties=parties)
    path = folder / "specs" / f"bench-hub-{counterparties}.yaml"
    path.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), encoding="utf-8")
    return path


def run(command: list[str], cwd: Path) -> tuple[Timing, str]:
    """Run a measure's process; its timing and stdout. A process that fails stops the
    bench. Python keeps its compiled modules (in the bench's own folder, PYCACHE), as
    an installed avtal has them, whatever PYTHONDONTWRITEBYTECODE says."""
    env = {**os.environ, "PYTHONPATH": str(ROOT), "PYTHONPYCACHEPREFIX": str(PYCACHE)}
    env.pop("PYTHONDONTWRITEBYTECODE", None)
    start = time.perf_counter()
    process = subprocess.Popen(
        command, cwd=cwd, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True
    )
    out, err = process.communicate()
    seconds = time.perf_counter() - start
    if process.returncode:
        raise SystemExit(f"{' '.join(command[:4])}… misslyckades:\n{err[-3000:]}")
    memory = [line for line in err.splitlines() if line.startswith("bench-memory ")]
    own, child = json.loads(memory[-1].split(" ", 1)[1]) if memory else (0, 0)
    return Timing(seconds, 0.0, own // 1024, child // 1024), out


def timed(
    command: list[str], cwd: Path, prepare: Callable[[], None] | None = None
) -> tuple[Timing, str]:
    """One run of a measure's process, after `prepare`, with its CPU seconds."""
    if prepare is not None:
        prepare()
    before = _children_cpu()
    timing, out = run(command, cwd)
    cpu = _children_cpu() - before
    return Timing(timing.seconds, cpu, timing.own_mb, timing.converter_mb), out


def _children_cpu() -> float:
    """CPU seconds of the ended child processes (and the converters they waited for)."""
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def floor(
    markdown_files: list[Path], work: Path, *, filtered: bool, processes: int = 1
) -> Timing:
    """One `pandoc lua` for every file (DOCX and Typst), one typst.Compiler for the PDFs;
    `filtered`: through our layout filter too. With `processes` > 1, as many such floors
    at once, each on its share of the files (every n-th): what that many cores can do."""
    shares = [
        _floor_command(markdown_files[n::processes], work / str(n), filtered)
        for n in range(processes)
    ]
    if processes == 1:
        return timed(shares[0], work / "0")[0]
    command = [sys.executable, "-c", PARALLEL]
    for share in shares:
        command += ["--", *share]
    return timed(command, work)[0]


def _floor_command(markdown_files: list[Path], work: Path, filtered: bool) -> list[str]:
    work.mkdir(parents=True)
    script, listing = work / "floor.lua", work / "files.txt"
    script.write_text(FLOOR_SCRIPT, encoding="utf-8")
    listing.write_text("".join(f"{p}\n" for p in markdown_files), encoding="utf-8")
    lua_filter = str(convert.LUA_FILTER) if filtered else ""
    pandoc = [convert.pandoc_path(), "lua", str(script), lua_filter]
    pandoc += [str(convert.TYPST_TEMPLATE), str(convert.REFERENCE_DOCX), convert.MARKDOWN]
    pandoc += [str(listing), str(work)]
    child = [sys.executable, "-c", FLOOR_CHILD + MEMORY_LINE, str(convert.FONTS), str(work)]
    return [*child, str(len(markdown_files)), *pandoc]


def per_call(markdown_files: list[Path], work: Path) -> Timing:
    """pandoc to DOCX, pandoc to Typst and a new typst per file: the old way, bare."""
    pandoc = convert.pandoc_path()
    start, cpu = time.perf_counter(), _children_cpu()
    for md in markdown_files:
        subprocess.run([pandoc, str(md), "-o", "/dev/null", "-t", "docx"], check=True)
        source = subprocess.run(
            [pandoc, str(md), "-t", "typst", "--standalone"], check=True, capture_output=True
        ).stdout
        typst.compile(source, format="pdf", font_paths=[str(convert.FONTS)])
    return Timing(time.perf_counter() - start, _children_cpu() - cpu)


def converted(out: Path) -> list[Path]:
    """Every document the build turned into PDF and DOCX (checklists are HTML only)."""
    return sorted(p for p in out.rglob("*.md") if p.name != "checklista.md")


def avtal_build(folder: Path, jobs: int, *, cold: bool) -> Timing:
    """`avtal build` of the project's specs as from the shell (`cold`: into an empty
    folder each time); a spec that fails stops the bench."""
    command = [sys.executable, "-c", AVTAL_CHILD + MEMORY_LINE + "sys.exit(code)", "build"]
    command += ["--jobs", str(jobs), "--format", "md,pdf,docx", "--out", "build", "specs"]
    out = folder / "build"
    def prepare() -> None:
        if cold:
            shutil.rmtree(out, ignore_errors=True)

    timing, said = timed(command, folder, prepare)
    if not cold and " 0 filer skrivna" not in said:
        raise SystemExit(f"avtal build skrev filer igen: {said}")
    return timing


Row = tuple[str, int, Timing, Timing]  # measure, documents, its timing, the floor's


def measure(folder: Path, counterparties: int, *, with_per_call: bool) -> list[Row]:
    """Floors, cold builds with one and two jobs, and the no-op, of one set of specs.

    The measures take turns, REPEAT rounds of each in the same order, and the fastest
    run of each counts: on a machine whose speed drifts over minutes, each measure then
    meets the same drift, instead of the floor's runs falling in one minute and the
    build's in another."""
    project(folder, counterparties)
    name = "examples" + (f" + {counterparties}-counterparty hub" if counterparties else "")
    # Each measure given the documents the first cold build converted, and a folder.
    runs: list[tuple[str, Callable[[list[Path], Path], Timing]]] = [
        ("avtal build, cold, --jobs 1", lambda _, __: avtal_build(folder, 1, cold=True)),
        ("physical floor: pandoc lua, no filter of ours + typst.Compiler",
         lambda docs, work: floor(docs, work / "bare", filtered=False)),
        ("physical floor, two at once, each on half the documents",
         lambda docs, work: floor(docs, work / "two", filtered=False, processes=2)),
        ("floor with our layout filter",
         lambda docs, work: floor(docs, work / "filtered", filtered=True)),
        ("avtal build, cold, --jobs 2", lambda _, __: avtal_build(folder, 2, cold=True)),
        ("avtal build, nothing changed", lambda _, __: avtal_build(folder, 2, cold=False)),
    ]  # fmt: skip
    if with_per_call:
        runs.insert(4, ("pandoc and typst per call", lambda docs, _: per_call(docs, folder)))
    best: dict[str, Timing] = {}
    documents: list[Path] = []
    for turn in range(REPEAT):
        work = folder / f"floors-{turn}"
        for label, measured in runs:
            timing = measured(documents, work)
            if label not in best or timing.seconds < best[label].seconds:
                best[label] = timing
            if not documents:  # the first cold build: what the floors convert
                documents = converted(folder / "build")
        shutil.rmtree(work)
    bare = best["physical floor: pandoc lua, no filter of ours + typst.Compiler"]
    order = [label for label in best if not label.startswith("avtal")]
    order += [label for label in best if label.startswith("avtal")]
    return [(f"{label} ({name})", len(documents), best[label], bare) for label in order]


def main() -> None:
    """Print the figures as a Markdown table for the README."""
    global REPEAT
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--repeat", type=int, default=1, help="runs per measure (fastest)")
    parser.add_argument("--per-call", action="store_true", help="the old way as a reference")
    parser.add_argument(
        "--counterparties", type=int, default=COUNTERPARTIES, help="the generated hub's size"
    )
    args = parser.parse_args()
    REPEAT = max(1, args.repeat)
    load = os.getloadavg()
    with tempfile.TemporaryDirectory() as temp:
        rows = measure(Path(temp) / "examples", 0, with_per_call=args.per_call)
        rows += measure(Path(temp) / "hub", args.counterparties, with_per_call=False)
    print(
        f"| measure ({default_jobs()} cores, fastest of {REPEAT}) | documents | seconds "
        "| per document | × physical floor | CPU seconds | CPU × physical floor "
        "| peak MB: own process | peak MB: largest converter |"
    )
    print("|---|---:|---:|---:|---:|---:|---:|---:|---:|")
    for name, count, timing, base in rows:
        per = "" if "nothing changed" in name else f"{timing.seconds / count:.3f}"
        own = str(timing.own_mb) if timing.own_mb else ""
        child = str(timing.converter_mb) if timing.converter_mb else ""
        print(
            f"| {name} | {count} | {timing.seconds:.2f} | {per} "
            f"| {timing.seconds / base.seconds:.2f} | {timing.cpu:.2f} "
            f"| {timing.cpu / base.cpu:.2f} | {own} | {child} |"
        )
    after = os.getloadavg()
    print(f"\nLoad average (1 min) before: {load[0]:.2f}, after: {after[0]:.2f}.")


if __name__ == "__main__":
    main()
