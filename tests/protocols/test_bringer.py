"""How a protocol says who brings the situation (field ``bringer``) and whether the facilitator
takes a turn in a share round (``facilitator_turn``): every built-in declares it as its field
document says, and a spec that contradicts itself is refused with a located, translated
message."""

import pytest
from django.utils import translation

from entraide.protocols.domain.library import builtin_sources
from entraide.protocols.domain.spec import SpecError, declared_bringer, parse_spec

pytestmark = pytest.mark.unit

BASE = """
format: 1
key: petit
title: Petit protocole
participants: {min: 3, max: 8}
%(bringer)s
roles:
  facilitator: {name: Facilitateur·rice, card: Anime.}
  offerer: {name: Personne qui apporte une situation, card: Expose.}
  contributor: {name: Contributeur·rice, card: Contribue.}
steps:
%(steps)s
"""

STEP = """  - key: %(key)s
    title: %(key)s
    activity: %(activity)s
    duration: {minutes: 10}
    actors: [%(actors)s]
"""


def spec_text(bringer: str | None, steps: list[tuple], roles_without_offerer: bool = False) -> str:
    text = BASE % {
        "bringer": f"bringer: {bringer}" if bringer else "",
        "steps": "".join(STEP % {"key": k, "activity": a, "actors": ", ".join(actors)} for k, a, actors in steps),
    }
    if roles_without_offerer:
        text = text.replace("  offerer: {name: Personne qui apporte une situation, card: Expose.}\n", "")
    return text


def test_every_builtin_declares_how_its_bringer_is_chosen():
    bringers = {}
    for source in builtin_sources():
        spec = parse_spec(source.text, source.filename, strict=True)
        assert "bringer" in spec.data, source.filename
        bringers[spec.key] = spec.bringer
    assert bringers == {
        "atelier-entraide": "vote",
        "analyse-des-pratiques": "volunteers",
        "echange-de-pratiques": "volunteers",
        "atelier-pratique": "volunteers",
        "supervision-collective": "raised",
        "brouillon-atelier": "none",
    }
    supervision = parse_spec(next(s.text for s in builtin_sources() if s.filename == "supervision-collective.yaml"))
    assert supervision.step("takeaways").facilitator_turn == "last"
    assert supervision.step("situation").activity == "situations"


def test_a_spec_without_the_field_gets_it_from_its_roles_and_steps():
    assert declared_bringer({"roles": {"facilitator": {}}, "steps": []}) == "none"
    assert declared_bringer({"roles": {"offerer": {}}, "steps": [{"activity": "vote"}]}) == "vote"
    assert declared_bringer({"roles": {"offerer": {}}, "steps": [{"activity": "situations"}]}) == "volunteers"


def test_a_volunteers_spec_parses():
    spec = parse_spec(spec_text("volunteers", [("choix", "situations", ["facilitator", "offerer"]), ("expose", "expose", ["offerer"])]))
    assert spec.bringer == "volunteers"


@pytest.mark.parametrize(
    "bringer, steps, without_offerer, step, field, words",
    [
        ("none", [("a", "info", [])], False, None, "bringer", "offerer"),
        ("volunteers", [("a", "info", [])], True, None, "bringer", "offerer"),
        ("vote", [("vote", "vote", []), ("consent", "consent", ["offerer"])], False, "vote", "activity", "problem_write"),
        ("vote", [("choix", "situations", [])], False, "choix", "activity", "volunteers"),
        ("volunteers", [("expose", "expose", ["offerer"]), ("choix", "situations", [])], False, "expose", "actors", "situations"),
        ("raised", [("expose", "expose", ["offerer"])], False, "expose", "actors", "situations"),
    ],
)
def test_a_contradicting_bringer_is_located_and_explained(bringer, steps, without_offerer, step, field, words):
    with translation.override("en"), pytest.raises(SpecError) as raised:
        parse_spec(spec_text(bringer, steps, without_offerer), "petit.yaml")
    issue = raised.value.issues[0]
    assert (issue.step, issue.field) == (step, field)
    assert words in issue.reason


def test_an_unknown_bringer_lists_the_choices_in_french():
    with translation.override("fr"), pytest.raises(SpecError) as raised:
        parse_spec(spec_text("tirage", [("a", "info", [])]), "petit.yaml")
    message = raised.value.messages[0]
    assert "bringer" in message and "vote, volunteers, raised, none" in message and "n'est pas" in message


def test_a_facilitator_turn_only_in_a_share_round_they_take_part_in():
    text = spec_text("volunteers", [("choix", "situations", ["offerer"]), ("tour", "share_round", ["offerer", "contributor"])])
    text = text.replace("    actors: [offerer, contributor]\n", "    actors: [offerer, contributor]\n    facilitator_turn: last\n")
    with translation.override("en"), pytest.raises(SpecError) as raised:
        parse_spec(text, "petit.yaml")
    assert (raised.value.issues[0].step, raised.value.issues[0].field) == ("tour", "facilitator_turn")
    assert parse_spec(text.replace("actors: [offerer, contributor]", "actors: [facilitator, offerer, contributor]")).step("tour").facilitator_turn == "last"
