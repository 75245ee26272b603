"""Sessions: tests, lint (ruff + mypy), build (the example specs), bench (speed ratios),
fuzz (generated specs)."""

from __future__ import annotations

import nox

nox.options.sessions = ["tests", "lint"]
nox.options.reuse_existing_virtualenvs = True


@nox.session(python="3.11")
def tests(session: nox.Session) -> None:
    """Run the whole test suite."""
    session.install("-e", ".[dev]")
    session.run("pytest", *session.posargs)


@nox.session(python="3.11")
def lint(session: nox.Session) -> None:
    """ruff and mypy over the package and the tests."""
    session.install("-e", ".[dev]")
    session.run("ruff", "check", "generator", "tests", "noxfile.py")
    session.run("mypy")


@nox.session(python="3.11")
def build(session: nox.Session) -> None:
    """Validate and build every example spec into build/."""
    session.install("-e", ".")
    session.run("avtal", "build", "specs")


@nox.session(python="3.11")
def bench(session: nox.Session) -> None:
    """Cold builds (one and two jobs) and the no-op rebuild of the examples, and of the
    examples plus a 300-counterparty hub, as ratios of the physical floor: one pandoc lua
    (no filter of ours) and one typst compiler converting the same Markdown; with CPU
    seconds and peak memory. Options after --: --repeat N, --per-call."""
    session.install("-e", ".")
    session.run("python", "scripts/bench.py", *session.posargs)


@nox.session(python="3.11")
def fuzz(session: nox.Session) -> None:
    """10 000 specs generated from the schema through check, build, diff and textconv,
    and 2 000 team repositories mutated as a pull request could, in seeded shards run
    side by side (scripts/fuzz.py); figures in build/fuzz/stats.json."""
    session.install("-e", ".[dev]")
    session.run("python", "scripts/fuzz.py", *session.posargs)
