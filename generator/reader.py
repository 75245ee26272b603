"""The one reader of files from a repository: specs, party files, avtal.toml, templates
and letterhead files all come through it.

A repository may come from a pull request, so a file is read only when it is a regular
file (not a device, FIFO, folder or symbolic link, which could point anywhere), and
never more than MAX_BYTES of it: no input can hang the reader, fill its memory or pull
in a file from outside the repository. Each refusal is a SpecError naming the file.
What a file may hold is checked here too: no character that hides or reorders text
(refuse_forbidden), for specs, party files and avtal.toml alike.
"""

from __future__ import annotations

import errno
import os
import re
import stat
import struct
from pathlib import Path

from .errors import Location, SpecError, os_reason

MAX_BYTES = 1_048_576


def grouped(number: int) -> str:
    """A whole number the Swedish way, with spaces between thousands: 1 048 576."""
    return f"{number:,}".replace(",", " ")


def read_limited(path: Path, name: str | None = None, *, limit: int = MAX_BYTES) -> bytes:
    """The bytes of a regular file of at most `limit`; SpecError for anything else.

    A device, FIFO, folder or symbolic link is refused before a byte is read, and a
    file that grows while it is read is cut off at the cap, so no input can hang the
    reader, fill its memory or pull in a file from outside the repository.
    """
    name = str(path) if name is None else name
    flags = os.O_RDONLY | os.O_NONBLOCK | getattr(os, "O_NOCTTY", 0) | getattr(os, "O_NOFOLLOW", 0)
    try:
        handle = os.open(path, flags)
    except OSError as err:
        if err.errno == errno.ELOOP or Path(path).is_symlink():
            raise SpecError(
                "är ingen vanlig fil utan en symbolisk länk; avtal läser inte filer genom "
                "länkar (de kan peka utanför förrådet), så lägg filen själv där länken står",
                Location(name),
            ) from err
        raise SpecError(f"filen kan inte läsas: {os_reason(err)}", Location(name)) from err
    if not stat.S_ISREG(os.fstat(handle).st_mode):  # before fdopen, which refuses a folder
        os.close(handle)
        raise SpecError(
            "är ingen vanlig fil (en mapp, enhet eller namngiven rörledning); ange en fil",
            Location(name),
        )
    with os.fdopen(handle, "rb") as file:
        try:
            size = os.fstat(handle).st_size
            data = b"" if size > limit else file.read(limit + 1)
        except OSError as err:
            raise SpecError(f"filen kan inte läsas: {os_reason(err)}", Location(name)) from err
    if size > limit or len(data) > limit:
        raise SpecError(
            f"filen är {grouped(max(size, len(data)))} byte; en avtalsspecifikation får vara "
            f"högst {grouped(limit)} byte. "
            "Dela upp texten eller flytta långa bilagor till egna filer.",
            Location(name),
        )
    return data


# Characters no agreement text holds and that break XML or JSON on the way to a
# document: control characters (tab and line ends excepted), lone surrogates, the
# Unicode line and paragraph separators, and the noncharacters U+FDD0–U+FDEF (the
# provenance marks of rendering), U+FFFE and U+FFFF; and the format controls that
# reorder or hide what is shown (bidi embeddings, overrides, isolates and marks,
# deprecated format characters, interlinear annotations), which can make 250 000 read
# as 000 052 in a document, a diff or a review.
FORBIDDEN = re.compile(
    "[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\ud800-\udfff\u2028\u2029\ufdd0-\ufdef"
    "\ufffe\uffff\u061c\u200e\u200f\u202a-\u202e\u2066-\u206f\ufff9-\ufffb"
    # and what hides text or smuggles it past a reader (an AI reviewer too): soft hyphen,
    # zero-width and joining characters, fillers, variation selectors, tag characters
    "\u00ad\u034f\u115f\u1160\u17b4\u17b5\u180b-\u180f\u200b-\u200d\u2060-\u2065"
    "\u3164\ufe00-\ufe0f\ufeff\uffa0\U0001d173-\U0001d17a\U000e0000-\U000e007f"
    "\U000e0100-\U000e01ef"
    # the rest of Unicode's default-ignorable code points, which a reader never sees:
    # shorthand format controls, reserved specials, the tag block's unassigned part
    "\U0001bca0-\U0001bca3\ufff0-\ufff8\U000e0080-\U000e00ff\U000e01f0-\U000e0fff]"
)


def refuse_forbidden(text: str, name: str, location: Location | None = None) -> None:
    """SpecError at the first character no spec may hold (see FORBIDDEN).

    Lines are counted by line feeds alone, as an editor counts them.
    """
    found = FORBIDDEN.search(text)
    if found is None:
        return
    if location is None:
        before = text[: found.start()]
        location = Location(name, before.count("\n") + 1, found.start() - before.rfind("\n"))
    char = found.group()
    raise SpecError(
        f"texten innehåller det osynliga tecknet {_character_name(char)}; ta bort det "
        "(det kommer ofta med vid kopiering från ett annat program)",
        location,
    )


# Greek and Cyrillic letters, and Latin ones (Swedish and its neighbours').
_FOREIGN = re.compile("[\u0370-\u03ff\u0400-\u052f]")
_LATIN = re.compile("[A-Za-z\u00c0-\u024f]")
_WORD = re.compile(r"[^\W\d_]+")


def refuse_mixed_scripts(text: str, location: Location) -> None:
    """SpecError at a word that mixes Latin letters with Greek or Cyrillic ones, which
    look alike but are other characters: ”Stоckholms stad” with a Cyrillic о is another
    party than Stockholms stad, though no reader sees it."""
    if _FOREIGN.search(text) is None:
        return
    for found in _WORD.finditer(text):
        word = found.group()
        foreign = _FOREIGN.findall(word)
        if foreign and _LATIN.search(word):
            script = "kyrilliska" if any(c >= "\u0400" for c in foreign) else "grekiska"
            codes = ", ".join(f"U+{ord(c):04X}" for c in dict.fromkeys(foreign))
            raise SpecError(
                f"ordet ”{word}” blandar latinska bokstäver med {script} ({codes}), som ser "
                "likadana ut men är andra tecken; skriv om ordet med vanliga bokstäver",
                location,
            )


def _character_name(char: str) -> str:
    code = ord(char)
    if 0xD800 <= code <= 0xDFFF:
        kind = "halvt surrogatpar"
    elif char in "\u061c\u200e\u200f" or 0x202A <= code <= 0x202E or 0x2066 <= code <= 0x2069:
        kind = "riktningstecken, som kan ändra ordningen på det som visas"
    elif 0x206A <= code <= 0x206F or 0xFFF9 <= code <= 0xFFFB:
        kind = "formatteringstecken"
    else:
        kind = _CHARACTER_KINDS.get(
            code, "styrtecken" if code < 0xA0 else "osynligt tecken, som kan dölja text")
    return f"U+{code:04X} ({kind})"


_CHARACTER_KINDS = {
    0x2028: "radavgränsare",
    0x2029: "styckeavgränsare",
    **dict.fromkeys(range(0xFDD0, 0xFDF0), "icke-tecken"),
    0xFFFE: "icke-tecken",
    0xFFFF: "icke-tecken",
}


def png_size(png: bytes) -> tuple[int, int]:
    """A PNG's width and height in pixels, from its IHDR chunk."""
    if png[:8] != b"\x89PNG\r\n\x1a\n" or png[12:16] != b"IHDR":
        raise ValueError("inte en PNG-bild")
    if len(png) < 24:  # cut off in its header: no size to read
        raise ValueError("PNG-bilden är avkortad (filen slutar i bildens huvud)")
    width, height = struct.unpack(">II", png[16:24])
    if not width or not height:
        raise ValueError("PNG-bilden har ingen storlek")
    return width, height
