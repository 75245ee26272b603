"""Contradiction guard: every clause says only what the spec supports.

The clauses are independent of each other, so the matrix renders, per clause, every
combination of the spec fields that switch that clause (cost model, term and exit
model with notice and ongoing matters, delegation nature, personal-data roles,
disputes forum for both kinds, hub or not) and asserts which claims the clause and
the decision documents may and may not make. Hypothesis then draws specs that mix all
the fields at once and applies the same oracles. Markdown only: no pandoc, no typst.
"""

from __future__ import annotations

import copy
import itertools
import re
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
import yaml
from buildkit import ROOT, md_body, md_unescape, norm, read_spec, read_yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from generator.documents import documents
from generator.model import derive_shares
from generator.validate import validate

VALID = ROOT / "tests" / "fixtures" / "valid.yaml"
SOK = ROOT / "specs" / "sok-missbruk.yaml"
BASE: dict[str, Any] = yaml.safe_load(VALID.read_text(encoding="utf-8"))
SOK_BASE: dict[str, Any] = read_yaml(SOK)  # its party references inlined

COST_MODELS: dict[str, dict[str, Any]] = {
    "egna_kostnader": {"type": "egna_kostnader"},
    "mottagande_part": {"type": "mottagande_part", "reconciliation_months": 6},
    "mottagande_part_alltid": {"type": "mottagande_part", "reconciliation_months": 6,
                               "equalise": "alltid"},
    "mottagande_part_vasentlig": {"type": "mottagande_part", "reconciliation_months": 6,
                                  "equalise": "vid_vasentlig_avvikelse",
                                  "equalise_threshold": "skillnaden är över tio procent"},
    "mottagande_part_aldrig": {"type": "mottagande_part", "reconciliation_months": 6,
                               "equalise": "aldrig"},
    "befolkning": {
        "type": "befolkning",
        "population_date": "2025-12-31",
        "populations": [
            {"party": "stockholm", "population": 990000},
            {"party": "region-stockholm", "population": 2450000},
        ],
    },
    "fasta_andelar": BASE["economics"]["model"],
    "styckpris": {"type": "styckpris", "unit": "arende", "price": 25000},
    "fast_ersattning": {"type": "fast_ersattning", "amount": 500000, "payer": "region-stockholm"},
}
TERMS: dict[str, dict[str, Any]] = {
    "tills_vidare": {"start": "2026-01-01", "until_further_notice": True},
    "fast_automatisk": BASE["term"],
    "fast_utan_forlangning": {"start": "2026-01-01", "end": "2027-12-31"},
    "fast_forlangning_efter_beslut": {
        "start": "2026-01-01",
        "end": "2027-12-31",
        "extension": {"automatic": False, "period_months": 12, "max_extensions": 1},
    },
}
EXITS = (None, "under_avtalstiden", "vid_periodens_slut")
NOTICES = (0, 6)
ONGOING = (None, "slutfors", "aterlamnas")
FORUMS = ("allman_domstol", "skiljeman", "parterna")
PERSONAL_DATA: dict[str, dict[str, Any]] = {
    "inga": {"processed": False},
    "separata": {"processed": True, "roles": "separata"},
    "gemensamt": {
        "processed": True,
        "roles": "gemensamt",
        "arrangement": "Parterna har ett skriftligt arrangemang om ansvaret.",
    },
    "bitrade": {
        "processed": True,
        "roles": "bitrade",
        "controller": "region-stockholm",
        "processor": "stockholm",
        "dpa": {"exists": True},
    },
}
NATURES = ("myndighetsutovning", "insatser", "bada")


# --------------------------------------------------------------------------- rendering


class Rendered:
    """The Markdown of every document of one spec, unescaped."""

    def __init__(self, markdown: dict[str, str]) -> None:
        self.markdown = markdown

    @property
    def agreements(self) -> list[str]:
        return [m for n, m in self.markdown.items() if n.endswith(("avtal", "overenskommelse"))]

    @property
    def decisions(self) -> list[str]:
        return [m for n, m in self.markdown.items() if n.endswith("tjansteutlatande")]

    def clause(self, heading: str) -> list[str]:
        """The text of the § whose heading is `heading`, in every agreement."""
        return [_section(m, heading) for m in self.agreements]


def _section(markdown: str, heading: str) -> str:
    parts = re.split(r"^(#+ .+)$", md_body(markdown), flags=re.M)
    for i in range(1, len(parts), 2):
        title = md_unescape(parts[i].lstrip("#")).strip()
        if re.fullmatch(r"§ \d+ " + re.escape(heading), title) or title == heading:
            return norm(md_unescape(parts[i + 1]))
    raise AssertionError(f"rubriken {heading!r} saknas")


def _maybe_section(markdown: str, heading: str) -> str:
    try:
        return _section(markdown, heading)
    except AssertionError:
        return ""


def render(data: dict[str, Any], folder: Path) -> Rendered:
    """Write the spec, check it is schema-valid, and render its documents."""
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / "spec.yaml"
    path.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), "utf-8")
    spec = read_spec(path)
    problems = [i for i in validate(spec) if i.severity == "error"]
    assert problems == [], [f"{i.location.pointer}: {i.message}" for i in problems]
    docs, _ = documents(spec)
    for d in docs:  # a sentence the templates end without a space before the next one
        run_on = re.search(r"[a-zåäö)]\.[A-ZÅÄÖ]", md_unescape(md_body(d.markdown)))
        assert run_on is None, (d.name, run_on)
    return Rendered({f"{d.folder}/{d.name}": d.markdown for d in docs})


def spec(**changes: Any) -> dict[str, Any]:
    """The valid fixture with top-level or nested (a.b=…) changes."""
    data = copy.deepcopy(BASE)
    for key, value in changes.items():
        *path, last = key.split("__")
        target = data
        for part in path:
            target = target[part]
        if value is None:
            target.pop(last, None)
        else:
            target[last] = copy.deepcopy(value)
    return data


def with_hub(data: dict[str, Any]) -> dict[str, Any]:
    data["hub"] = {"host": "stockholm"}
    return data


def everything(r: Rendered) -> str:
    return " ".join(norm(md_unescape(md_body(m))) for m in r.markdown.values())


# --------------------------------------------------------------------------- oracles


def cost_claims(r: Rendered, model: str, *, principle: bool = True) -> None:
    """Compensation is spoken of only under a model that has compensation; the cost-price
    principle only where the spec states it and, for the receiving party's model, only
    where differences are equalised; a performer with a share of its own bears it."""
    texts = r.clause("Ersättning och kostnader") + [
        _section(m, "Ekonomiska konsekvenser") for m in r.decisions
    ]
    equalised = model in ("mottagande_part_alltid", "mottagande_part_vasentlig")
    for text in texts:
        if model == "egna_kostnader":
            assert "bär sina egna kostnader" in text
            for claim in ("självkostnadsprincipen", "täckning för sina kostnader",
                          "Ersättningen följer", "betalar en fast", " per ärende"):
                assert claim not in text, (model, claim, text)
        elif model.startswith("mottagande_part"):
            assert ("självkostnadsprincipen" in text) == (principle and equalised), (model, text)
            assert ("utjämnas inte" in text) == (model == "mottagande_part_aldrig"), text
            assert "täckning för sina kostnader genom de andra parternas andelar" not in text
        else:
            assert ("självkostnadsprincipen" in text) == principle, (model, text)
            assert "ingen ersättning" not in text.lower(), (model, text)
        if model in ("befolkning", "fasta_andelar"):
            assert "andel" in text.lower()
            if "genom de andra parternas andelar" in text:
                assert "Stockholms stad bär själv sin andel" in text, text
        assert "underskott" not in text.lower() or model == "fasta_andelar", text
        # No population source and no yearly recalculation in the spec: neither is claimed.
        assert "Statistiska centralbyrån" not in text and "räknas om varje år" not in text
    for text in r.clause("Ersättning och kostnader"):
        assert "Fakturering sker" not in text, text


def termination_claims(r: Rendered, term: str, exit_: str | None, notice: int,
                       ongoing: str | None) -> None:
    """Whether a party may leave during a fixed term, said once and consistently."""
    fixed = term != "tills_vidare"
    effective = exit_ or ("vid_periodens_slut" if fixed else "under_avtalstiden")
    automatic = term == "fast_automatisk"
    ending = " ".join(
        text for m in r.agreements for text in [_maybe_section(m, "När avtalet upphör")]
    )
    assert ("pågår när avtalet upphör slutförs" in ending) == (ongoing == "slutfors"), ending
    # Handed back to the party that handed them over, or (no party hands over cases:
    # no assignments) to the party whose task they are.
    handed_back = re.search(r"pågår när avtalet upphör lämnas (tillbaka|över till den part "
                            r"vars uppgift)", ending)
    assert (handed_back is not None) == (ongoing == "aterlamnas"), ending
    for text in r.clause("Uppsägning"):
        assert "noll månaders" not in text, text
        if not fixed or effective == "under_avtalstiden":
            assert "får säga upp avtalet" in text
            assert "kan inte säga upp" not in text
            if notice == 0:
                assert "utan uppsägningstid" in text
            else:
                assert "sex månaders uppsägningstid" in text
            assert ("också under avtalstiden" in text) == fixed, text
        else:
            assert "kan inte säga upp avtalet så att det upphör under avtalstiden" in text
            assert "också under avtalstiden" not in text
            assert "uppsägningstid" not in text, text
            if automatic:
                assert "till avtalstidens slut eller till slutet av en förlängningsperiod" in text
            else:
                assert "upphör vid avtalstidens slut utan uppsägning" in text
    for text in r.decisions:
        term_text = _section(text, "Avtalstid")
        assert "0 månader" not in term_text and "noll månaders" not in term_text
        if fixed and effective == "vid_periodens_slut":
            assert "också under avtalstiden" not in term_text
            assert "uppsägningstid" not in term_text, term_text
        elif fixed:
            assert "också under avtalstiden" in term_text


def dispute_claims(texts: list[str], forum: str, negotiation: bool) -> None:
    """Arbitration only for skiljeman; parterna decide together for parterna."""
    for text in texts:
        assert ("1999:116" in text) == (forum == "skiljeman"), (forum, text)
        assert ("skilje" in text) == (forum == "skiljeman"), (forum, text)
        assert ("allmän domstol" in text) == (forum == "allman_domstol"), (forum, text)
        assert ("parterna gemensamt" in text) == (forum == "parterna"), (forum, text)
        assert "Kan parterna inte enas" not in text or (negotiation and forum != "parterna")
        assert "den huvudman som först får kännedom" not in text
        if negotiation:
            assert "förhandling" in text


def personal_data_claims(r: Rendered, roles: str) -> None:
    """One role model for personal data, never two, and the same in the agreement and in
    every staff report."""
    reports = [_maybe_section(m, "Informationshantering och sekretess") for m in r.decisions]
    for text in r.clause("Informationshantering") + reports:
        joint = "gemensamt personuppgiftsansvariga" in text
        processor = "personuppgiftsbiträde" in text
        each = ("Den nämnd hos varje part som ansvarar för verksamheten är "
                "personuppgiftsansvarig för den behandling") in text
        none = "Inga personuppgifter" in text
        assert (none, each, joint, processor) == (
            roles == "inga", roles == "separata", roles == "gemensamt", roles == "bitrade"
        ), (roles, text)


def nature_claims(r: Rendered, nature: str) -> None:
    for text in r.clause("Myndighetsutövning och delegering"):
        assert ("innefattar inte myndighetsutövning" in text) == (nature == "insatser"), text
        assert ("både myndighetsutövning och insatser" in text) == (nature == "bada"), text


def basis_claims(r: Rendered) -> None:
    """'Avtalet ingås med stöd av' names only the references marked as basis."""
    for text in r.clause("Syfte och bakgrund"):
        sentence = re.search(r"Avtalet ingås med stöd av (.+?\)\.)", text)
        assert sentence is not None, text
        assert sentence.group(1) == "9 kap. 37 § kommunallagen (2017:725).", sentence.group(1)
        assert "3 kap. 1 § socialtjänstlagen (2025:400)" in text  # an applicable provision
        # The basis is named once, with its note, and not listed again below.
        assert text.count("9 kap. 37 § kommunallagen") == 1, text


# --------------------------------------------------------------------------- the matrix


@pytest.fixture(scope="module")
def folders(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Callable[[str], Path]]:
    root = tmp_path_factory.mktemp("matris")
    yield lambda name: root / name


@pytest.mark.parametrize(("model", "hub"), list(itertools.product(COST_MODELS, (False, True))))
def test_cost_clause(model: str, hub: bool, folders: Callable[[str], Path]) -> None:
    data = spec(economics__model=COST_MODELS[model])
    r = render(with_hub(data) if hub else data, folders(f"kostnad-{model}-{hub}"))
    cost_claims(r, model)


@pytest.mark.parametrize("model", ["styckpris", "befolkning", "mottagande_part_alltid"])
def test_cost_clause_without_the_principle(model: str, folders: Callable[[str], Path]) -> None:
    data = spec(economics__model=COST_MODELS[model], economics__principle=None)
    cost_claims(render(data, folders(f"utan-princip-{model}")), model, principle=False)


TERM_CASES = list(itertools.product(TERMS, EXITS, NOTICES))


@pytest.mark.parametrize(("term", "exit_", "notice"), TERM_CASES)
def test_termination_clause(term: str, exit_: str | None, notice: int,
                            folders: Callable[[str], Path]) -> None:
    ongoing = ONGOING[TERM_CASES.index((term, exit_, notice)) % len(ONGOING)]
    termination = {"notice_months": notice, "form": "skriftlig"}
    if exit_ is not None:
        termination["exit"] = exit_
    if ongoing is not None:
        termination["ongoing_assignments_rule"] = ongoing
    data = spec(term=TERMS[term], termination=termination)
    r = render(data, folders(f"uppsagning-{term}-{exit_}-{notice}"))
    termination_claims(r, term, exit_, notice, ongoing)


@pytest.mark.parametrize(("forum", "negotiation"), list(itertools.product(FORUMS, (False, True))))
def test_disputes_clause_agreement(forum: str, negotiation: bool,
                                   folders: Callable[[str], Path]) -> None:
    data = spec(disputes={"forum": forum, "negotiation_first": negotiation})
    r = render(data, folders(f"tvist-{forum}-{negotiation}"))
    dispute_claims(r.clause("Tvister"), forum, negotiation)


@pytest.mark.parametrize("forum", FORUMS)
def test_disputes_clause_samverkansoverenskommelse(forum: str,
                                                   folders: Callable[[str], Path]) -> None:
    data = copy.deepcopy(SOK_BASE)
    data["disputes"] = {"forum": forum, "negotiation_first": True}
    r = render(data, folders(f"sok-tvist-{forum}"))
    texts = [_section(m, "Avvikelser och tvister") for m in r.agreements]
    dispute_claims(texts, forum, True)


@pytest.mark.parametrize(("roles", "hub"), list(itertools.product(PERSONAL_DATA, (False, True))))
def test_personal_data_clause(roles: str, hub: bool, folders: Callable[[str], Path]) -> None:
    data = spec(information__personal_data=PERSONAL_DATA[roles])
    r = render(with_hub(data) if hub else data, folders(f"pu-{roles}-{hub}"))
    personal_data_claims(r, roles)


@pytest.mark.parametrize("nature", NATURES)
def test_delegation_nature(nature: str, folders: Callable[[str], Path]) -> None:
    r = render(spec(delegation__nature=nature), folders(f"art-{nature}"))
    nature_claims(r, nature)


def test_legal_basis_sentence_names_only_the_basis(folders: Callable[[str], Path]) -> None:
    basis_claims(render(spec(), folders("lagrum")))


def test_proper_organ_names_keep_their_capital(folders: Callable[[str], Path]) -> None:
    data = spec()
    organ = data["parties"][0]["organs"][0]
    organ["name"], organ["proper_name"] = "Järva stadsdelsnämnd", True
    text = everything(render(data, folders("egennamn")))
    assert "järva stadsdelsnämnd" not in text
    assert "företräds av Järva stadsdelsnämnd" in text
    assert "föreslår att Järva stadsdelsnämnd ingår" in text


def test_common_organ_names_are_lower_case_in_running_text(
        folders: Callable[[str], Path]) -> None:
    text = everything(render(spec(), folders("vanligt-namn")))
    assert "företräds av socialnämnden" in text


# --------------------------------------------------------------------------- generated


@settings(max_examples=10, deadline=None, derandomize=True, database=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])
@given(
    model=st.sampled_from(sorted(COST_MODELS)),
    term=st.sampled_from(sorted(TERMS)),
    exit_=st.sampled_from(EXITS),
    notice=st.sampled_from(NOTICES),
    ongoing=st.sampled_from(ONGOING),
    forum=st.sampled_from(FORUMS),
    negotiation=st.booleans(),
    roles=st.sampled_from(sorted(PERSONAL_DATA)),
    nature=st.sampled_from(NATURES),
    hub=st.booleans(),
)
def test_generated_specs_make_no_contradicting_claim(
    tmp_path_factory: pytest.TempPathFactory, model: str, term: str, exit_: str | None,
    notice: int, ongoing: str | None, forum: str, negotiation: bool, roles: str,
    nature: str, hub: bool,
) -> None:
    termination: dict[str, Any] = {"notice_months": notice, "form": "skriftlig"}
    if exit_ is not None:
        termination["exit"] = exit_
    if ongoing is not None:
        termination["ongoing_assignments_rule"] = ongoing
    data = spec(
        economics__model=COST_MODELS[model],
        term=TERMS[term],
        termination=termination,
        disputes={"forum": forum, "negotiation_first": negotiation},
        information__personal_data=PERSONAL_DATA[roles],
        delegation__nature=nature,
    )
    r = render(with_hub(data) if hub else data, tmp_path_factory.mktemp("genererad"))
    cost_claims(r, model)
    termination_claims(r, term, exit_, notice, ongoing)
    dispute_claims(r.clause("Tvister"), forum, negotiation)
    personal_data_claims(r, roles)
    nature_claims(r, nature)
    basis_claims(r)


# --------------------------------------------------------------------------- wording variants
# Every value of every field the variant sentences read, alone and against the number of
# parties: each sentence says what its value means and nothing of the other values.

JAV_BASE: dict[str, Any] = read_yaml(
    ROOT / "specs" / "javsutredningar-strandvik-ekedal-ramsjo.yaml")
FM_OBJECT = {"released": "alla", "events": ["krig"], "notify_without_delay": True}


def _two_or_three(parties: int) -> dict[str, Any]:
    return copy.deepcopy(BASE if parties == 2 else JAV_BASE)


@pytest.mark.parametrize(("threshold", "notify", "parties"), list(itertools.product(
    (None, "hindras", "omojligt"), (None, "motparten", "alla_parter"), (2, 3))))
def test_force_majeure_variants(threshold: str | None, notify: str | None, parties: int,
                                folders: Callable[[str], Path]) -> None:
    data = _two_or_three(parties)
    fm = dict(FM_OBJECT)
    if threshold:
        fm["threshold"] = threshold
    if notify:
        fm["notify"] = notify
    data["force_majeure"] = fm
    r = render(data, folders(f"fm-{threshold}-{notify}-{parties}"))
    for text in r.clause("Befrielsegrunder (force majeure)"):
        assert ("om fullgörandet blir omöjligt" in text) == (threshold == "omojligt"), text
        assert ("i den mån fullgörandet hindras" in text) == (threshold != "omojligt"), text
        to = ("den andra parten" if parties == 2 else
              "den part som förpliktelsen gäller" if notify == "motparten" else "övriga parter")
        assert f"underrätta {to}." in text, text


@pytest.mark.parametrize(("written", "listed"), list(itertools.product((None, True, False),
                                                                      (False, True))))
def test_amendment_form_variants(written: bool | None, listed: bool,
                                 folders: Callable[[str], Path]) -> None:
    data = copy.deepcopy(BASE)
    if written is not None:
        data["amendments"]["minor_written"] = written
    if listed:
        data["amendments"]["minor"] = ["Ändrade kontaktuppgifter."]
    r = render(data, folders(f"andring-{written}-{listed}"))
    for text in r.clause("Ändringar och tillägg"):
        # Every change is in writing unless minor_written: false; a spec silent on the
        # form of minor changes gets no sentence of its own about it.
        free = written is False
        assert "ska vara skriftliga för att gälla" in text, text
        assert ("utom de mindre ändringar som anges nedan" in text) == free, text
        assert ("behöver inte vara skriftliga" in text) == free, text
        assert ("ska dokumenteras skriftligt" in text) == (written is True), text


@pytest.mark.parametrize("exhaustive", (None, True, False))
def test_task_list_exhaustive_or_examples(exhaustive: bool | None,
                                          folders: Callable[[str], Path]) -> None:
    data = copy.deepcopy(BASE)
    if exhaustive is not None:
        data["tasks"]["included_exhaustive"] = exhaustive
    r = render(data, folders(f"uppgifter-{exhaustive}"))
    for text in r.clause("Uppgifter som omfattas"):
        assert ("till exempel följande:" in text) == (exhaustive is False), text
        assert ("utföra följande uppgifter" in text) == (exhaustive is not False), text


@pytest.mark.parametrize(("threshold", "exhaustive", "ended_by"), list(itertools.product(
    (None, "skal", "synnerliga_skal"), (None, True, False),
    ("vardera_parten", "bestallande_part", "utforande_part"))))
def test_ending_an_assignment_variants(threshold: str | None, exhaustive: bool | None,
                                       ended_by: str, folders: Callable[[str], Path]) -> None:
    data = copy.deepcopy(JAV_BASE)
    ending = data["termination"]["assignments"]
    ending["ended_by"] = ended_by
    ending.pop("grounds_exhaustive", None)
    if exhaustive is not None:
        ending["grounds_exhaustive"] = exhaustive
    if threshold:
        ending["threshold"] = threshold
    r = render(data, folders(f"uppdrag-{threshold}-{exhaustive}-{ended_by}"))
    for text in r.clause("Avslut av enskilda uppdrag"):
        special = threshold == "synnerliga_skal"
        examples = exhaustive is False
        assert ("synnerliga skäl" in text) == special, text
        assert ("till exempel något av följande" in text) == examples, text
        assert ("Andra skäl ger inte rätt" in text) == (exhaustive is True), text
        # Three parties: "each party" is never all three, but the two of the assignment.
        assert "var och en av parterna" not in text, text
        if ended_by == "vardera_parten":
            assert "av hemkommunen eller av den mottagande kommunen" in text, text


@pytest.mark.parametrize(("by", "parties"), list(itertools.product((None, "own"), (2, 3))))
def test_invoicing_names_who_invoices(by: str | None, parties: int,
                                      folders: Callable[[str], Path]) -> None:
    data = _two_or_three(parties)
    data["economics"]["invoicing"] = {"interval_months": 3, "payment_days": 30}
    first = data["parties"][0]
    if by:
        data["economics"]["invoicing"]["by"] = first["id"]
    r = render(data, folders(f"faktura-{by}-{parties}"))
    for text in r.clause("Ersättning och kostnader"):
        assert "Fakturering sker" not in text, text
        if by:
            assert f"{first['name']} fakturerar" in text, text
        elif parties == 3:  # reciprocal: every party receives
            assert "Den mottagande kommunen fakturerar hemkommunen" in text, text
        else:
            assert "Stockholms stad fakturerar Region Stockholm" in text, text


@pytest.mark.parametrize(("holder", "call"), list(itertools.product((None, "region-stockholm"),
                                                                     (2, 4))))
def test_extension_by_agreement_or_by_option(holder: str | None, call: int,
                                             folders: Callable[[str], Path]) -> None:
    extension: dict[str, Any] = {"automatic": False, "period_months": 12, "max_extensions": 1}
    if holder:
        extension.update(holder=holder, call_months=call)
    data = spec(term={"start": "2026-01-01", "end": "2027-12-31", "extension": extension})
    r = render(data, folders(f"option-{holder}-{call}"))
    for text in r.clause("Avtalstid"):
        assert ("komma överens om att förlänga" in text) == (holder is None), text
        if holder:
            day = "31 oktober 2027" if call == 2 else "31 augusti 2027"
            assert (f"Region Stockholm har rätt att förlänga avtalet en gång med 12 månader. "
                    f"Förlängningen sker genom att Region Stockholm skriftligen meddelar "
                    f"Stockholms stad det senast den {day}.") in text, text


@pytest.mark.parametrize("form", (None, "skriftlig", "skriftlig_undertecknad"))
def test_form_of_notice_only_where_stated(form: str | None,
                                          folders: Callable[[str], Path]) -> None:
    termination: dict[str, Any] = {"notice_months": 6}
    if form:
        termination["form"] = form
    data = spec(term=TERMS["tills_vidare"], termination=termination)
    for text in render(data, folders(f"form-{form}")).clause("Uppsägning"):
        assert ("Uppsägningen ska vara skriftlig" in text) == (form is not None), text
        assert ("undertecknad av behörig företrädare" in text) == (
            form == "skriftlig_undertecknad"), text


@pytest.mark.parametrize("region_title", ("socialdirektören", "hälso- och sjukvårdsdirektören"))
def test_minor_changes_name_each_partys_own_official(region_title: str,
                                                     folders: Callable[[str], Path]) -> None:
    """Each party agrees to minor changes through its own official (decision.
    minor_amendments_by); the clause names them, once when all have the same title."""
    data = copy.deepcopy(BASE)
    data["amendments"]["minor"] = ["Ändrade kontaktuppgifter."]
    block = copy.deepcopy(data["parties"][0]["decision"])
    block.update(organ="halso-och-sjukvardsnamnden", minor_amendments_by=region_title)
    data["parties"][1]["decision"] = block
    r = render(data, folders(f"mindre-{region_title[:5]}"))
    for text in r.clause("Ändringar och tillägg"):
        assert "Följande mindre ändringar får parterna komma överens om:" in text, text
        if region_title == "socialdirektören":
            assert ("Vid sådana ändringar företräds varje part av socialdirektören hos parten."
                    in text), text
        else:
            assert ("Vid sådana ändringar företräds Stockholms stad av socialdirektören och "
                    "Region Stockholm av hälso- och sjukvårdsdirektören.") in text, text
        assert "parterna gemensamt" not in text, text


@pytest.mark.parametrize("adjusted", (False, True))
def test_a_price_adjustment_is_printed_as_the_spec_gives_it(
        adjusted: bool, folders: Callable[[str], Path]) -> None:
    """economics.price_adjustment reaches the agreement (index, month, cap), and an
    agreement without one says nothing of adjustment."""
    data = copy.deepcopy(BASE)
    if adjusted:
        data["economics"]["price_adjustment"] = {
            "index": "SKR:s prisindex för kommunal verksamhet", "month": 4, "cap_percent": 3}
    r = render(data, folders(f"prisjustering-{adjusted}"))
    for text in r.clause("Ersättning och kostnader"):
        sentence = ("Ersättningen justeras varje år från och med april efter SKR:s prisindex för "
                    "kommunal verksamhet, med högst 3 % per år.")
        assert (sentence in text) == adjusted, text
        assert ("justeras" in text) == adjusted, text


@pytest.mark.parametrize("each", [True, False])
def test_a_fixed_sum_from_several_payers_means_one_thing_everywhere(
        each: bool, folders: Callable[[str], Path]) -> None:
    """A fixed sum two parties pay is each one's (per_payer) or theirs together, in the
    agreement and in every staff report alike (it once read as one sum for all in the
    agreement and as each one's in the staff reports)."""
    data = spec(economics__model={"type": "fast_ersattning", "amount": 500000,
                                  **({"per_payer": True} if each else {})})
    third = copy.deepcopy(data["parties"][1])
    third.update(id="solna", name="Solna stad", type="kommun", org_nr="212000-0209")
    third["organs"] = [{"id": "socialnamnden", "name": "Socialnämnden"}]
    third["signatories"] = [{"name": "Eva Ek", "title": "Socialdirektör"}]
    third.pop("decision", None)
    data["parties"].append(third)
    r = render(data, folders(f"fast-summa-{each}"))
    agreement = " ".join(r.clause("Ersättning och kostnader"))
    word = "var och en" if each else "tillsammans"
    assert (f"Region Stockholm och Solna stad betalar {word} en fast ersättning om 500 000 "
            "kronor per år till Stockholms stad") in agreement
    received = _section(r.markdown["mini-maria-2026/stockholm/tjansteutlatande"],
                        "Ekonomiska konsekvenser")
    assert ("av var och en av Region Stockholm och Solna stad" in received) == each
    assert ("av Region Stockholm och Solna stad tillsammans" in received) == (not each)


@pytest.mark.parametrize(("total", "populations"), [
    (6200000, [21443, 9736, 5131]), (100, [1, 1, 1]), (1000001, [7, 5, 3, 1]), (0, [4, 6])])
def test_a_split_in_kronor_adds_up_to_the_total(total: int, populations: list[int]) -> None:
    """Each share rounded alone left a krona or two to nobody (a table of 6 199 999
    kronor under a total of 6 200 000): the kronor add up, and none is off by a krona."""
    shares = derive_shares(
        {"model": {"type": "befolkning", "total_cost": total, "populations": [
            {"party": f"p{i}", "population": n} for i, n in enumerate(populations)]}},
        {f"p{i}": f"P{i}" for i in range(len(populations))})
    amounts = [s.kronor for s in shares]
    assert sum(a for a in amounts if a is not None) == total
    for share, amount in zip(shares, amounts, strict=True):
        assert share.percent is not None and amount is not None
        assert abs(amount - total * share.percent / 100) < 1


def test_no_document_says_the_same_sentence_twice(out_dir: Path) -> None:
    """A field printed in two places of one document (follow_up.reporting stood in every
    staff report both under Ärendet and under Uppföljning): no line of eight words or more,
    outside a table, appears twice in any document of the examples."""
    repeated = {}
    for path in sorted(out_dir.rglob("*.md")):
        if path.name == "checklista.md":
            continue
        lines = [line.strip() for line in md_body(path.read_text(encoding="utf-8")).splitlines()
                 if len(line.split()) >= 8 and not line.lstrip().startswith("|")]
        twice = sorted({line for line in lines if lines.count(line) > 1})
        if twice:
            repeated[str(path.relative_to(out_dir))] = twice[0][:120]
    assert not repeated, repeated
