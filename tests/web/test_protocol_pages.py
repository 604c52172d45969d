"""The protocol library, the agenda, copies and edits through HTTP, with and without htmx."""

from html import unescape

import pytest
from django.test import Client
from django.urls import reverse

from entraide.core.tenancy import all_tenants, tenant_scope
from entraide.protocols.domain.library import copy_protocol
from entraide.protocols.models import Protocol

pytestmark = pytest.mark.integration


@pytest.fixture
def atelier(builtins):
    with all_tenants():
        return Protocol.objects.select_related("current").get(organisation=None, key="atelier-entraide")


@pytest.fixture
def copy(atelier, organisation, coordinator):
    return copy_protocol(atelier, organisation, coordinator)


def login(client, user):
    client.force_login(user)


@pytest.mark.parametrize(
    ("language", "expected"),
    [("fr", "Bibliothèque des protocoles"), ("de", "Protokollbibliothek"), ("en", "Protocol library")],
)
def test_the_library_in_each_language(client, builtins, language, expected):
    response = client.get(reverse("web:protocol-library"), HTTP_ACCEPT_LANGUAGE=language)
    assert response.status_code == 200
    html = response.content.decode()
    assert expected in html
    assert f'<html lang="{language}">' in html
    assert html.count('class="card"') == 6


def test_french_is_the_default_language(client, builtins):
    html = unescape(client.get(reverse("web:protocol-library")).content.decode())
    assert '<html lang="fr">' in html and "Atelier d'entraide" in html


def test_the_language_switcher_keeps_the_choice(client, builtins):
    response = client.post(reverse("set_language"), {"language": "de", "next": "/protocoles/"})
    assert response.status_code == 302 and response.url == "/protocoles/"
    assert "Protokollbibliothek" in client.get("/protocoles/").content.decode()


def test_the_protocol_page_shows_roles_and_every_step(client, atelier):
    html = unescape(client.get(atelier.get_absolute_url()).content.decode())
    for step in atelier.spec.steps:
        assert step.title.get("fr") in html
    assert "Offreur·se de situation" in html
    assert "20 à 45 min" in html and "1 min par personne" in html


def test_fitting_an_agenda_without_javascript(client, atelier):
    response = client.get(atelier.prepare_url, {"participants": 7, "start": "14:00", "end": "16:30"})
    assert response.status_code == 200
    html = response.content.decode()
    assert 'data-testid="agenda-end">16:30<' in html
    assert "Échanges entre les contributeur·rices" in html and "45 min" in html
    assert "<html" in html  # the whole page


def test_fitting_an_agenda_with_htmx_returns_the_fragment(client, atelier):
    response = client.get(
        atelier.prepare_url, {"participants": 7, "start": "14:00", "end": "16:30"}, HTTP_HX_REQUEST="true"
    )
    html = response.content.decode()
    assert "<html" not in html and 'data-testid="agenda-end"' in html


@pytest.mark.parametrize(
    ("params", "message"),
    [
        ({"participants": 7, "start": "14:00", "end": "15:00"}, "au moins 1 h 24"),
        ({"participants": 30, "start": "14:00", "end": "16:30"}, "de 4 à 12 participant·es"),
        ({"participants": 7, "start": "16:00", "end": "14:00"}, "après le début"),
        ({"participants": "sept", "start": "14:00", "end": "16:30"}, "nombre entier"),
        ({"participants": 7, "start": "25:00", "end": "16:30"}, "heure valide"),
    ],
)
def test_bad_agenda_input_gets_a_clear_french_message(client, atelier, params, message):
    response = client.get(atelier.prepare_url, params)
    assert response.status_code == 200
    html = response.content.decode()
    assert message in html
    assert 'data-testid="agenda-end"' not in html


def test_a_coordinator_copies_and_adapts_a_protocol(client, atelier, organisation, coordinator):
    login(client, coordinator)
    response = client.post(reverse("web:protocol-copy", kwargs={"key": "atelier-entraide"}), {"organisation": organisation.pk})
    assert response.status_code == 302
    with tenant_scope(organisation):
        copy = Protocol.objects.get(organisation=organisation, key="atelier-entraide")
    edit_url = copy.url("protocol-edit")
    assert response.url == edit_url
    source = copy.current.source.replace("{minutes: 20, min: 20, max: 45, stretch: 1}", "{minutes: 25, min: 20, max: 50, stretch: 1}")
    response = client.post(edit_url, {"source": source})
    assert response.status_code == 302
    with tenant_scope(organisation):
        copy.refresh_from_db()
        assert copy.current.number == 2
        assert copy.spec.step("exchanges").duration.max == 50
    # The built-in is untouched.
    with all_tenants():
        assert Protocol.objects.get(pk=atelier.pk).spec.step("exchanges").duration.max == 45


def test_an_invalid_edit_is_refused_with_the_schemas_message_and_the_version_kept(client, copy, organisation, coordinator):
    login(client, coordinator)
    broken = copy.current.source.replace("{minutes: 20, min: 20, max: 45, stretch: 1}", "{minutes: 20, min: 30, max: 45}")
    response = client.post(copy.url("protocol-edit"), {"source": broken})
    assert response.status_code == 400
    html = response.content.decode()
    assert "atelier-entraide.yaml" in html and "« exchanges »" in html and "« duration.min »" in html
    assert "la version actuelle est inchangée" in html
    # What the coordinator typed is still in the form: nothing is lost.
    assert "min: 30, max: 45" in html
    with tenant_scope(organisation):
        copy.refresh_from_db()
        assert copy.current.number == 1 and copy.versions.count() == 1


def test_the_key_of_a_copy_cannot_change(client, copy, organisation, coordinator):
    login(client, coordinator)
    response = client.post(copy.url("protocol-edit"), {"source": copy.current.source.replace("key: atelier-entraide", "key: autre", 1)})
    assert response.status_code == 400 and "ne peut pas changer" in response.content.decode()


@pytest.mark.parametrize("who", ["member", "facilitator", "commissioner"])
def test_only_coordinators_edit(client, copy, request, who):
    login(client, request.getfixturevalue(who))
    assert client.get(copy.url("protocol-edit")).status_code == 403
    assert client.post(copy.url("protocol-edit"), {"source": "format: 1"}).status_code == 403


def test_another_organisation_sees_nothing(client, copy, other_coordinator, other_organisation):
    login(client, other_coordinator)
    for url in (copy.get_absolute_url(), copy.url("protocol-edit"), copy.prepare_url, reverse("web:organisation", kwargs={"org": "reseau"})):
        assert client.get(url).status_code == 404, url
    response = client.post(reverse("web:org-protocol-copy", kwargs={"org": "reseau", "key": copy.key}), {"organisation": other_organisation.pk})
    assert response.status_code == 404


def test_anonymous_visitors_are_sent_to_login_for_organisation_pages(client, copy):
    response = client.get(copy.get_absolute_url())
    assert response.status_code == 302 and response.url.startswith(reverse("web:login"))


def test_copying_into_an_organisation_where_one_is_not_coordinator_is_refused(client, atelier, organisation, other_organisation, coordinator):
    login(client, coordinator)
    response = client.post(reverse("web:protocol-copy", kwargs={"key": "atelier-entraide"}), {"organisation": other_organisation.pk}, follow=True)
    assert "Choisissez une organisation" in response.content.decode()
    with all_tenants():
        assert not Protocol.objects.filter(organisation=other_organisation).exists()


def test_pages_send_a_strict_content_security_policy(client, builtins):
    response = client.get("/")
    assert "script-src 'self'" in response.headers["Content-Security-Policy"]
    assert "unsafe-inline" not in response.headers["Content-Security-Policy"]


def test_the_library_costs_the_same_queries_with_one_or_many_copies(client, atelier, organisation, coordinator, django_assert_max_num_queries):
    login(client, coordinator)
    copy_protocol(atelier, organisation, coordinator)
    client.get("/protocoles/")
    with django_assert_max_num_queries(8) as few:
        client.get("/protocoles/")
    for _ in range(4):
        copy_protocol(atelier, organisation, coordinator)
    with django_assert_max_num_queries(len(few.captured_queries)):
        client.get("/protocoles/")


def test_the_api_fits_an_agenda_and_publishes_its_schema(client, builtins, member, organisation):
    """The API's protocol paths, with a personal token (tests/api has the rest of the API)."""
    from entraide.api.domain.tokens import create_token

    api = Client(HTTP_AUTHORIZATION=f"Bearer {create_token(member, organisation, 'test', 'read').secret}")
    response = api.get("/api/v1/protocols/atelier-entraide/agenda", {"participants": 7, "start": "14:00", "end": "16:30"})
    assert response.status_code == 200
    data = response.json()
    assert data["protocol"] == "atelier-entraide" and data["end"] == "16:30"
    error = api.get("/api/v1/protocols/atelier-entraide/agenda", {"participants": 7, "start": "14:00", "end": "14:30"})
    assert error.status_code == 400 and "au moins" in error.json()["detail"]
    assert error.json()["code"] == "window_too_short"
    assert api.get("/api/v1/protocols/inconnu/agenda", {"participants": 7, "start": "14:00", "end": "16:30"}).status_code == 404
    schema = client.get("/api/v1/openapi.json").json()
    assert "/api/v1/protocols/{key}/agenda" in schema["paths"]
    assert {"detail", "code", "field"} <= set(schema["components"]["schemas"]["ErrorOut"]["properties"])
    keys = {p["key"] for p in api.get("/api/v1/protocols").json()["items"]}
    assert "atelier-entraide" in keys and len(keys) == 6
