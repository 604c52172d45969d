"""Platform staff create accounts in the admin with the same password rules as everyone."""

import pytest
from django.contrib.auth import get_user_model
from django.test import Client

from tests.conftest import PASSWORD

pytestmark = pytest.mark.integration

User = get_user_model()


@pytest.fixture
def staff(db):
    return User.objects.create_superuser("admin@example.org", PASSWORD, display_name="Admin")


def _form(password: str) -> dict:
    return {"email": "nouvelle@example.org", "display_name": "Nouvelle", "usable_password": "true", "password1": password, "password2": password}


def test_the_admin_creates_an_account_with_a_strong_password(staff):
    client = Client(HTTP_ACCEPT_LANGUAGE="fr")
    client.force_login(staff)
    assert client.get("/admin/core/user/add/").status_code == 200
    response = client.post("/admin/core/user/add/", _form("un jardin sous la pluie"))
    assert response.status_code == 302, response.content.decode()[:2000]
    assert User.objects.get(email="nouvelle@example.org").check_password("un jardin sous la pluie")


def test_the_admin_refuses_a_short_password(staff):
    client = Client(HTTP_ACCEPT_LANGUAGE="fr")
    client.force_login(staff)
    response = client.post("/admin/core/user/add/", _form("court-11car"))
    assert response.status_code == 200
    assert "au minimum 12 caractères" in response.content.decode()
    assert not User.objects.filter(email="nouvelle@example.org").exists()
