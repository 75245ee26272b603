"""Whatever a pull request puts in the repository, avtal answers with a located error or
a document made from the repository alone: never a traceback, a hang, a leftover
staging folder, or a byte of a file outside the repository in what it writes or says.

Each example is a small team repository (avtal.toml, one spec, its two party files, a
template folder) with one to three mutations of what the spec fuzz never varies: party
files (any bytes, other data, huge, empty, a folder, a link), avtal.toml (any keys and
values, paths out of the repository, links), file names (line breaks, CI commands,
glob characters, bidi, personnummer), symbolic links to a secret outside the
repository or to a device, team templates (any text, sandbox escapes) and a committed
build folder with forged manifests. Then `avtal check`, `build`, `textconv` and
`diff --git` run in it. The suite tries AVTAL_FUZZ_EXAMPLES repositories (a few by
default); `nox -s fuzz` thousands in seeded shards (scripts/fuzz.py --repositories).
"""

from __future__ import annotations

import contextlib
import json
import os
import shutil
import subprocess
import tempfile
from collections.abc import Callable
from pathlib import Path
from typing import Any

import yaml
from buildkit import ROOT, SPECS_DIR, run_cli
from hypothesis import HealthCheck, Phase, given, settings
from hypothesis import strategies as st

EXAMPLES = int(os.environ.get("AVTAL_FUZZ_EXAMPLES", "6"))
LONG = "AVTAL_FUZZ_EXAMPLES" in os.environ
SPEC = "familjebehandling-norrstrom-fjallviken.yaml"
PARTIES = ("norrstrom", "fjallviken")
CRASH = ("internt fel", "Traceback")
STATS = {"tried": 0, "built": 0, "refused": 0, "git": 0}
SECRET = "HEMLIGT-7f3a9c"  # the content of the file outside the repository


def _count(key: str) -> None:
    STATS[key] += 1
    target = os.environ.get("AVTAL_FUZZ_STATS")
    if target:
        Path(target).parent.mkdir(parents=True, exist_ok=True)
        Path(target).write_text(json.dumps(STATS) + "\n", encoding="utf-8")


# --------------------------------------------------------------------------- text

_NAMES = st.one_of(
    st.sampled_from([
        "a\nb", "::error::x", "##[error]x", "##vso[task.setvariable variable=a]b", "x[1]", "*",
        "?", "[a-z]", "\u202eabc", "121212-1212", "a b", "-n", "--output=x", ".", "..", "~",
        "ä/../ö", "x\r::warning::y", "`x`", "<details>", "a\\b", "\t", "con", "NUL",
    ]),
    st.text(
        st.characters(codec="utf-8", exclude_characters="/\0", exclude_categories=("Cs",)),
        min_size=1, max_size=30,
    ),
)
_PATHS = st.sampled_from([
    "..", "../..", "/", "/etc", "/dev", "/tmp", "../hemligt", "../hemligt.txt", "/etc/hostname",
    "/dev/zero", "lank-ut", "lank-ut/x", "specs/../..", "parties/../../hemligt", "~", "mallar",
    "specs", "parties", "build", "", " ", "a\nb", "logo.svg", "logo.png", "ref.docx",
    "lank-logo.svg", "lank-fil.yaml",
])
_SCALARS = st.one_of(
    _PATHS, st.integers(-3, 10**12), st.booleans(), st.text(max_size=20),
    st.lists(st.sampled_from(["md", "pdf", "docx", "html", "x", ""]), max_size=4),
)


def _toml_value(value: Any) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int):
        return str(value)
    if isinstance(value, list):
        return "[" + ", ".join(json.dumps(v) for v in value) + "]"
    return json.dumps(value, ensure_ascii=False)


@st.composite
def _config(draw: st.DrawFn) -> str:
    keys = ["specs", "parties", "out", "formats", "templates", "notice_days", "okänd"]
    lines = [f"{k} = {_toml_value(draw(_SCALARS))}"
             for k in draw(st.lists(st.sampled_from(keys), unique=True, max_size=4))]
    for party in draw(st.lists(st.sampled_from([*PARTIES, "Fel id", "x"]), unique=True,
                               max_size=2)):
        lines.append(f"[organisations.{json.dumps(party, ensure_ascii=False)}]")
        for key in draw(st.lists(st.sampled_from(["name_lines", "address", "logo",
                                                   "reference_docx", "x"]), unique=True)):
            value = draw(_SCALARS if key != "name_lines" else st.lists(st.text(max_size=10)))
            lines.append(f"{key} = {_toml_value(value)}")
    if draw(st.booleans()):
        broken = ["[[[", "a = ", "= 1", 'x = "\\u0000"', "#121212-1212"]
        lines.append(draw(st.sampled_from(broken)))
    return "\n".join(lines) + "\n"


# --------------------------------------------------------------------------- mutations

class Mutation:
    """One change to the repository, shown by what it does when hypothesis reports it."""

    def __init__(self, what: str, change: Callable[[Path], None]) -> None:
        self.what = what
        self.change = change

    def __call__(self, repo: Path) -> None:
        # What the file system refuses (a file inside a link to a device) is not done.
        with contextlib.suppress(OSError, RuntimeError):  # RuntimeError: a loop of links
            self.change(repo)

    def __repr__(self) -> str:
        return self.what


def _cleared(path: Path) -> Path:
    """`path` with nothing at it yet (whatever was there removed), its folder made."""
    path.parent.mkdir(parents=True, exist_ok=True)
    if path.is_symlink() or path.is_file():
        path.unlink()
    elif path.is_dir():
        shutil.rmtree(path)
    return path


def _write(path: Path, data: bytes) -> None:
    _cleared(path).write_bytes(data)


def _link(path: Path, target: str) -> None:
    _cleared(path).symlink_to(target)


@st.composite
def _party_mutation(draw: st.DrawFn) -> Mutation:
    party = draw(st.sampled_from(PARTIES))
    kind = draw(st.sampled_from(
        ["bytes", "yaml", "huge", "empty", "folder", "outside", "device", "comment", "id"]
    ))
    junk = draw(st.binary(max_size=200))
    data = draw(st.recursive(
        st.one_of(st.none(), st.booleans(), st.integers(), st.text(max_size=20)),
        lambda inner: st.one_of(st.lists(inner, max_size=3),
                                st.dictionaries(st.text(max_size=8), inner, max_size=3)),
        max_leaves=10,
    ))

    def mutate(repo: Path) -> None:
        path = repo / "parties" / f"{party}.yaml"
        if kind == "bytes":
            _write(path, junk)
        elif kind == "yaml":
            _write(path, yaml.safe_dump(data, allow_unicode=True).encode())
        elif kind == "huge":
            _write(path, b"name: " + b"x" * 2_000_000 + b"\n")
        elif kind == "empty":
            _write(path, b"")
        elif kind == "folder":
            _write(path, b"")
            path.unlink()
            path.mkdir()
        elif kind == "outside":
            _link(path, str(repo.parent / "hemligt.yaml"))
        elif kind == "device":
            _link(path, "/dev/zero")
        elif kind == "comment":
            _write(path, path.read_bytes() + b"# kontakt 19121212-1212\n")
        else:
            _write(path, path.read_bytes().replace(f"id: {party}".encode(), b"id: annan"))

    return Mutation(f"partsfil {party}: {kind} {junk!r:.60} {data!r:.60}", mutate)


@st.composite
def _config_mutation(draw: st.DrawFn) -> Mutation:
    text = draw(_config())
    linked = draw(st.booleans())

    def mutate(repo: Path) -> None:
        _write(repo / "avtal.toml", text.encode())
        if linked:
            _link(repo / "avtal.toml", str(repo.parent / "hemligt.toml"))

    return Mutation(f"avtal.toml {'länkad' if linked else text!r}", mutate)


@st.composite
def _name_mutation(draw: st.DrawFn) -> Mutation:
    name = draw(_NAMES)
    suffix = draw(st.sampled_from([".yaml", ".yml", ""]))

    def mutate(repo: Path) -> None:
        target = repo / "specs" / f"{name}{suffix}"
        try:
            if target.resolve().is_relative_to((repo / "specs").resolve()) and not target.exists():
                target.parent.mkdir(parents=True, exist_ok=True)
                (repo / "specs" / SPEC).rename(target)
        except OSError:
            pass  # a name the file system refuses (too long, not encodable)

    return Mutation(f"specen heter {name + suffix!r}", mutate)


@st.composite
def _link_mutation(draw: st.DrawFn) -> Mutation:
    where = draw(st.sampled_from(["specs/lank.yaml", "specs/" + SPEC, "mallar", "parties",
                                  "specs", "lank-logo.svg", "mallar/avtal.md.j2", "build"]))
    target = draw(st.sampled_from(["outside", "device", "inside", "loop", "dangling"]))

    def mutate(repo: Path) -> None:
        path = repo / where
        targets = {
            "outside": str(repo.parent / ("hemligt" if where in ("mallar", "parties", "specs",
                                                                  "build") else "hemligt.yaml")),
            "device": "/dev/zero",
            "inside": str(repo / "parties" / "norrstrom.yaml"),
            "loop": str(path),
            "dangling": str(repo / "finns-inte"),
        }
        _link(path, targets[target])

    return Mutation(f"{where} länkad: {target}", mutate)


@st.composite
def _template_mutation(draw: st.DrawFn) -> Mutation:
    text = draw(st.one_of(
        st.sampled_from([
            '{{ lipsum.__globals__["os"].system("touch ../utfort") }}',
            "{{ ''.__class__.__mro__[1].__subclasses__() }}",
            '{% include "/etc/hostname" %}', '{% include "../../hemligt" %}',
            "{% for i in range(10**9) %}x{% endfor %}", "{{ a.spec.data }}", "{{ 'x' * 10**8 }}",
            "{% extends 'avtal.md.j2' %}", "{{", "{% raw %}", "#read(\"/etc/hostname\")",
            "{{ lagrum('finns-inte') }}", "{{ a.parties[0].name | gemen }} 121212-1212",
        ]),
        st.text(max_size=80),
    ))
    name = draw(st.sampled_from(["avtal.md.j2", "_parter.md.j2", "checklista.md.j2",
                                 "avtal.typst", "layout.lua", "x.md.j2"]))

    def mutate(repo: Path) -> None:
        _write(repo / "mallar" / name, text.encode())
        config = repo / "avtal.toml"
        if not config.is_symlink():
            old = config.read_text(encoding="utf-8", errors="replace") if config.exists() else ""
            if "templates" not in old:
                _write(config, ('templates = "mallar"\n' + old).encode())

    return Mutation(f"mallar/{name}: {text!r}", mutate)


@st.composite
def _build_mutation(draw: st.DrawFn) -> Mutation:
    manifest = draw(st.one_of(
        st.just({"outputs": {"../../hemligt": {"input": "x", "sha256": "0" * 64}}}),
        st.just({"reuse": {"key": "x", "issues": [], "silenced": [], "warnings": [],
                           "clauses": {}}, "fields_checked": "x", "outputs": {}}),
        st.dictionaries(st.sampled_from(["outputs", "reuse", "fields_checked", "signature"]),
                        st.one_of(st.text(max_size=10), st.dictionaries(
                            st.text(max_size=10), st.text(max_size=10), max_size=2)),
                        max_size=4),
    ))
    folder = draw(st.sampled_from(["familjebehandling-norrstrom-fjallviken",
                                   ".familjebehandling-norrstrom-fjallviken.avtal-gammal-1-ab",
                                   "x"]))

    def mutate(repo: Path) -> None:
        _write(repo / "build" / folder / "manifest.json", json.dumps(manifest).encode())
        _write(repo / "build" / folder / "avtal.md", SECRET.encode())

    return Mutation(f"build/{folder}/manifest.json: {manifest!r:.80}", mutate)


MUTATIONS = st.lists(
    st.one_of(_party_mutation(), _config_mutation(), _name_mutation(), _link_mutation(),
              _template_mutation(), _build_mutation()),
    min_size=1, max_size=3,
)


# --------------------------------------------------------------------------- the repository


def _repository(base: Path) -> Path:
    repo = base / "repo"
    (repo / "specs").mkdir(parents=True)
    (repo / "parties").mkdir()
    (repo / "mallar").mkdir()
    shutil.copy(SPECS_DIR / SPEC, repo / "specs" / SPEC)
    for party in PARTIES:
        shutil.copy(ROOT / "parties" / f"{party}.yaml", repo / "parties" / f"{party}.yaml")
    (repo / "avtal.toml").write_text('formats = ["md"]\n', encoding="utf-8")
    for name in ("hemligt", "hemligt.yaml", "hemligt.toml", "hemligt.txt"):
        (base / name).write_text(f"name: {SECRET}\n# {SECRET}\n", encoding="utf-8")
    return repo


def _git(repo: Path, *args: str) -> bool:
    env = {k: v for k, v in os.environ.items() if not k.startswith("GIT_")}
    env.update(GIT_CONFIG_NOSYSTEM="1", HOME=str(repo.parent), LC_ALL="C",
               GIT_AUTHOR_NAME="A", GIT_AUTHOR_EMAIL="a@x.se", GIT_COMMITTER_NAME="A",
               GIT_COMMITTER_EMAIL="a@x.se")
    done = subprocess.run(["git", *args], cwd=repo, capture_output=True, env=env, check=False)
    return done.returncode == 0


def _no_crash(run: Any, *codes: int) -> None:
    text = run.stdout + run.stderr
    assert run.code in codes, text[-3000:]
    assert not any(word in text for word in CRASH), text[-3000:]
    assert SECRET not in text, text[-3000:]


def _nothing_leaked(repo: Path) -> None:
    for path in repo.rglob("*"):
        if path.is_symlink() or not path.is_file() or "build" not in path.parts:
            continue
        if path.name in ("avtal.md", "manifest.json") and path.read_bytes() == SECRET.encode():
            continue  # the planted file itself, left where it was
        assert SECRET.encode() not in path.read_bytes(), path
    for path in repo.rglob("*"):
        assert ".avtal-ny-" not in path.name, f"en mellanlagringsmapp blev kvar: {path}"


@settings(
    max_examples=EXAMPLES,
    deadline=None,
    database=None,
    derandomize=not LONG,
    phases=(Phase.explicit, Phase.generate),
    suppress_health_check=list(HealthCheck),
)
@given(mutations=MUTATIONS, with_git=st.booleans())
def test_whatever_the_repository_holds_avtal_answers(
    mutations: list[Mutation], with_git: bool
) -> None:
    here = Path.cwd()
    with tempfile.TemporaryDirectory() as folder:
        repo = _repository(Path(folder))
        if with_git:
            with_git = _git(repo, "init", "-q", "-b", "main") and _git(repo, "add", "-A") and _git(
                repo, "commit", "-q", "-m", "Första")
        for mutate in mutations:
            mutate(repo)
        if with_git:
            _git(repo, "add", "-A", "-f")
            _git(repo, "commit", "-q", "-m", "Ändrad")
        _count("tried")
        os.chdir(repo)
        try:
            _no_crash(run_cli("check"), 0, 1, 2)
            built = run_cli("build", "--format", "md")
            _no_crash(built, 0, 1, 2)
            _count("built" if built.code == 0 else "refused")
            for spec in sorted((repo / "specs").glob("*")) if (repo / "specs").is_dir() else []:
                _no_crash(run_cli("textconv", spec), 0, 1, 2)  # 1, 2: avtal.toml is wrong
            if with_git:
                _count("git")
                _no_crash(run_cli("diff", "--git", "HEAD~1", "--format", "markdown"), 0, 1, 2)
        finally:
            os.chdir(here)
        _nothing_leaked(repo)
        assert not (repo.parent / "utfort").exists(), "en mall körde kod"
