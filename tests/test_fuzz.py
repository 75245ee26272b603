"""Whatever validates, builds: specs generated from the schema itself never crash
check, build, diff or textconv, and every DOCX part they give is well-formed XML.

Half the specs are generated whole from the schema, half are examples with a few
subtrees replaced by generated ones (so that rules pass and documents are rendered).
The suite tries AVTAL_FUZZ_EXAMPLES specs (default a few dozen, under a minute, the
same ones every run); `nox -s fuzz` tries 10 000 in seeded shards (scripts/fuzz.py).
"""

from __future__ import annotations

import io
import json
import os
import tempfile
import zipfile
from pathlib import Path
from typing import Any
from xml.etree import ElementTree

import pypdf
import schemagen
import yaml
from buildkit import FIXTURE, read_yaml, run_cli, spec_paths
from hypothesis import HealthCheck, Phase, given, settings
from hypothesis import strategies as st

from generator.errors import Severity, SpecError
from generator.load import parse_spec
from generator.validate import validate

EXAMPLES = int(os.environ.get("AVTAL_FUZZ_EXAMPLES", "16"))
LONG = "AVTAL_FUZZ_EXAMPLES" in os.environ
BASES = [read_yaml(FIXTURE), *(read_yaml(p) for p in spec_paths())]
CRASH = ("internt fel", "Traceback")
CONVERT_EVERY = 20  # the first spec that builds, then every 20th, goes to PDF and DOCX too
# With AVTAL_FUZZ_STATS=FILE, how many specs were tried, valid, built and converted.
STATS = {"tried": 0, "valid": 0, "built": 0, "converted": 0, "docx_parts": 0}


def _count(key: str, amount: int = 1) -> None:
    STATS[key] += amount
    target = os.environ.get("AVTAL_FUZZ_STATS")
    if target:
        Path(target).parent.mkdir(parents=True, exist_ok=True)
        Path(target).write_text(json.dumps(STATS) + "\n", encoding="utf-8")


def _dump(data: dict[str, Any], path: Path) -> Path:
    dumper = getattr(yaml, "CSafeDumper", yaml.SafeDumper)  # the C dumper where built
    text = yaml.dump(data, Dumper=dumper, allow_unicode=True, sort_keys=False)
    path.write_text(text, encoding="utf-8")
    return path


def _no_crash(run: Any, *codes: int) -> None:
    text = run.stdout + run.stderr
    assert run.code in codes, text[-3000:]
    assert not any(word in text for word in CRASH), text[-3000:]


def _valid(path: Path) -> bool:
    try:
        spec = parse_spec(path.read_bytes(), str(path))
    except SpecError:
        return False  # refused at load (check said so above)
    return not any(i.severity is Severity.ERROR and i.code == "schema" for i in validate(spec))


def _well_formed(docx: Path) -> None:
    with zipfile.ZipFile(docx) as package:
        for name in package.namelist():
            if name.endswith((".xml", ".rels")):
                ElementTree.fromstring(package.read(name))  # raises on malformed XML
                _count("docx_parts")


specs = st.one_of(
    schemagen.spec().map(lambda data: (None, data)),
    st.sampled_from(range(len(BASES))).flatmap(
        lambda i: schemagen.mutated(BASES[i]).map(lambda data: (i, data))
    ),
)


@settings(
    max_examples=EXAMPLES,
    deadline=None,
    database=None,
    derandomize=not LONG,
    phases=(Phase.explicit, Phase.generate),  # a failing spec is shown as generated
    suppress_health_check=list(HealthCheck),
)
@given(case=specs)
def test_whatever_validates_builds(case: tuple[int | None, dict[str, Any]]) -> None:
    base, data = case
    with tempfile.TemporaryDirectory() as folder:
        work = Path(folder)
        spec = _dump(data, work / "spec.yaml")
        _count("tried")
        _no_crash(run_cli("check", spec), 0, 1)
        _no_crash(run_cli("textconv", spec), 0)
        if not _valid(spec):
            return
        _count("valid")
        out = work / "out"
        built = run_cli("build", "--format", "md", "--out", out, spec)
        _no_crash(built, 0, 1)
        _count("built", int(built.code == 0))
        old = _dump(BASES[base if base is not None else 0], work / "old.yaml")
        fmt = ("text", "markdown", "json")[STATS["valid"] % 3]  # each format in turn
        _no_crash(run_cli("diff", "--text", "--format", fmt, old, spec), 0, 1)
        if built.code == 0 and STATS["built"] % CONVERT_EVERY == 1:  # PDF and DOCX take seconds
            run = run_cli("build", "--format", "pdf,docx", "--out", out, spec)
            _no_crash(run, 0, 1)
            _count("converted", int(run.code == 0))
            for docx in out.rglob("*.docx"):
                _well_formed(docx)
            for pdf in out.rglob("*.pdf"):
                assert pypdf.PdfReader(io.BytesIO(pdf.read_bytes())).pages
