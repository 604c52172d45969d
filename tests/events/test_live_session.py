"""The event's live session (issue 12, atelier pratique): opened from the event's page by its
facilitators and the coordinators, with the registered presenters seated as presenters and
their questions as the room's cases, the hosts seated, languages from the registrations, and
each seated person emailed their personal link. Refusals change nothing."""

import html

import pytest
from django.core import mail
from django.urls import reverse

from entraide.core.models import Role
from entraide.core.tenancy import all_tenants
from entraide.events.domain.events import save_event
from entraide.events.domain.registrations import register
from entraide.events.models import Event
from entraide.live.domain.event_session import EventSessionRefused, open_event_session
from entraide.live.domain.opening import hash_secret
from entraide.live.models import ROOM_NUMBER, LiveRole, LiveSession, Participant, Problem

from ..conftest import _account
from .conftest import HOST, PARTICIPANT, PRESENTER, QUESTION, event_data

pytestmark = pytest.mark.integration


def text(response) -> str:
    return html.unescape(response.content.decode())


def url(event, name="detail") -> str:
    return reverse(f"events:{name}", kwargs={"org": event.organisation.slug, "slug": event.slug})


@pytest.fixture
def animator(organisation):
    return _account(organisation, "animation@example.org", Role.MEMBER)


@pytest.fixture
def outsider(organisation):
    return _account(organisation, "membre@example.org", Role.MEMBER)


@pytest.fixture
def event(builtins, organisation, coordinator, animator):
    event = save_event(organisation, coordinator, event_data(facilitators=(animator.pk,)), {HOST: 2, PRESENTER: 3, PARTICIPANT: 5})
    register(event, PRESENTER, "Bruno", "bruno@example.org", question=QUESTION, language="de")
    register(event, PRESENTER, "Chloé", "chloe@example.org", question="Comment garder les bénévoles ?")
    register(event, HOST, "Hélène Hôte", "helene@example.org")
    register(event, PARTICIPANT, "Ana", "ana@example.org")
    mail.outbox.clear()
    return event


def seats(session):
    with all_tenants():
        return list(Participant.objects.filter(session=session).order_by("pk"))


def test_the_event_facilitator_opens_the_live_session_with_presenters_and_questions(client, event, animator, django_capture_on_commit_callbacks):
    client.force_login(animator)
    page = text(client.get(url(event)))
    assert "Open the live session" in page or "Ouvrir la session en direct" in page
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(url(event, "open-live"))
    with all_tenants():
        session = LiveSession.objects.get(event=event)
    assert response.status_code == 302 and response["Location"] == reverse("web:live-console", kwargs={"code": session.join_code})
    assert session.protocol_version.protocol.key == "atelier-pratique" and session.title == event.title
    people = seats(session)
    assert [(p.display_name, p.role, p.languages) for p in people] == [
        (animator.display_name[:40], LiveRole.FACILITATOR, ""),
        ("Bruno", LiveRole.OFFERER, "de"), ("Chloé", LiveRole.OFFERER, "fr"), ("Hélène Hôte", LiveRole.CONTRIBUTOR, "fr"),
    ]
    assert all(p.table.number == ROOM_NUMBER for p in people)
    with all_tenants():
        cases = list(Problem.objects.filter(session=session).order_by("pk"))
    assert [(c.author.display_name, c.text, c.table.number) for c in cases] == [
        ("Bruno", QUESTION, ROOM_NUMBER), ("Chloé", "Comment garder les bénévoles ?", ROOM_NUMBER),
    ]
    # Each seated person got their own personal link, in their language; Ana joins by code.
    assert sorted(m.to[0] for m in mail.outbox) == ["bruno@example.org", "chloe@example.org", "helene@example.org"]
    bruno_mail = next(m for m in mail.outbox if m.to == ["bruno@example.org"])
    link = next(line for line in bruno_mail.body.splitlines() if "/retour/" in line).strip()
    secret = link.rstrip("/").rsplit("/", 1)[-1]
    assert hash_secret(secret) == people[1].secret_hash
    assert "Bruno" in bruno_mail.body and session.title in bruno_mail.subject
    # The console answers the facilitator (the cookie was set); the page now shows the session.
    assert client.get(response["Location"]).status_code == 200
    page = text(client.get(url(event)))
    assert session.join_code[:4] in page and reverse("web:live-console", kwargs={"code": session.join_code}) in page
    # The presenter's link seats them as the presenter.
    phone = client.__class__()
    back = phone.get(link)
    assert back.status_code == 302 and phone.get(back["Location"]).status_code == 200


def test_a_coordinator_may_open_it_and_a_second_opening_is_refused(client, event, coordinator):
    client.force_login(coordinator)
    assert client.post(url(event, "open-live")).status_code == 302
    again = client.post(url(event, "open-live"), follow=True)
    assert "already open" in text(again) or "déjà ouverte" in text(again)
    with all_tenants():
        assert LiveSession.objects.filter(event=event).count() == 1


def test_others_cannot_open_it(client, event, outsider, organisation):
    client.force_login(outsider)
    assert client.post(url(event, "open-live")).status_code in (403, 404)
    assert "open-live-session" not in text(client.get(url(event))) if client.get(url(event)).status_code == 200 else True
    client.logout()
    assert client.post(url(event, "open-live")).status_code in (302, 403, 404)
    with all_tenants():
        assert not LiveSession.objects.filter(event=event).exists()
    with pytest.raises(Exception):
        open_event_session(event, outsider)


def test_a_cancelled_event_has_no_live_session(event, animator):
    event.status = Event.Status.CANCELLED
    event.save(update_fields=["status"])
    with pytest.raises(EventSessionRefused):
        open_event_session(event, animator)
    with all_tenants():
        assert not LiveSession.objects.filter(event=event).exists()


def test_hours_too_short_for_the_protocol_are_refused_with_nothing_created(client, event, animator):
    from datetime import time

    event.end = time(14, 30)
    event.save(update_fields=["end"])
    client.force_login(animator)
    response = client.post(url(event, "open-live"), follow=True)
    assert response.status_code == 200
    with all_tenants():
        assert not LiveSession.objects.filter(event=event).exists()
        assert not Participant.objects.filter(display_name="Bruno").exists()
    assert mail.outbox == []
