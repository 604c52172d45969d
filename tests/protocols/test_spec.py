"""The spec format: the built-ins are valid in three languages; invalid specs are refused
with messages naming the file, the step and the field, in the user's language."""

import pytest
from django.utils import translation

from entraide.protocols.domain.library import builtin_sources
from entraide.protocols.domain.spec import LANGUAGES, SpecError, parse_spec

pytestmark = pytest.mark.unit

EXPECTED_BUILTINS = {
    "atelier-entraide",
    "atelier-pratique",
    "analyse-des-pratiques",
    "echange-de-pratiques",
    "brouillon-atelier",
    "supervision-collective",
}

MINIMAL = """
format: 1
key: petit
title: {fr: Petit protocole, de: Kleines Protokoll, en: Small protocol}
participants: {min: 3, max: 8}
roles:
  facilitator: {name: Facilitateur·rice, card: Anime.}
  contributor: {name: Contributeur·rice, card: Contribue.}
steps:
  - key: accueil
    title: Accueil
    activity: info
    duration: {minutes: 10, min: 5, max: 15}
  - key: echanges
    title: Échanges
    activity: exchange
    duration: {minutes: 20, min: 20, max: 45, stretch: 1}
    actors: [contributor]
"""


def test_every_builtin_is_valid_in_three_languages():
    sources = builtin_sources()
    specs = {parse_spec(source.text, source.filename, strict=True).key: source for source in sources}
    assert set(specs) == EXPECTED_BUILTINS
    for key, source in specs.items():
        assert source.filename == f"{key}.yaml"
        spec = parse_spec(source.text, source.filename, strict=True)
        assert spec.languages == LANGUAGES


def test_atelier_entraide_follows_the_field_document():
    source = next(s for s in builtin_sources() if s.filename == "atelier-entraide.yaml")
    spec = parse_spec(source.text, source.filename, strict=True)
    assert [step.key for step in spec.steps][0] == "invitation"
    assert spec.steps[-1].activity == "documentation" and spec.steps[-1].phase == "after"
    exchanges = spec.step("exchanges")
    assert (exchanges.duration.min, exchanges.duration.max, exchanges.duration.stretch) == (20, 45, 1)
    assert spec.step("contributors-sharing").duration.per_person == 1
    assert spec.step("problem-pitches").duration.per_person == 2
    assert [s.activity for s in spec.timed_steps] == [
        "info", "info", "rules", "problem_write", "pitch", "vote", "consent", "expose", "clarify",
        "reformulate", "reflect", "exchange", "harvest", "action_plan", "share_round", "share_round",
    ]
    assert {"facilitator", "offerer", "contributor"} == set(spec.roles)
    # What each role does at each step, as the déroulé table gives it.
    clarification = spec.step("clarification")
    assert "factuelle" in clarification.instruction("offerer", "fr")
    assert spec.step("reformulation").instruction("offerer", "fr").count("J'aimerais que le groupe m'aide à") == 1


def test_a_minimal_spec_parses_and_single_texts_are_french():
    spec = parse_spec(MINIMAL, "petit.yaml")
    assert spec.step("accueil").title.get("de") == "Accueil"
    assert spec.title.get("de") == "Kleines Protokoll"
    assert spec.languages == ("fr",)


def _messages(source: str, filename: str = "petit.yaml", language: str = "fr", **kwargs) -> list[str]:
    with translation.override(language):
        with pytest.raises(SpecError) as raised:
            parse_spec(source, filename, **kwargs)
        return raised.value.messages


def test_a_duration_out_of_range_names_file_step_and_field():
    broken = MINIMAL.replace("{minutes: 20, min: 20, max: 45, stretch: 1}", "{minutes: 20, min: 20, max: 10}")
    [message] = _messages(broken)
    assert message.startswith("petit.yaml")
    assert "« echanges »" in message
    assert "« duration.max »" in message
    assert "au moins" in message


def test_messages_follow_the_users_language():
    broken = MINIMAL.replace("activity: exchange", "activity: discussion")
    [french] = _messages(broken, language="fr")
    [german] = _messages(broken, language="de")
    [english] = _messages(broken, language="en")
    assert "« echanges »" in french and "activity" in french and "discussion" in french
    assert "„echanges“" in german
    assert french != german != english
    assert "step “echanges”" in english and "field “activity”" in english


@pytest.mark.parametrize(
    ("change", "step", "field"),
    [
        (("    title: Accueil\n", ""), "accueil", "title"),  # a required field
        (("activity: info", "activity: info\n    colour: blue"), "accueil", None),  # unknown field
        (("duration: {minutes: 10, min: 5, max: 15}", "duration: {minutes: dix}"), "accueil", "duration.minutes"),
        (("key: echanges", "key: Échanges!"), None, "key"),  # an invalid key
        (("key: echanges", "key: accueil"), "accueil", "key"),  # a duplicated key
        (("actors: [contributor]", "actors: [offerer]"), "echanges", "actors"),  # undefined role
        (("participants: {min: 3, max: 8}", "participants: {min: 9, max: 8}"), None, "participants.min"),
        (("duration: {minutes: 10, min: 5, max: 15}", "duration: {per_person: 2, minutes: 4}"), "accueil", "duration.minutes"),
    ],
)
def test_each_kind_of_mistake_is_located(change, step, field):
    old, new = change
    assert old in MINIMAL
    messages = _messages(MINIMAL.replace(old, new, 1))
    assert messages, "an invalid spec must be refused"
    message = messages[0]
    assert message.startswith("petit.yaml")
    if step:
        assert f"étape « {step} »" in message or f"« {step} »" in message
    if field:
        assert f"« {field} »" in message


def test_invalid_yaml_gives_the_line():
    [message] = _messages("format: 1\nkey: [unclosed\n")
    assert "petit.yaml" in message and "ligne" in message


def test_strict_mode_requires_every_language():
    messages = _messages(MINIMAL, strict=True)
    assert any("« accueil »" in m and "« title »" in m and "de, en" in m for m in messages)


def test_a_huge_source_is_refused_before_parsing():
    [message] = _messages("# " + "x" * 300_000)
    assert "trop long" in message
