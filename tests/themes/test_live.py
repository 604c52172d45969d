"""A theme as a live session's thematic input: attached from the console, shown to everyone at
the steps whose activity is the theme, read in one query per render."""

import html

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from entraide.core.tenancy import all_tenants
from entraide.themes.domain.library import ThemeData, attach_theme, create_theme, theme_for_session
from entraide.themes.models import Theme, ThemeAttachment

pytestmark = pytest.mark.integration


def text(response) -> str:
    return html.unescape(response.content.decode())


def device(room, person) -> Client:
    browser = Client()
    browser.cookies[f"entraide_live_{room.session.pk}"] = room.secrets[person.pk]
    return browser


def builtin(key: str, language: str = "fr") -> Theme:
    with all_tenants():
        return Theme.objects.get(organisation=None, key=key, language=language)


def start_and_go_to_theme(room) -> None:
    room.run(room.facilitator, "start")
    room.go_to("theme")


def attachment_queries(context) -> int:
    return sum(1 for query in context.captured_queries if "themes_themeattachment" in query["sql"])


def test_facilitator_attaches_from_the_console_and_everyone_sees_it_at_the_theme_step(exchange_room):
    room = exchange_room
    console = device(room, room.facilitator)
    page = reverse("themes:session", kwargs={"code": room.session.join_code})
    assert "Écoute active" in text(console.get(page))
    theme = builtin("ecoute-active")
    response = console.post(page, {"theme": theme.pk})
    assert response.status_code == 302
    assert response["Location"] == reverse("web:live-console", kwargs={"code": room.session.join_code})
    assert theme_for_session(room.session.pk) == theme

    phone = device(room, room.people[0])
    participant_url = reverse("web:live", kwargs={"code": room.session.join_code})
    room.run(room.facilitator, "start")
    assert "Rogers" not in text(phone.get(participant_url))  # not at the welcome step
    room.go_to("theme")
    shown = text(phone.get(participant_url))
    assert 'data-testid="theme-input"' in shown and "Écoute active" in shown and "Carl Rogers" in shown
    console_page = text(console.get(reverse("web:live-console", kwargs={"code": room.session.join_code})))
    assert "Carl Rogers" in console_page and "Changer de thématique" in console_page
    projector = text(console.get(reverse("web:live-projector", kwargs={"code": room.session.join_code})))
    assert "Carl Rogers" in projector


def test_the_theme_is_read_once_per_render(exchange_room):
    room = exchange_room
    attach_theme(room.session, builtin("mediation"))
    start_and_go_to_theme(room)
    for person, name in ((room.people[1], "web:live"), (room.facilitator, "web:live-console"), (room.facilitator, "web:live-projector")):
        browser = device(room, person)
        with CaptureQueriesContext(connection) as context:
            response = browser.get(reverse(name, kwargs={"code": room.session.join_code}))
        assert response.status_code == 200 and "Médiation" in text(response)
        assert attachment_queries(context) == 1, name


def test_attaching_moves_the_version_so_open_pages_refresh(exchange_room):
    room = exchange_room
    before = room.table().version
    attach_theme(room.session, builtin("mediation"))
    assert room.table().version == before + 1


def test_a_contributor_or_a_stranger_cannot_attach(exchange_room, member, other_coordinator):
    room = exchange_room
    page = reverse("themes:session", kwargs={"code": room.session.join_code})
    theme = builtin("mediation")
    assert device(room, room.people[0]).post(page, {"theme": theme.pk}).status_code == 404
    for user in (member, other_coordinator):
        browser = Client()
        browser.force_login(user)
        assert browser.post(page, {"theme": theme.pk}).status_code == 404
    assert Client().get(page).status_code == 404
    assert theme_for_session(room.session.pk) is None


def test_a_coordinator_may_attach(exchange_room, coordinator):
    browser = Client()
    browser.force_login(coordinator)
    page = reverse("themes:session", kwargs={"code": exchange_room.session.join_code})
    assert browser.post(page, {"theme": builtin("mediation").pk}).status_code == 302
    assert theme_for_session(exchange_room.session.pk).key == "mediation"


def test_bad_choices_change_nothing(exchange_room, other_organisation, other_coordinator):
    room = exchange_room
    console = device(room, room.facilitator)
    page = reverse("themes:session", kwargs={"code": room.session.join_code})
    attach_theme(room.session, builtin("mediation"))
    theirs = create_theme(other_organisation, other_coordinator, ThemeData("Secret", "Résumé.", "Texte.", "fr"))
    for bad in ("", "abc", "999999", str(theirs.pk)):
        response = console.post(page, {"theme": bad}, follow=True)
        assert "Choisissez une thématique dans la liste" in text(response)
    assert theme_for_session(room.session.pk).key == "mediation"


def test_changing_and_removing_the_theme(exchange_room):
    room = exchange_room
    console = device(room, room.facilitator)
    page = reverse("themes:session", kwargs={"code": room.session.join_code})
    console.post(page, {"theme": builtin("mediation").pk})
    console.post(page, {"theme": builtin("ecoute-active", "de").pk})
    with all_tenants():
        assert ThemeAttachment.objects.filter(live_session=room.session).count() == 1
    assert theme_for_session(room.session.pk).title == "Aktives Zuhören"
    console.post(page, {"action": "detach"})
    assert theme_for_session(room.session.pk) is None
    start_and_go_to_theme(room)
    assert 'data-testid="theme-input"' not in text(device(room, room.people[0]).get(reverse("web:live", kwargs={"code": room.session.join_code})))
    assert "Aucun apport thématique" in text(console.get(reverse("web:live-console", kwargs={"code": room.session.join_code})))
