"""Model -> Pandoc Markdown through the Jinja2 templates in templates/.

Every value from the spec is escaped on output (spec text is data, not markup), except
fields marked as Markdown. A missing value is an error naming the spec field.
"""

from __future__ import annotations

import hashlib
import inspect
import json
import re
import string
from collections.abc import Callable, Iterable, Iterator, Mapping
from datetime import date
from fractions import Fraction
from functools import cache, lru_cache
from pathlib import Path
from typing import Any

import jinja2
import jinja2.ext
from babel.dates import format_date
from babel.numbers import format_decimal
from jinja2 import nodes
from jinja2.compiler import CodeGenerator, Frame
from jinja2.lexer import Token, TokenStream
from jinja2.loaders import split_template_path
from jinja2.sandbox import SandboxedEnvironment

from . import laws, provenance
from .errors import AvtalError, Location, SpecError
from .laws import law_name
from .model import Derived, Markdown, View, ViewList, name_keys, names_same
from .reader import read_limited
from .resources import code_dir, templates_dir
from .typography import bind

TEMPLATES = templates_dir()
LOCALE = "sv_SE"
_SPACES = re.compile(r"[ \t\r\n\f\v]+")
_LEADING_MARKS = re.compile(f"[{provenance.MARKS}]+")
_PUNCTUATION = re.compile(r"([\\`*_{}\[\]()#+\-.!<>$|~^@&\"'=:;,/?%])")


class RenderError(AvtalError):
    """A template needed a value the spec does not give."""


class _NamedUndefined(jinja2.StrictUndefined):
    """StrictUndefined whose message names the missing spec field by JSON pointer."""

    @property
    def _undefined_message(self) -> str:
        owner = getattr(self._undefined_obj, "pointer", None)
        if owner is not None and self._undefined_name is not None:
            return f"{owner}/{self._undefined_name}"
        return f"?{self._undefined_name or 'okänt värde'}"


@lru_cache(maxsize=16384)  # for every value a template writes; most recur
def escape(text: str) -> str:
    """Make plain text literal in Pandoc Markdown: every punctuation mark is escaped."""
    flat = _SPACES.sub(" ", text).strip()  # line breaks fold; no-break spaces stay
    return _PUNCTUATION.sub(r"\\\1", flat)


def _finalize(value: Any) -> str:
    if type(value) is provenance.Hook:
        return value.run()
    if type(value) is provenance.Mark:
        return value
    recorder = provenance.current()
    text = _output(value)
    return text if recorder is None else recorder.marked(text)


def _output(value: Any) -> str:
    if type(value) is str:  # most values: spec text, or text a filter made
        return escape(value)
    if isinstance(value, Markdown):
        return str(value)
    if isinstance(value, Literal):
        return str(value)
    if isinstance(value, bool) or value is None:
        raise RenderError(f"ett mallvärde är {value!r}, inte text (fel i mallen)")
    if isinstance(value, (View, ViewList)):
        raise RenderError(f"mallen skriver ut en hel samling ({value.pointer}), inte ett värde")
    return escape(str(value))


class Literal(str):
    """Markup produced by the templates themselves (never from spec text)."""


def swedish_date(value: date | str) -> str:
    """1 januari 2026."""
    day = date.fromisoformat(value) if isinstance(value, str) else value
    return str(format_date(day, format="d MMMM y", locale=LOCALE))


def number(value: int | float | Fraction, decimals: int = 0) -> str:
    """8 109 450 with a non-breaking space between thousands."""
    if isinstance(value, Fraction):
        value = float(value)
    fmt = "#,##0" + ("." + "#" * decimals if decimals else "")
    return str(format_decimal(value, format=fmt, locale=LOCALE))


def kronor(value: int) -> str:
    """8 109 450 kronor."""
    return f"{number(value)}\u00a0kronor"


def percent(value: int | float | Fraction) -> str:
    """25 % (one decimal at most, Swedish decimal comma)."""
    return f"{number(value, 1)}\u00a0%"


def percent_range(low: Fraction, high: Fraction) -> str:
    """25–30 %."""
    return f"{number(low, 1)}–{number(high, 1)}\u00a0%"


def months(value: int) -> str:
    """1 månad, 24 månader."""
    return f"{value} {'månad' if value == 1 else 'månader'}"


def legal_ref(ref: Mapping[str, Any]) -> str:
    """9 kap. 37 § kommunallagen (2017:725)."""
    return legal_refs([ref])


def section_key(section: Any) -> tuple[int, str]:
    """Order sections the way the statute does: 8, 8 a, 9."""
    match = re.match(r"(\d+)\s*(.*)", str(section))
    return (int(match.group(1)), match.group(2)) if match else (0, str(section))


def sections_text(sections: list[Any]) -> str:
    """37 §, or 37 och 38 §§."""
    words = [str(s) for s in sorted(set(sections), key=section_key)]
    return f"{join_and(words)} {'§§' if len(words) > 1 else '§'}"


def law_places(refs: list[Mapping[str, Any]]) -> str:
    """5 kap. 7 § och 16 kap. 3 och 4 §§: sections gathered by chapter (chapters in the
    order the spec names them, sections in statute order)."""
    chapters: dict[Any, list[Any]] = {}
    for ref in refs:
        chapters.setdefault(ref.get("chapter"), [])
        if "section" in ref:
            chapters[ref.get("chapter")].append(ref["section"])
    places = []
    for chapter in chapters:
        sections = chapters[chapter]
        head = f"{chapter} kap." if chapter is not None else ""
        tail = sections_text(sections) if sections else ""
        places.append(" ".join(p for p in (head, tail) if p))
    return join_and(p for p in places if p)


def legal_refs(refs: Iterable[Mapping[str, Any]]) -> str:
    """9 kap. 37 och 38 §§ kommunallagen (2017:725) och 6 kap. 19 § föräldrabalken (1949:381)."""
    groups: dict[tuple[str, str], list[Mapping[str, Any]]] = {}
    for ref in refs:
        groups.setdefault((str(ref["law"]), str(ref.get("sfs", ""))), []).append(ref)
    texts = []
    for (law, sfs), members in groups.items():
        places = law_places(members)
        name = law_name(law, sfs)
        texts.append(f"{places} {name}" if places else name)
    return join_and(texts)


def statute(sfs: str) -> str:
    """A registered law named by its SFS number: lagen (2016:1145) om offentlig upphandling."""
    law = laws.find(sfs)
    if law is None:
        raise RenderError(f"lagen {sfs} finns inte i lagregistret {laws.DATA_FILE} (fel i mallen)")
    return law_name(law.name, law.sfs)


def provision(key: str, *, lag: bool = True, sfs: bool = True) -> str:
    """lagrum("id") in a template: the provision as laws.cite writes it."""
    try:
        return laws.cite(key, lag=lag, sfs=sfs)
    except KeyError as err:
        raise RenderError(f"{err.args[0]} (fel i mallen)") from err


def yaml_string(value: Any) -> Literal:
    """A YAML double-quoted string holding escaped Markdown (for the metadata block)."""
    return Literal(json.dumps(escape(str(value)), ensure_ascii=False))


def _as(original: Any, result: str) -> str:
    """A filter's result as the kind of text it was given: markup the templates made (or a
    Markdown field) stays markup, so that it is not escaped a second time."""
    return type(original)(result) if isinstance(original, (Literal, Markdown)) else result


def full_stop(text: str) -> str:
    """End a phrase with a full stop unless it already ends a sentence."""
    plain = str(text).rstrip()
    return _as(text, plain if plain.endswith((".", "!", "?", ":")) else plain + ".")


def phrase(text: str) -> str:
    """A phrase inside a sentence: without the full stop it may end with."""
    return str(text).rstrip().rstrip(".")


def join_or(items: Iterable[Any]) -> str:
    """A, B eller C: one of them (a decision any of the delegates may take)."""
    return join_and(items, "eller")


def join_and(items: Iterable[Any], word: str = "och") -> str:
    """A, B och C; markup among the items (a macro's output marked md) makes the whole
    markup, with the plain items escaped."""
    listed = list(items)
    marked = any(isinstance(i, (Literal, Markdown)) for i in listed)
    words = [str(i) if not marked or isinstance(i, (Literal, Markdown)) else escape(str(i))
             for i in listed]
    joined = "".join(words) if len(words) < 2 else f"{', '.join(words[:-1])} {word} {words[-1]}"
    return Literal(joined) if marked else joined


def genitive(name: str) -> str:
    """Stockholms stad -> Stockholms stads; Region Östergötland -> Region Östergötlands."""
    name = str(name)
    return name if name.endswith(("s", "x", "z")) else name + "s"


def _marks_first(text: Any) -> tuple[str, str]:
    """Text split into the provenance marks it starts with (see provenance) and the rest,
    so that a filter that looks at the first letter finds the letter."""
    text = str(text)
    lead = _LEADING_MARKS.match(text)
    return (text[: lead.end()], text[lead.end() :]) if lead else ("", text)


def upper_first(text: str) -> str:
    """Capitalise the first letter (a title in bestämd form at the start of a sentence)."""
    marks, rest = _marks_first(text)
    return _as(text, marks + rest[:1].upper() + rest[1:])


def lower_first(text: str, proper: Iterable[str] = ()) -> str:
    """Lower-case the first letter (for an organ name inside a sentence), but leave a
    word that starts with an abbreviation (IT-strateg, HVB-hemmet) as it is, and text
    that starts with one of the `proper` names (a party, an organ marked proper_name)."""
    marks, text = _marks_first(text)
    names = proper if isinstance(proper, frozenset) else frozenset(proper)
    if text[1:2].isupper() or _starts_with_a_name(text, names):
        return marks + text
    return marks + text[:1].lower() + text[1:]


def _starts_with_a_name(text: str, names: frozenset[str]) -> bool:
    """True when text begins with one of the names as whole words (genitive s allowed):
    each place a name could end is looked up, so that a hub's hundreds of party names
    cost no more than one."""
    for end in range(1, len(text) + 1):
        rest = text[end:]
        if rest and rest[0].isalpha() and not (rest[0] == "s" and not rest[1:2].isalpha()):
            continue  # inside a word: no name ends here
        if text[:end] in names:
            return True
    return False


def proper_names(spec: Any) -> frozenset[str]:
    """The names in a spec that are proper names: parties, and organs marked proper_name.

    Remembered on the spec's view: the `gemen` filter asks for every organ name it
    writes, and a hub has many parties."""
    remembered = getattr(spec, "__dict__", None)  # a View; not a plain dict
    if remembered is not None and "_proper_names" in remembered:
        found: frozenset[str] = remembered["_proper_names"]
        return found
    with provenance.paused():  # a cache for the `gemen` filter, not the sentence's reads
        names = frozenset(_proper_names(spec))
    if remembered is not None:
        remembered["_proper_names"] = names
    return names


def _proper_names(spec: Any) -> list[str]:
    names: list[str] = []
    for party in spec.get("parties", []) if spec is not None else []:
        names.extend(name_keys(party))  # ”Bergebys budgeterade kostnad” keeps its capital
        names.extend(
            str(o["name"]) for o in party.get("organs", []) if o.get("proper_name", False)
        )
    return names


@jinja2.pass_context
def lower_first_in(context: Any, text: str) -> str:
    """The `gemen` filter: lower_first with the proper names of the spec in context."""
    return lower_first(text, proper_names(_spec_in(context)))


def _spec_in(context: Any) -> Any:
    spec = context.get("s")
    if spec is None and context.get("a") is not None:
        spec = context.get("a").spec
    if spec is None and context.get("c") is not None:
        spec = context.get("c").agreement.spec
    return spec


def _call_tokens(name: str, lineno: int) -> list[Token]:
    """The tokens of `{{ name }}` (a provenance.Hook, which finalize runs)."""
    return [
        Token(lineno, "variable_begin", "{{"),
        Token(lineno, "name", name),
        Token(lineno, "variable_end", "}}"),
    ]


# Calls around the block tags (see provenance.Recorder): before the tag, after it.
_AROUND = {
    "if": ("proveniens_begin", "proveniens_then"),
    "for": ("proveniens_begin", "proveniens_then"),
    "elif": ("proveniens_end", "proveniens_then"),
    "else": ("proveniens_end", "proveniens_then"),
    "endif": ("proveniens_end", "proveniens_close"),
    "endfor": ("proveniens_end", "proveniens_close"),
}


class Provenance(jinja2.ext.Extension):
    """Puts the provenance calls into every template as it is compiled: a mark before
    each piece of template text (after its leading white space, which stays where it
    is), and calls around `if`/`for` tags that tell the recorder where a condition's
    reads begin and which output they govern. Without a recorder the calls write
    nothing, so the output is the template's own."""

    def filter_stream(self, stream: TokenStream) -> Iterator[Token]:
        block: list[Token] = []
        for token in stream:
            if block:
                block.append(token)
                if token.type == "block_end":
                    yield from self._around(block)
                    block = []
            elif token.type == "block_begin":
                block.append(token)
            elif token.type == "data":
                yield from self._data(token)
            else:
                yield token
        yield from block

    @staticmethod
    def _around(block: list[Token]) -> Iterator[Token]:
        tag = next((t.value for t in block if t.type == "name"), "")
        before, after = _AROUND.get(tag, ("", ""))
        if before:
            yield from _call_tokens(before, block[0].lineno)
        yield from block
        if after:
            yield from _call_tokens(after, block[-1].lineno)

    @staticmethod
    def _data(token: Token) -> Iterator[Token]:
        text = token.value
        rest = text.lstrip()
        if not rest:
            yield token
            return
        lead = text[: len(text) - len(rest)]
        if lead:
            yield Token(token.lineno, "data", lead)
        yield from _call_tokens("proveniens_mark", token.lineno + lead.count("\n"))
        yield Token(token.lineno + lead.count("\n"), "data", rest)


def _bytecode_cache(*, sandboxed: bool = False) -> jinja2.BytecodeCache:
    """Compiled templates kept between runs in a private folder of the temp dir, so a
    no-op build need not compile them again. Jinja checks each against its source; the
    name carries a digest of our code as well, because how a template compiles depends
    on the filters (one that takes the context is called differently), and whether it
    is sandboxed (a sandboxed template calls through the sandbox: it must never load
    code compiled without it)."""
    digest = hashlib.sha256(b"sandbox" if sandboxed else b"")
    code = code_dir()
    for path in sorted(code.rglob("*.py")):
        digest.update(path.relative_to(code).as_posix().encode() + b"\0" + path.read_bytes())
    return jinja2.FileSystemBytecodeCache(pattern=f"__avtal_{digest.hexdigest()[:20]}_%s.cache")


# What a View answers as an attribute of its own (`x.items` is the method, `x.pointer`
# its pointer); any other attribute is a spec field.
_VIEW_OWN = frozenset(dir(View)) | {"pointer"}


class _Environment(jinja2.Environment):
    """Jinja's environment, telling provenance which spec fields a derived value read by
    a template (a date, a share, a party's name) comes from. A spec field read as an
    attribute (`avtal.term.start`, the templates' most common read) goes straight to the
    View, as Jinja (and its sandbox) would end up doing."""

    def getattr(self, obj: Any, attribute: str) -> Any:
        if type(obj) is View and attribute not in _VIEW_OWN and attribute[:1] != "_":
            try:
                return obj[attribute]
            except KeyError:
                return self.undefined(obj=obj, name=attribute)
        if isinstance(obj, Derived):
            provenance.read_all(obj.sources(attribute))
        return super().getattr(obj, attribute)

    def getitem(self, obj: Any, argument: Any) -> Any:
        if isinstance(obj, Derived) and isinstance(argument, str):
            provenance.read_all(obj.sources(argument))
        return super().getitem(obj, argument)


class _SandboxedEnvironment(_Environment, SandboxedEnvironment):
    """The same in Jinja's sandbox (after provenance, every attribute goes through the
    sandbox's checks): for a team's templates. A product (``"x" * n``, ``[0] * n``,
    ``n ** m``) is bounded too, so a template cannot fill the memory in one expression."""

    intercepted_binops = frozenset(["*", "**", "+", "%"])

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.code_generator_class = _BoundedCodeGenerator

    def call_binop(self, context: Any, operator: str, left: Any, right: Any) -> Any:
        if operator == "**" and isinstance(right, int) and abs(right) > MAX_EXPONENT:
            raise jinja2.exceptions.SecurityError(f"potensen {right} är för stor")
        size = _product_size(left, right) if operator == "*" else 0
        if size > MAX_PRODUCT:
            raise jinja2.exceptions.SecurityError(
                f"produkten blir {size} tecken eller punkter, mer än {MAX_PRODUCT}")
        if operator == "+":
            _bounded("+", _size(left) + _size(right))
        if operator == "%" and isinstance(left, str):
            _bounded("%", _printf_size(left, right if isinstance(right, tuple) else (right,)))
        return _bounded_result("operatorn " + operator,
                               super().call_binop(context, operator, left, right))

    def call(self, __context: Any, __obj: Any, *args: Any, **kwargs: Any) -> Any:
        """A method call, bounded as the filters are (see _bounded_filter): ”x”.center(n),
        ”{:>n}”.format(), str.replace and str.join, and a list that grows by extend."""
        owner = getattr(__obj, "__self__", None)
        name = getattr(__obj, "__name__", "")
        if isinstance(owner, str) and name in _METHOD_SIZE:
            for given in (*args, *kwargs.values()):
                _bounded(name, _size(given))
            _bounded(name, _METHOD_SIZE[name](owner, args, kwargs))
        result = super().call(__context, __obj, *args, **kwargs)
        if isinstance(owner, list | dict):
            _bounded(name, _size(owner))
        return _bounded_result(name, result)

    def bounded_concat(self, items: tuple[Any, ...]) -> str:
        """``a ~ b``: bounded as a product is (a loop that doubles a text stops)."""
        for item in items:
            _bounded("~", _size(item))
        joined = "".join(map(str, items))
        _bounded("~", len(joined))
        return joined


# The largest text or list a team's template may make by multiplying, and the largest
# exponent: far above what a document needs, far below a CI's memory.
MAX_PRODUCT = 1_000_000
MAX_EXPONENT = 1_000


class _BoundedCodeGenerator(CodeGenerator):
    """Compiles ``a ~ b`` to the sandbox's bounded_concat."""

    def visit_Concat(self, node: nodes.Concat, frame: Frame) -> None:
        self.write("environment.bounded_concat((")
        for arg in node.nodes:
            self.visit(arg, frame)
            self.write(", ")
        self.write("))")


def _size(value: Any, budget: int = MAX_PRODUCT) -> int:
    """How many characters or items a value holds, its texts and lists counted too (a
    list of a million references to one long text holds a million of them); counting
    stops once past `budget`."""
    if isinstance(value, str):
        return len(value)
    if isinstance(value, list | tuple | dict):
        items = value.values() if isinstance(value, dict) else value
        total = len(value)
        for item in items:
            if total > budget:
                break
            if isinstance(item, str | list | tuple | dict):
                total += _size(item, budget - total)
        return total
    return 0


def _bounded(what: str, size: int) -> None:
    if size > MAX_PRODUCT:
        raise jinja2.exceptions.SecurityError(
            f"{what} ger eller får mer än {MAX_PRODUCT} tecken eller punkter; en mall "
            "behöver långt färre, så skriv om uttrycket")


def _bounded_result(what: str, result: Any) -> Any:
    _bounded(what, _size(result))
    return result


def _int(value: Any, default: int = 0) -> int:
    return value if isinstance(value, int) else default


_PRINTF = re.compile(r"%[-#0 +]*(\*|\d+)?(?:\.(\*|\d+))?")


def _printf_size(text: str, args: Iterable[Any]) -> int:
    """How long ``text % args`` can get: its length and each width or precision (a
    width of two thousand million made a text that long)."""
    numbers = [_int(a) for a in args]
    size = len(text) + sum(_size(a) for a in args)
    for found in _PRINTF.finditer(text):
        for part in found.groups():
            if part == "*":
                size += max(numbers, default=0)
            elif part:
                size += MAX_PRODUCT + 1 if len(part) > 7 else int(part)
    return size


def _format_size(text: str, args: tuple[Any, ...], kwargs: Mapping[str, Any]) -> int:
    """How long ``text.format(…)`` can get: its length, its arguments and the widths
    in its fields (a nested width, ”{:>{w}}”, takes the largest argument)."""
    size = len(text) + sum(_size(a) for a in (*args, *kwargs.values()))
    try:
        fields = list(string.Formatter().parse(text))
    except ValueError:
        return size  # the call itself says what is wrong
    for _, _, spec, _ in fields:
        for number in re.findall(r"\d+", spec or ""):
            size += MAX_PRODUCT + 1 if len(number) > 7 else int(number)
        if spec and "{" in spec:
            size += max((_int(a) if not isinstance(a, str) else
                         (MAX_PRODUCT + 1 if len(a) > 7 else int(a)) if a.isdigit() else 0)
                        for a in (*args, *kwargs.values(), 0))
    return size


def _replace_size(text: str, old: Any, new: Any, count: Any) -> int:
    if not isinstance(old, str) or not isinstance(new, str):
        return len(text)
    times = text.count(old) if old else len(text) + 1
    if isinstance(count, int) and count >= 0:
        times = min(times, count)
    return len(text) + times * max(len(new) - len(old), 0)


def _join_size(separator: Any, items: Any) -> int:
    if not isinstance(items, list | tuple):
        return 0  # made into a list by the filter below, or a generator the call reads
    return _size(items) + len(str(separator)) * len(items)


def _width(text: str, width: Any) -> int:
    return len(text) + max(_int(width), 0)


# A str method's size before it runs, from the text and the call's arguments.
_METHOD_SIZE: dict[str, Callable[[str, tuple[Any, ...], Mapping[str, Any]], int]] = {
    "center": lambda s, a, k: _width(s, a[0] if a else 0),
    "ljust": lambda s, a, k: _width(s, a[0] if a else 0),
    "rjust": lambda s, a, k: _width(s, a[0] if a else 0),
    "zfill": lambda s, a, k: _width(s, a[0] if a else 0),
    "expandtabs": lambda s, a, k: len(s) + s.count("\t") * max(
        _int(a[0] if a else k.get("tabsize", 8), 8), 0),
    "replace": lambda s, a, k: _replace_size(
        s, a[0] if a else None, a[1] if len(a) > 1 else None,
        a[2] if len(a) > 2 else k.get("count")),
    "join": lambda s, a, k: _join_size(s, a[0] if a else None),
    "format": lambda s, a, k: _format_size(s, a, k),
    "format_map": lambda s, a, k: _format_size(s, (), a[0] if a and isinstance(
        a[0], Mapping) else {}),
}


def _filter_size(name: str, given: Mapping[str, Any]) -> int:
    """How long a filter's result can get, from its bound arguments (0: no more than
    its input)."""
    value = next(iter(given.values()), None)
    text = value if isinstance(value, str) else ""
    if name == "center":
        return _width(str(value), given.get("width"))
    if name == "indent":
        width = given.get("width")
        step = len(width) if isinstance(width, str) else max(_int(width), 0)
        return len(text) + (text.count("\n") + 1) * step
    if name == "format":
        return _printf_size(text, (*given.get("args", ()), *given.get("kwargs", {}).values()))
    if name == "replace":
        return _replace_size(str(value), given.get("old"), given.get("new"), given.get("count"))
    if name == "join":
        return _join_size(given.get("d", ""), given.get("value"))
    if name == "wordwrap":
        wrap = given.get("wrapstring") or "\n"
        lines = len(text) // max(_int(given.get("width"), 79), 1) + 1
        return len(text) + lines * len(str(wrap))
    if name in ("batch", "slice"):
        count = given.get("linecount", given.get("slices"))
        return max(_int(count), 0) if name == "slice" or given.get("fill_with") is not None \
            else 0
    if name == "tojson":
        return max(_int(given.get("indent")), 0) * 1000
    if name == "urlize":
        extra = len(str(given.get("target") or "")) + len(str(given.get("rel") or ""))
        return len(text) * (1 + extra)
    return 0


def _bounded_filter(name: str, function: Callable[..., Any]) -> Callable[..., Any]:
    """A filter of the sandbox whose input and result are at most MAX_PRODUCT
    characters or items, and whose result is estimated before it is made where its
    arguments can make it larger than its input: a width (center, indent, format), a
    replacement (replace), a separator (join), a fill (batch, slice)."""
    try:
        signature: inspect.Signature | None = inspect.signature(function)
    except (TypeError, ValueError):  # a class (md=Literal): its input and result only
        signature = None
    passed = 1 if jinja2.utils._PassArg.from_obj(function) is not None else 0

    def bounded(*args: Any, **kwargs: Any) -> Any:
        if name == "join" and len(args) > passed and not isinstance(
                args[passed], list | tuple | str):
            args = (*args[:passed], list(args[passed]), *args[passed + 1:])
        if signature is None:
            for each in (*args[passed:], *kwargs.values()):
                _bounded(f"filtret {name}", _size(each))
            return _bounded_result(f"filtret {name}", function(*args, **kwargs))
        try:
            given = signature.bind(*args, **kwargs).arguments
        except TypeError:
            return function(*args, **kwargs)  # the filter says what is wrong
        for key, value in list(given.items())[passed:]:
            kind = signature.parameters[key].kind
            inner = (value.values() if kind is inspect.Parameter.VAR_KEYWORD
                     else value if kind is inspect.Parameter.VAR_POSITIONAL else (value,))
            for each in inner:
                _bounded(f"filtret {name}", _size(each))
        _bounded(f"filtret {name}", _filter_size(name, dict(list(given.items())[passed:])))
        return _bounded_result(f"filtret {name}", function(*args, **kwargs))

    bounded.jinja_pass_arg = getattr(function, "jinja_pass_arg", None)  # type: ignore[attr-defined]
    return bounded


def _product_size(left: Any, right: Any) -> int:
    """How long `left * right` would be where one side is a sequence (0 for numbers)."""
    for seq, times in ((left, right), (right, left)):
        if isinstance(seq, str | list | tuple) and isinstance(times, int):
            return len(seq) * max(times, 0)
    return 0


class _TeamLoader(jinja2.BaseLoader):
    """The team's template folder, read as the rest of the repository is: a template
    that is a symbolic link, a device or too large is an error naming it, not a way to
    pull a file from outside the repository into the documents."""

    def __init__(self, folder: Path) -> None:
        self.folder = folder

    def get_source(
        self, environment: jinja2.Environment, template: str
    ) -> tuple[str, str, Callable[[], bool]]:
        parts = split_template_path(template)
        path = self.folder.joinpath(*parts)
        # A folder on the way that is a link leads anywhere (read_limited refuses a link
        # only in the last part): ”mallar/p -> /proc” and ”p/self/environ”.
        for depth in range(1, len(parts)):
            folder = self.folder.joinpath(*parts[:depth])
            if folder.is_symlink():
                raise RenderError(
                    "mappen är en symbolisk länk; avtal läser inte mallar genom länkar (de "
                    "kan peka utanför förrådet), så lägg mallarna själva i mallmappen",
                    Location(str(folder)),
                )
        if not (path.is_symlink() or path.exists()):
            raise jinja2.TemplateNotFound(template)
        try:
            text = read_limited(path).decode("utf-8")
        except UnicodeDecodeError as err:
            raise RenderError("mallen är inte UTF-8; spara den som UTF-8", Location(str(path))
                              ) from err
        except SpecError as err:
            raise RenderError(err.message, err.location) from err
        stamp = path.lstat().st_mtime_ns
        return text, str(path), lambda: path.exists() and path.lstat().st_mtime_ns == stamp


@cache
def environment(custom_dir: Path | None = None) -> jinja2.Environment:
    """The Jinja2 environment, configured once per template folder: a template in the
    team's `custom_dir` wins over the built-in one of the same name.

    A team's templates come with its repository, and so with any pull request: they
    render in Jinja's sandbox, where a template reaches no Python internals (no
    `lipsum.__globals__`, no `__class__`), only the values and filters given to it."""
    loader: jinja2.BaseLoader = jinja2.FileSystemLoader(str(TEMPLATES))
    if custom_dir is not None:
        loader = jinja2.ChoiceLoader([_TeamLoader(custom_dir), loader])
    kind = _Environment if custom_dir is None else _SandboxedEnvironment
    env = kind(
        loader=loader,
        undefined=_NamedUndefined,
        finalize=_finalize,
        autoescape=False,
        keep_trailing_newline=True,
        trim_blocks=True,
        lstrip_blocks=True,
        bytecode_cache=_bytecode_cache(sandboxed=custom_dir is not None),
        extensions=[Provenance],
        # The built-in templates are part of the installed package: their files are not
        # looked at again each time a document asks for one (a process sees them as they
        # were when it first read them). A team's own templates change with its
        # repository and are looked at again.
        auto_reload=custom_dir is not None,
    )
    env.filters.update(
        datum=swedish_date,
        tal=number,
        kr=kronor,
        procent=percent,
        procentintervall=percent_range,
        manader=months,
        lagrum=legal_ref,
        lagrumlista=legal_refs,
        och=join_and,
        eller=join_or,
        gemen=lower_first_in,
        versal=upper_first,
        genitiv=genitive,
        md=Literal,
        yaml=yaml_string,
        punkt=full_stop,
        fras=phrase,
        grund=laws.basis,
        tillampliga=laws.applicable,
    )
    if custom_dir is not None:
        env.filters = {name: _bounded_filter(name, function)
                       for name, function in env.filters.items()}
    env.globals.update(provenance.HOOKS)
    env.globals["kalla"] = provenance.support
    env.globals["kalla_falt"] = provenance.fields
    env.tests["contains_name"] = names_same
    env.globals["lag"] = statute
    env.globals["lagrum"] = provision
    return env


def render(
    template: str,
    *,
    spec_path: str,
    locate: Any,
    custom_dir: Path | None = None,
    **context: Any,
) -> str:
    """Render one template; a missing spec value becomes a RenderError at its place.
    References, telephone numbers and amounts get their no-break spaces (typography)."""
    try:
        return blocks_apart(bind(environment(custom_dir).get_template(template).render(**context)))
    except jinja2.UndefinedError as err:
        pointer = str(err.message or "")
        if pointer.startswith("/"):
            raise RenderError(
                "värdet behövs i dokumentet men saknas i specifikationen; lägg till fältet",
                locate(pointer),
            ) from err
        raise RenderError(f"mallfel i {template}: {err.message}",
                          _template_place(err, spec_path)) from err
    except jinja2.TemplateError as err:
        raise RenderError(f"mallfel i {template}: {err}", _template_place(err, spec_path)) from err
    except (ArithmeticError, LookupError, TypeError, ValueError, RecursionError) as err:
        if custom_dir is None:
            raise  # our own templates: a bug of ours
        # The team's templates: its mistake (or the sandbox's refusal), said as one.
        raise RenderError(f"mallfel i {template}: {type(err).__name__}: {err}",
                          _template_place(err, spec_path)) from err


_HEADING = re.compile(f"^[{provenance.MARKS}]*#{{1,6}}(?:[ \t]|$)")
_FENCE = re.compile(r"^[ ]{0,3}(?:```|~~~)")


def blocks_apart(markdown: str) -> str:
    """A heading set apart from the paragraph before it by a blank line, outside code: a
    template (ours or a team's) that puts one on the next line of a paragraph, as an
    included part that ends without a newline does, would else have pandoc read the
    heading as more words of the paragraph."""
    lines, fenced = markdown.split("\n"), False
    out: list[str] = []
    for line in lines:
        if _FENCE.match(line):
            fenced = not fenced
        elif not fenced and out and out[-1].strip() and _HEADING.match(line):
            out.append("")
        out.append(line)
    return "\n".join(out)


def _template_place(err: BaseException, spec_path: str) -> Location:
    """Where in a template an error stands: a syntax error's file and line, else the
    last template line the error passed through (Jinja maps its frames to the template);
    the spec where neither is known."""
    if isinstance(err, jinja2.TemplateSyntaxError) and err.filename:
        return Location(err.filename, err.lineno, 1)
    frame, place = err.__traceback__, None
    while frame is not None:
        name = frame.tb_frame.f_code.co_filename
        if name.endswith((".j2", ".md.j2")):
            place = Location(name, frame.tb_lineno, 1)
        frame = frame.tb_next
    return place or Location(spec_path)


class Warnings:
    """Collects the spec fields a document needed but did not get (build warnings)."""

    def __init__(self) -> None:
        self.pointers: list[tuple[str, str]] = []

    def __call__(self, pointer: str, what: str) -> Literal:
        self.pointers.append((pointer, what))
        provenance.absent(pointer)
        return Literal(f"**\\[Uppgift saknas: {escape(what)}\\]**")


def render_lines(template: str, *, spec_path: str, locate: Any, **context: Any) -> tuple[str, ...]:
    """Render a template that yields one item per line (e.g. decision points)."""
    text = render(template, spec_path=spec_path, locate=locate, **context)
    return tuple(line.strip() for line in text.splitlines() if provenance.strip(line).strip())


def template_files() -> list[Path]:
    """Every template file (not the package's own __init__.py or bytecode)."""
    return sorted(
        p
        for p in TEMPLATES.rglob("*")
        if p.is_file() and p.name != "__init__.py" and "__pycache__" not in p.parts
    )
