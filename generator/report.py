"""Issues -> text for people, JSON for tools, annotations for GitHub Actions and Azure
Pipelines, and a Code Quality report for GitLab."""

from __future__ import annotations

import hashlib
import json
import re
from collections.abc import Sequence
from typing import TYPE_CHECKING

from .errors import Issue, Severity
from .reader import FORBIDDEN

if TYPE_CHECKING:  # the comparisons are imported by the commands that compare: a build
    # or check that only reports its issues starts without them
    from .diff import Change
    from .pipeline import Comparison

SEVERITY_WORDS = {Severity.ERROR: "fel", Severity.WARNING: "varning", Severity.INFO: "info"}
FORMATS = ("text", "json", "github", "gitlab", "azure")


def render(issues: Sequence[Issue], *, files: int, fmt: str) -> str:
    """Format all issues of a run in one of FORMATS."""
    if fmt == "json":
        return inert(as_json(issues, files=files))  # JSON escapes what inert shows
    if fmt == "github":
        return as_github(issues)
    if fmt == "gitlab":
        return inert(as_gitlab(issues))
    if fmt == "azure":
        return as_azure(issues)
    return as_text(issues, files=files)


def as_text(issues: Sequence[Issue], *, files: int) -> str:
    """One line per issue, `file:line:col: /pointer: message`, then a summary."""
    lines = [_text_line(issue) for issue in issues]
    lines.append(summary(issues, files=files))
    return inert("\n".join(lines))


# A line that starts with :: (after any white space) is a command to GitHub Actions
# when it is printed in a job's log: `::error …`, `::add-mask::`, `::stop-commands::`.
_COMMAND = re.compile(r"^(\s*):(?=:)", re.M)
# ##[error] (GitHub and Azure) and ##vso[…] (Azure, anywhere in a line) are commands too.
_HASH_COMMAND = re.compile(r"#(?=#(?:\[|vso\[))", re.I)
# What a log or a terminal reads as a line break or a control (CR ends a line for the
# runners; ESC starts ANSI codes and GitLab's section markers), and what reorders or
# hides text (bidi and other format controls; not the word joiner, which this module
# puts in to break links and commands): shown as \uXXXX.
# Everything a spec may not hold (reader.FORBIDDEN: tag characters and the like, which
# a file name can still bring) is hidden too.
_HIDDEN = re.compile(f"(?!\u2060)(?:[\x00-\x08\x0b-\x1f\x7f-\x9f]|{FORBIDDEN.pattern})")
_SHOWN = {"\n": "\\n", "\t": "\\t", "\r": "\\r"}


def visible(text: str, *, lines: bool = False) -> str:
    """Every hidden character of the text as an escape (with `lines`, also line feeds
    and tabs): what a file name or a spec value holds is seen, and starts no line."""
    def shown(found: re.Match[str]) -> str:
        char = found.group()
        code = ord(char)
        return _SHOWN.get(char) or (f"\\u{code:04x}" if code <= 0xFFFF else f"\\U{code:08x}")

    text = _HIDDEN.sub(shown, text)
    return re.sub("[\n\t]", shown, text) if lines else text


def inert(text: str) -> str:
    """Text for a CI log (GitHub, GitLab, Azure) in which nothing from a spec, a file
    name or a party file can be a workflow command, a control code or a fake line."""
    return _HASH_COMMAND.sub("#\u2060", _COMMAND.sub(r"\1: ", visible(text)))


def _text_line(issue: Issue) -> str:
    loc = issue.location
    pointer = f" {loc.pointer}:" if loc.pointer else ""
    prefix = "" if issue.severity is Severity.ERROR else f" {SEVERITY_WORDS[issue.severity]}:"
    return f"{visible(str(loc), lines=True)}:{pointer}{prefix} {_body(issue)}"


def _body(issue: Issue) -> str:
    """The message with its rule id in front and its source after, when it has them."""
    code = "" if issue.code in ("schema", "form", "load") else f"[{issue.code}] "
    source = f" (källa: {issue.source})" if issue.source else ""
    return f"{code}{issue.message}{source}"


def summary(issues: Sequence[Issue], *, files: int) -> str:
    """A closing line in Swedish: how many files, errors and warnings."""
    errors = sum(1 for i in issues if i.severity is Severity.ERROR)
    warnings = sum(1 for i in issues if i.severity is Severity.WARNING)
    bad = len({i.location.file for i in issues if i.severity is Severity.ERROR})
    checked = f"{files} {'fil kontrollerad' if files == 1 else 'filer kontrollerade'}"
    if not errors and not warnings:
        return f"{checked}: inga fel."
    return (
        f"{checked}: {errors} fel i {bad} {'fil' if bad == 1 else 'filer'}, "
        f"{warnings} {'varning' if warnings == 1 else 'varningar'}."
    )


def as_json(issues: Sequence[Issue], *, files: int) -> str:
    """A JSON document with every issue and the counts."""
    payload = {
        "files": files,
        "errors": sum(1 for i in issues if i.severity is Severity.ERROR),
        "warnings": sum(1 for i in issues if i.severity is Severity.WARNING),
        "issues": [
            {
                "file": i.location.file,
                "line": i.location.line,
                "column": i.location.column,
                "pointer": i.location.pointer,
                "severity": i.severity.value,
                "code": i.code,
                "message": i.message,
                "source": i.source,
            }
            for i in issues
        ],
    }
    return json.dumps(payload, ensure_ascii=False, indent=2)


def as_github(issues: Sequence[Issue]) -> str:
    """GitHub Actions workflow commands, one annotation per issue."""
    return "\n".join(_annotation(issue) for issue in issues)


def _annotation(issue: Issue) -> str:
    level = {Severity.ERROR: "error", Severity.WARNING: "warning"}.get(issue.severity, "notice")
    loc = issue.location
    props = f"file={inert(_escape_property(loc.file))}"
    if loc.line:
        props += f",line={loc.line},col={loc.column}"
    title = inert(_escape_property(loc.pointer or issue.code))
    return f"::{level} {props},title={title}::{inert(_escape_data(_body(issue)))}"


# GitLab's Code Quality severities: an error stops the merge, a warning is worth a look.
GITLAB_SEVERITY = {Severity.ERROR: "major", Severity.WARNING: "minor", Severity.INFO: "info"}


def as_gitlab(issues: Sequence[Issue]) -> str:
    """A GitLab Code Quality report: a JSON list with one entry per issue."""
    return json.dumps([_quality(i) for i in issues], ensure_ascii=False, indent=2)


def _quality(issue: Issue) -> dict[str, object]:
    loc = issue.location
    where = f"{loc.pointer}: " if loc.pointer else ""
    # Same issue at the same place: same fingerprint, so GitLab sees it as not new.
    key = "\0".join((loc.file, loc.pointer, issue.code, issue.message))
    return {
        "description": f"{where}{_body(issue)}",
        "check_name": issue.code,
        "fingerprint": hashlib.sha256(key.encode()).hexdigest(),
        "severity": GITLAB_SEVERITY[issue.severity],
        "location": {"path": loc.file, "lines": {"begin": max(loc.line, 1)}},
    }


def as_azure(issues: Sequence[Issue]) -> str:
    """Azure Pipelines logging commands, one task.logissue per issue (info is not one)."""
    lines = []
    for issue in issues:
        if issue.severity is Severity.INFO:
            continue
        loc = issue.location
        props = [f"type={'error' if issue.severity is Severity.ERROR else 'warning'}"]
        props.append(f"sourcepath={inert(_azure(loc.file, prop=True))}")
        if loc.line:
            props += [f"linenumber={loc.line}", f"columnnumber={loc.column}"]
        props.append(f"code={_azure(issue.code, prop=True)}")
        where = f"{loc.pointer}: " if loc.pointer else ""
        message = inert(_azure(where + _body(issue)))
        lines.append(f"##vso[task.logissue {';'.join(props)}]{message}")
    return "\n".join(lines)


def _azure(text: str, *, prop: bool = False) -> str:
    """Escape as Azure's task library does: data, and in properties also ] and ;."""
    text = text.replace("%", "%AZP25").replace("\r", "%0D").replace("\n", "%0A")
    return text.replace("]", "%5D").replace(";", "%3B") if prop else text


def _escape_data(text: str) -> str:
    return text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def _escape_property(text: str) -> str:
    return _escape_data(text).replace(":", "%3A").replace(",", "%2C")


# --- comparisons (avtal diff) ---------------------------------------------------------

MARKER = "<!-- avtal-diff -->"


def _section(comparison: Comparison, change: Change) -> str:
    number = comparison.numbers.get(change.section)
    return f"{number} {change.section}" if number else change.section


def summary_of(comparison: Comparison) -> str:
    """One line a lawyer reads first: 'Avtalstid: 24 → 36 månader; X tillagd som part'."""
    if comparison.problem:
        return f"kan inte jämföras: {comparison.problem}"
    if comparison.old is None:
        return _with_what("ny specifikation", comparison)
    if comparison.new is None:
        return _with_what("specifikationen är borttagen", comparison)
    phrases: list[str] = []
    by_section: dict[str, list[Change]] = {}
    for change in comparison.changes:
        by_section.setdefault(_section(comparison, change), []).append(change)
    for section, changes in by_section.items():
        parties = [
            c
            for c in changes
            if c.pointer.count("/") == 2
            and c.pointer.startswith("/parties/")
            and c.kind in ("tillagd", "borttagen")
        ]
        for c in parties:
            phrases.append(
                f"{c.label} {'tillagd' if c.kind == 'tillagd' else 'borttagen'} som part"
            )
        rest = [c for c in changes if c not in parties]
        if len(rest) == 1 and rest[0].kind == "ändrad" and len(rest[0].old + rest[0].new) < 80:
            phrases.append(f"{rest[0].label}: {rest[0].old} → {rest[0].new}")
        elif rest:
            changed = "ändrad" if section.startswith("§") or " och " not in section else "ändrade"
            phrases.append(f"{section} {changed}")
    return "; ".join(phrases) or "inga ändringar i sak"


def _with_what(head: str, comparison: Comparison) -> str:
    """'ny specifikation: Avtalssamverkan mellan A och B, från 1 januari 2027 …'."""
    found = dict(comparison.facts)
    if "Slag" not in found:
        return head
    what = f"{found['Slag']} mellan {found.get('Parter', '')}"
    return f"{head}: {what}, {found['Avtalstid']}" if "Avtalstid" in found else f"{head}: {what}"


def _new_agreement(comparison: Comparison) -> bool:
    return comparison.old is None and comparison.new is not None


def _approval(comparison: Comparison) -> str:
    if comparison.problem:
        return "kan inte jämföras"
    if _new_agreement(comparison):
        return "nytt avtal, kräver beslut av parternas organ"
    if comparison.new is None:
        return "specifikationen är borttagen"
    changes = comparison.changes
    need = sum(1 for c in changes if c.needs_approval)
    if not changes:
        return "inga ändringar"
    count = f"{len(changes)} {'ändring' if len(changes) == 1 else 'ändringar'}"
    if not need:
        return f"{count}, ingen kräver nytt beslut av parternas organ"
    return f"{count}, {need} kräver nytt beslut av parternas organ"


def _title(comp: Comparison) -> str:
    spec = comp.new or comp.old
    return str(spec.data.get("title", "")) if spec else ""


def _short(text: str) -> str:
    text = " ".join(text.split())
    return text if len(text) <= 90 else text[:87] + "… (se --text)"


def _what(change: Change) -> str:
    """'Telefon: 08-1 → 08-2', or just the name of what was added or removed; an
    editorial change as its changed words."""
    if change.editorial:
        return f"{change.label}: {change.words}"
    if change.kind == "tillagd" and change.old == "–" and change.new == change.label:
        return change.label
    if change.kind == "borttagen" and change.new == "–" and change.old == change.label:
        return change.label
    return f"{change.label}: {_short(change.old)} → {_short(change.new)}"


def changes_text(comparisons: Sequence[Comparison], *, with_text: bool) -> str:
    """A change list per spec, grouped by agreement section."""
    from .diff import text_changes
    from .render import join_and

    lines: list[str] = []
    for comp in comparisons:
        name = visible(comp.name, lines=True)
        if comp.renamed_from:
            name += f" (hette {visible(comp.renamed_from, lines=True)})"
        if comp.problem:
            lines.append(f"{name}: {summary_of(comp)}")
            continue
        lines.append(f"{name} ({_title(comp)}): {_approval(comp)}")
        lines.append(f"  Sammanfattning: {summary_of(comp)}")
        lines += [f"  Varning: {w}" for w in comp.warnings]
        lines += [f"  {what}: {value}" for what, value in comp.facts]
        if comp.organs:
            lines.append(f"  Beslutas på nytt av: {join_and(comp.organs)}")
        if comp.amounts:
            lines.append("  Kostnad per part (före → efter):")
            lines += [f"    {a.who}: {a.old} → {a.new}" for a in comp.amounts]
        current = None
        for change in comp.changes:
            section = _section(comp, change)
            if section != current:
                lines.append(f"  {section}")
                current = section
            flag = "  [kräver nytt beslut]" if change.needs_approval else ""
            lines.append(f"    {_kind(change)}: {_what(change)}{flag}")
        if with_text:
            for document, old, new in comp.texts:
                lines.append(f"  Text i {document}:")
                lines.extend(f"    {paragraph}" for paragraph in text_changes(old, new))
    return inert("\n".join(lines))


# GitHub refuses a comment body longer than this many characters.
COMMENT_LIMIT = 65_536


def changes_markdown(
    comparisons: Sequence[Comparison],
    *,
    with_text: bool,
    limit: int = COMMENT_LIMIT,
    details_url: str = "",
) -> str:
    """A pull-request comment: the summary first, then details folded, cut to `limit`
    characters (0: no limit) with a pointer to where the whole comparison is."""
    head = _markdown_head(comparisons)
    blocks = [b for b in (_markdown_details(c, with_text=with_text) for c in comparisons) if b]
    whole = "\n".join([head, *blocks])
    if not limit or len(whole) <= limit:
        return inert(whole)
    note = _cut_note(details_url)
    room = limit - len(head) - len(note) - 2
    kept: list[str] = []
    for block in blocks:
        if len(block) + 1 <= room:
            kept.append(block)
            room -= len(block) + 1
            continue
        cut = _cut_block(block, room)
        if cut:
            kept.append(cut)
        break
    return inert("\n".join([head, *kept, "", note]))


def _cut_note(details_url: str) -> str:
    where = f"[jobbets sammanfattning]({details_url})" if details_url else "jobbets sammanfattning"
    return (
        f"_Detaljerna är avkortade för att rymmas i en kommentar. Hela jämförelsen finns i "
        f"{where} och i artefakten avtal-build (med redlines)._"
    )


def _cut_block(block: str, room: int) -> str:
    """As many lines of a details block as fit in `room`, with the fold closed."""
    closing = "\n…\n\n</details>"
    lines: list[str] = []
    used = len(closing)
    for line in block.splitlines()[:-1]:
        if used + len(line) + 1 > room:
            break
        lines.append(line)
        used += len(line) + 1
    return "\n".join(lines) + closing if len(lines) > 2 else ""


def _markdown_head(comparisons: Sequence[Comparison]) -> str:
    from .render import join_and

    need = any(
        _new_agreement(comp) or any(c.needs_approval for c in comp.changes) for comp in comparisons
    )
    head = (
        "**Kräver nytt beslut** av parternas organ."
        if need
        else "Inga ändringar kräver nytt beslut av parternas organ."
    )
    if any(comp.old is not None and comp.new is None for comp in comparisons):
        head = "En specifikation är borttagen; bedöm om det kräver beslut av parternas organ."
        head = f"**Kräver nytt beslut** av parternas organ. {head}" if need else head
    if any(comp.problem for comp in comparisons):
        head += " **En specifikation kan inte jämföras**; felet står nedan."
    lines = [MARKER, "### Ändringar i avtalen", "", head, ""]
    for comp in comparisons:
        renamed = f" (hette {_code(comp.renamed_from)})" if comp.renamed_from else ""
        said = _md(summary_of(comp))
        lines.append(f"- **{_code(comp.name)}**{renamed}: {said}"
                     + ("" if comp.problem else f" ({_approval(comp)})"))
        lines += [f"  - :warning: {_md(w)}" for w in comp.warnings]
        if comp.organs:
            lines.append(f"  - Beslutas på nytt av: {_md(join_and(comp.organs))}")
    for comp in comparisons:
        if comp.amounts:
            lines += ["", f"Kostnad per part i {_code(comp.name)}:", ""]
            lines += ["| Part | Före | Efter |", "|---|---|---|"]
            lines += [f"| {_md(a.who)} | {_md(a.old)} | {_md(a.new)} |" for a in comp.amounts]
    return "\n".join(lines)


def _kind(change: Change) -> str:
    return f"{change.kind} (redaktionell)" if change.editorial else change.kind


def _markdown_row(comp: Comparison, change: Change) -> str:
    from .diff import sides

    old, new = sides(change.words) if change.editorial else (change.old, change.new)
    return (
        f"| {_md(_section(comp, change))} | {_kind(change)}: {_md(change.label)} | {_md(old)} | "
        f"{_md(new)} | {'ja' if change.needs_approval else 'nej'} |"
    )


def _markdown_details(comp: Comparison, *, with_text: bool) -> str:
    from .diff import text_changes

    if comp.problem:
        return ""
    lines = ["", f"<details><summary><code>{_html(comp.name)}</code>: detaljer</summary>", ""]
    if comp.old is None or comp.new is None:
        lines += ["| Uppgift | Värde |", "|---|---|"]
        lines += [f"| {_md(what)} | {_md(value)} |" for what, value in comp.facts]
    else:
        lines += [
            "| Avsnitt | Ändring | Före | Efter | Nytt beslut |",
            "|---|---|---|---|---|",
        ]
        lines += [_markdown_row(comp, c) for c in comp.changes]
    if with_text and comp.texts and comp.old is not None and comp.new is not None:
        lines += ["", "Textändringar ([-borttaget-] {+tillagt+}):", ""]
        for document, old, new in comp.texts:
            lines.append(f"- `{document}`")
            lines += [f"  - {_md(p)}" for p in text_changes(old, new)]
    lines += ["", "</details>"]
    return "\n".join(lines)


def changes_json(comparisons: Sequence[Comparison]) -> str:
    """Every change as data."""
    from .diff import text_changes

    payload = [
        {
            "spec": comp.name,
            "renamed_from": comp.renamed_from,
            "problem": comp.problem,
            "summary": summary_of(comp),
            "warnings": list(comp.warnings),
            "organs": list(comp.organs),
            "amounts": [{"who": a.who, "old": a.old, "new": a.new} for a in comp.amounts],
            "facts": [{"what": what, "value": value} for what, value in comp.facts],
            "changes": [
                {
                    "section": c.section,
                    "number": comp.numbers.get(c.section, ""),
                    "pointer": c.pointer,
                    "label": c.label,
                    "kind": c.kind,
                    "old": c.old,
                    "new": c.new,
                    "needs_approval": c.needs_approval,
                    "editorial": c.editorial,
                    "words": c.words,
                }
                for c in comp.changes
            ],
            "documents": [
                {"document": d, "paragraphs": text_changes(o, n)} for d, o, n in comp.texts
            ],
        }
        for comp in comparisons
    ]
    return inert(json.dumps(payload, ensure_ascii=False, indent=2))


# Markdown punctuation that could make spec text a link, an image, emphasis, code or
# a table cell in a comment; @ and # before a word would notify people and link issues.
_MD_PUNCTUATION = re.compile(r"([\\`*_\[\]|~])")
_NOTIFY = re.compile(r"([@#])(?=\w)")
# What GitHub turns into a link without any markup: a URL's scheme (http://, mailto:),
# www. at the start of a host name, and GH-12 (an issue). A word joiner after the
# scheme's name, www or GH keeps the text as it reads and stops the link.
_AUTOLINK = re.compile(r"(?i)(https?|ftp|mailto|xmpp)(?=:)|(www)(?=\.)|\b(gh)(?=-\d)")


def _inert(text: str) -> str:
    """No mention, issue reference or bare link in escaped comment text."""
    unlinked = _AUTOLINK.sub(lambda m: m.group(0) + "\u2060", text)
    return _NOTIFY.sub("\\1\u2060", unlinked)


def _md(text: str) -> str:
    """Spec text shown as written in a pull-request comment: never markup, a link (bare
    URLs included), an image or a mention."""
    flat = " ".join(text.split())
    escaped = _MD_PUNCTUATION.sub(r"\\\1", flat.replace("&", "&amp;").replace("<", "&lt;"))
    return _inert(escaped)


def _html(text: str) -> str:
    """Text on one line of HTML: nothing in it is a tag, a blank line or a mention."""
    flat = visible(text, lines=True)
    escaped = flat.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
    return _inert(escaped)


def _code(text: str) -> str:
    """A file name as inline code in a comment: on one line, every character as it is,
    whatever backticks it holds (the fence is longer than any run of them)."""
    flat = visible(text, lines=True)
    fence = "`" * (max((len(run) for run in re.findall("`+", flat)), default=0) + 1)
    pad = " " if flat.startswith(("`", " ")) or flat.endswith(("`", " ")) else ""
    return f"{fence}{pad}{flat}{pad}{fence}"
