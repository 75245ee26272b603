"""docs/lagrum.md and the README's legal-facts section, generated from the law data.

Run `python scripts/lagrum_docs.py` after changing generator/data/laws.yaml,
generator/data/thresholds.yaml or generator/data/lagrum-index.yaml; `--check` exits 1
when a generated text is not current (tests/test_lagrum_docs.py does the same). The
words are in the templates docs/lagrum.md.j2 and docs/readme-lagrum.md.j2; this script
only hands them the data.
"""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Any

import jinja2

from generator import laws, statute, thresholds
from generator.render import kronor, swedish_date

ROOT = Path(__file__).resolve().parent.parent
DOCS = ROOT / "docs" / "lagrum.md"
README = ROOT / "README.md"
START = "<!-- lagrum: genererad av scripts/lagrum_docs.py från generator/data; ändra inte här -->"
END = "<!-- /lagrum -->"


def _place(row: dict[str, Any]) -> tuple[str, tuple[int, str], tuple[int, str], str]:
    """By law, then chapter and section in the law's own order."""
    found: laws.Provision = row["p"]
    chapter = statute.order(found.chapter) if found.chapter else (0, "")
    section = statute.order(found.section) if found.section else (found.article or 0, "")
    return str(found.sfs or found.regulation), chapter, section, found.paragraph or ""


def _data() -> dict[str, Any]:
    provisions = [
        {"p": p, "cite": laws.cite(p.id) if p.article is None or p.regulation else p.id}
        for p in laws.provisions().values()
    ]
    return {
        "laws": sorted(laws.registry().values(), key=lambda law: law.sfs),
        "provisions": sorted(provisions, key=_place),
        "fixed": [p for p in thresholds.periods() if p.end is None],
        "periods": [p for p in thresholds.periods() if p.end is not None],
        "index": statute.index(),
        "files": statute.FILES,
        "index_file": statute.INDEX_FILE,
        "laws_file": laws.DATA_FILE,
        "thresholds_file": thresholds.DATA_FILE,
    }


def render(name: str) -> str:
    env = jinja2.Environment(
        loader=jinja2.FileSystemLoader(ROOT / "docs"),
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
    )
    env.filters["datum"] = swedish_date
    env.filters["kr"] = lambda v: kronor(v).replace("\u00a0", " ")
    env.filters["tal"] = lambda v: f"{v:,}".replace(",", " ")
    env.filters["ettrad"] = lambda v: " ".join(str(v).split())
    return env.get_template(name).render(**_data())


def readme_with_section(readme: str, section: str) -> str:
    """The README with the text between the markers replaced."""
    head, start, rest = readme.partition(START)
    _, end, tail = rest.partition(END)
    if not start or not end:
        raise SystemExit(f"README.md saknar markörerna {START} … {END}")
    return f"{head}{START}\n{section}{END}{tail}"


def main(argv: list[str]) -> int:
    docs = render("lagrum.md.j2")
    readme = readme_with_section(README.read_text("utf-8"), render("readme-lagrum.md.j2"))
    if argv == ["--check"]:
        stale = [p.name for p, text in ((DOCS, docs), (README, readme))
                 if not p.is_file() or p.read_text("utf-8") != text]
        if stale:
            print(f"inaktuellt: {', '.join(stale)}; kör python scripts/lagrum_docs.py")
            return 1
        return 0
    DOCS.write_text(docs, "utf-8")
    README.write_text(readme, "utf-8")
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
