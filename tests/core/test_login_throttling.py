"""Login throttling (issue 10: "50 wrong passwords from one address, then the right one was
accepted"). django-axes counts failures per account and, separately, per address, on every door
that checks a password: the site's login and the admin's."""

import re
from datetime import timedelta

import pytest
from axes.models import AccessAttempt
from django.conf import settings
from django.test import Client
from django.utils import timezone

from tests.conftest import PASSWORD

pytestmark = pytest.mark.integration

LOGIN = "/connexion/"
ADMIN_LOGIN = "/admin/login/"
LIMIT = settings.AXES_FAILURE_LIMIT


def _client(address: str = "203.0.113.7", **headers) -> Client:
    return Client(REMOTE_ADDR=address, HTTP_ACCEPT_LANGUAGE="fr", **headers)


def _login(client: Client, username: str, password: str, door: str = LOGIN):
    return client.post(door, {"username": username, "password": password})


def _logged_in(client: Client) -> bool:
    return "_auth_user_id" in client.session


def _main(response) -> str:
    """The page's own content, without the CSRF token that differs on each page."""
    page = response.content.decode()
    main = page[page.index('<main id="content">'):page.index("</main>")]
    return re.sub(r'name="csrfmiddlewaretoken" value="[^"]+"', "", main)


def test_fifty_wrong_passwords_from_one_address_then_the_right_one_is_refused(member):
    client = _client()
    for _ in range(50):
        response = _login(client, member.email, "not the password at all")
        assert response.status_code in (200, 429)
        assert not _logged_in(client)
    response = _login(client, member.email, PASSWORD)
    assert response.status_code == 429
    assert not _logged_in(client)
    page = response.content.decode()
    assert "Trop de tentatives" in page and "15 minutes" in page
    assert member.email not in page


def test_the_limit_is_reached_at_the_configured_failure_count(member):
    client = _client()
    for _ in range(LIMIT - 1):
        assert _login(client, member.email, "wrong password here").status_code == 200
    # One failure short of the limit, the right password still opens.
    assert _login(client, member.email, PASSWORD).status_code == 302
    assert _logged_in(client)


def test_one_account_is_locked_across_addresses(member):
    for number in range(LIMIT):
        response = _login(_client(f"198.51.100.{number + 1}"), member.email, "wrong password here")
        assert response.status_code in (200, 429)
    fresh = _client("192.0.2.200")
    response = _login(fresh, member.email, PASSWORD)
    assert response.status_code == 429 and not _logged_in(fresh)


def test_the_account_is_the_same_whatever_its_case_and_spaces(member):
    spellings = [member.email.upper(), f"  {member.email}", member.email.title(), f"{member.email} ", member.email]
    for number, spelling in enumerate(spellings[:LIMIT]):
        _login(_client(f"198.51.100.{number + 1}"), spelling, "wrong password here")
    fresh = _client("192.0.2.201")
    assert _login(fresh, member.email, PASSWORD).status_code == 429
    assert not _logged_in(fresh)


def test_one_address_is_locked_across_accounts(member, facilitator):
    client = _client("203.0.113.50")
    for number in range(LIMIT):
        _login(client, f"someone{number}@example.org", "wrong password here")
    response = _login(client, member.email, PASSWORD)
    assert response.status_code == 429 and not _logged_in(client)
    # The same account from another address is not concerned.
    elsewhere = _client("203.0.113.51")
    assert _login(elsewhere, member.email, PASSWORD).status_code == 302 and _logged_in(elsewhere)


def test_a_forged_forwarded_for_header_does_not_give_a_fresh_address(member):
    for number in range(LIMIT):
        _login(_client("203.0.113.60", HTTP_X_FORWARDED_FOR=f"10.0.0.{number}"), f"someone{number}@example.org", "wrong password")
    client = _client("203.0.113.60", HTTP_X_FORWARDED_FOR="10.9.9.9")
    assert _login(client, member.email, PASSWORD).status_code == 429


def test_the_lockout_says_the_same_for_an_unknown_account_and_a_real_one(member):
    for number in range(LIMIT):
        _login(_client(f"198.51.100.{number + 1}"), member.email, "wrong password here")
        _login(_client(f"198.51.100.{number + 101}"), "personne@example.org", "wrong password here")
    real = _login(_client("192.0.2.10"), member.email, "wrong password here")
    unknown = _login(_client("192.0.2.11"), "personne@example.org", "wrong password here")
    assert real.status_code == unknown.status_code == 429
    assert _main(real) == _main(unknown)


def test_a_wrong_password_says_the_same_for_an_unknown_account_and_a_real_one(member):
    real = _login(_client("192.0.2.20"), member.email, "wrong password here")
    unknown = _login(_client("192.0.2.21"), "personne@example.org", "wrong password here")
    assert real.status_code == unknown.status_code == 200
    assert _main(real).replace(member.email, "X") == _main(unknown).replace("personne@example.org", "X")


def test_the_lockout_speaks_the_visitors_language(member):
    for number in range(LIMIT):
        _login(_client(f"198.51.100.{number + 1}"), member.email, "wrong password here")
    response = Client(REMOTE_ADDR="192.0.2.30", HTTP_ACCEPT_LANGUAGE="de").post(LOGIN, {"username": member.email, "password": PASSWORD})
    assert response.status_code == 429
    assert "Zu viele" in response.content.decode()


def test_the_admin_login_is_throttled_too(db):
    from django.contrib.auth import get_user_model

    get_user_model().objects.create_superuser("admin@example.org", PASSWORD, display_name="Admin")
    client = _client("203.0.113.70")
    for _ in range(LIMIT):
        _login(client, "admin@example.org", "wrong password here", door=ADMIN_LOGIN)
    response = _login(client, "admin@example.org", PASSWORD, door=ADMIN_LOGIN)
    assert response.status_code == 429
    assert "_auth_user_id" not in client.session
    # The site's door is closed to that account as well.
    assert _login(_client("203.0.113.71"), "admin@example.org", PASSWORD).status_code == 429


def test_after_the_cool_off_the_right_password_opens_again(member):
    client = _client()
    for _ in range(LIMIT):
        _login(client, member.email, "wrong password here")
    assert _login(client, member.email, PASSWORD).status_code == 429
    AccessAttempt.objects.update(attempt_time=timezone.now() - settings.AXES_COOLOFF_TIME - timedelta(minutes=1))
    assert _login(client, member.email, PASSWORD).status_code == 302
    assert _logged_in(client)
