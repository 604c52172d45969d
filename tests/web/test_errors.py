"""When the database is away, people get a clear "try again" (503), not a server error."""

import pytest
from django.db import OperationalError
from django.test import Client

from entraide.web import views


@pytest.fixture
def broken_database(monkeypatch):
    def unreachable(request):
        raise OperationalError("connection refused")

    monkeypatch.setattr(views, "protocol_library", unreachable)


def _client() -> Client:
    return Client(raise_request_exception=False, HTTP_ACCEPT_LANGUAGE="fr")


def test_an_unreachable_database_gives_a_french_try_again_page(db, broken_database, settings):
    settings.DEBUG = False
    response = _client().get("/protocoles/")
    assert response.status_code == 503
    assert response["Retry-After"] == "5"
    page = response.content.decode()
    assert "Réessayez dans un instant" in page and "Rien de ce que vous aviez confirmé" in page


def test_a_background_command_gets_the_message_as_json(db, broken_database, settings):
    settings.DEBUG = False
    response = _client().get("/protocoles/", HTTP_ACCEPT="text/html, application/json;q=0.5")
    assert response.status_code == 503
    assert response.json()["code"] == "retry"
    assert "Réessayez" in response.json()["message"]


def test_other_errors_stay_server_errors(db, monkeypatch, settings):
    settings.DEBUG = False

    def broken(request):
        raise RuntimeError("a bug")

    monkeypatch.setattr(views, "protocol_library", broken)
    response = _client().get("/protocoles/")
    assert response.status_code == 500
    assert "Un problème est survenu" in response.content.decode()
