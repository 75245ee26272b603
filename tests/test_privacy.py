"""Personnummer in any spelling are found in every text avtal reads, and the numbers a
spec is full of (organisation and phone numbers, dates, diarienummer, amounts) are not
taken for one."""

from __future__ import annotations

import random
import re
from pathlib import Path

import pytest
from buildkit import FIXTURE, run_cli

from generator.privacy import find, has_personnummer, luhn_ok

BASE = FIXTURE.read_text(encoding="utf-8")
DNR = "diarienummer: SN 2025/1187"
DNR_LINE = BASE.splitlines().index(DNR) + 1
# Skatteverket's test number 19121212-1212; 121272-0005 is a samordningsnummer (day 12 + 60).
FOUND = [
    "121212.1212",
    "121212/1212",
    "121212_1212",
    "121212:1212",
    "121212\u20111212",  # non-breaking hyphen
    "1 2 1 2 1 2 - 1 2 1 2",
    "12 12 12-1212",
    "12 12 12 12 12",
    "121212 -\n 1212",
    "121212-\n1212",
    "1212\n12-1212",
    "121212\\-1212",  # a Markdown escape
    "121212&#45;1212",
    "121212&#x2d;1212",
    "121212&ndash;1212",
    "&#49;21212-1212",
    "121212&nbsp;1212",
    "1212&#8203;12-1212",
    "121212&shy;-1212",
    "1212<!-- -->12-1212",
    "1212<b>12</b>-1212",
    "1212*12*-1212",
    "`121212`-1212",
    "121212\u202e-1212",  # a bidi control
    "\u0661\u0662\u0661\u0662\u0661\u0662-\u0661\u0662\u0661\u0662",  # Arabic-Indic digits
    "121272-0005",
    "19121272-0005",
    "191212720005",
    "191212121212",
    "19 12 12 12-12 12",
    "Kontakt: 121212-1212.",
]
NOT_FOUND = [
    "212000-0142",  # an organisation number: its month is 20 or more
    "556036-0793",
    "08-508 252 94",
    "070-123 45 67",
    "0701234567",
    "+46 70 121 21 21",
    "0171-62 10 00",
    "2026-01-01 1212",
    "2026-01-01\n\n1212",
    "121212\n\n1212",  # a paragraph between
    "1 250 000 kronor",
    "1 212 121 212 kr",
    "1212121212",  # ten bare digits: as likely a phone number
    "SN 2025/1187",
    "KS 2024/1212-12",
    "2025-121212-1212",  # part of a longer number
    "121212-12121",
    "121212-1212-5",
    "kl. 08.00-12.00",
    "SE45 5000 0000 0583 9825 7466",
    "Box 44, 104 20 Stockholm",
    "121213-1212",  # wrong check digit
    "121312-1212",  # no 13th month
]


@pytest.mark.parametrize("written", FOUND)
def test_a_personnummer_in_any_spelling_is_found(written: str) -> None:
    assert has_personnummer(f"Se {written} här")


@pytest.mark.parametrize("written", NOT_FOUND)
def test_numbers_that_are_no_personnummer_pass(written: str) -> None:
    assert not has_personnummer(f"Se {written} här")


@pytest.mark.parametrize(
    "shape",
    [
        "07{1}-{3} {2} {2}", "07{2}-{2} {2} {2}", "07{1} {3} {2} {2}", "07{8}",
        "08-{3} {3} {2}", "08-{2} {2} {2}", "0{2}-{3} {2} {2}", "0{3}-{2} {2} {2}", "0{3}-{6}",
        "+46 7{1} {3} {2} {2}",
        "{1} {3} {3} {3} kr", "{10}", "KS 20{2}/{4}", "20{2}-{6}", "2026-{2}-{2} {2}:{2}",
        "Box {4}, {3} {2} Stockholm", "2{1}{1:2-9}{3}-{4}",
    ],
)
def test_phone_numbers_amounts_and_references_raise_no_false_alarm(shape: str) -> None:
    """Two thousand random numbers of each everyday shape: none is taken for a
    personnummer (an organisation number's third digit is 2 or more)."""
    rng = random.Random(shape)

    def digits(spec: str) -> str:
        count, _, allowed = spec.partition(":")
        pool = "0123456789" if not allowed else "".join(
            str(d) for d in range(int(allowed[0]), int(allowed[2]) + 1))
        return "".join(rng.choice(pool) for _ in range(int(count)))

    for _ in range(2000):
        text = re.sub(r"\{([^}]+)\}", lambda m: digits(m.group(1)), shape)
        assert not has_personnummer(text), text


def test_a_number_is_located_at_its_line_and_column() -> None:
    found = list(find("Rad ett\nKontakt 12 12 12-\n1212 och 191212121212"))
    assert [(f.line, f.column) for f in found] == [(2, 9), (3, 10)]


def test_luhn() -> None:
    assert luhn_ok("1212121212") and not luhn_ok("1212121213")


def _check(tmp_path: Path, text: str, name: str = "spec.yaml") -> tuple[int, str]:
    spec = tmp_path / name
    spec.write_text(text, encoding="utf-8")
    run = run_cli("check", spec)
    return run.code, run.stdout + run.stderr


@pytest.mark.parametrize("written", ["121212&#45;1212", "12 12 12-1212", "121272-0005"])
def test_a_spec_value_in_disguise_is_an_error(tmp_path: Path, written: str) -> None:
    code, out = _check(tmp_path, BASE.replace(DNR, f'{DNR} {written}', 1))
    assert code == 1
    assert f"spec.yaml:{DNR_LINE}:15: /diarienummer: texten innehåller något som ser ut" in out


def test_a_number_split_over_two_comment_lines_is_found(tmp_path: Path) -> None:
    code, out = _check(tmp_path, BASE.replace(DNR, f"{DNR}  # handläggare 121212-\n# 1212", 1))
    assert code == 1
    assert f"spec.yaml:{DNR_LINE}:43: kommentaren innehåller något som ser ut" in out


def test_a_field_name_is_scanned(tmp_path: Path) -> None:
    code, out = _check(tmp_path, BASE.replace(DNR, f'{DNR}\n"121212-1212": x', 1))
    assert code == 1
    assert "innehåller något som ser ut som ett personnummer" in out


def test_a_file_name_is_scanned(tmp_path: Path) -> None:
    code, out = _check(tmp_path, BASE, name="avtal-19121212-1212.yaml")
    assert code == 1
    assert "avtal-19121212-1212.yaml: filnamnet innehåller något som ser ut som ett " in out


def test_a_party_file_comment_is_scanned(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    (tmp_path / "specs").mkdir()
    (tmp_path / "parties").mkdir()
    party = Path(__file__).parent.parent / "parties" / "norrstrom.yaml"
    text = party.read_text(encoding="utf-8").replace("\nname:", "\n# kontakt 121212-1212\nname:", 1)
    (tmp_path / "parties" / "norrstrom.yaml").write_text(text, encoding="utf-8")
    (tmp_path / "parties" / "fjallviken.yaml").write_text(
        (party.parent / "fjallviken.yaml").read_text(encoding="utf-8"), encoding="utf-8")
    spec = Path(__file__).parent.parent / "specs" / "familjebehandling-norrstrom-fjallviken.yaml"
    target = tmp_path / "specs" / spec.name
    target.write_text(spec.read_text(encoding="utf-8"), encoding="utf-8")
    monkeypatch.chdir(tmp_path)  # the repository: its parties/ is the registry
    run = run_cli("check", "specs/" + spec.name)
    assert run.code == 1
    line = text.splitlines().index("# kontakt 121212-1212") + 1
    assert f"parties/norrstrom.yaml:{line}:11: kommentaren innehåller något" in run.stdout
