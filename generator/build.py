"""Plan what is stale, run the stages, write build/ atomically, record a manifest.

A document is rebuilt only when the hash of everything it depends on (spec, the
templates it uses, schema, code and tool versions, options) differs from the one in
the manifest, or when an output is missing or was changed by hand. A spec whose files
have the bytes its manifest was made from is not even parsed: its check, its build
warnings and its clause names come from the manifest.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import os
import queue
import tempfile
import threading
from collections.abc import Callable, Generator, Iterator, Mapping, Sequence
from concurrent.futures import Future
from dataclasses import dataclass, field, replace
from datetime import UTC, date, datetime, timedelta
from functools import lru_cache, partial
from pathlib import Path
from typing import TYPE_CHECKING, Any, TypeVar

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

    # None when the build took the spec's check and documents from its manifest without
    # reading it (see _remembered): the overview page reads it only when it must.
    spec: Spec | None
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
    # The key of the spec's inputs (see _spec_key), "" when it could not be read: with
    # the rest of the result, what its row on the overview page is made from.
    key: str = field(default="", repr=False, compare=False)

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
    of the letterhead files it reads, found once per build for each set of them."""
    return _this_build(_files_hash, tuple(sorted(doc.depends)), tuple(doc.inputs), theme)


def _files_hash(templates: tuple[str, ...], inputs: tuple[Path, ...], theme: Theme) -> str:
    digest = hashlib.sha256()
    for name in templates:
        path = TEMPLATES / name if theme.custom_dir is None else theme.find(name)
        digest.update(name.encode() + b"\0" + _digest(path))
    for path in inputs:  # the letterhead's logo and Word template
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


def _plain(doc: Document, fmt: str) -> bytes:
    """A document in a format no converter makes: its Markdown, its provenance file."""
    return doc.provenance() if fmt == PROVENANCE else doc.markdown.encode()


def write_output(path: Path, data: bytes) -> None:
    """Write a new file into a spec's staging folder (see transaction): the folder is
    this build's own and is swapped in whole or discarded, so the file needs no
    temporary name of its own."""
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("xb") as out:
        out.write(data)


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


def _up_to_date(
    record: dict[str, Any] | None, key: str, target: Path | str, written: int
) -> bool:
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
        info = os.stat(target)
        stamp = (info.st_size, info.st_mtime_ns)
        if stamp == (record.get("size"), record.get("mtime_ns")) and info.st_mtime_ns < written:
            return True
        found = bytes_of(Path(target))
        return found is not None and record.get("sha256") == sha256(found)
    except OSError:  # gone, or no longer a file
        return False


# The largest output compared with what a build would write (a hub's provenance files
# are the largest, tens of MB); beyond it, the file is written again.
OUTPUT_BYTES = 512 * 1024 * 1024


def bytes_of(path: Path) -> bytes | None:
    """The bytes of an earlier output, or None when it is no regular file of at most
    OUTPUT_BYTES: a pull request's ”build/index.html -> /dev/zero” is never read."""
    try:
        return read_limited(path, limit=OUTPUT_BYTES)
    except SpecError:
        return None


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
    written: int = 0  # when the manifest before was written (its mtime_ns)
    base: str = ""  # what every document's key starts from: the spec, code, timestamp
    fields: str | None = None  # the fingerprint of its Markdown fields, found clean
    # What a later build needs to skip reading the spec: its inputs' key and the party
    # ids it read, its check, its build warnings and its agreement's clause names (see
    # _remembered).
    reuse: dict[str, Any] | None = None


@dataclass(frozen=True)
class _Sources:
    """The files a spec is made from as this build read them: the spec file's bytes
    and, by party id, the party file's name in messages and SHA-256."""

    raw: bytes
    parties: Mapping[str, tuple[str, str]]


class _Noted:
    """A party registry that notes each party file it hands out (see _Sources)."""

    def __init__(self, source: PartySource | None) -> None:
        self.source = source
        self.read: dict[str, tuple[str, str]] = {}

    def __call__(self, party_id: str) -> tuple[bytes, str] | None:
        found = self.source(party_id) if self.source is not None else None
        if found is not None:
            self.read[party_id] = (found[1], sha256(found[0]))
        return found


@dataclass
class _Read:
    """A spec as this build read it, and validated unless `checked` holds the check an
    earlier build made of these very inputs (see _remembered_check)."""

    spec: Spec | None
    issues: list[Issue]
    sources: _Sources | None = None  # None when the spec could not be read
    checked: tuple[list[Issue], Outcome] | None = None


# Told of each converted document: (documents done, documents to do, spec path).
Progress = Callable[[int, int, str], None]


def build_spec(path: Path, options: Options) -> SpecResult:
    """Validate, render and convert one spec in this thread; never raises for the
    user's mistakes."""
    transaction.recover(options.out)
    if not options.records:
        drop_links(options.out)
    _new_build()
    remembered = _remembered(path, options)
    if remembered is not None:
        return remembered
    _remember_fields(options)
    planned = _plan(path, options, _read(path, options))
    convert.end_field_checks()
    jobs = [] if planned.broken else planned.jobs  # a failed render converts nothing
    done = [(job, _guarded(str(path), _run_job, job)) for job in jobs]
    return _finish(planned, options, done)


def _plan(
    path: Path, options: Options, read: _Read, submit: Callable[[_Job], None] | None = None
) -> _SpecBuild:
    """Check (unless the check is remembered) and render one spec, and list the
    outputs that are stale; each document's job goes to `submit` as soon as it is
    rendered, so that the first is converted while the rest are rendered."""
    from . import fields
    from .documents import AGREEMENT_NAMES, checklist_document, each_document, missing_texts
    from .pipeline import check, clauses_of
    from .render import Warnings
    from .rules import Outcome

    planned = _SpecBuild(SpecResult(str(path), strict=options.strict))
    result = planned.result
    if read.checked is not None:
        spec, (issues, outcome) = read.spec, read.checked
    else:
        spec, issues, outcome = check(path, (read.spec, read.issues), parties=options.parties)
    result.issues.extend(issues)
    if spec is None or read.sources is None or any(i.code == "schema" for i in issues):
        return planned  # unreadable or schema-invalid: nothing to tick off
    result.spec_id = str(spec.data["id"])
    result.checked = Checked(spec, tuple(outcome.silenced))
    result.key = key = _spec_key(str(path), read.sources, options)
    names = _file_names(spec, options)
    check_records = {
        "parties": sorted(read.sources.parties),
        "issues": [_issue_record(i, names) for i in issues],
        "silenced": [[_issue_record(i, names), why] for i, why in outcome.silenced],
    }
    planned.fields = fields.fingerprint(spec)

    def render() -> None:
        _plan_start(planned, spec.content, str(spec.data["date"]), options)

        def checklist(warnings: list[Issue]) -> None:
            # Form checks with a source (EKON-ANDELAR) fail checklist items too, and so
            # does a text the documents mark as missing.
            silenced = Outcome((*issues, *warnings), outcome.silenced)
            doc = checklist_document(spec, silenced, theme=options.theme)
            _plan_document(planned, doc, options, submit)

        if result.failed:
            checklist([])
            return
        needed = Warnings()
        first: Document | None = None  # the (first) agreement
        for doc in each_document(spec, needed, theme=options.theme):
            first = first or (doc if doc.name in AGREEMENT_NAMES else None)
            _plan_document(planned, doc, options, submit)
        warnings = missing_texts(spec, needed, issues)
        result.issues.extend(warnings)
        checklist(warnings)
        clauses = clauses_of(first) if first is not None else {}
        result.checked = Checked(spec, tuple(outcome.silenced), clauses)
        said = [_issue_record(w, names) for w in warnings]
        planned.reuse = {"key": key, **check_records, "warnings": said, "clauses": clauses}

    problem = _guarded(str(path), render)
    if isinstance(problem, Issue):
        result.issues.append(problem)
        planned.broken = True
    return planned


def _spec_key(path: str, sources: _Sources, options: Options) -> str:
    """Hash of everything a spec's check and documents are made from: the spec file's
    bytes, and the name and bytes of each party file its references found (a registry
    moved in avtal.toml names other files), our code, data and templates (the team's
    too, and its letterhead files), tool versions, SOURCE_DATE_EPOCH (the timestamp,
    with the spec's date) and the options. When it is the one in the manifest, the spec
    would be read, checked and rendered as it was: what the manifest holds of it serves
    without reading it."""
    digest = hashlib.sha256()
    epoch = os.environ.get("SOURCE_DATE_EPOCH", "")  # as epoch_for reads it
    parts = [
        _portable(path, options),  # not as typed: relative and absolute are one
        _this_build(code_hash),
        epoch if epoch.isdigit() else "",
        sha256(sources.raw),
    ]
    for party_id, (name, file_hash) in sorted(sources.parties.items()):
        parts += [party_id, _portable(name, options), file_hash]
    theme = options.theme  # its root only locates the letterhead files hashed below
    given = (options.formats, options.strict, theme.custom_dir, theme.letterheads)
    parts += [repr(given), _this_build(_inputs_hash, theme)]
    for part in parts:
        digest.update(part.encode() + b"\0")
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
    _INDEX.clear()
    _RESOLVED.clear()


def _remembered(path: Path, options: Options) -> SpecResult | None:
    """The spec's result as its manifest holds it, the spec not even parsed, when the
    manifest was written from these very inputs (the spec's bytes, the party files it
    read, our code and templates, the options: see _spec_key) and every file it lists is
    there as written; else None, and the spec is read, checked and rendered.

    A manifest names its spec (see _spec_ids): more than one may, when the spec's id
    changed; the one whose key is this spec's serves."""
    for spec_id in _spec_ids(options).get(_portable(str(path), options), []):
        manifest, written = _recorded(options, spec_id)
        try:
            result = _result_from(path, spec_id, (manifest, written), options)
        except (KeyError, TypeError, ValueError, AttributeError, SpecError):
            continue  # a record of another shape; a party file that cannot be read
        if result is not None:
            return result
    return None


def _result_from(
    path: Path, spec_id: str, recorded: tuple[dict[str, Any], int], options: Options
) -> SpecResult | None:
    """The result a build of the spec at `path` would give, from the manifest of the
    folder `spec_id`, or None when the manifest was made from other inputs or a file it
    lists is not as written. Raises KeyError, TypeError, ValueError or AttributeError
    on a manifest of another shape, SpecError on a file that cannot be read."""
    manifest, written = recorded
    reuse = manifest["reuse"]
    parties: dict[str, tuple[str, str]] = {}
    for party_id in reuse["parties"]:  # what the spec's references found then, found now
        found = options.parties(str(party_id)) if options.parties is not None else None
        if found is None:
            return None
        parties[str(party_id)] = (found[1], sha256(found[0]))
    sources = _Sources(read_limited(path, str(path)), parties)
    key = _spec_key(str(path), sources, options)
    outputs = manifest["outputs"]
    files = _files_of(outputs)
    out = str(options.out)  # joined as text: a hub has thousands of outputs
    if reuse["key"] != key or not files or not all(
        _up_to_date(outputs[rel], str(outputs[rel].get("input")), os.path.join(out, rel), written)
        for rel in files
    ):
        return None
    names = (str(path), *(name for name, _ in parties.values()))
    typed = {_portable(name, options): name for name in names}
    silenced = tuple((_issue_from(record, typed), str(why)) for record, why in reuse["silenced"])
    clauses = {str(k): str(v) for k, v in reuse["clauses"].items()}
    result = SpecResult(
        str(path),
        spec_id,
        unchanged=files,
        # the check's issues, then the build's warnings, as a build that renders says them
        issues=[_issue_from(record, typed) for record in [*reuse["issues"], *reuse["warnings"]]],
        strict=options.strict,
        checked=Checked(None, silenced, clauses),
        key=key,
    )
    return None if result.failed else result


def _spec_ids(options: Options) -> dict[str, list[str]]:
    """The spec folders in the output folder by the spec their manifest names (as
    _portable gives it); the manifests are read once per build."""
    if options.out not in _INDEX:
        found: dict[str, list[str]] = {}
        if options.records and options.out.is_dir():
            for manifest in sorted(options.out.glob("*/manifest.json")):
                spec = _recorded(options, manifest.parent.name)[0].get("spec")
                if isinstance(spec, str):
                    found.setdefault(spec, []).append(manifest.parent.name)
        _INDEX[options.out] = found
    return _INDEX[options.out]


# The spec folders of each output folder by their spec, as this build found them.
_INDEX: dict[Path, dict[str, list[str]]] = {}


def _read(path: Path, options: Options) -> _Read:
    """A spec read and validated, as read_and_validate gives it; or, when its manifest
    holds the check of these very inputs (see _spec_key), read and with that check, so
    that an unchanged spec is not validated and checked again."""
    from .load import parse_spec
    from .pipeline import read_and_validate
    from .validate import validate

    noted = _Noted(options.parties)
    try:  # as load_spec reads it, with the bytes of the files it reads kept
        raw = read_limited(path, str(path))
        spec = parse_spec(raw, str(path), parties=noted)
    except SpecError:
        # its one problem, said as always
        return _Read(*read_and_validate(path, parties=options.parties))
    sources = _Sources(raw, dict(noted.read))
    remembered = _remembered_check(spec, sources, options)
    if remembered is None:
        return _Read(spec, validate(spec), sources)
    return _Read(spec, [], sources, remembered)  # a remembered check has no errors


def _remembered_check(
    spec: Spec, sources: _Sources, options: Options
) -> tuple[list[Issue], Outcome] | None:
    from .rules import Outcome

    spec_id = spec.data.get("id")
    if not isinstance(spec_id, str) or Path(spec_id).name != spec_id or spec_id in ("", ".", ".."):
        return None
    reuse = _manifest(options, spec_id).get("reuse")
    if not isinstance(reuse, dict) or reuse.get("key") != _spec_key(spec.path, sources, options):
        return None
    typed = {kept: name for name, kept in _file_names(spec, options).items()}
    try:
        issues = [_issue_from(record, typed) for record in reuse["issues"]]
        silenced = tuple(
            (_issue_from(record, typed), str(why)) for record, why in reuse["silenced"]
        )
    except (KeyError, TypeError, ValueError):  # a broken manifest
        return None
    return issues, Outcome((), silenced)


def _portable(name: str, options: Options) -> str:
    """A file's name as the manifest and the rebuild key keep it: relative to the
    repository root (the working directory without one) when it lies below it, else
    absolute, so that a spec named relatively in one build and absolutely in the next
    is the same spec. (A file that is a link is not read, so only its folder is
    resolved, once per build: a hub's hundreds of party files lie in one.)"""
    root = _resolved(str(options.theme.root or Path.cwd()))
    folder, base = os.path.split(name)
    path = os.path.join(_resolved(folder or os.curdir), base)
    below = root if root.endswith(os.sep) else root + os.sep
    if path.startswith(below):
        return path[len(below) :].replace(os.sep, "/")
    return Path(path).as_posix()


def _resolved(folder: str) -> str:
    """A folder's absolute path, its links resolved, as this build first found it."""
    if folder not in _RESOLVED:
        _RESOLVED[folder] = str(Path(folder).resolve())
    return _RESOLVED[folder]


# The folders this build has resolved (see _resolved).
_RESOLVED: dict[str, str] = {}


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


def _plan_start(planned: _SpecBuild, spec_bytes: bytes, spec_date: str, options: Options) -> None:
    """Ready a spec's plan for its documents: its old manifest, its staging folder."""
    result = planned.result
    live = options.out / result.spec_id
    manifest, planned.written = _recorded(options, result.spec_id)
    planned.old = manifest.get("outputs", {})
    planned.staging = transaction.staging_for(live)
    planned.spec_bytes = spec_bytes
    planned.epoch = epoch_for(spec_date)
    planned.base = sha256(spec_bytes) + _this_build(code_hash) + str(planned.epoch)


def _plan_document(
    planned: _SpecBuild, doc: Document, options: Options, submit: Callable[[_Job], None] | None
) -> None:
    """List which of a document's outputs are up to date and which are stale: those
    are its job, handed to `submit` (else kept for later)."""
    result, old = planned.result, planned.old
    assert planned.staging is not None
    key = sha256((planned.base + _template_hash(doc, options.theme) + doc.markdown).encode())
    job = _Job(doc, key, planned.epoch)
    sources = (PROVENANCE,) if doc.locate is not None else ()
    for fmt in (*(doc.formats or options.formats), *sources):
        rel = f"{doc.folder}/{doc.name}.{fmt}"
        target = options.out / rel
        if _up_to_date(old.get(rel), key, target, planned.written):
            result.unchanged.append(rel)
            planned.outputs[rel] = old[rel]
        else:
            inside = planned.staging / rel.removeprefix(f"{result.spec_id}/")
            job.outputs.append((fmt, rel, inside))
            planned.outputs[rel] = None  # its record once it is written
    if job.outputs:
        planned.jobs.append(job)
        if submit is not None:
            submit(job)
    if doc.record:
        planned.outputs[f"{doc.folder}/{doc.name}"] = dict(doc.record)


def _run_job(job: _Job) -> dict[str, dict[str, str]]:
    """Convert and write one document's stale outputs; their manifest records."""
    return _to_end(_job_steps(job))


_T = TypeVar("_T")

# Formats pandoc makes, in the order they are asked for: the PDF's Typst first, so that
# typst compiles while pandoc makes the others.
_PANDOC_ORDER = ("pdf", "docx", "html")


def _job_steps(job: _Job) -> Generator[None, None, dict[str, dict[str, str]]]:
    """`_run_job` in steps: it yields once pandoc has every format of the job to convert
    (a job pandoc has no part in does not yield), so that a worker can hand pandoc the
    next job, and finish the one before, while pandoc converts this one: pandoc never
    waits for our Python or for typst. Its value is the manifest records, in the order
    of the formats."""
    formats = {fmt for fmt, _, _ in job.outputs}
    records: dict[str, dict[str, str]] = {}
    converted = sorted(
        (o for o in job.outputs if o[0] in _PANDOC_ORDER), key=lambda o: _PANDOC_ORDER.index(o[0])
    )
    asked: list[tuple[str, str, Path, Callable[[], bytes]]] = []  # pandoc's answers to come
    for fmt, rel, target in converted:
        with _named(rel):
            asked.append((fmt, rel, target, _started(job, fmt)))
    if "pdf" in formats:  # typst starts (and loads its fonts) while pandoc converts (a
        # compile still out from the job before is taken in first)
        convert.converter().start_typst()
    if asked:
        yield  # pandoc converts: the worker may hand it the next job
    _write_plain(job, records)
    answers: list[tuple[str, str, Path, bytes]] = []  # pandoc's, to be finished
    compiling: tuple[str, Path, Callable[[], bytes]] | None = None  # the PDF in typst
    try:
        for fmt, rel, target, answer in asked:
            with _named(rel):
                data = answer()
            if fmt == "pdf":  # typst compiles it while pandoc makes the other formats
                compiling = _compile(job, rel, target, data)
            else:
                answers.append((fmt, rel, target, data))
        for fmt, rel, target, data in answers:
            with _named(rel):
                _record(records, rel, target, _finished(job, fmt, data), job.key)
    finally:  # the PDF's answer is taken in even when another format failed
        if compiling is not None:
            rel, target, started = compiling
            with _named(rel):
                _record(records, rel, target, started(), job.key)
    return {rel: records[rel] for _, rel, _ in job.outputs}  # in the order of the formats


def _compile(
    job: _Job, rel: str, target: Path, source: bytes
) -> tuple[str, Path, Callable[[], bytes]]:
    """The PDF's Typst source handed to typst; the PDF's place, and what gives it."""
    with _named(rel):
        doc = job.doc
        started = convert.pdf_finished(doc.markdown, source, epoch=job.epoch, assets=doc.assets)
    return rel, target, started


def _started(job: _Job, fmt: str) -> Callable[[], bytes]:
    """pandoc handed one format of the job (the PDF's: its Typst source)."""
    doc, epoch = job.doc, job.epoch
    if fmt == "pdf":
        return convert.pdf_source_started(doc.markdown, epoch=epoch, assets=doc.assets)
    if fmt == "docx":
        return convert.docx_started(doc.markdown, epoch=epoch, assets=doc.assets)
    home = "../" * (doc.folder.count("/") + 1) + "index.html"
    return convert.html_started(doc.annotated(), epoch=epoch, home=home, assets=doc.assets)


def _finished(job: _Job, fmt: str, data: bytes) -> bytes:
    """A pandoc answer made into the file: a DOCX gets its header, footer and
    letterhead."""
    if fmt == "docx":
        return convert.docx_finished(job.doc.markdown, data, assets=job.doc.assets)
    return data


def _write_plain(job: _Job, records: dict[str, dict[str, str]]) -> None:
    """The outputs no converter makes: the Markdown and the provenance file."""
    for fmt, rel, target in job.outputs:
        if fmt not in _PANDOC_ORDER:
            _record(records, rel, target, _plain(job.doc, fmt), job.key)


def _record(
    records: dict[str, dict[str, str]], rel: str, target: Path, data: bytes, key: str
) -> None:
    write_output(target, data)
    records[rel] = {"input": key, "sha256": sha256(data)}


def _to_end(steps: Generator[None, None, _T]) -> _T:
    """Run a job's steps to the end; their value."""
    while True:
        try:
            next(steps)
        except StopIteration as done:
            value: _T = done.value
            return value


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
    except Exception as err:
        return _issue_of(spec_path, err)


def _issue_of(spec_path: str, err: Exception) -> Issue:
    """What went wrong in a spec's stage, as an Issue about the spec."""
    if isinstance(err, EnvironmentProblem):
        return Issue(err.location or Location(spec_path), err.message, code=ENVIRONMENT)
    if isinstance(err, AvtalError):
        return Issue(err.location or Location(spec_path), err.message, code="build")
    if isinstance(err, OSError):  # the disk, not the spec: read-only, full, no permission
        return Issue(Location(spec_path), environment_message(err), code=ENVIRONMENT)
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
    if problems and not planned.broken:  # a failed render is the spec's one problem
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
    if unchanged and bytes_of(manifest_path) == data:
        transaction.discard(planned.staging)  # a no-op writes nothing
        return result
    problem = _guarded(result.path, _commit, planned, live, kept, data, options.records)
    if isinstance(problem, Issue):
        transaction.discard(planned.staging)  # a full disk leaves no half-made folder
        result.issues.append(problem)
        result.written.clear()
    return result


def _commit(
    planned: _SpecBuild, live: Path, kept: Sequence[str], manifest: bytes, foreign: bool
) -> None:
    """Swap the spec's new folder in whole: the converted documents, the ones that were
    up to date, anything in the folder that no manifest wrote (redlines, notes) unless
    `foreign` is false (a build/ that git tracks: what is there came with the pull request,
    fake documents under the real names too), and the new manifest. What the old
    manifest listed and the new one does not is gone."""
    assert planned.staging is not None
    prefix = f"{planned.result.spec_id}/"
    written = {rel for job in planned.jobs for _, rel, _ in job.outputs}
    carried = [rel.removeprefix(prefix) for rel in kept if rel not in written]
    ours = {rel.removeprefix(prefix) for rel in _files_of(planned.old)} | {"manifest.json"}
    transaction.commit(planned.staging, live, carried, ours, manifest, foreign=foreign)


def drop_links(out: Path) -> None:
    """Remove every symbolic link anywhere under an output folder that is not trusted
    (one git tracks: it came with the pull request). A link there, beside the spec
    folders or in another spec's, would stay in the output, and a CI step that uploads
    the folder and follows links would carry the file it points at (a file of the
    runner) into the artifact. The links are removed, never followed."""
    if out.is_symlink() or not out.is_dir():
        return
    for folder, folders, files in os.walk(out):
        for name in (*folders, *files):
            path = Path(folder) / name
            if path.is_symlink():
                path.unlink()


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
    if not options.records:
        drop_links(options.out)
    _new_build()
    counter = _Counter(progress)
    with _Workers(jobs or default_jobs()) as workers:
        planned: list[SpecResult | tuple[_SpecBuild, list[tuple[_Job, Future[Any]]]]] = []
        first: dict[str, str] = {}  # each id and the spec that has it first
        clashes: list[SpecResult] = []
        reading = False
        for path in paths:
            remembered = _remembered(path, options)
            if remembered is not None and remembered.spec_id not in first:
                first[remembered.spec_id] = str(path)
                planned.append(remembered)  # nothing to read, check or write
                continue
            if not reading:  # the first spec to read: the fields found clean before
                _remember_fields(options)
                reading = True
            read = _read(path, options)
            clash = _clash(path, read, first)
            if clash is not None:
                clash.key = _spec_key(str(path), read.sources, options) if read.sources else ""
                clashes.append(clash)
                continue
            futures: list[tuple[_Job, Future[Any]]] = []
            submit = partial(_submit, workers, counter, str(path), futures)
            spec_build = _plan(path, options, read, submit)
            if spec_build.broken:  # its documents are discarded: convert no more of them
                counter.add(-sum(future.cancel() for _, future in futures))
            planned.append((spec_build, futures))
        convert.end_field_checks()  # every spec is checked
        yield from clashes
        for item in planned:
            if isinstance(item, SpecResult):
                yield item
                continue
            spec_build, futures = item
            outcomes = [(job, f.result()) for job, f in futures if not f.cancelled()]
            yield _finish(spec_build, options, outcomes)


def _submit(
    workers: _Workers,
    counter: _Counter,
    spec_path: str,
    futures: list[tuple[_Job, Future[Any]]],
    job: _Job,
) -> None:
    """Hand a spec's job to the workers; its future joins the spec's."""
    counter.add(1)
    futures.append((job, workers.submit(counter, spec_path, job)))


def _remember_fields(options: Options) -> None:
    """Markdown fields an earlier build found clean (its manifests say which), so that
    a spec whose fields did not change starts no pandoc to check them again."""
    from . import fields

    for spec_ids in _spec_ids(options).values():
        for spec_id in spec_ids:
            found = _recorded(options, spec_id)[0].get("fields_checked")
            if isinstance(found, str):
                fields.remember([found])


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


@dataclass
class _Running:
    """A job a worker has started: its steps (see _job_steps), and where its outcome
    goes (the records, or the problem as an Issue)."""

    future: Future[Any]
    counter: _Counter
    spec_path: str
    steps: Generator[None, None, Any]

    def step(self) -> bool:
        """Run the job to its next step; False when it has ended and its outcome is set
        (whatever the step or the progress callback raised: a worker never dies with a
        job unsettled)."""
        try:
            next(self.steps)
            return True
        except StopIteration as done:
            outcome: Any = done.value
        except Exception as err:
            outcome = _issue_of(self.spec_path, err)
        except BaseException as err:
            self.future.set_exception(err)
            return False
        try:
            self.counter.step(self.spec_path)
        except BaseException as err:  # the caller's progress callback
            self.future.set_exception(err)
            return False
        self.future.set_result(outcome)
        return False

    def finish(self) -> None:
        while self.step():
            pass


_Task = tuple[Future[Any], _Counter, str, _Job]


class _Workers:
    """Worker threads taking jobs in turn; each stops its converter when it ends.

    Threads suffice: pandoc runs in its own process and typst releases the GIL. A
    worker keeps its pandoc busy: it hands pandoc every format of the next job before
    it finishes the one before (taking in pandoc's answers, the DOCX's header, typst,
    writing the files), so that pandoc always has a job while the worker waits for the
    GIL or for typst. Leaving the block cancels what has not started and waits for what
    has.
    """

    def __init__(self, count: int) -> None:
        self.queue: queue.SimpleQueue[_Task | None] = queue.SimpleQueue()
        self.threads = [
            threading.Thread(target=self._work, name=f"avtal-{n}", daemon=True)
            for n in range(count)
        ]
        for thread in self.threads:
            thread.start()

    def submit(self, counter: _Counter, spec_path: str, job: _Job) -> Future[Any]:
        """Convert a job on the next free worker; its future gives _run_job's value, or
        the problem as an Issue."""
        future: Future[Any] = Future()
        self.queue.put((future, counter, spec_path, job))
        return future

    def _work(self) -> None:
        before: _Running | None = None  # pandoc has its formats: it is finished next
        try:
            while True:
                try:
                    item = self.queue.get(block=before is None)
                except queue.Empty:  # nothing waiting: finish the job before now
                    assert before is not None
                    done, before = before, None
                    done.finish()
                    continue
                if item is None:
                    break
                future, counter, spec_path, job = item
                if not future.set_running_or_notify_cancel():
                    continue
                running = _Running(future, counter, spec_path, _job_steps(job))
                going = running.step()  # pandoc has its formats
                if before is not None:
                    done, before = before, None
                    done.finish()
                if going:
                    before = running
        finally:
            if before is not None:
                before.finish()
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


def _clash(path: Path, read: _Read, first: dict[str, str]) -> SpecResult | None:
    """A failed result when an earlier valid spec (in `first`, by id) has this spec's
    id; else None, and a valid spec's id is added to `first`."""
    from .pipeline import id_taken

    spec, issues = read.spec, read.issues
    if spec is None or any(i.severity is Severity.ERROR for i in issues):
        return None  # it writes nothing; its problems are reported when it is built
    taken = id_taken(spec, first)
    spec_id = str(spec.data.get("id", ""))
    return None if taken is None else SpecResult(str(path), spec_id, issues=[taken])


def write_overview(
    results: Sequence[SpecResult], options: Options, *, today: date, notice_days: int = 90
) -> Path:
    """The portfolio page build/index.html for the specs of this run. When it is the
    page made from the same results, day and code (a signed record beside it says so),
    it is not made again: nothing is read or written."""
    target = options.out / "index.html"
    record = options.out / OVERVIEW_RECORD
    made_from = _overview_inputs(results, options, today=today, notice_days=notice_days)
    if options.records and _overview_current(target, record, made_from):
        return target
    from . import overview

    rows = [
        _overview_row(r, options, today=today, notice_days=notice_days)
        for r in sorted(results, key=lambda r: r.path)
    ]
    data = overview.render_page(rows, today=today)
    if bytes_of(target) != data:
        write_atomic(target, data)
    if options.records:
        said = {"inputs": made_from, "page": sha256(data)}
        signed = trust.sign((json.dumps(said, indent=2) + "\n").encode())
        if bytes_of(record) != signed:
            write_atomic(record, signed)
    return target


# Beside the overview page: what it was made from (see write_overview).
OVERVIEW_RECORD = ".index.json"


def _overview_inputs(
    results: Sequence[SpecResult], options: Options, *, today: date, notice_days: int
) -> str:
    """A hash of everything the overview page is made from: each spec's inputs (its
    key), what the build found and wrote, the day, the notice period, our code and
    templates."""
    digest = hashlib.sha256()
    head = [__version__, _this_build(code_hash), _this_build(_inputs_hash, options.theme)]
    digest.update(json.dumps([*head, today.isoformat(), notice_days]).encode() + b"\0")
    for result in sorted(results, key=lambda r: r.path):
        checked = result.checked
        row = [
            result.path,
            result.key,
            result.failed,
            sorted([*result.written, *result.unchanged]),
            [_issue_record(i, {}) for i in result.issues],
            None if checked is None else [[_issue_record(i, {}), w] for i, w in checked.silenced],
            None if checked is None else checked.clauses,
        ]
        digest.update(json.dumps(row, ensure_ascii=False, sort_keys=True).encode() + b"\0")
    return digest.hexdigest()


def _overview_current(target: Path, record: Path, made_from: str) -> bool:
    """True when the signed record says the page at `target` was made from `made_from`
    and the page is as it was written."""
    try:
        signed = trust.verified(read_limited(record, limit=MANIFEST_BYTES))
        said = json.loads(signed) if signed is not None else {}
        if not isinstance(said, dict) or said.get("inputs") != made_from:
            return False
        return bool(said.get("page") == sha256(read_limited(target, limit=MANIFEST_BYTES)))
    except (ValueError, SpecError):  # none, or not a file
        return False


def _overview_row(
    result: SpecResult, options: Options, *, today: date, notice_days: int
) -> overview.Row:
    from . import overview
    from .pipeline import deadline_warnings, spec_deadlines

    files = [*result.written, *result.unchanged]
    checked = result.checked or _checked(Path(result.path), options.parties)
    if checked is not None and checked.spec is None:  # taken from its manifest: read now
        checked = _read_again(Path(result.path), checked, options.parties)
    if checked is None or checked.spec is None:
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


def _read_again(path: Path, checked: Checked, parties: PartySource | None) -> Checked | None:
    """The spec a build took from its manifest, read for its row on the overview page
    (checked again, should it have changed since)."""
    from .load import load_spec

    try:
        return replace(checked, spec=load_spec(path, parties=parties))
    except SpecError:
        return _checked(path, parties)


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
        transaction.refuse_links_down(out, folder)
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
