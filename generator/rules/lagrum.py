"""Rules on the provisions a spec cites, checked against the index of chapters and
sections in generator/data/lagrum-index.yaml (generated from the statute texts) and the
provisions of generator/data/laws.yaml: the section exists, the subject is in the
chapter the law puts it in, and a ground is cited to the section."""

from __future__ import annotations

import re
from collections.abc import Iterator, Mapping
from typing import Any

from .. import laws, statute
from ..errors import Severity
from ..laws import law_name
from ..load import Spec, escape_pointer
from .prosa import SENTENCE_END, texts
from .registry import ALL_KINDS, Finding, rule

SOURCE = f"lagtexterna i ../shared/law/, sammanfattade i {statute.INDEX_FILE}"


def references(value: Any, pointer: str = "") -> Iterator[tuple[str, Mapping[str, Any], str]]:
    """Every legal reference in spec data ({law, sfs, chapter, section, note}), with its
    pointer and the text that says what it is for (its note, else the text beside it)."""
    if isinstance(value, Mapping):
        for key, child in value.items():
            here = f"{pointer}/{escape_pointer(key)}"
            if isinstance(child, Mapping) and "law" in child and isinstance(child["law"], str):
                yield here, child, str(child.get("note") or value.get("text") or "")
            else:
                yield from references(child, here)
    elif isinstance(value, list):
        for index, child in enumerate(value):
            here = f"{pointer}/{index}"
            if isinstance(child, Mapping) and "law" in child and isinstance(child["law"], str):
                yield here, child, str(child.get("note") or "")
            else:
                yield from references(child, here)


def law_of(ref: Mapping[str, Any]) -> laws.Law | None:
    """The registered law a reference means: by SFS number, else by an unambiguous name."""
    if "sfs" in ref:
        return laws.find(str(ref["sfs"]))
    same = laws.named(str(ref["law"]))
    return same[0] if len(same) == 1 else None


def section_of(ref: Mapping[str, Any]) -> str | None:
    """"1d" and "1 d" alike, as the index writes them."""
    if "section" not in ref:
        return None
    return re.sub(r"^(\d+) ?([a-z])$", r"\1 \2", str(ref["section"]).strip())


def _cited(ref: Mapping[str, Any], law: laws.Law) -> str:
    place = f"{ref['chapter']} kap. " if "chapter" in ref else ""
    place += f"{section_of(ref)} § " if "section" in ref else ""
    return f"{place}{law_name(law.name, law.sfs)}"


def missing(ref: Mapping[str, Any], law: laws.Law) -> str | None:
    """What is wrong with where a reference points in its law, or None."""
    known = statute.index().get(law.sfs)
    if known is None:
        return None
    chapter = str(ref["chapter"]) if "chapter" in ref else None
    section = section_of(ref)
    cited = _cited(ref, law)
    if None in known.chapters:
        if chapter is not None:
            return f"{cited}: {law.name} har inga kapitel; ange bara paragrafen"
        chapter_sections = known.chapters[None]
    elif chapter is None:
        return f"{cited}: ange kapitel, {law.name} är indelad i kapitel" if section else None
    elif chapter not in known.chapters:
        return f"{cited}: {law.name} har inget {chapter} kap. (eller så är det upphävt)"
    else:
        chapter_sections = known.chapters[chapter]
    if section is None or section in chapter_sections or not known.complete:
        return None
    where = f"{chapter} kap. " if chapter else ""
    return f"{cited}: {where}{section} § finns inte i {law.name} (eller är upphävd)"


@rule(
    "LAGRUM-FINNS",
    Severity.WARNING,
    SOURCE,
    "Ett angivet kapitel och en angiven paragraf finns i lagen",
    kinds=ALL_KINDS,
)
def provision_exists(spec: Spec) -> Iterator[Finding]:
    """A cited chapter and section exist in the law's text."""
    for pointer, ref, _ in references(spec.data):
        law = law_of(ref)
        problem = missing(ref, law) if law is not None and not _repealed(law) else None
        if problem:
            yield Finding(pointer, f"{problem}; kontrollera hänvisningen mot lagtexten")


# A citation written in prose: ”5 kap. 9 a § socialtjänstlagen”, ”9 kap. 37 § andra
# stycket kommunallagen (2017:725)”, ”6 § LVU”.
_CITATION = re.compile(
    r"(?:(?P<chapter>\d+)\s*kap\.\s*)?(?P<section>\d+(?: ?[a-z])?)\s*§"
    r"(?:\s+(?:första|andra|tredje|fjärde|femte|sjätte)\s+stycket)?(?:\s+(?:punkt\s+)?\d+)?"
    r"\s+(?:i\s+)?(?P<law>socialtjänstlagen|kommunallagen|föräldrabalken|skollagen"
    r"|hälso- och sjukvårdslagen|SoL|KL|HSL|LVU|LVM|LOU|FB|lagen)\b"
    r"(?:\s*\((?P<sfs>\d{4}:\d+)\))?",
)
_SHORT = {"SoL": "2025:400", "KL": "2017:725", "HSL": "2017:30", "LVU": "1990:52",
          "LVM": "1988:870", "LOU": "2016:1145", "FB": "1949:381"}


def _cited_law(found: re.Match[str]) -> laws.Law | None:
    """The law a prose citation means: its SFS number, its short form, else the law in
    force of that name (a text that means a repealed law says so with its number)."""
    if found["sfs"]:
        return laws.find(found["sfs"])
    if found["law"] in _SHORT:
        return laws.find(_SHORT[found["law"]])
    in_force = [law for law in laws.named(found["law"]) if law.in_force_to is None]
    return in_force[0] if len(in_force) == 1 else None


@rule(
    "LAGRUM-I-TEXT",
    Severity.WARNING,
    SOURCE,
    "Ett lagrum som en text hänvisar till finns i lagen",
    kinds=ALL_KINDS,
)
def prose_citation_exists(spec: Spec) -> Iterator[Finding]:
    """A chapter and section a text cites (a staff report's reasoning, a background) exist
    in the law's text; a section of the repealed socialtjänstlag cited as the law in force
    is the most common slip."""
    for pointer, text in texts(spec.data, ""):
        for found in _CITATION.finditer(text):
            law = _cited_law(found)
            if law is None or _repealed(law):
                continue
            ref = {"law": law.name, "section": found["section"]}
            if found["chapter"]:
                ref["chapter"] = found["chapter"]
            problem = missing(ref, law)
            if problem:
                said = problem.split(": ", 1)[-1].replace(
                    f"i {law.name}", f"i {law_name(law.name, law.sfs)}", 1)
                yield Finding(
                    pointer,
                    f"texten hänvisar till ”{found.group(0)}”, men {said}; kontrollera "
                    "hänvisningen mot lagtexten",
                )


@rule(
    "LAGRUM-I-TEXT-AMNE",
    Severity.WARNING,
    f"lagregistret {laws.DATA_FILE}",
    "Ett lagrum som en text hänvisar till handlar om det meningen säger",
    kinds=ALL_KINDS,
)
def prose_citation_subject(spec: Spec) -> Iterator[Finding]:
    """A section that exists, cited for what another one says: 9 kap. 38 § KL (the
    styrelse's yearly report) as the ground for staff deciding on another kommun's
    behalf, which is 9 kap. 37 § andra stycket."""
    mistaken = {(p.sfs, p.chapter, p.section): p
                for p in laws.provisions().values() if p.mistaken_words}
    for pointer, text in texts(spec.data, ""):
        for sentence in SENTENCE_END.split(text):
            words = sentence.casefold()
            for found in _CITATION.finditer(sentence):
                law = _cited_law(found)
                cited = mistaken.get((law.sfs if law else None, found["chapter"],
                                      found["section"]))
                said = cited and next((w for w in cited.mistaken_words if w in words), None)
                if cited is not None and said:
                    yield Finding(
                        pointer,
                        f"texten hänvisar till ”{found.group(0)}” där den talar om ”{said}”, "
                        f"men där står att {cited.about.split(' (')[0]}; det meningen säger står i "
                        f"{laws.cite(cited.mistaken_for)}",
                    )


def _repealed(law: laws.Law) -> bool:
    return law.in_force_to is not None  # reported by LAG-UPPHAVD


def subject(law_sfs: str, text: str) -> laws.Provision | None:
    """The registered provision of a law whose subject words all stand in a text."""
    words = text.casefold()
    for found in laws.provisions().values():
        if found.sfs == law_sfs and found.terms and all(t.casefold() in words for t in found.terms):
            return found
    return None


@rule(
    "LAGRUM-AMNE",
    Severity.WARNING,
    f"lagregistret {laws.DATA_FILE}",
    "Ämnet står i det kapitel där lagen reglerar det",
    kinds=ALL_KINDS,
)
def subject_in_its_chapter(spec: Spec) -> Iterator[Finding]:
    """'Socialnämndens ansvar för att fastställa faderskap' under 1 kap. föräldrabalken
    is in the wrong chapter: the duty is in 2 kap. 1 §."""
    for pointer, ref, text in references(spec.data):
        law = law_of(ref)
        if law is None or "chapter" not in ref:
            continue
        found = subject(law.sfs, text)
        if found is not None and found.chapter != str(ref["chapter"]) and not _speaks_of(
                found, ref):
            yield Finding(
                pointer,
                f"{_cited(ref, law)}: {found.about} står i {laws.cite(found.id)}, inte i "
                f"{ref['chapter']} kap.; hänvisa till {laws.cite(found.id, sfs=False)}",
            )


def _speaks_of(found: laws.Provision, ref: Mapping[str, Any]) -> bool:
    """True when the cited section's own text speaks of the subject (all its words are
    there: 33 kap. 1 § SoL, on återkrav of ekonomiskt bistånd), or, cited by chapter
    alone, one of the chapter's sections does."""
    places = statute.subjects().get(found.id, frozenset())
    chapter = str(ref["chapter"])
    if "section" in ref:
        return f"{chapter}:{ref['section']}" in places
    return any(place.startswith(f"{chapter}:") for place in places)


def _decision_type(pointer: str) -> bool:
    return bool(re.fullmatch(r"/delegation/external/decision_types/\d+/legal_ref", pointer))


@rule(
    "LAGRUM-PARAGRAF",
    Severity.WARNING,
    SOURCE,
    "En grund och ett delegerat beslut anges med kapitel och paragraf",
    kinds=ALL_KINDS,
)
def ground_to_the_section(spec: Spec) -> Iterator[Finding]:
    """A nämnd cannot enter a delegation point or a statutory duty without its provision:
    'socialtjänstlagen (2025:400)' alone is not a ground."""
    for pointer, ref, text in references(spec.data):
        law = law_of(ref)
        is_ground = laws.role(ref) == laws.BASIS or _decision_type(pointer)
        if law is None or "section" in ref or not is_ground or _repealed(law):
            continue
        known = statute.index().get(law.sfs)
        if known is None:
            continue
        found = subject(law.sfs, text)
        hint = f", t.ex. {laws.cite(found.id)} ({found.about})" if found else ""
        kind = "lagrummet för beslutet" if _decision_type(pointer) else "grunden"
        yield Finding(
            pointer,
            f"{kind} anges som {law_name(law.name, law.sfs)} utan paragraf; ange "
            f"chapter och section för den bestämmelse som är grunden{hint}",
        )


def replacing(law: laws.Law, text: str) -> laws.Provision | None:
    """The provision of the law that replaced a repealed one on the same subject."""
    return subject(law.replaced_by, text) if law.replaced_by else None


# A verb first (”Ger kommunerna rätt att …”): a sentence with no subject once the
# agreement prints the note after ”Avtalet ingås med stöd av …”.
_VERB_FIRST = re.compile(
    r"^(?:ger|anger|reglerar|innebär|möjliggör|tillåter|gäller|medger|föreskriver|ålägger"
    r"|beskriver|avser|omfattar|ställer|kräver)\b", re.I)


@rule(
    "LAGRUM-KOMMENTAR",
    Severity.WARNING,
    "avtal: avtalets grund (legal_basis, role: grund)",
    "Kommentaren till avtalets grund är en hel mening",
    kinds=ALL_KINDS,
)
def basis_note_is_a_sentence(spec: Spec) -> Iterator[Finding]:
    """The note of a ground the agreement prints as a sentence of its own after ”Avtalet
    ingås med stöd av …”: one that starts with a verb has no subject there."""
    for index, ref in enumerate(spec.data.get("legal_basis", [])):
        note = str(ref.get("note", "")).strip()
        if laws.role(ref) == "grund" and _VERB_FIRST.match(note):
            yield Finding(
                f"/legal_basis/{index}/note",
                f"kommentaren ”{_words(note, 60)}” står i avtalet som en egen mening efter "
                "”Avtalet ingås med stöd av …”, men saknar subjekt; börja med vem eller vad, "
                f"t.ex. ”Bestämmelsen {_words(note[:1].lower() + note[1:], 40)}”",
            )


def _words(text: str, most: int) -> str:
    """The text up to `most` characters, cut between words (with … when cut)."""
    return text if len(text) <= most else text[:most].rsplit(" ", 1)[0] + " …"
