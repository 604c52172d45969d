"""The kit's rules without PDF rendering: what is in it, how many of each, and bad input."""

from datetime import time

import pytest
from django.utils import translation
from hypothesis import given, settings as hypothesis_settings, strategies as st

from entraide.kit.domain.kit import KitError, build_kit, render_kit_html
from entraide.protocols.domain.spec import count_persons

pytestmark = pytest.mark.unit

BUILTIN_KEYS = [
    "analyse-des-pratiques",
    "atelier-entraide",
    "atelier-pratique",
    "brouillon-atelier",
    "echange-de-pratiques",
    "supervision-collective",
]


@st.composite
def protocol_and_group(draw, versions):
    key = draw(st.sampled_from(BUILTIN_KEYS))
    spec = versions[key].spec
    return key, draw(st.integers(spec.participants_min, spec.participants_max))


def test_every_builtin_is_known(builtin_versions):
    assert sorted(builtin_versions) == BUILTIN_KEYS


@hypothesis_settings(max_examples=60, deadline=None)
@given(data=st.data())
def test_counts_follow_the_group(builtin_versions, data):
    key, participants = data.draw(protocol_and_group(builtin_versions))
    version = builtin_versions[key]
    spec = version.spec
    kit = build_kit(version, participants, "fr")
    has_offerer = "offerer" in spec.roles
    contributors = participants - 1 - int(has_offerer)

    roles = [card.role for card in kit.cards]
    assert len(kit.cards) == participants
    assert roles.count("facilitator") == 1
    assert roles.count("offerer") == int(has_offerer)
    assert roles.count("contributor") == contributors

    used = {step.worksheet for step in spec.steps}
    for kind in ("rules", "problems", "formulation", "rebound", "harvest"):
        assert (kit.sheet(kind) is not None) == (kind in used), kind
    if "problems" in used:
        assert kit.copies("problems") == participants - 1 == count_persons("authors", participants)
    if "rebound" in used:
        assert kit.copies("rebound") == contributors
    for kind in ("rules", "formulation", "harvest"):
        assert kit.copies(kind) == (1 if kind in used else 0)

    # Role cards come in pages of at most 8, rows of at most 2, none lost.
    assert sum(len(row) for page in kit.card_pages for row in page) == participants
    assert all(len(page) <= 4 and all(len(row) <= 2 for row in page) for page in kit.card_pages)


def test_sheets_carry_the_instructions_of_the_steps_that_use_them(builtin_versions):
    version = builtin_versions["atelier-entraide"]
    kit = build_kit(version, 7, "de")
    formulation = kit.sheet("formulation")
    assert [step.title for step in formulation.steps] == ["Formulierung des Anliegens"]
    assert formulation.steps[0].instruction == version.spec.step("reformulation").instruction("offerer", "de")
    problems = kit.sheet("problems")
    assert [step.title for step in problems.steps] == ["Anliegen finden", "Anliegen vorstellen"]
    assert problems.steps[0].instruction == version.spec.step("problem-search").instruction("contributor", "de")
    assert kit.sheet("rules").steps[0].instruction == version.spec.step("rules").instruction("facilitator", "de")
    # The time printed on a sheet is the fitted time of its steps.
    minutes = {item.step.key: item.minutes for item in kit.agenda.items}
    assert kit.sheet("harvest").minutes == minutes["harvest"] + minutes["action-plan"]


def test_without_times_the_agenda_keeps_the_indicative_durations(builtin_versions):
    version = builtin_versions["atelier-entraide"]
    kit = build_kit(version, 7, "fr")
    assert kit.agenda.start_time == time(14, 0)
    assert all(item.minutes == item.step.duration.bounds(7)[1] for item in kit.agenda.items)
    ending = build_kit(version, 7, "fr", end=time(12, 0))
    assert ending.agenda.end_time == time(12, 0)
    fitted = build_kit(version, 7, "fr", start=time(9, 0), end=time(12, 0))
    assert fitted.agenda.start_time == time(9, 0) and fitted.agenda.end_time <= time(12, 0)


@pytest.mark.parametrize(
    ("participants", "language", "times", "message"),
    [
        (0, "fr", {}, "au moins 2 participant·es"),
        (1, "fr", {}, "au moins 2 participant·es"),
        (-3, "fr", {}, "au moins 2 participant·es"),
        (2, "fr", {}, "de 4 à 12"),
        (13, "fr", {}, "de 4 à 12"),
        ("sept", "fr", {}, "« sept » n'est pas un nombre"),
        (7, "es", {}, "Langue inconnue « es » : choisissez parmi fr, de, en."),
        (7, "", {}, "Langue inconnue"),
        (7, None, {}, "Langue inconnue"),
        (7, "fr", {"start": time(14), "end": time(15)}, "au moins 1 h 24"),
        (7, "fr", {"start": time(23, 0)}, "après minuit"),
    ],
)
def test_bad_input_says_why(builtin_versions, participants, language, times, message):
    with translation.override("fr"), pytest.raises(KitError) as raised:
        build_kit(builtin_versions["atelier-entraide"], participants, language, **times)
    assert message in raised.value.message


def test_the_message_is_in_the_users_language(builtin_versions):
    with translation.override("de"), pytest.raises(KitError) as raised:
        build_kit(builtin_versions["atelier-entraide"], 20, "fr")
    assert "für 4 bis 12 Teilnehmende" in raised.value.message


@pytest.mark.parametrize(
    ("language", "present", "absent"),
    [
        ("en", ["Rules of the game", "Echoes on the problem", "I would like the group to help me to…", "Situation offerer"], ["Règles du jeu", "Rebond", "Offreur"]),
        ("de", ["Spielregeln", "Resonanz auf das Anliegen", "Ich möchte, dass die Gruppe mir hilft, …", "Fallgebende Person"], ["Règles du jeu", "Rebond", "Offreur"]),
        ("fr", ["Règles du jeu", "Rebond sur la problématique", "J'aimerais que le groupe m'aide à…", "Offreur·se de situation"], ["Rules of the game", "Echoes"]),
    ],
)
def test_the_document_speaks_the_kits_language(builtin_versions, language, present, absent):
    html = render_kit_html(build_kit(builtin_versions["atelier-entraide"], 7, language))
    assert f'<html lang="{language}">' in html
    for text in present:
        assert text.replace("'", "&#x27;") in html or text in html, text
    for text in absent:
        assert text not in html, text
