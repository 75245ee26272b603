"""Benchmark the build: cold build, no-op rebuild, and bare pandoc + typst on the same Markdown.

Run with `nox -s bench` (or `python scripts/bench.py`). Speed is reported as ratios
against the bare conversion measured in the same run, never asserted in tests.
"""

from __future__ import annotations

import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import pypandoc
import typst
import yaml

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from generator.build import Options, build_all  # noqa: E402
from generator.consistency import luhn_ok  # noqa: E402
from generator.convert import FONTS  # noqa: E402

COUNTERPARTIES = 25


def org_nr(seed: int) -> str:
    """A valid municipal organisation number for a generated party."""
    base = f"2120{seed:05d}"
    check = next(d for d in range(10) if luhn_ok(base + str(d)))
    return f"{base[:6]}-{base[6:]}{check}"


def hub_spec(folder: Path) -> Path:
    """The ROC example widened to 25 generated counterparties."""
    data = yaml.safe_load((ROOT / "specs" / "roc-ingang.yaml").read_text(encoding="utf-8"))
    host = next(p for p in data["parties"] if p["id"] == data["hub"]["host"])
    model = next(p for p in data["parties"] if p["id"] != host["id"])
    parties = [host]
    for n in range(COUNTERPARTIES):
        party = yaml.safe_load(yaml.safe_dump(model))
        party.update(id=f"kommun-{n:02d}", name=f"Exempelkommun {n:02d}", org_nr=org_nr(n))
        parties.append(party)
    data.update(id="bench-hub", parties=parties)
    path = folder / "bench-hub.yaml"
    text = yaml.safe_dump(data, allow_unicode=True, sort_keys=False)
    path.write_text(text, encoding="utf-8")
    return path


def timed(action: object) -> float:
    """Seconds one call takes."""
    start = time.perf_counter()
    action()  # type: ignore[operator]
    return time.perf_counter() - start


def bare_conversion(markdown_files: list[Path]) -> float:
    """pandoc to DOCX, pandoc to Typst and a typst compile per file, nothing else."""
    pandoc = pypandoc.get_pandoc_path()

    def run() -> None:
        for md in markdown_files:
            subprocess.run([pandoc, str(md), "-o", "/dev/null", "-t", "docx"], check=True)
            source = subprocess.run(
                [pandoc, str(md), "-t", "typst", "--standalone"], check=True, capture_output=True
            ).stdout
            typst.compile(source, format="pdf", font_paths=[str(FONTS)])

    return timed(run)


def main() -> None:
    """Print the figures as a Markdown table for the README."""
    with tempfile.TemporaryDirectory() as temp:
        folder = Path(temp)
        specs = [*sorted((ROOT / "specs").glob("*.yaml")), hub_spec(folder)]
        out = folder / "build"
        options = Options(out=out, formats=("md", "pdf", "docx"))
        cold = timed(lambda: list(build_all(specs, options)))
        # Every document the build turned into PDF and DOCX (the checklists are HTML only).
        documents = sorted(p for p in out.rglob("*.md") if p.name != "checklista.md")
        noop = timed(lambda: list(build_all(specs, options)))
        bare = bare_conversion(documents)
        shutil.rmtree(out)
        parallel = timed(lambda: list(build_all(specs, options, jobs=2)))
    count = len(documents)
    print(f"| measure ({count} documents, {len(specs)} specs) | seconds | per document | ratio |")
    print("|---|---:|---:|---:|")
    print(f"| bare pandoc + typst | {bare:.2f} | {bare / count:.3f} | 1.00 |")
    print(f"| avtal build, cold | {cold:.2f} | {cold / count:.3f} | {cold / bare:.2f} |")
    print(
        f"| avtal build, cold, --jobs 2 | {parallel:.2f} | {parallel / count:.3f} | "
        f"{parallel / bare:.2f} |"
    )
    print(f"| avtal build, nothing changed | {noop:.2f} | {noop / count:.3f} | {noop / bare:.2f} |")


if __name__ == "__main__":
    main()
