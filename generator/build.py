"""Plan what is stale, run the stages, write build/ atomically, record a manifest.

A document is rebuilt only when the hash of everything it depends on (spec, the
templates it uses, schema, code and tool versions, options) differs from the one in
the manifest, or when an output is missing or was changed by hand.
"""

from __future__ import annotations

import hashlib
import json
import os
import tempfile
from collections.abc import Iterable, Iterator, Sequence
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass, field
from datetime import UTC, datetime
from multiprocessing import get_context
from pathlib import Path
from typing import Any

from . import __version__, convert
from .documents import AGREEMENT_NAMES, Document, checklist_document, documents
from .errors import AvtalError, Issue, Location, Severity
from .pipeline import Comparison, check, read_and_validate
from .redline import redline
from .render import TEMPLATES
from .resources import code_dir
from .rules import Outcome
from .schema import SCHEMA_PATH

FORMATS = ("md", "pdf", "docx", "html")
DEFAULT_FORMATS = ("md", "pdf", "docx")


@dataclass(frozen=True)
class Options:
    """What to build and where."""

    out: Path = Path("build")
    formats: tuple[str, ...] = DEFAULT_FORMATS
    strict: bool = False


@dataclass
class SpecResult:
    """What happened to one spec: files written, files up to date, problems."""

    path: str
    spec_id: str = ""
    written: list[str] = field(default_factory=list)
    unchanged: list[str] = field(default_factory=list)
    issues: list[Issue] = field(default_factory=list)

    strict: bool = False

    @property
    def failed(self) -> bool:
        """True when the spec has errors (or, when strict, warnings)."""
        failing = (Severity.ERROR, Severity.WARNING) if self.strict else (Severity.ERROR,)
        return any(i.severity in failing for i in self.issues)


def sha256(data: bytes) -> str:
    """Hex SHA-256 of bytes."""
    return hashlib.sha256(data).hexdigest()


def epoch_for(spec_date: str) -> int:
    """The documents' timestamp: SOURCE_DATE_EPOCH when set, else the spec's date."""
    if os.environ.get("SOURCE_DATE_EPOCH", "").isdigit():
        return int(os.environ["SOURCE_DATE_EPOCH"])
    day = datetime.fromisoformat(spec_date).replace(tzinfo=UTC)
    return int(day.timestamp())


def code_hash() -> str:
    """Hash of the generator's own code and schema, so a code change rebuilds."""
    code = code_dir()
    digest = hashlib.sha256()
    for path in sorted(code.rglob("*.py")):  # subpackages (rules/) too
        digest.update(path.relative_to(code).as_posix().encode() + b"\0" + path.read_bytes())
    digest.update(SCHEMA_PATH.name.encode() + b"\0" + SCHEMA_PATH.read_bytes())
    digest.update(json.dumps(convert.tool_versions(), sort_keys=True).encode())
    digest.update(__version__.encode())
    return digest.hexdigest()


def _template_hash(names: Iterable[str]) -> str:
    digest = hashlib.sha256()
    for name in sorted(names):
        digest.update(name.encode() + b"\0" + (TEMPLATES / name).read_bytes())
    return digest.hexdigest()


def _convert(doc: Document, fmt: str, *, epoch: int) -> bytes:
    if fmt == "md":
        return doc.markdown.encode()
    if fmt == "pdf":
        return convert.to_pdf(doc.markdown, epoch=epoch)
    if fmt == "docx":
        return convert.to_docx(doc.markdown, epoch=epoch)
    return convert.to_html(doc.markdown, epoch=epoch)


def write_atomic(path: Path, data: bytes) -> None:
    """Write to a temporary file beside `path`, then rename it into place."""
    path.parent.mkdir(parents=True, exist_ok=True)
    handle, temp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    try:
        with os.fdopen(handle, "wb") as out:
            # mkstemp makes the file private (0600); give it the mode of any new file.
            umask = os.umask(0o022)
            os.umask(umask)
            os.fchmod(out.fileno(), 0o666 & ~umask)
            out.write(data)
        os.replace(temp, path)
    except BaseException:
        Path(temp).unlink(missing_ok=True)
        raise


def _read_manifest(path: Path) -> dict[str, Any]:
    try:
        data: dict[str, Any] = json.loads(path.read_text(encoding="utf-8"))
        return data
    except (OSError, ValueError):
        return {}


def _up_to_date(record: dict[str, Any] | None, key: str, target: Path, root: Path) -> bool:
    if not record or record.get("input") != key or not target.exists():
        return False
    return bool(record.get("sha256") == sha256(target.read_bytes()))


def build_spec(path: Path, options: Options) -> SpecResult:
    """Validate, render and convert one spec; never raises for the user's mistakes."""
    result = SpecResult(str(path), strict=options.strict)
    spec, issues, outcome = check(path)
    result.issues.extend(issues)
    if spec is None or any(i.code == "schema" for i in issues):
        return result  # unreadable or schema-invalid: nothing to tick off
    result.spec_id = str(spec.data["id"])
    try:
        # Form checks with a source (EKON-ANDELAR) fail checklist items too.
        docs = [checklist_document(spec, Outcome(tuple(issues), outcome.silenced))]
        if not result.failed:
            rendered, warnings = documents(spec)
            docs.extend(rendered)
            result.issues.extend(warnings)
        _write_outputs(result, spec.text.encode(), str(spec.data["date"]), docs, options)
    except AvtalError as err:
        result.issues.append(Issue(err.location or Location(str(path)), err.message, code="build"))
    except Exception as err:  # a bug of ours must not stop the other specs
        result.issues.append(
            Issue(
                Location(str(path)),
                f"internt fel i avtal ({type(err).__name__}: "
                f"{err}); rapportera det med specifikationen",
                code="internal",
            )
        )
    return result


def _write_outputs(
    result: SpecResult,
    spec_bytes: bytes,
    spec_date: str,
    docs: Sequence[Document],
    options: Options,
) -> None:
    root = options.out / result.spec_id
    manifest_path = root / "manifest.json"
    old = _read_manifest(manifest_path).get("outputs", {})
    epoch = epoch_for(spec_date)
    base = sha256(spec_bytes) + code_hash() + str(epoch)
    outputs: dict[str, Any] = {}
    for doc in docs:
        key = sha256((base + _template_hash(doc.depends) + doc.markdown).encode())
        for fmt in doc.formats or options.formats:
            rel = f"{doc.folder}/{doc.name}.{fmt}"
            target = options.out / rel
            if _up_to_date(old.get(rel), key, target, options.out):
                result.unchanged.append(rel)
                outputs[rel] = old[rel]
                continue
            data = _convert(doc, fmt, epoch=epoch)
            write_atomic(target, data)
            result.written.append(rel)
            outputs[rel] = {"input": key, "sha256": sha256(data)}
        if doc.record:
            outputs[f"{doc.folder}/{doc.name}"] = dict(doc.record)
    manifest = {
        "spec": result.path,
        "spec_sha256": sha256(spec_bytes),
        "avtal": __version__,
        "tools": convert.tool_versions(),
        "timestamp": epoch,
        "outputs": dict(sorted(outputs.items())),
    }
    data = (json.dumps(manifest, indent=2, ensure_ascii=False) + "\n").encode()
    if not manifest_path.exists() or manifest_path.read_bytes() != data:  # a no-op writes nothing
        write_atomic(manifest_path, data)


def build_all(paths: Sequence[Path], options: Options, *, jobs: int = 1) -> Iterator[SpecResult]:
    """Build every spec, in parallel when jobs > 1 (spawned workers: typst and fork don't mix).

    Two specs with the same id would write the same folder: the later one is refused.
    """
    clashes = same_ids(paths)
    yield from clashes.values()
    paths = [p for p in paths if p not in clashes]
    if jobs <= 1 or len(paths) <= 1:
        for path in paths:
            yield build_spec(path, options)
        return
    with ProcessPoolExecutor(max_workers=jobs, mp_context=get_context("spawn")) as pool:
        yield from pool.map(build_spec, paths, [options] * len(paths))


def same_ids(paths: Sequence[Path]) -> dict[Path, SpecResult]:
    """Specs whose id an earlier valid spec in the run already has, as failed results."""
    first: dict[str, Path] = {}
    clashes: dict[Path, SpecResult] = {}
    for path in paths:
        spec, issues = read_and_validate(path)
        if spec is None or any(i.severity is Severity.ERROR for i in issues):
            continue  # it writes nothing; its problems are reported when it is built
        spec_id = str(spec.data.get("id", ""))
        if spec_id and spec_id in first:
            message = (
                f"id ”{spec_id}” används redan av {first[spec_id]}; två avtal kan inte "
                "byggas till samma mapp. Ge specifikationen ett eget id"
            )
            clashes[path] = SpecResult(
                str(path),
                spec_id,
                issues=[Issue(spec.locate("/id"), message, code="build")],
            )
        first.setdefault(spec_id, path)
    return clashes


def write_redlines(
    comparison: Comparison, *, out: Path, labels: tuple[str, str], author: str, date: str
) -> list[Path]:
    """Redline DOCX (Word revisions) and PDF (marked) of every agreement that changed."""
    written: list[Path] = []
    stamp = date if "T" in date else f"{date}T00:00:00Z"
    epoch = epoch_for(date[:10]) if date else 0
    for key, old, new in comparison.texts:
        if key.rsplit("/", 1)[-1] not in AGREEMENT_NAMES or not old or not new:
            continue
        note = f"Jämförelse {labels[0]} → {labels[1]}"
        marked = redline(old, new, author=author, date=stamp, note=note)
        folder = out / key.rsplit("/", 1)[0]
        name = f"redline-{_safe(labels[0])}-{_safe(labels[1])}"
        docx = convert.to_docx(marked, epoch=epoch)
        docx = convert.unique_revision_ids(convert.revise_paragraph_marks(docx))
        for suffix, data in (
            (".docx", docx),
            (".pdf", convert.to_pdf(marked, epoch=epoch)),
            (".md", marked.encode()),
        ):
            write_atomic(folder / f"{name}{suffix}", data)
            written.append(folder / f"{name}{suffix}")
    return written


def _safe(label: str) -> str:
    return "".join(ch if ch.isalnum() or ch in ".-_" else "_" for ch in label) or "x"
