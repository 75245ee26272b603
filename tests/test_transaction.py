"""Build output as a transaction per spec: all old or all new, never a mix; what the
manifest no longer lists is gone; a broken manifest, a symbolic link or a full disk is
handled, not a crash; a build killed at random points leaves consistent folders."""

from __future__ import annotations

import errno
import hashlib
import json
import os
import random
import signal
import subprocess
import sys
import time
import zipfile
from pathlib import Path

import pytest
from buildkit import FIXTURE, ROOT, run_cli

from generator import build, transaction

SPEC_ID = "mini-maria-2026"
TITLE = "title: Avtal om avtalssamverkan kring mottagning för unga med missbruk"


def _spec(folder: Path, title: str = "Avtal om", name: str = "spec.yaml") -> Path:
    spec = folder / name
    spec.write_text(
        FIXTURE.read_text(encoding="utf-8").replace("title: Avtal om", f"title: {title}", 1),
        encoding="utf-8",
    )
    return spec


def _files(root: Path) -> set[str]:
    return {p.relative_to(root).as_posix() for p in root.rglob("*") if p.is_file()}


def _consistent(folder: Path) -> None:
    """Every file the manifest lists is there with its hash, and nothing else is."""
    manifest = json.loads((folder / "manifest.json").read_text(encoding="utf-8"))
    prefix = folder.name + "/"
    listed = {
        rel.removeprefix(prefix): record["sha256"]
        for rel, record in manifest["outputs"].items()
        if "sha256" in record
    }
    assert _files(folder) == {*listed, "manifest.json"}
    for rel, digest in listed.items():
        assert hashlib.sha256((folder / rel).read_bytes()).hexdigest() == digest, rel


def test_outputs_the_new_manifest_does_not_list_are_removed(tmp_path: Path) -> None:
    out = tmp_path / "out"
    spec = _spec(tmp_path)
    assert run_cli("build", "--format", "md,docx", "--out", out, spec).code == 0
    assert (out / SPEC_ID / "avtal.docx").exists()
    assert run_cli("build", "--format", "md", "--out", out, spec).code == 0
    assert not (out / SPEC_ID / "avtal.docx").exists()
    _consistent(out / SPEC_ID)


def test_a_spec_that_starts_failing_a_rule_loses_its_old_documents(tmp_path: Path) -> None:
    out = tmp_path / "out"
    spec = _spec(tmp_path)
    assert run_cli("build", "--format", "md", "--out", out, spec).code == 0
    assert (out / SPEC_ID / "avtal.md").exists()
    # Two parties with the same organisation number break a rule, not the schema.
    text = spec.read_text(encoding="utf-8")
    spec.write_text(text.replace("org_nr: 232100-0016", "org_nr: 212000-0142"), encoding="utf-8")
    run = run_cli("build", "--format", "md", "--out", out, spec)
    assert run.code == 1
    assert not (out / SPEC_ID / "avtal.md").exists()
    assert (out / SPEC_ID / "checklista.md").exists()
    _consistent(out / SPEC_ID)


def test_files_no_manifest_wrote_are_kept(tmp_path: Path) -> None:
    out = tmp_path / "out"
    spec = _spec(tmp_path)
    assert run_cli("build", "--format", "md", "--out", out, spec).code == 0
    (out / SPEC_ID / "redline-1.0-1.1.md").write_text("redline", encoding="utf-8")
    _spec(tmp_path, "Ändrat avtal om")
    assert run_cli("build", "--format", "md", "--out", out, spec).code == 0
    assert (out / SPEC_ID / "redline-1.0-1.1.md").read_text(encoding="utf-8") == "redline"
    assert "Ändrat avtal om" in (out / SPEC_ID / "avtal.md").read_text(encoding="utf-8")


@pytest.mark.parametrize(
    "manifest", ["[]", '"text"', '{"outputs": []}', '{"outputs": {"a": 1}}', "{", "null"]
)
def test_a_manifest_of_any_shape_counts_as_empty(tmp_path: Path, manifest: str) -> None:
    out = tmp_path / "out"
    spec = _spec(tmp_path)
    assert run_cli("build", "--format", "md", "--out", out, spec).code == 0
    (out / SPEC_ID / "manifest.json").write_text(manifest, encoding="utf-8")
    run = run_cli("build", "--format", "md", "--out", out, spec)
    assert run.code == 0, run.stderr
    assert "internt fel" not in run.stderr
    _consistent(out / SPEC_ID)


def test_a_symlinked_output_folder_is_refused(tmp_path: Path) -> None:
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    (tmp_path / "out").symlink_to(elsewhere)
    run = run_cli("build", "--format", "md", "--out", tmp_path / "out", _spec(tmp_path))
    assert run.code == 2
    assert "är en symbolisk länk; avtal skriver inte genom länkar" in run.stderr
    assert not any(elsewhere.iterdir())


def test_a_symlinked_spec_folder_is_refused(tmp_path: Path) -> None:
    out, elsewhere = tmp_path / "out", tmp_path / "elsewhere"
    out.mkdir()
    elsewhere.mkdir()
    (out / SPEC_ID).symlink_to(elsewhere)
    run = run_cli("build", "--format", "md", "--out", out, _spec(tmp_path))
    assert run.code == 1
    assert f"utdatamappen {out / SPEC_ID} är en symbolisk länk" in run.stderr
    assert not any(elsewhere.iterdir())
    assert (out / SPEC_ID).is_symlink()


def test_a_link_no_manifest_wrote_is_not_carried(tmp_path: Path) -> None:
    """A link a pull request commits into build/<spec> would put a file of the runner
    beside the documents and into the uploaded artifact: the new folder leaves it out."""
    out, secret = tmp_path / "out", tmp_path / "hemligt.txt"
    secret.write_text("HEMLIGT\n", encoding="utf-8")
    spec = _spec(tmp_path)
    assert run_cli("build", "--format", "md", "--out", out, spec).code == 0
    (out / SPEC_ID / "lank.txt").symlink_to(secret)
    _spec(tmp_path, "Ändrat avtal om")
    assert run_cli("build", "--format", "md", "--out", out, spec).code == 0
    assert not os.path.lexists(out / SPEC_ID / "lank.txt")
    _consistent(out / SPEC_ID)


def test_a_file_where_the_spec_folder_goes_is_refused(tmp_path: Path) -> None:
    out = tmp_path / "out"
    out.mkdir()
    (out / SPEC_ID).write_text("planterad", encoding="utf-8")
    run = run_cli("build", "--format", "md", "--out", out, _spec(tmp_path))
    assert run.code == 1
    assert f"utdatamappen {out / SPEC_ID} är ingen mapp utan en fil" in run.stderr
    assert (out / SPEC_ID).read_text(encoding="utf-8") == "planterad"
    assert not [p for p in out.iterdir() if ".avtal-" in p.name]  # no staging left


@pytest.mark.parametrize(
    ("code", "reason"),
    [(errno.EROFS, "filsystemet är skrivskyddat"), (errno.ENOSPC, "disken är full")],
)
def test_a_disk_that_cannot_be_written_is_an_environment_error(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, code: int, reason: str
) -> None:
    out = tmp_path / "out"

    def refuse(path: Path, data: bytes) -> None:
        raise OSError(code, os.strerror(code), str(path))

    monkeypatch.setattr(build, "write_output", refuse)
    run = run_cli("build", "--format", "md", "--out", out, _spec(tmp_path))
    assert run.code == 2
    assert f"kan inte skriva {out}" in run.stderr
    assert reason in run.stderr
    assert "internt fel" not in run.stderr + run.stdout
    assert not (out / SPEC_ID).exists()


def test_a_redline_on_a_full_disk_is_an_environment_error(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    old, new = _spec(tmp_path, name="old.yaml"), _spec(tmp_path, "Ändrat avtal om", "new.yaml")
    new.write_text(new.read_text(encoding="utf-8").replace('version: "1.0"', 'version: "1.1"'))

    def full(path: Path, data: bytes) -> None:
        raise OSError(errno.ENOSPC, "No space left on device", str(path))

    monkeypatch.setattr(build, "write_atomic", full)
    run = run_cli("diff", "--redline", "--out", tmp_path / "out", old, new)
    assert run.code == 2
    assert f"kunde inte skrivas: kan inte skriva {tmp_path / 'out'}" in run.stderr
    assert "disken är full" in run.stderr
    assert str(new) in run.stdout  # the change list is printed all the same
    assert "Traceback" not in run.stderr


def test_a_build_stopped_between_the_renames_is_repaired(tmp_path: Path) -> None:
    out = tmp_path / "out"
    spec = _spec(tmp_path)
    assert run_cli("build", "--format", "md", "--out", out, spec).code == 0
    before = _files(out / SPEC_ID)
    # What two renames leave when the process dies between them (pid 1 never builds).
    stopped = out / f".{SPEC_ID}.avtal-gammal-999999999-0a0a"
    (out / SPEC_ID).rename(stopped)
    transaction.recover(out)
    assert _files(out / SPEC_ID) == before
    assert not stopped.exists()


# --------------------------------------------------------------------------- kill test

KILLS = 4


def _children(pid: int) -> set[int]:
    found: set[int] = set()
    for task in Path(f"/proc/{pid}/task").glob("*"):
        try:
            with open(task / "children", encoding="ascii") as listing:
                found |= {int(p) for p in listing.read().split()}
        except FileNotFoundError:
            continue  # a thread that ended between the listing and the read
    return found


def _gone(pids: set[int], seconds: float = 60) -> bool:
    end = time.monotonic() + seconds
    while time.monotonic() < end:
        if not [p for p in pids if Path(f"/proc/{p}").exists() and _running(p)]:
            return True
        time.sleep(0.2)
    return False


def _running(pid: int) -> bool:
    try:
        state = Path(f"/proc/{pid}/stat").read_text(encoding="ascii").rsplit(")", 1)[1].split()
    except OSError:
        return False
    return state[0] != "Z"


@pytest.mark.skipif(not Path("/proc/self/task").exists(), reason="needs Linux /proc")
def test_a_build_killed_at_random_points_leaves_all_old_or_all_new(tmp_path: Path) -> None:
    specs = [tmp_path / f"s{i}.yaml" for i in range(3)]
    out = tmp_path / "out"

    def write(version: int) -> None:
        text = FIXTURE.read_text(encoding="utf-8")
        for i, spec in enumerate(specs):
            spec.write_text(
                text.replace(f"id: {SPEC_ID}", f"id: spec-{i}", 1).replace(
                    "title: Avtal om", f"title: Version {version} av avtal om", 1
                ),
                encoding="utf-8",
            )

    command = [sys.executable, "-m", "generator", "build", "--format", "md,docx", "--out"]
    command += [str(out), *map(str, specs)]
    environment = {**os.environ, "PYTHONPATH": str(ROOT)}
    write(0)
    started = time.monotonic()
    subprocess.run(command, cwd=tmp_path, env=environment, capture_output=True, check=True)
    whole = time.monotonic() - started
    chance = random.Random(17)
    for version in range(1, KILLS + 1):
        write(version)
        process = subprocess.Popen(
            command,
            cwd=tmp_path,
            env=environment,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        time.sleep(chance.uniform(0.2, whole))
        children = _children(process.pid)
        process.send_signal(signal.SIGKILL)
        process.wait()
        assert _gone(children), "a converter outlived the killed build"
        for i in range(len(specs)):
            folder = out / f"spec-{i}"
            _consistent(folder)
            versions = set()
            for md in folder.rglob("*.md"):
                text = md.read_text(encoding="utf-8")
                versions |= {v for v in range(version + 1) if f"Version {v} av avtal" in text}
            for docx in folder.rglob("*.docx"):
                xml = zipfile.ZipFile(docx).read("word/document.xml").decode()
                versions |= {v for v in range(version + 1) if f"Version {v} av avtal" in xml}
            assert len(versions) == 1, (folder, versions)
    # The next build finishes what the killed ones left and cleans up after them.
    subprocess.run(command, cwd=tmp_path, env=environment, capture_output=True, check=True)
    assert sorted(p.name for p in out.iterdir()) == [
        build.OVERVIEW_RECORD, "index.html", "spec-0", "spec-1", "spec-2"
    ]
