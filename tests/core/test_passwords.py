"""Passwords: at least 12 characters, not a common one (Django's validators, settings); change;
reset by email, read back from the outbox."""

import re

import pytest
from django.contrib.auth import get_user_model
from django.contrib.auth.password_validation import validate_password
from django.core import mail
from django.core.exceptions import ValidationError
from django.test import Client

from entraide.core.management.commands.load_demo import DEMO_ACCOUNTS, DEMO_PASSWORD
from tests.conftest import PASSWORD

pytestmark = pytest.mark.integration

User = get_user_model()
NEW_PASSWORD = "un jardin sous la pluie"


def _client(language: str = "fr") -> Client:
    return Client(HTTP_ACCEPT_LANGUAGE=language)


@pytest.mark.parametrize("password", ["court-11car", "qwerty123456", "1q2w3e4r5t6y", "lea@example.org"])
def test_short_or_common_passwords_are_refused(db, password):
    with pytest.raises(ValidationError):
        validate_password(password, User(email="lea@example.org", display_name="Léa"))


def test_the_demo_password_is_long_enough_and_not_common(db):
    # Set by load_demo (never through a form); it would only fail the similarity check with the
    # demo addresses (…@demo.entraide.test), which is what the demo is about.
    assert len(DEMO_PASSWORD) == 13
    validate_password(DEMO_PASSWORD)
    assert DEMO_ACCOUNTS


def test_a_member_changes_their_password(member):
    client = _client()
    client.force_login(member)
    page = client.get("/mot-de-passe/")
    assert page.status_code == 200 and "Modifier votre mot de passe" in page.content.decode()
    response = client.post("/mot-de-passe/", {"old_password": PASSWORD, "new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD})
    assert response.status_code == 302 and response["Location"] == "/mot-de-passe/modifie/"
    member.refresh_from_db()
    assert member.check_password(NEW_PASSWORD)
    # Still logged in on this device (Django updates the session's hash).
    assert client.get("/mot-de-passe/modifie/").status_code == 200


@pytest.mark.parametrize(
    ("new", "message"),
    [("court-11car", "au minimum 12 caractères"), ("qwerty123456", "trop courant")],
)
def test_a_weak_new_password_is_refused_in_french_and_changes_nothing(member, new, message):
    client = _client()
    client.force_login(member)
    response = client.post("/mot-de-passe/", {"old_password": PASSWORD, "new_password1": new, "new_password2": new})
    assert response.status_code == 200
    assert message in response.content.decode()
    member.refresh_from_db()
    assert member.check_password(PASSWORD)


def test_the_password_pages_need_an_account(db):
    response = _client().get("/mot-de-passe/")
    assert response.status_code == 302 and response["Location"].startswith("/connexion/")


def _reset_link(message) -> str:
    links = re.findall(r"https?://[^/\s]+(/mot-de-passe/nouveau/[^\s]+/)", message.body)
    assert len(links) == 1, message.body
    return links[0]


def test_reset_by_email_end_to_end(member):
    member.display_name = "Léa & <Co>"
    member.save()
    client = _client()
    response = client.post("/mot-de-passe/oublie/", {"email": member.email.upper()})
    assert response.status_code == 302 and response["Location"] == "/mot-de-passe/oublie/envoye/"
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.to == [member.email]
    assert message.subject == "Entraide : choisir un nouveau mot de passe"
    assert message.content_subtype == "plain" and not getattr(message, "alternatives", None)  # plain text only
    # Plain text, never HTML-escaped, and nothing but the link: no name, no content.
    assert "&amp;" not in message.body and "&#x27;" not in message.body and "&lt;" not in message.body
    assert "Si vous n'avez rien demandé" in message.body
    assert "Léa" not in message.body
    link = _reset_link(message)

    form = client.get(link, follow=True)
    assert form.status_code == 200 and "Choisir un nouveau mot de passe" in form.content.decode()
    set_url = form.redirect_chain[-1][0]
    # A weak new password is refused and changes nothing.
    weak = client.post(set_url, {"new_password1": "court-11car", "new_password2": "court-11car"})
    assert weak.status_code == 200 and "au minimum 12 caractères" in weak.content.decode()
    member.refresh_from_db()
    assert member.check_password(PASSWORD)

    done = client.post(set_url, {"new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD})
    assert done.status_code == 302 and done["Location"] == "/mot-de-passe/nouveau/fait/"
    member.refresh_from_db()
    assert member.check_password(NEW_PASSWORD)
    # The link works once.
    again = _client().get(link, follow=True)
    assert "plus valable" in again.content.decode()
    # The new password logs in, the old one no longer does.
    assert _client().post("/connexion/", {"username": member.email, "password": PASSWORD}).status_code == 200
    assert _client().post("/connexion/", {"username": member.email, "password": NEW_PASSWORD}).status_code == 302


def test_reset_of_an_unknown_address_looks_the_same_and_sends_nothing(db):
    response = _client().post("/mot-de-passe/oublie/", {"email": "personne@example.org"})
    assert response.status_code == 302 and response["Location"] == "/mot-de-passe/oublie/envoye/"
    assert mail.outbox == []


def test_the_reset_email_is_in_the_accounts_language(member):
    member.language = "de"
    member.save()
    _client("fr").post("/mot-de-passe/oublie/", {"email": member.email})
    (message,) = mail.outbox
    assert message.subject == "Entraide: ein neues Passwort wählen"
    assert "Passwort" in message.body


def test_the_login_page_offers_the_reset(db):
    page = _client().get("/connexion/").content.decode()
    assert 'href="/mot-de-passe/oublie/"' in page and "Mot de passe oublié ?" in page


def test_repeated_reset_requests_send_no_more_mail_and_look_the_same(member):
    from entraide.core.auth import RESET_MAILS_PER_ACCOUNT, RESET_MAILS_PER_ADDRESS

    answers = set()
    for number in range(RESET_MAILS_PER_ACCOUNT + 2):
        response = Client(REMOTE_ADDR=f"198.51.100.{number + 1}").post("/mot-de-passe/oublie/", {"email": member.email})
        answers.add((response.status_code, response["Location"]))
    assert answers == {(302, "/mot-de-passe/oublie/envoye/")}
    assert len(mail.outbox) == RESET_MAILS_PER_ACCOUNT

    # One address asking for many accounts is held back as well.
    mail.outbox.clear()
    others = [User.objects.create_user(f"personne{number}@example.org", PASSWORD, display_name="P") for number in range(RESET_MAILS_PER_ADDRESS + 2)]
    for other in others:
        Client(REMOTE_ADDR="203.0.113.99").post("/mot-de-passe/oublie/", {"email": other.email})
    assert len(mail.outbox) == RESET_MAILS_PER_ADDRESS
