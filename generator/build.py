"""Plan what is stale, run the stages, write build/ atomically, record a manifest.

A document is rebuilt only when the hash of everything it depends on (spec, the
templates it uses, schema, code and tool versions, options) differs from the one in
the manifest, or when an output is missing or was changed by hand.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import os
import queue
import tempfile
import threading
from collections.abc import Callable, Iterator, Mapping, Sequence
from concurrent.futures import Future
from dataclasses import dataclass, field, replace
from datetime import UTC, date, datetime, timedelta
from functools import lru_cache
from pathlib import Path
from typing import TYPE_CHECKING, Any

from . import __version__, convert, transaction, trust
from .config import DEFAULT_FORMATS as DEFAULT_FORMATS
from .config import FORMATS as FORMATS
from .errors import (
    AvtalError,
    EnvironmentProblem,
    Issue,
    Location,
    Severity,
    SpecError,
    environment_message,
)
from .parties import PartySource
from .reader import read_limited
from .resources import code_dir, templates_dir
from .schema import SCHEMA_PATH
from .theme import PLAIN, Theme

if TYPE_CHECKING:  # the stages are imported where a spec is read, checked or rendered:
    # a build with nothing to do starts without them
    from . import overview
    from .documents import Document
    from .load import Spec
    from .pipeline import Comparison
    from .rules import Outcome

TEMPLATES = templates_dir()
# A manifest is ours, not the user's: it may be larger than a spec (a hub's outputs).
MANIFEST_BYTES = 64 * 1_048_576
# The code of an issue that is the environment's (disk, permissions, tools), not the spec's.
ENVIRONMENT = "miljö"


@dataclass(frozen=True)
class Options:
    """What to build and where."""

    out: Path = Path("build")
    formats: tuple[str, ...] = DEFAULT_FORMATS
    strict: bool = False
    theme: Theme = PLAIN  # the team's template folder and letterheads
    parties: PartySource | None = None  # the team's party registry
    # False: no earlier build's manifest is read (a build folder git tracks came with
    # the repository, so nothing in it vouches for a check or a document).
    records: bool = True


@dataclass(frozen=True)
class Checked:
    """What the build learnt of a schema-valid spec, so that the overview page need not
    read, check and render it again."""

    spec: Spec
    silenced: tuple[tuple[Issue, str], ...]  # the rule findings the spec excepts
    # Section key -> "§ N Heading" in its first agreement, once that is rendered.
    clauses: Mapping[str, str] | None = None


@dataclass
class SpecResult:
    """What happened to one spec: files written, files up to date, problems."""

    path: str
    spec_id: str = ""
    written: list[str] = field(default_factory=list)
    unchanged: list[str] = field(default_factory=list)
    issues: list[Issue] = field(default_factory=list)

    strict: bool = False
    checked: Checked | None = field(default=None, repr=False, compare=False)

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


def _template_hash(doc: Document, theme: Theme) -> str:
    """Hash of the templates a document uses (the team's own where it overrides one) and
    of the letterhead files it reads."""
    digest = hashlib.sha256()
    for name in sorted(doc.depends):
        path = TEMPLATES / name if theme.custom_dir is None else theme.find(name)
        digest.update(name.encode() + b"\0" + _digest(path))
    for path in doc.inputs:  # the letterhead's logo and Word template
        digest.update(path.name.encode() + b"\0" + _digest(path))
    return digest.hexdigest()


def _digest(path: Path) -> bytes:
    stat = path.stat()
    return _file_digest(path, stat.st_mtime_ns, stat.st_size)


@lru_cache(maxsize=1024)
def _file_digest(path: Path, mtime_ns: int, size: int) -> bytes:
    """A file's SHA-256, read once while it stays the same (every document depends on
    the fonts: reading them again for each would cost more than the rest of a no-op)."""
    with path.open("rb") as file:  # streamed: a large file takes no memory
        return hashlib.file_digest(file, "sha256").digest()


# Written beside each agreement and decision document: its sentences and their sources.
PROVENANCE = "provenance.json"


def _convert(doc: Document, fmt: str, *, epoch: int) -> bytes:
    """A document in a format other than PDF (see _run_job)."""
    if fmt == "md":
        return doc.markdown.encode()
    if fmt == PROVENANCE:
        return doc.provenance()
    if fmt == "docx":
        return convert.to_docx(doc.markdown, epoch=epoch, assets=doc.assets)
    home = "../" * (doc.folder.count("/") + 1) + "index.html"
    return convert.to_html(doc.annotated(), epoch=epoch, home=home, assets=doc.assets)


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


def _read_manifest(path: Path) -> tuple[dict[str, Any], int]:
    """The manifest, or {} when it is missing, unreadable, of any other shape or not
    signed by this machine (see trust): then every output counts as stale and is
    written again, and the spec is checked again. Also when it was written (its
    mtime_ns, 0 without one: see _up_to_date)."""
    try:
        written = path.stat().st_mtime_ns
        signed = trust.verified(read_limited(path, limit=MANIFEST_BYTES))
        data = json.loads(signed) if signed is not None else {}
    except (OSError, ValueError, SpecError):  # a link, a device: no record
        return {}, 0
    outputs = data.get("outputs") if isinstance(data, dict) else None
    if not isinstance(data, dict) or not isinstance(outputs, dict):
        return {}, 0
    return {**data, "outputs": {k: v for k, v in outputs.items() if isinstance(v, dict)}}, written


# The manifests this build has read (see _recorded).
_MANIFESTS: dict[Path, tuple[dict[str, Any], int]] = {}


def _recorded(options: Options, spec_id: str) -> tuple[dict[str, Any], int]:
    """The manifest an earlier build of this machine left for the spec, or {}, and when
    it was written; read once per build."""
    if not options.records:
        return {}, 0
    path = options.out / spec_id / "manifest.json"
    if path not in _MANIFESTS:
        _MANIFESTS[path] = _read_manifest(path)
    return _MANIFESTS[path]


def _manifest(options: Options, spec_id: str) -> dict[str, Any]:
    """The manifest an earlier build of this machine left for the spec, or {}."""
    return _recorded(options, spec_id)[0]


def _files_of(outputs: Mapping[str, Any]) -> list[str]:
    """The manifest entries that are files (the others record facts of a document)."""
    return [rel for rel, rec in outputs.items() if isinstance(rec, dict) and "sha256" in rec]


def _up_to_date(record: dict[str, Any] | None, key: str, target: Path, written: int) -> bool:
    """True when `record` (an output's in a manifest written at `written`, its mtime_ns)
    was made from inputs with `key` and the file at `target` is as it was written.

    As git trusts its index, a file whose size and modification time are the recorded
    ones is not read; one modified no earlier than the manifest was written is read all
    the same (an edit in the same tick of the clock would keep its time), and so is one
    whose time or size differs: it is as written when its bytes have the recorded hash.
    """
    if not record or record.get("input") != key:
        return False
    try:
        info = target.stat()
        stamp = (info.st_size, info.st_mtime_ns)
        if stamp == (record.get("size"), record.get("mtime_ns")) and info.st_mtime_ns < written:
            return True
        return bool(record.get("sha256") == sha256(target.read_bytes()))
    except OSError:  # gone, or no longer a file
        return False


def _stat_record(path: Path) -> dict[str, int]:
    """What _up_to_date compares of a file written: its size and modification time."""
    info = path.stat()
    return {"size": info.st_size, "mtime_ns": info.st_mtime_ns}


@dataclass
class _Job:
    """One document's stale outputs, converted one after the other by one worker (its
    pandoc reads the Markdown once for all of them)."""

    doc: Document
    key: str
    epoch: int
    outputs: list[tuple[str, str, Path]] = field(default_factory=list)  # format, rel, path


@dataclass
class _SpecBuild:
    """A spec rendered and planned: the outputs up to date, the jobs still to do."""

    result: SpecResult
    spec_bytes: bytes = b""
    epoch: int = 0
    outputs: dict[str, Any] = field(default_factory=dict)
    jobs: list[_Job] = field(default_factory=list)
    broken: bool = False  # rendering failed: no manifest
    old: dict[str, Any] = field(default_factory=dict)  # the manifest's outputs before
    staging: Path | None = None  # the spec's new folder until it is swapped in
    fields: str | None = None  # the fingerprint of its Markdown fields, found clean
    # What a later build needs to skip rendering the spec: its inputs' key, its build
    # warnings and its agreement's clause names (see _reused).
    reuse: dict[str, Any] | None = None


# Told of each converted document: (documents done, documents to do, spec path).
Progress = Callable[[int, int, str], None]


def build_spec(path: Path, options: Options) -> SpecResult:
    """Validate, render and convert one spec in this thread; never raises for the
    user's mistakes."""
    transaction.recover(options.out)
    _new_build()
    _remember_fields(options)
    planned = _plan(path, options)
    convert.end_field_checks()
    done = [(job, _guarded(str(path), _run_job, job)) for job in planned.jobs]
    return _finish(planned, options, done)


def _plan(
    path: Path,
    options: Options,
    read: tuple[Spec | None, list[Issue]] | None = None,
    checked: tuple[Spec, list[Issue], Outcome] | None = None,
) -> _SpecBuild:
    """Check (unless `checked` is its check, remembered) and render one spec, and list
    the outputs that are stale."""
    from . import fields
    from .documents import AGREEMENT_NAMES, checklist_document, documents
    from .pipeline import check, clauses_of
    from .rules import Outcome

    planned = _SpecBuild(SpecResult(str(path), strict=options.strict))
    result = planned.result
    spec, issues, outcome = checked or check(path, read, parties=options.parties)
    result.issues.extend(issues)
    if spec is None or any(i.code == "schema" for i in issues):
        return planned  # unreadable or schema-invalid: nothing to tick off
    result.spec_id = str(spec.data["id"])
    result.checked = Checked(spec, tuple(outcome.silenced))
    key = _spec_key(spec, options)
    names = _file_names(spec, options)
    check_records = {
        "issues": [_issue_record(i, names) for i in issues],
        "silenced": [[_issue_record(i, names), why] for i, why in outcome.silenced],
    }
    if not result.failed and _reused(planned, spec, (key, check_records), options):
        return planned
    planned.fields = fields.fingerprint(spec)

    def render() -> None:
        # Form checks with a source (EKON-ANDELAR) fail checklist items too.
        silenced = Outcome(tuple(issues), outcome.silenced)
        docs = [checklist_document(spec, silenced, theme=options.theme)]
        if not result.failed:
            rendered, warnings = documents(spec, theme=options.theme)
            docs.extend(rendered)
            result.issues.extend(warnings)
            first = next((d for d in rendered if d.name in AGREEMENT_NAMES), None)
            clauses = clauses_of(first) if first is not None else {}
            result.checked = Checked(spec, tuple(outcome.silenced), clauses)
            said = [[w.location.pointer, w.message] for w in warnings]
            planned.reuse = {"key": key, **check_records, "warnings": said, "clauses": clauses}
        _plan_outputs(planned, spec.content, str(spec.data["date"]), docs, options)

    problem = _guarded(str(path), render)
    if isinstance(problem, Issue):
        result.issues.append(problem)
        planned.broken = True
    return planned


def _spec_key(spec: Spec, options: Options) -> str:
    """Hash of everything a spec's documents are made from: the spec and its party
    files, our code, data and templates (the team's too, and its letterhead files), tool
    versions, the timestamp and the options. When it is the one in the manifest, the
    documents would be rendered as they were."""
    digest = hashlib.sha256()
    where = _portable(spec.path, options)  # not as typed: relative and absolute are one
    for part in (where, _this_build(code_hash), str(epoch_for(str(spec.data["date"])))):
        digest.update(part.encode() + b"\0")
    theme = options.theme  # its root only locates the letterhead files hashed below
    given = (options.formats, options.strict, theme.custom_dir, theme.letterheads)
    digest.update(repr(given).encode() + b"\0")
    digest.update(spec.content + b"\0")
    digest.update(_this_build(_inputs_hash, theme).encode())
    return digest.hexdigest()


def _inputs_hash(theme: Theme) -> str:
    """Hash of the files every spec's documents are made from besides our code: the
    check of the Markdown fields, our data and templates, the team's templates and its
    letterhead files."""
    digest = hashlib.sha256(_digest(convert.FIELDS_SCRIPT))
    folders = [TEMPLATES, code_dir()] + ([theme.custom_dir] if theme.custom_dir else [])
    for folder in folders:
        for path in sorted(folder.rglob("*")):
            if path.is_file() and not path.is_symlink() and path.suffix not in (".py", ".pyc"):
                name = path.relative_to(folder).as_posix()
                digest.update(name.encode() + b"\0" + _digest(path))
    for path in theme.inputs(tuple(party for party, _ in theme.letterheads)):
        digest.update(path.name.encode() + b"\0" + _digest(path))
    return digest.hexdigest()


# What one build computes once for all its specs (see _this_build).
_PER_BUILD: dict[tuple[Any, ...], str] = {}


def _this_build(compute: Callable[..., str], *args: Any) -> str:
    """`compute(*args)` as this build first found it: the code and templates are read
    once per build, not once per spec (a build started later reads them again)."""
    key = (compute, *args)
    if key not in _PER_BUILD:
        _PER_BUILD[key] = compute(*args)
    return _PER_BUILD[key]


def _new_build() -> None:
    """Forget what an earlier build read (see _this_build, _recorded)."""
    _PER_BUILD.clear()
    _MANIFESTS.clear()


def _reused(
    planned: _SpecBuild, spec: Spec, made: tuple[str, dict[str, Any]], options: Options
) -> bool:
    """True when the manifest was written from inputs with this key and every file it
    lists is there as written: then the spec's documents are not rendered again, and
    its build warnings and clause names come from the manifest. `made`: the key, and
    the check's records to keep with it."""
    from . import fields

    key, check_records = made
    result = planned.result
    live = options.out / result.spec_id
    manifest, written = _recorded(options, result.spec_id)
    reuse = manifest.get("reuse")
    if not isinstance(reuse, dict) or reuse.get("key") != key:
        return False
    said, clauses = reuse.get("warnings"), reuse.get("clauses")
    if not isinstance(said, list) or not isinstance(clauses, dict):
        return False
    if not all(isinstance(w, list) and len(w) == 2 for w in said):
        return False
    old: dict[str, Any] = manifest["outputs"]
    files = _files_of(old)
    if not files or not all(
        _up_to_date(old[rel], str(old[rel].get("input")), options.out / rel, written)
        for rel in files
    ):
        return False
    planned.old, planned.outputs = old, dict(old)
    # The same key: the same Markdown fields, check script and pandoc as then.
    checked = manifest.get("fields_checked")
    planned.fields = checked if isinstance(checked, str) else fields.fingerprint(spec)
    # As a build that rendered writes it (the check's records are the same, unless the
    # manifest's were not readable).
    planned.reuse = {"key": key, **check_records, "warnings": said, "clauses": clauses}
    planned.staging = transaction.staging_for(live)
    planned.spec_bytes = spec.content
    planned.epoch = epoch_for(str(spec.data["date"]))
    result.unchanged.extend(files)
    result.issues.extend(
        Issue(spec.locate(str(p)), str(m), code="build", severity=Severity.WARNING)
        for p, m in said
    )
    assert result.checked is not None
    result.checked = replace(result.checked, clauses={str(k): str(v) for k, v in clauses.items()})
    return True


def _read(
    path: Path, options: Options
) -> tuple[tuple[Spec | None, list[Issue]], tuple[Spec, list[Issue], Outcome] | None]:
    """A spec read and validated, as read_and_validate gives it; or, when its manifest
    holds the check of these very inputs (see _spec_key), read and with that check, so
    that an unchanged spec is not validated and checked again."""
    from .load import load_spec
    from .pipeline import read_and_validate
    from .validate import validate

    try:
        spec = load_spec(path, parties=options.parties)
    except SpecError:
        # its one problem, said as always
        return read_and_validate(path, parties=options.parties), None
    remembered = _remembered_check(spec, options)
    if remembered is None:
        return (spec, validate(spec)), None
    return (spec, []), remembered  # a remembered check has no errors


def _remembered_check(spec: Spec, options: Options) -> tuple[Spec, list[Issue], Outcome] | None:
    from .rules import Outcome

    spec_id = spec.data.get("id")
    if not isinstance(spec_id, str) or Path(spec_id).name != spec_id or spec_id in ("", ".", ".."):
        return None
    reuse = _manifest(options, spec_id).get("reuse")
    if not isinstance(reuse, dict):
        return None
    typed = {kept: name for name, kept in _file_names(spec, options).items()}
    try:
        if reuse.get("key") != _spec_key(spec, options):
            return None
        issues = [_issue_from(record, typed) for record in reuse["issues"]]
        silenced = tuple(
            (_issue_from(record, typed), str(why)) for record, why in reuse["silenced"]
        )
    except (KeyError, TypeError, ValueError):  # a spec without a date; a broken manifest
        return None
    return spec, issues, Outcome((), silenced)


def _portable(name: str, options: Options) -> str:
    """A file's name as the manifest and the rebuild key keep it: relative to the
    repository root (the working directory without one) when it lies below it, else
    absolute, so that a spec named relatively in one build and absolutely in the next
    is the same spec."""
    root = (options.theme.root or Path.cwd()).resolve()
    path = Path(name).resolve()
    return path.relative_to(root).as_posix() if path.is_relative_to(root) else path.as_posix()


def _file_names(spec: Spec, options: Options) -> dict[str, str]:
    """The names of a spec's files as this build gives them (the spec as typed, its
    party files) -> as the manifest keeps them."""
    return {name: _portable(name, options) for name in {spec.path, *spec.files.values()}}


def _issue_record(issue: Issue, names: Mapping[str, str]) -> list[Any]:
    """An issue as the manifest keeps it (its file as `names` gives it)."""
    where = issue.location
    return [names.get(where.file, where.file), where.line, where.column, where.pointer,
            issue.message, issue.code, issue.severity.value, issue.source]  # fmt: skip


def _issue_from(record: Any, typed: Mapping[str, str]) -> Issue:
    """An issue from the manifest, its file named as this build names it (`typed`: the
    manifest's names -> this build's); ValueError or TypeError when it is not one."""
    file, line, column, pointer, message, code, severity, source = record
    where = Location(typed.get(str(file), str(file)), int(line), int(column), str(pointer))
    return Issue(where, str(message), code=str(code), severity=Severity(severity),
                 source=str(source))  # fmt: skip


def _plan_outputs(
    planned: _SpecBuild,
    spec_bytes: bytes,
    spec_date: str,
    docs: Sequence[Document],
    options: Options,
) -> None:
    result = planned.result
    live = options.out / result.spec_id
    manifest, written = _recorded(options, result.spec_id)
    old = manifest.get("outputs", {})
    planned.old = old
    planned.staging = staging = transaction.staging_for(live)
    planned.spec_bytes = spec_bytes
    planned.epoch = epoch = epoch_for(spec_date)
    base = sha256(spec_bytes) + _this_build(code_hash) + str(epoch)
    for doc in docs:
        key = sha256((base + _template_hash(doc, options.theme) + doc.markdown).encode())
        job = _Job(doc, key, epoch)
        sources = (PROVENANCE,) if doc.locate is not None else ()
        for fmt in (*(doc.formats or options.formats), *sources):
            rel = f"{doc.folder}/{doc.name}.{fmt}"
            target = options.out / rel
            if _up_to_date(old.get(rel), key, target, written):
                result.unchanged.append(rel)
                planned.outputs[rel] = old[rel]
            else:
                inside = staging / rel.removeprefix(f"{result.spec_id}/")
                job.outputs.append((fmt, rel, inside))
                planned.outputs[rel] = None  # its record once it is written
        if job.outputs:
            planned.jobs.append(job)
        if doc.record:
            planned.outputs[f"{doc.folder}/{doc.name}"] = dict(doc.record)


def _run_job(job: _Job) -> dict[str, dict[str, str]]:
    """Convert and write one document's stale outputs; their manifest records."""
    formats = {fmt for fmt, _, _ in job.outputs}
    # typst starts (and loads its fonts) while pandoc converts the first format.
    convert.converter().start(pandoc=bool(formats & {"docx", "pdf", "html"}),
                              typst="pdf" in formats)
    records = {}
    compiling: tuple[str, Path, Callable[[], bytes]] | None = None  # the PDF in typst
    try:
        for fmt, rel, target in job.outputs:
            with _named(rel):
                if fmt == "pdf":  # typst compiles while pandoc makes the other formats
                    doc = job.doc
                    started = convert.pdf_started(doc.markdown, epoch=job.epoch, assets=doc.assets)
                    compiling = (rel, target, started)
                    continue
                data = _convert(job.doc, fmt, epoch=job.epoch)
            write_atomic(target, data)
            records[rel] = {"input": job.key, "sha256": sha256(data)}
    finally:  # the PDF's answer is taken in even when another format failed
        if compiling is not None:
            rel, target, started = compiling
            with _named(rel):
                data = started()
            write_atomic(target, data)
            records[rel] = {"input": job.key, "sha256": sha256(data)}
    return {rel: records[rel] for _, rel, _ in job.outputs}  # in the order of the formats


@contextlib.contextmanager
def _named(rel: str) -> Iterator[None]:
    """A conversion error names the document that failed."""
    try:
        yield
    except convert.ConversionError as err:
        raise convert.ConversionError(f"{rel}: {err.message}", err.location) from err


def _guarded(spec_path: str, action: Callable[..., Any], *args: Any) -> Any:
    """The action's value, or the problem it raised as an Issue about the spec.

    A bug of ours must not stop the other specs."""
    try:
        return action(*args)
    except EnvironmentProblem as err:
        return Issue(err.location or Location(spec_path), err.message, code=ENVIRONMENT)
    except AvtalError as err:
        return Issue(err.location or Location(spec_path), err.message, code="build")
    except OSError as err:  # the disk, not the spec: read-only, full, no permission
        return Issue(Location(spec_path), environment_message(err), code=ENVIRONMENT)
    except Exception as err:
        return Issue(
            Location(spec_path),
            f"internt fel i avtal ({type(err).__name__}: "
            f"{err}); rapportera det med specifikationen",
            code="internal",
        )


def _finish(
    planned: _SpecBuild, options: Options, done: Sequence[tuple[_Job, Any]]
) -> SpecResult:
    """Record what the jobs wrote; write the manifest unless something failed."""
    result = planned.result
    problems = [outcome for _, outcome in done if isinstance(outcome, Issue)]
    if problems:
        result.issues.append(problems[0])  # the first, as when the jobs ran one by one
    for job, outcome in done:
        if isinstance(outcome, dict):
            result.written.extend(outcome)
            staged = {rel: inside for _, rel, inside in job.outputs}
            planned.outputs.update(
                {rel: {**record, **_stat_record(staged[rel])} for rel, record in outcome.items()}
            )
    if problems or planned.broken or not result.spec_id:
        transaction.discard(planned.staging)
        result.written.clear()  # converted into the staging folder, now discarded
        return result  # the spec's folder stays as it was, all old
    manifest = {
        "spec": _portable(result.path, options),
        "spec_sha256": sha256(planned.spec_bytes),
        "avtal": __version__,
        "tools": convert.tool_versions(),
        "timestamp": planned.epoch,
        **({"fields_checked": planned.fields} if planned.fields else {}),
        **({"reuse": planned.reuse} if planned.reuse else {}),
        "outputs": dict(sorted(planned.outputs.items())),
    }
    data = trust.sign((json.dumps(manifest, indent=2, ensure_ascii=False) + "\n").encode())
    live = options.out / result.spec_id
    manifest_path = live / "manifest.json"
    kept = _files_of(planned.outputs)
    unchanged = not done and set(kept) == set(_files_of(planned.old))
    if unchanged and manifest_path.exists() and manifest_path.read_bytes() == data:
        transaction.discard(planned.staging)  # a no-op writes nothing
        return result
    problem = _guarded(result.path, _commit, planned, live, kept, data)
    if isinstance(problem, Issue):
        transaction.discard(planned.staging)  # a full disk leaves no half-made folder
        result.issues.append(problem)
        result.written.clear()
    return result


def _commit(planned: _SpecBuild, live: Path, kept: Sequence[str], manifest: bytes) -> None:
    """Swap the spec's new folder in whole: the converted documents, the ones that were
    up to date, anything in the folder that no manifest wrote (redlines, notes), and
    the new manifest. What the old manifest listed and the new one does not is gone."""
    assert planned.staging is not None
    prefix = f"{planned.result.spec_id}/"
    written = {rel for job in planned.jobs for _, rel, _ in job.outputs}
    carried = [rel.removeprefix(prefix) for rel in kept if rel not in written]
    ours = {rel.removeprefix(prefix) for rel in _files_of(planned.old)} | {"manifest.json"}
    transaction.commit(planned.staging, live, carried, ours, manifest)


def default_jobs() -> int:
    """The number of cores this process may use."""
    if hasattr(os, "sched_getaffinity"):
        return len(os.sched_getaffinity(0))
    return os.cpu_count() or 1


def build_all(
    paths: Sequence[Path],
    options: Options,
    *,
    jobs: int | None = None,
    progress: Progress | None = None,
) -> Iterator[SpecResult]:
    """Build every spec, converting documents on `jobs` worker threads (default: one per
    core), each with its own warm pandoc and typst. Results come in the given order.

    This thread reads, checks and renders the specs one after the other while the
    workers convert what is already rendered: the first documents are converted while
    the later specs are still read, and one large spec keeps every worker busy. Two
    specs with the same id would write the same folder: the later one is refused (its
    result comes first).
    """
    transaction.recover(options.out)
    _new_build()
    _remember_fields(options)
    counter = _Counter(progress)
    with _Workers(jobs or default_jobs()) as workers:
        planned: list[tuple[_SpecBuild, list[tuple[_Job, Future[Any]]]]] = []
        first: dict[str, Path] = {}
        clashes: list[SpecResult] = []
        for path in paths:
            read, remembered = _read(path, options)
            clash = _clash(path, read, first)
            if clash is not None:
                clashes.append(clash)
                continue
            spec_build = _plan(path, options, read, remembered)
            counter.add(len(spec_build.jobs))
            futures = [
                (job, workers.submit(_counted, counter, str(path), job))
                for job in spec_build.jobs
            ]
            planned.append((spec_build, futures))
        convert.end_field_checks()  # every spec is checked
        yield from clashes
        for spec_build, futures in planned:
            yield _finish(spec_build, options, [(job, f.result()) for job, f in futures])


def _remember_fields(options: Options) -> None:
    """Markdown fields an earlier build found clean (its manifests say which), so that
    a spec whose fields did not change starts no pandoc to check them again."""
    from . import fields

    if not options.records or not options.out.is_dir():
        return
    for manifest in options.out.glob("*/manifest.json"):
        found = _recorded(options, manifest.parent.name)[0].get("fields_checked")
        if isinstance(found, str):
            fields.remember([found])


def _counted(counter: _Counter, spec_path: str, job: _Job) -> Any:
    outcome = _guarded(spec_path, _run_job, job)
    counter.step(spec_path)
    return outcome


class _Counter:
    """Documents converted of documents to convert, told to a progress callback."""

    def __init__(self, progress: Progress | None) -> None:
        self.progress = progress
        self.total = 0
        self.done = 0
        self.lock = threading.Lock()

    def add(self, count: int) -> None:
        with self.lock:
            self.total += count

    def step(self, spec_path: str) -> None:
        with self.lock:
            self.done += 1
            if self.progress is not None:
                self.progress(self.done, self.total, spec_path)


_Task = tuple[Future[Any], Callable[..., Any], tuple[Any, ...]]


class _Workers:
    """Worker threads taking jobs in turn; each stops its converter when it ends.

    Threads suffice: pandoc runs in its own process and typst releases the GIL.
    Leaving the block cancels what has not started and waits for what has.
    """

    def __init__(self, count: int) -> None:
        self.queue: queue.SimpleQueue[_Task | None] = queue.SimpleQueue()
        self.threads = [
            threading.Thread(target=self._work, name=f"avtal-{n}", daemon=True)
            for n in range(count)
        ]
        for thread in self.threads:
            thread.start()

    def submit(self, action: Callable[..., Any], *args: Any) -> Future[Any]:
        future: Future[Any] = Future()
        self.queue.put((future, action, args))
        return future

    def _work(self) -> None:
        try:
            while (item := self.queue.get()) is not None:
                future, action, args = item
                if not future.set_running_or_notify_cancel():
                    continue
                try:
                    future.set_result(action(*args))
                except BaseException as err:
                    future.set_exception(err)
        finally:
            convert.release()

    def __enter__(self) -> _Workers:
        return self

    def __exit__(self, *exc: object) -> None:
        with contextlib.suppress(queue.Empty):
            while True:  # left early (an error, or the caller stopped): drop the rest
                item = self.queue.get_nowait()
                if item is not None:
                    item[0].cancel()
        for _ in self.threads:
            self.queue.put(None)
        for thread in self.threads:
            thread.join()


def _clash(
    path: Path, read: tuple[Spec | None, list[Issue]], first: dict[str, Path]
) -> SpecResult | None:
    """A failed result when an earlier valid spec (in `first`, by id) has this spec's
    id; else None, and a valid spec's id is added to `first`."""
    spec, issues = read
    if spec is None or any(i.severity is Severity.ERROR for i in issues):
        return None  # it writes nothing; its problems are reported when it is built
    spec_id = str(spec.data.get("id", ""))
    if spec_id and spec_id in first:
        message = (
            f"id ”{spec_id}” används redan av {first[spec_id]}; två avtal kan inte "
            "byggas till samma mapp. Ge specifikationen ett eget id"
        )
        return SpecResult(
            str(path), spec_id, issues=[Issue(spec.locate("/id"), message, code="build")]
        )
    first.setdefault(spec_id, path)
    return None


def write_overview(
    results: Sequence[SpecResult], options: Options, *, today: date, notice_days: int = 90
) -> Path:
    """The portfolio page build/index.html for the specs of this run."""
    from . import overview

    rows = [
        _overview_row(r, options, today=today, notice_days=notice_days)
        for r in sorted(results, key=lambda r: r.path)
    ]
    target = options.out / "index.html"
    data = overview.render_page(rows, today=today)
    if not target.exists() or target.read_bytes() != data:
        write_atomic(target, data)
    return target


def _overview_row(
    result: SpecResult, options: Options, *, today: date, notice_days: int
) -> overview.Row:
    from . import overview
    from .pipeline import deadline_warnings, spec_deadlines

    files = [*result.written, *result.unchanged]
    checked = result.checked or _checked(Path(result.path), options.parties)
    if checked is None:
        return overview.make_row(
            path=result.path, spec=None, issues=result.issues, exceptions=(),
            deadlines=(), files=files,
        )
    spec = checked.spec
    # A spec with errors may not render (a broken reference): no deadlines from it.
    horizon = today + timedelta(days=366)
    upcoming = [] if result.failed else [
        d for d in spec_deadlines(spec, until=horizon, clauses=checked.clauses)
        if d.day >= today
    ]
    warnings = (
        [] if result.failed else deadline_warnings(spec, today=today, notice_days=notice_days)
    )
    return overview.make_row(
        path=result.path,
        spec=spec,
        issues=[*result.issues, *warnings],
        exceptions=checked.silenced,
        deadlines=upcoming,
        files=files,
    )


def _checked(path: Path, parties: PartySource | None) -> Checked | None:
    """A spec the build did not check (its id clashed): checked here."""
    from .pipeline import check

    spec, issues, outcome = check(path, parties=parties)
    if spec is None or any(i.code == "schema" for i in issues):
        return None
    return Checked(spec, tuple(outcome.silenced))


@dataclass(frozen=True)
class Step:
    """One change between the compared versions: its agreements' Markdown by document
    key, and who made it when (a commit of `avtal diff --git A..B`)."""

    texts: Mapping[str, str]
    author: str
    date: str


def write_redlines(
    comparison: Comparison,
    *,
    out: Path,
    labels: tuple[str, str],
    author: str,
    date: str,
    steps: Sequence[Step] = (),
) -> list[Path]:
    """Redline DOCX (Word revisions) and PDF (marked) of every agreement that changed;
    with `steps`, each change is attributed to the step that made it."""
    from .documents import AGREEMENT_NAMES
    from .redline import attribute, attrs_for, redline

    written: list[Path] = []
    epoch = epoch_for(date[:10]) if date else 0
    for key, old, new in comparison.texts:
        if key.rsplit("/", 1)[-1] not in AGREEMENT_NAMES or not old or not new:
            continue
        note = f"Jämförelse {labels[0]} → {labels[1]}"
        default = attrs_for(author, _stamp(date))
        history = [(step.texts[key], attrs_for(step.author, _stamp(step.date)))
                   for step in steps if key in step.texts]  # fmt: skip
        if history and history[-1][0] != new:
            history.append((new, default))
        given = attribute([(old, default), *history], default) if history else None
        marked = redline(
            old, new, author=author, date=_stamp(date), note=note, attribution=given
        )
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


def _stamp(date: str) -> str:
    """A date as Word wants it on a revision: a full timestamp."""
    return date if "T" in date or not date else f"{date}T00:00:00Z"


def _safe(label: str) -> str:
    return "".join(ch if ch.isalnum() or ch in ".-_" else "_" for ch in label) or "x"
