"""Markdown fields are content: no images, metadata, sections, divs, spans or links
other than web and e-mail addresses (every other spec text is escaped by render).

The check reads each field with pandoc (templates/fields.lua), so it sees what pandoc
sees; each finding becomes an error at the field's place in the spec.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterable, Iterator
from functools import lru_cache
from typing import Any

from . import convert
from .errors import Issue
from .load import Spec, walk
from .model import is_markdown

_MESSAGES = {
    "image": (
        "bilden ”{detail}” kan inte tas med: ett textfält får bara innehålla text. Beskriv "
        "bilden i ord, eller lägg den som bilaga"
    ),
    "meta": (
        "ett metadatablock (rader mellan --- och ---, här med fältet ”{detail}”) kan inte stå "
        "i ett textfält; ta bort det eller skriv --- som ***"
    ),
    "header": (
        "rubriken ”{detail}” kan inte stå i ett textfält: avtalets avsnitt och rubriker kommer "
        "från mallen. Ta bort # eller understrykningen, eller lägg texten i ett eget tillägg "
        "med heading:"
    ),
    "div": "ett block med ::: kan inte stå i ett textfält; ta bort raderna med :::",
    "span": (
        "texten ”{detail}” inom [ ] följd av {{…}} kan inte stå i ett textfält; ta bort {{…}} "
        "efter hakparentesen"
    ),
    "attributes": "länken ”{detail}” får inte ha {{…}} efter sig; ta bort det",
    "link": (
        "länken till ”{detail}” kan inte tas med: bara adresser som börjar med https://, "
        "http:// eller mailto: är tillåtna"
    ),
    "definition": (
        "länkdefinitionen ”{detail}” kan inte stå i ett textfält; skriv adressen direkt i "
        "länken: [text](https://…)"
    ),
    "raw": "rå kod ({detail}) kan inte stå i ett textfält; skriv vanlig text",
    "open": (
        "ett kodblock (``` eller ~~~) avslutas aldrig i texten, så det skulle ta med sig "
        "resten av avtalet; lägg till den avslutande raden eller ta bort den inledande"
    ),
    "complex": (
        "texten kunde inte läsas inom {seconds} sekunder; den har troligen många öppna [, < "
        "eller > i följd. Förenkla texten"
    ),
    "error": "texten kunde inte läsas som Markdown: {detail}",
}


# Fingerprints of Markdown fields pandoc found nothing wrong in: this process's, and
# those a build read back from its manifests (see `fingerprint`).
_CLEAN: set[str] = set()


def check(spec: Spec) -> list[Issue]:
    """An error for everything a Markdown field holds that it must not."""
    fields = list(_markdown_fields(spec.data))
    texts = tuple(text for _, text in fields)
    if not texts or _fingerprint(texts) in _CLEAN:
        return []  # no pandoc to start: these very texts were found clean before
    unique = tuple(dict.fromkeys(texts))  # a hub's parties share most of their texts
    findings = dict(zip(unique, _findings(unique), strict=False))  # a failure ends the check
    if len(findings) == len(unique) and not any(findings.values()):
        _CLEAN.add(_fingerprint(texts))
    issues: list[Issue] = []
    for pointer, text in fields:
        found = findings.get(text, [])
        for finding in dict.fromkeys((f.get("kind", "error"), f.get("detail", "")) for f in found):
            issues.append(Issue(spec.locate(pointer), _message(*finding), code="form"))
    return issues


def fingerprint(spec: Spec) -> str | None:
    """The fingerprint of a spec's Markdown fields when they were checked and found
    clean (a build records it in the spec's manifest), else None.

    It hashes the texts, the check script and the pandoc that read them, so a changed
    field (in the spec or a party file), script or pandoc checks again."""
    texts = tuple(text for _, text in _markdown_fields(spec.data))
    found = _fingerprint(texts)
    return found if found in _CLEAN else None


def remember(fingerprints: Iterable[str]) -> None:
    """Fields with these fingerprints were found clean (by an earlier build)."""
    _CLEAN.update(fingerprints)


def forget() -> None:
    """Check every field again (as a new process would)."""
    _CLEAN.clear()
    _findings.cache_clear()


def _fingerprint(texts: tuple[str, ...]) -> str:
    digest = hashlib.sha256(convert.FIELDS_SCRIPT.read_bytes())
    digest.update(json.dumps(convert.tool_versions(), sort_keys=True).encode())
    digest.update(convert.MARKDOWN.encode())
    digest.update(json.dumps(texts, ensure_ascii=False).encode())
    return digest.hexdigest()


@lru_cache(maxsize=256)
def _findings(texts: tuple[str, ...]) -> list[list[dict[str, str]]]:
    return convert.markdown_findings(texts)


def _message(kind: str, detail: str) -> str:
    shown = " ".join(detail.split())
    shown = shown if len(shown) <= 60 else shown[:57] + "…"
    template = _MESSAGES.get(kind, _MESSAGES["error"])
    return template.format(detail=shown, seconds=convert.FIELDS_TIMEOUT)


def _markdown_fields(data: Any) -> Iterator[tuple[str, str]]:
    for pointer, value in walk(data):
        if isinstance(value, str) and is_markdown(pointer):
            yield pointer, value
