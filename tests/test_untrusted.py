"""Specs from untrusted pull requests: numbers mean what they say, no hidden characters,
no personnummer in any disguise, bounded work, and only regular files are read."""

from __future__ import annotations

import io
import json
import os
import signal
import zipfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import cmarkgfm
import pytest
from buildkit import FIXTURE, run_cli
from cmarkgfm.cmark import Options
from test_git import FAM, avtal, commit, load, make_repo, save

from generator import convert
from generator.consistency import has_personnummer
from generator.diff import word_diff

BASE = FIXTURE.read_text(encoding="utf-8")
PAYMENT = "    payment_days: 30\n"
PAYMENT_LINE = BASE.splitlines(keepends=True).index(PAYMENT) + 1


@contextmanager
def no_hang(seconds: int = 90) -> Iterator[None]:
    """Fail (rather than hang the suite) when the block runs far longer than it should."""

    def stop(signum: int, frame: object) -> None:
        raise AssertionError(f"hängde sig i mer än {seconds} sekunder")

    previous = signal.signal(signal.SIGALRM, stop)
    signal.alarm(seconds)
    try:
        yield
    finally:
        signal.alarm(0)
        signal.signal(signal.SIGALRM, previous)


def _check(tmp_path: Path, text: str, name: str = "spec.yaml") -> tuple[int, str]:
    spec = tmp_path / name
    spec.write_text(text, encoding="utf-8")
    run = run_cli("check", spec)
    return run.code, run.stdout + run.stderr


# --------------------------------------------------------------------------- numbers


@pytest.mark.parametrize("written", ["030", "1:30", "0x10", "0o30", "1_0", "3e1", "+30", '"30"'])
def test_a_yaml_1_1_number_is_an_error_where_a_number_is_meant(
    tmp_path: Path, written: str
) -> None:
    code, out = _check(tmp_path, BASE.replace(PAYMENT, f"    payment_days: {written}\n"))
    assert code == 1
    assert (
        f"spec.yaml:{PAYMENT_LINE}:19: /economics/invoicing/payment_days: ska vara ett heltal"
        in out
    )
    assert "siffrorna 0–9" in out


def test_a_tagged_octal_number_is_an_error(tmp_path: Path) -> None:
    code, out = _check(tmp_path, BASE.replace(PAYMENT, "    payment_days: !!int 030\n"))
    assert code == 1
    assert f"spec.yaml:{PAYMENT_LINE}:19: /economics/invoicing/payment_days: värdet ”030”" in out


def test_a_float_is_not_a_whole_number(tmp_path: Path) -> None:
    code, out = _check(tmp_path, BASE.replace(PAYMENT, "    payment_days: 30.0\n"))
    assert code == 1
    assert "payment_days: ska vara ett heltal, inte 30.0; skriv talet utan decimaler" in out


def test_a_number_like_word_in_a_text_field_stays_as_written(tmp_path: Path) -> None:
    text = BASE.replace("diarienummer: SN 2025/1187", "diarienummer: 0x10")
    spec = tmp_path / "spec.yaml"
    spec.write_text(text, encoding="utf-8")
    run = run_cli("build", "--format", "md", "--out", tmp_path / "out", spec)
    assert run.code == 0, run.stderr
    assert "0x10" in (tmp_path / "out" / "mini-maria-2026" / "avtal.md").read_text("utf-8")


def test_a_huge_number_is_a_located_error(tmp_path: Path) -> None:
    code, out = _check(tmp_path, BASE.replace(PAYMENT, "    payment_days: 100000000000000000000\n"))
    assert code == 1
    assert f"spec.yaml:{PAYMENT_LINE}:19: /economics/invoicing/payment_days: ska vara högst" in out


# --------------------------------------------------------------------------- characters


@pytest.mark.parametrize(("name", "said"), [
    ("St\u043eckholms stad", "ordet ”St\u043eckholms” blandar latinska bokstäver med "
                             "kyrilliska (U+043E)"),
    ("Stockholms st\u03b1d", "ordet ”st\u03b1d” blandar latinska bokstäver med grekiska "
                             "(U+03B1)"),
])
def test_a_word_of_mixed_scripts_is_refused_with_its_line(
    tmp_path: Path, name: str, said: str
) -> None:
    """Two parties could look identical: ”Stоckholms stad” with a Cyrillic о is another
    name that no reader tells from the real one."""
    line = "    name: Stockholms stad\n"
    assert line in BASE
    number = BASE.splitlines(keepends=True).index(line) + 1
    code, out = _check(tmp_path, BASE.replace(line, f"    name: {name}\n", 1))
    assert code == 1
    assert f"spec.yaml:{number}:11: /parties/0/name: {said}" in out, out


def test_words_in_one_script_each_pass(tmp_path: Path) -> None:
    text = BASE.replace("diarienummer: SN 2025/1187", "diarienummer: SN 2025/1187 (Москва α-β)")
    code, out = _check(tmp_path, text)
    assert code == 0, out
    assert "blandar" not in out, out


@pytest.mark.parametrize(
    ("written", "shown"),
    [
        ("\u2028", "U+2028 (radavgränsare)"),
        ("\u2029", "U+2029 (styckeavgränsare)"),
        ("\x85", "U+0085 (styrtecken)"),
        ("\\u2028", "U+2028 (radavgränsare)"),
        ("\\x01", "U+0001 (styrtecken)"),
        ("\\ud800", "U+D800 (halvt surrogatpar)"),
        ("\\x7f", "U+007F (styrtecken)"),
        # What hides text from a reader, and smuggles it to an AI reviewer.
        ("\u200b", "U+200B (osynligt tecken, som kan dölja text)"),
        ("\u00ad", "U+00AD (osynligt tecken, som kan dölja text)"),
        ("\U000e0049", "U+E0049 (osynligt tecken, som kan dölja text)"),
        ("\\U000E0020", "U+E0020 (osynligt tecken, som kan dölja text)"),
        ("\ufe0f", "U+FE0F (osynligt tecken, som kan dölja text)"),
        # the rest of Unicode's default-ignorable code points
        ("\U0001bca1", "U+1BCA1 (osynligt tecken, som kan dölja text)"),
        ("\ufff3", "U+FFF3 (osynligt tecken, som kan dölja text)"),
        ("\U000e0080", "U+E0080 (osynligt tecken, som kan dölja text)"),
        ("\U000e0fff", "U+E0FFF (osynligt tecken, som kan dölja text)"),
    ],
)
def test_hidden_characters_are_refused_with_their_line(
    tmp_path: Path, written: str, shown: str
) -> None:
    line = "diarienummer: SN 2025/1187\n"
    number = BASE.splitlines(keepends=True).index(line) + 1
    code, out = _check(tmp_path, BASE.replace(line, f'diarienummer: "SN {written}2025"\n'))
    assert code == 1
    assert f"spec.yaml:{number}:" in out
    assert f"texten innehåller det osynliga tecknet {shown}" in out
    assert "Traceback" not in out


# --------------------------------------------------------------------------- personnummer


# Skatteverket's test number 19121212-1212 passes the check digit.
@pytest.mark.parametrize(
    "written",
    [
        "121212-1212",
        "19121212-1212",
        "121212\u20131212",  # en dash
        "121212\u22121212",  # minus sign
        "121212 1212",
        "121212\u00a01212",  # no-break space
        "１２１２１２-１２１２",  # full-width digits
        "19121212 - 1212",
    ],
)
def test_a_personnummer_in_disguise_is_found(tmp_path: Path, written: str) -> None:
    assert has_personnummer(f"Kontakt {written}.")
    text = BASE.replace("diarienummer: SN 2025/1187", f'diarienummer: "SN 2025/1187 {written}"')
    code, out = _check(tmp_path, text)
    assert code == 1
    assert "ser ut som ett personnummer" in out


@pytest.mark.parametrize(
    "text", ["212000-0142", "08-508 252 94", "2026-01-01 1212", "1 250 000 kronor", "1212121212"]
)
def test_numbers_that_are_not_personnummer_pass(text: str) -> None:
    assert not has_personnummer(text)


def test_a_personnummer_in_a_comment_is_found(tmp_path: Path) -> None:
    line = "diarienummer: SN 2025/1187\n"
    number = BASE.splitlines(keepends=True).index(line) + 1
    code, out = _check(
        tmp_path, BASE.replace(line, "diarienummer: SN 2025/1187  # handläggare 121212-1212\n")
    )
    assert code == 1
    assert (
        f"spec.yaml:{number}:43: kommentaren innehåller något som ser ut som ett personnummer"
        in out
    )


# --------------------------------------------------------------------------- ids


@pytest.mark.parametrize("written", ["con", "nul", "com1", "lpt9", "aux"])
def test_an_id_windows_cannot_create_is_refused(tmp_path: Path, written: str) -> None:
    code, out = _check(tmp_path, BASE.replace("id: mini-maria-2026", f"id: {written}", 1))
    assert code == 1
    assert f"spec.yaml:4:5: /id: id ”{written}” kan inte användas som mappnamn" in out


def test_an_id_with_a_trailing_line_feed_is_refused(tmp_path: Path) -> None:
    code, out = _check(tmp_path, BASE.replace("id: mini-maria-2026", 'id: "mini-maria-2026\\n"', 1))
    assert code == 1
    assert "spec.yaml:4:5: /id: ”mini-maria-2026\\n” har fel form" in out


# --------------------------------------------------------------------------- bounds


def test_a_long_mixed_list_is_bounded_not_quadratic(tmp_path: Path) -> None:
    items = ", ".join(["1", '"a"', "true", "2.5"] * 23_750)
    text = BASE.replace("roles: [uppdragstagare, huvudman]", f"roles: [{items}]", 1)
    with no_hang():
        code, out = _check(tmp_path, text)
    assert code == 1
    assert "/parties/0/roles: listan får ha högst 1\u00a0000 punkter, inte 95\u00a0000" in out


def test_a_long_text_is_a_located_error(tmp_path: Path) -> None:
    text = BASE.replace("diarienummer: SN 2025/1187", f"diarienummer: {'x' * 30_000}")
    code, out = _check(tmp_path, text)
    assert code == 1
    assert (
        "spec.yaml:9:15: /diarienummer: får vara högst 20\u00a0000 tecken, inte 30\u00a0000" in out
    )


def test_a_spec_linked_to_a_device_is_not_read(tmp_path: Path) -> None:
    link = tmp_path / "zero.yaml"
    link.symlink_to("/dev/zero")
    with no_hang():
        run = run_cli("check", link)
    assert run.code == 1
    assert f"{link}: är ingen vanlig fil" in run.stdout


def test_a_fifo_is_not_waited_on(tmp_path: Path) -> None:
    fifo = tmp_path / "fifo.yaml"
    os.mkfifo(fifo)
    with no_hang():
        run = run_cli("check", fifo)
    assert run.code == 1
    assert f"{fifo}: är ingen vanlig fil" in run.stdout


def test_textconv_and_diff_read_only_regular_files(tmp_path: Path) -> None:
    link = tmp_path / "zero.yaml"
    link.symlink_to("/dev/zero")
    with no_hang():
        textconv = run_cli("textconv", link)
        diff = run_cli("diff", FIXTURE, link)
    assert "är ingen vanlig fil" in textconv.stderr
    assert diff.code == 1
    assert "är ingen vanlig fil" in diff.stderr


# --------------------------------------------------------------------------- Markdown fields


def _with_clause(text: str) -> str:
    return (
        BASE
        + "additional_clauses:\n  - id: tillagg\n    heading: Tillägg\n    after: parter\n"
        + f"    text: {json.dumps(text, ensure_ascii=False)}\n"
    )


CLAUSE_LINE = len(BASE.splitlines()) + 5


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("Se ![x](/etc/passwd) här.", "bilden ”/etc/passwd” kan inte tas med"),
        ("Se ![x](http://example.com/a.png).", "bilden ”http://example.com/a.png”"),
        ("---\nsubtitle: Falsk\n---\n\nText.", "ett metadatablock (rader mellan --- och ---"),
        ("# § 1 Ny paragraf", "rubriken ”§ 1 Ny paragraf” kan inte stå i ett textfält"),
        ("Rubrik\n======\n\nText.", "rubriken ”Rubrik” kan inte stå i ett textfält"),
        ("::: signatures\n::: signature\nX\n:::\n:::", "ett block med ::: kan inte stå"),
        ("Text\n\n:::", "ett block med ::: kan inte stå"),
        ("[borta]{.deletion author=X}", "texten ”borta” inom [ ] följd av {…}"),
        ("[k](javascript:alert(1))", "länken till ”javascript:alert(1)” kan inte tas med"),
        ("<javascript:alert(1)>", "länken till ”javascript:alert(1)” kan inte tas med"),
        ("[k](file:///etc/passwd)", "länken till ”file:///etc/passwd” kan inte tas med"),
        ("[k]\n\n[k]: /etc/passwd", "länken till ”/etc/passwd” kan inte tas med"),
        ("[k]: javascript:x", "länkdefinitionen ”[k]: javascript:x”"),
        ("[k](https://a.se){.x}", "länken ”k” får inte ha {…} efter sig"),
        ("```\nkod utan slut", "ett kodblock (``` eller ~~~) avslutas aldrig"),
    ],
)
def test_a_markdown_field_holds_content_only(tmp_path: Path, text: str, message: str) -> None:
    code, out = _check(tmp_path, _with_clause(text))
    assert code == 1
    assert f"spec.yaml:{CLAUSE_LINE}:11: /additional_clauses/0/text: {message}" in out


def test_ordinary_markdown_passes(tmp_path: Path) -> None:
    text = (
        "Parterna ska *särskilt* beakta **barnets bästa**.\n\n- en punkt\n- en till\n\n"
        "Se [Socialstyrelsen](https://www.socialstyrelsen.se) eller skriv till "
        "<mailto:info@example.se>.\n\n```\nkod\n```"
    )
    code, out = _check(tmp_path, _with_clause(text))
    assert code == 0, out


def test_a_local_file_never_reaches_the_documents(tmp_path: Path) -> None:
    spec = tmp_path / "spec.yaml"
    spec.write_text(_with_clause("Se ![x](/etc/hostname) [x]{.deletion}."), encoding="utf-8")
    run = run_cli("build", "--format", "md,docx", "--out", tmp_path / "out", spec)
    assert run.code == 1
    assert not (tmp_path / "out" / "mini-maria-2026" / "avtal.docx").exists()


def test_documents_carry_no_image_or_active_link_from_their_text() -> None:
    markdown = "Text ![bild](/etc/hostname) [k](javascript:alert(1)) [w](https://a.se).\n"
    html = convert.to_html(markdown, epoch=0).decode()
    assert "javascript:" not in html and "<img" not in html and "/etc/hostname" not in html
    assert '<a href="https://a.se">w</a>' in html
    docx = zipfile.ZipFile(io.BytesIO(convert.to_docx(markdown, epoch=0)))
    assert not [n for n in docx.namelist() if n.startswith("word/media/")]
    assert "javascript" not in docx.read("word/_rels/document.xml.rels").decode()
    source = convert.to_typst(markdown, epoch=0)  # no letterhead: the template draws none
    assert "image(" not in source and "/etc/hostname" not in source and "javascript" not in source
    assert "Text bild k" in source


def test_unclosed_brackets_do_not_stall_the_build(tmp_path: Path) -> None:
    spec = tmp_path / "spec.yaml"
    spec.write_text(_with_clause("[a " * 25 + "\n\n" + "![a " * 25), encoding="utf-8")
    with no_hang(240):
        run = run_cli("build", "--format", "md,docx", "--out", tmp_path / "out", spec)
    assert run.code == 0, run.stderr


def test_a_field_pandoc_cannot_read_in_time_is_a_located_error(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(convert, "FIELDS_TIMEOUT", 1)
    with no_hang():
        code, out = _check(tmp_path, _with_clause("> " * 5000))
    assert code == 1
    assert (
        f"spec.yaml:{CLAUSE_LINE}:11: /additional_clauses/0/text: texten kunde inte läsas "
        "inom 1 sekunder" in out
    )


# --------------------------------------------------------------------------- git and CI


def test_diff_git_reads_file_names_with_a_ring_and_dots(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    repo = make_repo(tmp_path, FAM)
    (repo / "specs" / FAM).rename(repo / "specs" / "överenskommelse-åäö.yaml")
    commit(repo, "Nytt namn")
    data = load(repo, "överenskommelse-åäö.yaml")
    data["term"]["start"] = "2026-10-01"
    save(repo, "överenskommelse-åäö.yaml", data)
    commit(repo, "Senare start")
    run = avtal(repo, monkeypatch, "diff", "--git", "HEAD~1..HEAD", "--format", "json")
    assert run.code == 0, run.stderr
    [spec] = json.loads(run.stdout)
    assert spec["spec"] == "specs/överenskommelse-åäö.yaml"
    assert ("/term/start", "ändrad") in {(c["pointer"], c["kind"]) for c in spec["changes"]}


@pytest.mark.parametrize("rev", ["--output=/tmp/avtal-injected", "HEAD..--output=x", "-p"])
def test_a_revision_that_looks_like_an_option_is_refused(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, rev: str
) -> None:
    repo = make_repo(tmp_path, FAM)
    written = tmp_path / "injected"
    run = avtal(
        repo, monkeypatch, "diff", f"--git={rev.replace('/tmp/avtal-injected', str(written))}"
    )
    assert run.code == 1
    assert "en revision får inte börja med -" in run.stderr
    assert not written.exists()


def test_no_spec_text_becomes_a_workflow_command(tmp_path: Path) -> None:
    text = BASE.replace(
        "diarienummer: SN 2025/1187",
        'diarienummer: SN 2025/1187\n"okänt\\n::error file=x::falsk": 1\n'
        'okant2: "\\n::add-mask::hemligt"',
        1,
    )
    code, out = _check(tmp_path, text)
    assert code == 1
    assert "ett fältnamn kan inte innehålla radbrytningar" in out
    text = BASE.replace(
        "    payment_days: 30\n", '    payment_days: "30\\n::error file=x::falsk"\n'
    )
    for fmt in ("text", "github"):
        spec = tmp_path / "spec.yaml"
        spec.write_text(text, encoding="utf-8")
        run = run_cli("check", "--format", fmt, spec)
        assert run.code == 1
        ours = [line for line in run.stdout.splitlines() if line.lstrip().startswith("::")]
        assert all(line.startswith("::error file=") for line in ours)
        assert len(ours) == (1 if fmt == "github" else 0)


def test_spec_text_in_a_comment_mentions_no_one_and_links_nothing(tmp_path: Path) -> None:
    old = tmp_path / "old.yaml"
    old.write_text(BASE, encoding="utf-8")
    new = tmp_path / "new.yaml"
    hostile = "Se @kalle och #12: ![bild](https://x.se/a.png) [klicka](https://x.se) | <b>"
    new.write_text(
        BASE.replace("diarienummer: SN 2025/1187", f"diarienummer: {json.dumps(hostile)}", 1),
        encoding="utf-8",
    )
    run = run_cli("diff", "--format", "markdown", "--text", old, new)
    assert run.code == 0, run.stderr
    assert "@kalle" not in run.stdout and "#12" not in run.stdout
    assert "@\u2060kalle" in run.stdout
    assert "![" not in run.stdout and "](" not in run.stdout.replace("](http", "")
    assert "<b>" not in run.stdout
    assert "!\\[bild\\](https\u2060://x.se/a.png)" in run.stdout


def test_bare_urls_in_spec_text_are_no_links_on_github(tmp_path: Path) -> None:
    """GitHub links http://, www. and e-mail addresses in plain text: rendered with
    GitHub's own Markdown (cmark-gfm), the comment links none of the spec's."""
    old = tmp_path / "old.yaml"
    old.write_text(BASE, encoding="utf-8")
    new = tmp_path / "new.yaml"
    hostile = (
        "Se http://x.se/a, (HTTPS://y.se) www.z.se kalle@x.se mailto:k@x.se ftp://f.se GH-12"
    )
    new.write_text(
        BASE.replace("diarienummer: SN 2025/1187", f"diarienummer: {json.dumps(hostile)}", 1)
        .replace("payment_days: 30", "payment_days: 45"),
        encoding="utf-8",
    )
    run = run_cli("diff", "--format", "markdown", "--text", old, new)
    assert run.code == 0, run.stderr
    html = cmarkgfm.github_flavored_markdown_to_html(run.stdout, options=Options.CMARK_OPT_UNSAFE)
    assert "<a " not in html, html
    assert "x.se/a" in html and "www\u2060.z.se" in html  # the text itself stays
    shown = html.replace("\u2060", "")
    assert "Se http://x.se/a, (HTTPS://y.se) www.z.se kalle@x.se mailto:k@x.se" in shown
    assert "GH\u2060-12" in html  # GitHub's own issue link, which cmark does not make


def test_diff_text_of_long_repetitive_changes_is_bounded(tmp_path: Path) -> None:
    def spec(name: str, words: str) -> Path:
        tasks = "".join(f"    - id: t{i}\n      text: {words}\n" for i in range(300))
        path = tmp_path / name
        path.write_text(BASE.replace("  included:\n", "  included:\n" + tasks, 1), "utf-8")
        return path

    old = spec("old.yaml", " ".join(["och", "att"] * 40) + ".")
    new = spec("new.yaml", " ".join(["att", "och", "den"] * 27) + ".")
    with no_hang(240):
        run = run_cli("diff", "--text", old, new)
    assert run.code == 0, run.stderr
    assert "[-och att och att" in run.stdout and "{+att och den att och den" in run.stdout


def test_a_small_change_is_still_shown_word_by_word() -> None:
    words = ["Parterna", "ska", "samråda", "varje", "år", "och", "vid", "behov"]
    changed = [*words[:4], "halvår", *words[5:]]
    runs = word_diff(" ".join(words), " ".join(changed))
    assert runs == [
        (" ", "Parterna ska samråda varje"),
        ("-", "år"),
        ("+", "halvår"),
        (" ", "och vid behov"),
    ]


@pytest.mark.parametrize(
    ("before", "after", "message"),
    [
        ("    notice_months: 6\n", "    notice_months: 20000\n", "ska vara högst 1200, inte 20000"),
        ("    payment_days: 30\n", "    payment_days: 40000\n", "ska vara högst 36500, inte 40000"),
        ("date: 2025-11-03\n", "date: 2300-01-01\n", "”2300-01-01” ligger utanför åren 1900–2199"),
    ],
)
def test_periods_and_years_beyond_any_agreement_are_located_errors(
    tmp_path: Path, before: str, after: str, message: str
) -> None:
    assert before in BASE
    code, out = _check(tmp_path, BASE.replace(before, after, 1))
    assert code == 1
    assert message in out
    assert "internt fel" not in out and "Traceback" not in out


def test_a_spec_names_at_most_400_parties() -> None:
    """A party entry can be a reference of a few bytes, and check's work grows faster than
    the number of parties: a pull request naming thousands would outlast any CI job."""
    from dataclasses import replace

    from generator.load import load_spec
    from generator.validate import schema_issues

    spec = load_spec(FIXTURE)
    parties = list(spec.data["parties"])
    many = [dict(parties[i % 2], id=f"k{i:04d}") for i in range(401)]
    said = [i.message for i in schema_issues(replace(spec, data={**spec.data, "parties": many}))]
    assert "listan får ha högst 400 punkter, inte 401" in said
    fewer = [dict(parties[i % 2], id=f"k{i:04d}") for i in range(400)]
    assert not [m for m in schema_issues(replace(spec, data={**spec.data, "parties": fewer}))
                if "högst 400" in m.message]
