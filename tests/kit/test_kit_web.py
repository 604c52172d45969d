"""The kit over HTTP: the protocol page's form, an organisation's own protocol, a live session."""

from datetime import time
from html import unescape

import pytest
from django.urls import reverse

from entraide.core.tenancy import all_tenants
from entraide.live.domain.opening import join, open_session
from entraide.protocols.domain.library import copy_protocol
from entraide.protocols.models import Protocol

from .pdf import occurrences, pages_with, pdf_pages

pytestmark = pytest.mark.integration


@pytest.fixture
def atelier(builtins):
    with all_tenants():
        return Protocol.objects.select_related("current").get(organisation=None, key="atelier-entraide")


def login(client, user):
    client.force_login(user)


def kit_url(protocol=None, **params) -> str:
    from urllib.parse import urlencode

    return reverse("web:protocol-kit", kwargs={"key": "atelier-entraide"}) + "?" + urlencode(params)


def test_the_protocol_page_offers_the_kit(client, atelier):
    html = unescape(client.get(atelier.get_absolute_url()).content.decode())
    assert "Kit imprimable" in html and "Télécharger le kit (PDF)" in html
    # The fragment brings a re-shown form (bad input) into view.
    assert f'action="{reverse("web:protocol-kit", kwargs={"key": "atelier-entraide"})}#kit"' in html
    assert 'name="participants"' in html and 'value="7"' in html
    assert '<option value="fr" selected>' in html


def test_anyone_downloads_a_builtin_kit(client, atelier):
    response = client.get(kit_url(participants=6, language="de"))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"] == 'attachment; filename="kit-atelier-entraide-6-de.pdf"'
    pages = pdf_pages(response.content)
    assert pages_with(pages, "Ablauf: Kollegiale Beratung (Atelier d'entraide)") >= 1
    assert pages_with(pages, "ANLIEGEN DER TEILNEHMENDEN") == 5
    assert pages_with(pages, "RESONANZ AUF DAS ANLIEGEN") == 4


def test_start_and_end_are_used(client, atelier):
    response = client.get(kit_url(participants=7, language="fr", start="09:00", end="11:30"))
    assert response.status_code == 200
    first = pdf_pages(response.content)[0]
    assert "Début 09:00" in first and "Fin 11:30" in first


@pytest.mark.parametrize(
    ("params", "message"),
    [
        ({"participants": 0, "language": "fr"}, "Un kit demande au moins 2 participant·es"),
        ({"participants": 1, "language": "fr"}, "Un kit demande au moins 2 participant·es"),
        ({"participants": 13, "language": "fr"}, "se pratique de 4 à 12 participant·es"),
        ({"participants": "sept", "language": "fr"}, "Saisissez un nombre entier."),
        ({"participants": 7, "language": "es"}, "Sélectionnez un choix valide"),
        ({"participants": 7, "language": "fr", "start": "14:00", "end": "15:00"}, "au moins 1 h 24"),
        ({"language": "fr"}, "Ce champ est obligatoire."),
    ],
)
def test_bad_input_shows_the_form_again_with_the_reason(client, atelier, params, message):
    response = client.get(kit_url(**params))
    assert response.status_code == 400
    assert response["Content-Type"].startswith("text/html")
    html = unescape(response.content.decode())
    assert message in html
    assert 'id="kit"' in html and "Télécharger le kit (PDF)" in html
    if "participants" in params:
        assert f'name="participants" value="{params["participants"]}"' in html


def test_the_message_follows_the_interface_language(client, atelier):
    response = client.get(kit_url(participants=20, language="fr"), HTTP_ACCEPT_LANGUAGE="en")
    assert response.status_code == 400
    assert "is for 4 to 12 participants" in unescape(response.content.decode())


def test_an_unknown_protocol_is_not_found(client, builtins):
    assert client.get(reverse("web:protocol-kit", kwargs={"key": "inconnu"}) + "?participants=7&language=fr").status_code == 404


def test_an_organisations_own_protocol_follows_its_visibility(client, atelier, organisation, coordinator, member, other_coordinator):
    copy = copy_protocol(atelier, organisation, coordinator)
    url = reverse("web:org-protocol-kit", kwargs={"org": organisation.slug, "key": copy.key}) + "?participants=5&language=fr"
    assert client.get(url).status_code == 302  # to the login page
    login(client, other_coordinator)
    assert client.get(url).status_code == 404
    client.logout()
    login(client, member)
    response = client.get(url)
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    page = unescape(client.get(copy.get_absolute_url()).content.decode())
    assert reverse("web:org-protocol-kit", kwargs={"org": organisation.slug, "key": copy.key}) in page


@pytest.fixture
def session(atelier, organisation, facilitator):
    session, seat = open_session(
        organisation=organisation, protocol=atelier, facilitator=facilitator, participants=6, start=time(9), end=time(11, 30), title="Atelier du jeudi"
    )
    return session


def test_the_facilitator_prints_the_sessions_kit_with_its_join_poster(client, session, facilitator):
    login(client, facilitator)
    console = unescape(client.get(reverse("web:live-console", kwargs={"code": session.join_code})).content.decode())
    url = reverse("web:live-kit", kwargs={"code": session.join_code})
    assert f'href="{url}"' in console and "Imprimer le kit (PDF)" in console
    response = client.get(url)
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"] == f'attachment; filename="kit-atelier-entraide-6-fr-{session.join_code.lower()}.pdf"'
    pages = pdf_pages(response.content)
    poster = next(page for page in pages if "Rejoindre la séance" in page)
    assert "Atelier du jeudi" in poster
    assert session.join_code in poster
    assert f"http://testserver/rejoindre/?code={session.join_code}" in poster
    # Sized to the planned group, fitted to the planned window.
    assert pages_with(pages, "PROBLÉMATIQUE DES PARTICIPANT·ES") == 5
    assert occurrences(pages, "CONTRIBUTEUR·RICE") == 4
    assert "Début 09:00" in pages[0]


def test_the_session_kit_in_another_language(client, session, facilitator):
    login(client, facilitator)
    response = client.get(reverse("web:live-kit", kwargs={"code": session.join_code}) + "?lang=en")
    assert response.status_code == 200
    assert pages_with(pdf_pages(response.content), "Join the session") == 1
    bad = client.get(reverse("web:live-kit", kwargs={"code": session.join_code}) + "?lang=xx", follow=True)
    assert "Langue inconnue « xx »" in unescape(bad.content.decode())


def test_only_who_runs_the_session_prints_its_kit(client, session, member, coordinator):
    url = reverse("web:live-kit", kwargs={"code": session.join_code})
    assert client.get(url).status_code == 404
    seat = join(session, "Amina")
    client.cookies[f"entraide_live_{session.pk}"] = seat.secret
    assert client.get(url).status_code == 404  # a participant
    client.cookies.clear()
    for user in (member, coordinator):
        login(client, user)
        assert client.get(url).status_code == 404
        client.logout()
    assert client.get(reverse("web:live-kit", kwargs={"code": "NOPE99"})).status_code == 404
