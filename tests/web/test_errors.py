"""When the database is away, people get a clear "try again" (503), not a server error."""

import pytest
from django.test import Client


@pytest.fixture
def failing_views(settings):
    settings.ROOT_URLCONF = "tests.web.error_urls"


def _client() -> Client:
    return Client(raise_request_exception=False, HTTP_ACCEPT_LANGUAGE="fr")


def test_an_unreachable_database_gives_a_french_try_again_page(db, failing_views, settings):
    settings.DEBUG = False
    response = _client().get("/test/unreachable/")
    assert response.status_code == 503
    assert response["Retry-After"] == "5"
    page = response.content.decode()
    assert "Réessayez dans un instant" in page and "Rien de ce que vous aviez confirmé" in page


def test_a_background_command_gets_the_message_as_json(db, failing_views, settings):
    settings.DEBUG = False
    response = _client().get("/test/unreachable/", HTTP_ACCEPT="text/html, application/json;q=0.5")
    assert response.status_code == 503
    assert response.json()["code"] == "retry"
    assert "Réessayez" in response.json()["message"]


def test_other_errors_stay_server_errors(db, failing_views, settings):
    settings.DEBUG = False
    response = _client().get("/test/buggy/")
    assert response.status_code == 500
    assert "Un problème est survenu" in response.content.decode()


def test_an_unknown_address_gets_the_sites_own_404_in_french(db, settings):
    settings.DEBUG = False
    response = _client().get("/nulle-part/")
    assert response.status_code == 404
    page = response.content.decode()
    assert "Page introuvable" in page and "Vérifiez l&#x27;adresse" in page
    assert 'class="site-header"' in page and "app.css" in page  # the site's layout
    assert "URLconf" not in page and "urlpatterns" not in page


def test_the_404_speaks_german_too(db, settings):
    settings.DEBUG = False
    response = Client(HTTP_ACCEPT_LANGUAGE="de").get("/nulle-part/")
    assert response.status_code == 404 and "Seite nicht gefunden" in response.content.decode()


def test_a_refused_page_gets_the_sites_own_403(db, organisation, commissioner, settings):
    settings.DEBUG = False
    client = _client()
    client.force_login(commissioner)
    response = client.get(f"/o/{organisation.slug}/suivi/")
    assert response.status_code == 403
    page = response.content.decode()
    assert "Accès refusé" in page and 'class="site-header"' in page


def test_a_form_without_its_token_gets_the_sites_own_page(db):
    response = Client(enforce_csrf_checks=True, HTTP_ACCEPT_LANGUAGE="fr").post("/connexion/", {"username": "a@example.org", "password": "x"})
    assert response.status_code == 403
    page = response.content.decode()
    assert "Cette page a expiré" in page and 'class="site-header"' in page
    assert "CSRF verification failed" not in page and "Forbidden" not in page
