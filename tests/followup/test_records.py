"""The session record: the group's members only, with everyone's consent; withdrawn at once
when someone withdraws; exported as Markdown and PDF."""

import subprocess
import uuid

import pytest
from django.urls import reverse

from entraide.core.tenancy import all_tenants
from entraide.live.domain import commands
from entraide.web.live_views import cookie_name

from .conftest import hold_session

pytestmark = pytest.mark.django_db


def urls(organisation, held):
    kwargs = {"org": organisation.slug, "session": held.group_session.pk}
    return [reverse(name, kwargs=kwargs) for name in ("web:followup-record", "web:followup-record-md", "web:followup-record-pdf")]


def withdraw(held, user, agrees=False):
    participant, _secret = held.seat(user)
    commands.execute(held.live.pk, participant.pk, str(uuid.uuid4()), "give_consent", {"agrees": agrees})


def test_members_of_the_group_read_it(client, held, member, colleague, organisation):
    page_url, _md, _pdf = urls(organisation, held)
    for person in (member, colleague):
        client.force_login(person)
        response = client.get(page_url)
        assert response.status_code == 200
        html = response.content.decode()
        assert "Notes condensées de la séance" in html and "Une idée qui m" in html and "Appeler la cheffe de service" in html
    listing = client.get(reverse("web:followup-plans", kwargs={"org": organisation.slug})).content.decode()
    assert page_url in listing


def test_nobody_else_reads_it(client, held, coordinator, commissioner, other_coordinator, make_member, organisation, facilitator):
    outsider = make_member(9)  # a member of the organisation, not of the group
    for person in (coordinator, commissioner, other_coordinator, outsider, facilitator):
        client.force_login(person)
        for url in urls(organisation, held):
            response = client.get(url)
            assert response.status_code in (403, 404), (person, url)
            assert b"Notes condens" not in response.content
    client.logout()
    assert client.get(urls(organisation, held)[0]).status_code == 302  # to the login page


def test_no_record_without_everyone_consent(client, group, coordinator, facilitator, member, colleague, organisation):
    held = hold_session(group, coordinator, facilitator, member, others=[colleague], consent=False)
    participant, _secret = held.seat(member)
    commands.execute(held.live.pk, participant.pk, str(uuid.uuid4()), "give_consent", {"agrees": True})
    client.force_login(member)
    response = client.get(urls(organisation, held)[0])
    assert response.status_code == 404 and "n'est pas (ou plus) partagé" in response.content.decode()
    assert b"Notes condens" not in response.content


def test_withdrawal_withdraws_it_at_once_and_consent_shares_it_again(client, held, member, colleague, organisation):
    page_url, md_url, pdf_url = urls(organisation, held)
    client.force_login(member)
    assert client.get(page_url).status_code == 200
    # The colleague withdraws from the ended session's page (their seat).
    participant, secret = held.seat(colleague)
    other = client.__class__()
    other.cookies[cookie_name(held.live)] = secret
    response = other.post(
        reverse("web:live-command", kwargs={"code": held.live.join_code}),
        {"command": "give_consent", "agrees": "no", "client_id": str(uuid.uuid4()), "view": "participant"},
    )
    assert response.status_code == 302
    for url in (page_url, md_url, pdf_url):
        response = client.get(url)
        assert response.status_code == 404 and b"Notes condens" not in response.content
    withdraw(held, colleague, agrees=True)
    assert client.get(page_url).status_code == 200


def test_markdown_export(client, held, member, organisation):
    _page, md_url, _pdf = urls(organisation, held)
    client.force_login(member)
    response = client.get(md_url)
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/markdown")
    assert "attachment" in response["Content-Disposition"] and ".md" in response["Content-Disposition"]
    text = response.content.decode()
    assert text.startswith("# Compte rendu de séance — Échange de pratiques")
    assert "## Les notes condensées" in text and "Notes condensées de la séance" in text
    assert "- Une idée qui m'a parlé" in text  # not HTML-escaped
    assert "- Appeler la cheffe de service (" in text and "- Relire mes notes" in text


def test_pdf_export_read_back(client, held, member, organisation, tmp_path):
    _page, _md, pdf_url = urls(organisation, held)
    client.force_login(member)
    response = client.get(pdf_url)
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    path = tmp_path / "record.pdf"
    path.write_bytes(response.content)
    text = subprocess.run(["pdftotext", "-layout", str(path), "-"], capture_output=True, text=True, check=True).stdout
    assert "Compte rendu de séance" in text
    assert "Notes condensées de la séance" in text and "Appeler la cheffe de service" in text
    assert "Confidentiel" in text


def test_a_session_of_another_organisation_is_a_404(client, held, other_coordinator, other_organisation):
    client.force_login(other_coordinator)
    url = reverse("web:followup-record", kwargs={"org": other_organisation.slug, "session": held.group_session.pk})
    assert client.get(url).status_code == 404
