"""Specs posted by coordinators: YAML anchors and aliases refused at once (billion laughs),
titles and names on one line. Messages name the file and the problem, in the user's language."""

import time

import pytest
from django.utils import translation

from entraide.protocols.domain.spec import SpecError, parse_spec
from tests.core.test_safe_yaml import billion_laughs

from .test_spec import MINIMAL

pytestmark = pytest.mark.unit


@pytest.mark.parametrize(
    ("language", "expected"),
    [
        ("fr", "les ancres (&a) ne sont pas permises"),
        ("de", "Anker (&a) sind nicht erlaubt"),
        ("en", "anchors (&a) are not allowed"),
    ],
)
def test_the_billion_laughs_is_refused_fast_with_a_translated_message(language, expected):
    started = time.perf_counter()
    with translation.override(language), pytest.raises(SpecError) as refused:
        parse_spec(billion_laughs(), "mon-protocole.yaml")
    assert time.perf_counter() - started < 0.5
    message = str(refused.value.issues[0])
    assert "mon-protocole.yaml" in message and expected in message


def test_an_alias_inside_a_valid_spec_is_refused():
    source = MINIMAL.replace("title: Accueil", "title: &t Accueil").replace("title: Échanges", "title: *t")
    with translation.override("fr"), pytest.raises(SpecError) as refused:
        parse_spec(source, "petit.yaml")
    assert "ancres (&t)" in str(refused.value.issues[0])


@pytest.mark.parametrize("character", ["\r", "\n", "\x0c", "\t", "\x00", "\u2028"])
def test_titles_and_role_names_must_fit_on_one_line(character):
    escaped = character.encode("unicode_escape").decode()
    source = (
        MINIMAL.replace("title: {fr: Petit protocole,", f'title: {{fr: "Petit{escaped}protocole",')
        .replace("title: Accueil", f'title: "Accueil{escaped}@import url(http://127.0.0.1:1/x);"')
        .replace("contributor: {name: Contributeur·rice,", f'contributor: {{name: "Contri{escaped}buteur·rice",')
    )
    with translation.override("fr"), pytest.raises(SpecError) as refused:
        parse_spec(source, "petit.yaml")
    fields = {(issue.step, issue.field) for issue in refused.value.issues}
    assert fields == {(None, "title.fr"), ("accueil", "title"), (None, "roles.contributor.name")}
    assert all("tenir sur une seule ligne" in issue.reason for issue in refused.value.issues)


def test_instructions_and_cards_keep_their_line_breaks():
    source = MINIMAL.replace("card: Contribue.}", 'card: "Contribue.\\nÉcoute."}')
    assert parse_spec(source, "petit.yaml").roles["contributor"].card.get("fr") == "Contribue.\nÉcoute."
