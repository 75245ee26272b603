"""Golden tests: the Markdown agreement of every example spec, compared byte for byte.

The expected files are committed under tests/golden/:

    tests/golden/<spec-id>/avtal.md                    one agreement
    tests/golden/<spec-id>/<counterparty-id>/avtal.md  a hub spec, one per counterparty

(overenskommelse.md instead of avtal.md for a samverkansöverenskommelse.) Each test
builds one spec with `avtal build --format md` into a temporary directory and compares
every agreement's Markdown with its golden file; the other documents of a build (staff
reports, decisions, checklists) are not covered here. After an intended change to a template,
a spec or the generator, regenerate the files and review the diff before committing:

    AVTAL_UPDATE_GOLDEN=1 pytest tests/test_golden.py

Regenerating rewrites the golden files of every example spec and removes the folders
of specs that no longer exist.
"""

from __future__ import annotations

import difflib
import os
import shutil
from pathlib import Path

import pytest
from buildkit import KIND_NAMES, read_spec, run_cli, spec_paths

GOLDEN = Path(__file__).resolve().parent / "golden"
UPDATE = os.environ.get("AVTAL_UPDATE_GOLDEN") == "1"
HINT = "kör AVTAL_UPDATE_GOLDEN=1 pytest tests/test_golden.py och granska skillnaden"


def _agreements(root: Path) -> dict[str, bytes]:
    names = {f"{name}.md" for name in KIND_NAMES.values()}
    return {p.relative_to(root).as_posix(): p.read_bytes()
            for p in sorted(root.rglob("*.md")) if p.name in names}


def _diff(rel: str, expected: bytes, actual: bytes) -> str:
    lines = difflib.unified_diff(
        expected.decode("utf-8", "replace").splitlines(keepends=True),
        actual.decode("utf-8", "replace").splitlines(keepends=True),
        fromfile=f"golden/{rel}", tofile=f"byggd/{rel}",
    )
    return "".join(list(lines)[:80])


@pytest.mark.parametrize("path", spec_paths(), ids=lambda p: p.stem)
def test_markdown_matches_golden(tmp_path: Path, path: Path) -> None:
    out = tmp_path / "out"
    run = run_cli("build", "--format", "md", "--out", out, path)
    assert run.code == 0, run.stdout + run.stderr
    built = _agreements(out)
    spec_ids = {rel.split("/", 1)[0] for rel in built}
    assert len(spec_ids) == 1, f"en specifikation ska ge en mapp, inte {sorted(spec_ids)}"
    (spec_id,) = spec_ids
    folder = GOLDEN / spec_id
    if UPDATE:
        shutil.rmtree(folder, ignore_errors=True)
        for rel, data in built.items():
            target = GOLDEN / rel
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_bytes(data)
    expected = {f"{spec_id}/{rel}": data for rel, data in _agreements(folder).items()}
    assert sorted(built) == sorted(expected), f"andra avtal än de väntade; {HINT}"
    changed = [rel for rel in built if built[rel] != expected[rel]]
    assert not changed, "\n".join([f"{HINT}:"] + [_diff(r, expected[r], built[r])
                                                   for r in changed])


def test_every_golden_folder_belongs_to_a_spec() -> None:
    ids = {str(read_spec(p).data["id"]) for p in spec_paths()}
    folders = {d.name for d in GOLDEN.iterdir() if d.is_dir()} if GOLDEN.is_dir() else set()
    if UPDATE:
        for stale in folders - ids:
            shutil.rmtree(GOLDEN / stale)
        folders &= ids
    assert folders <= ids, f"golden-mappar utan specifikation: {sorted(folders - ids)}; {HINT}"
    assert folders == ids, f"specifikationer utan golden-filer: {sorted(ids - folders)}; {HINT}"
