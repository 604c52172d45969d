"""The event's facilitators (issue 12): named by the coordinator among the organisation's
members, they read the event's page with the presenters' questions, cannot edit the event or
cancel registrations; every rule allowed and refused (404 outside, 403 inside)."""

import html

import pytest
from django.urls import reverse

from entraide.core import access
from entraide.core.models import Role
from entraide.events.domain.errors import EventError
from entraide.events.domain.events import facilitator_choices, save_event
from entraide.events.domain.registrations import register

from ..conftest import _account
from .conftest import HOST, PARTICIPANT, PRESENTER, QUESTION, event_data, registrations

pytestmark = pytest.mark.integration

CAPACITIES = {HOST: 2, PRESENTER: 2, PARTICIPANT: 2}


def text(response) -> str:
    return html.unescape(response.content.decode())


def url(event, name="detail", **more) -> str:
    return reverse(f"events:{name}", kwargs={"org": event.organisation.slug, "slug": event.slug, **more})


@pytest.fixture
def animator(organisation):
    """A member (not a facilitator of the organisation) who will facilitate the event."""
    return _account(organisation, "animation@example.org", Role.MEMBER)


@pytest.fixture
def facilitated(builtins, organisation, coordinator, animator):
    event = save_event(organisation, coordinator, event_data(facilitators=(animator.pk,)), CAPACITIES)
    register(event, HOST, "Hélène Hôte", "helene@example.org")
    register(event, PRESENTER, "Bruno", "bruno@example.org", question=QUESTION)
    register(event, PARTICIPANT, "Ana", "ana@example.org")
    return event


def test_the_coordinator_names_facilitators_in_the_form(client, builtins, organisation, coordinator, animator, commissioner):
    client.force_login(coordinator)
    create = reverse("events:create", kwargs={"org": organisation.slug})
    page = text(client.get(create))
    assert "Animation" in page and "Drh" not in page  # commissioners are not offered
    data = {
        "title": "Atelier pratique", "date": "2031-03-14", "start": "14:00", "end": "17:00", "mode": "on_site",
        "place": "Suhr", "languages": ["fr"], "capacity_host": "1", "capacity_presenter": "1", "capacity_participant": "4",
        "status": "published", "public": "on", "facilitators": [str(animator.pk)],
    }
    response = client.post(create, data)
    assert response.status_code == 302
    from entraide.core.tenancy import tenant_scope
    from entraide.events.models import Event

    with tenant_scope(organisation):
        event = Event.objects.get()
        assert event.facilitator_ids() == {animator.pk}
    edit = url(event, "edit")
    assert f'value="{animator.pk}"' in text(client.get(edit)) and "checked" in text(client.get(edit))
    # A commissioner cannot be named: the form says so and nothing changes.
    refused = client.post(edit, {**data, "facilitators": [str(commissioner.pk)]})
    assert refused.status_code == 400
    with tenant_scope(organisation):
        assert Event.objects.get().facilitators.get() == animator


def test_facilitators_must_be_members_of_the_organisation(builtins, organisation, coordinator, other_coordinator, commissioner, animator):
    for stranger in (other_coordinator, commissioner):
        with pytest.raises(EventError) as refused:
            save_event(organisation, coordinator, event_data(facilitators=(stranger.pk,)), CAPACITIES)
        assert refused.value.field == "facilitators"
        assert "membres" in refused.value.message
    assert {pk for pk, _name in facilitator_choices(organisation)} == {coordinator.pk, animator.pk}
    event = save_event(organisation, coordinator, event_data(facilitators=(animator.pk,)), CAPACITIES)
    # Editing without saying who facilitates keeps them.
    edited = save_event(organisation, coordinator, event_data(title="Renommé"), CAPACITIES, event=event)
    assert edited.facilitator_ids() == {animator.pk}


def test_the_rules_per_event(facilitated, organisation, coordinator, facilitator, animator, member, commissioner, other_coordinator):
    assert access.can(animator, "events.facilitate_event", facilitated)
    assert access.can(animator, "events.view_event", facilitated)
    assert access.can(animator, "events.view_presenter_questions", facilitated)
    assert not access.can(animator, "events.manage_event", organisation)
    # Not on the organisation: the questions of every event stay for its facilitators.
    assert not access.can(animator, "events.view_presenter_questions", organisation)
    assert access.can(coordinator, "events.view_event", facilitated)
    assert not access.can(coordinator, "events.facilitate_event", facilitated)
    assert not access.can(coordinator, "events.view_presenter_questions", facilitated)
    for user in (member, commissioner, other_coordinator, facilitator):
        assert not access.can(user, "events.facilitate_event", facilitated)
    # Another event of the organisation: its own facilitators only.
    other = save_event(organisation, coordinator, event_data(title="Autre"), CAPACITIES)
    assert not access.can(animator, "events.facilitate_event", other)
    assert not access.can(animator, "events.view_event", other)


def test_a_facilitator_who_leaves_the_organisation_loses_the_event(facilitated, organisation, animator):
    from entraide.core.models import Membership
    from entraide.core.tenancy import tenant_scope

    with tenant_scope(organisation):
        Membership.objects.filter(user=animator).update(role=Role.COMMISSIONER)
    access.forget_roles(animator)
    assert not access.can(animator, "events.facilitate_event", facilitated)


def test_the_facilitator_reads_the_event_page_with_the_questions(client, facilitated, animator):
    client.force_login(animator)
    response = client.get(url(facilitated))
    assert response.status_code == 200
    page = text(response)
    for name in ("Hélène Hôte", "Bruno", "Ana"):
        assert name in page
    assert QUESTION in page
    assert 'data-testid="live-session-slot"' in page
    assert response.context["can_facilitate"] is True
    # Reading only: no edit, no export, no cancel button.
    assert url(facilitated, "edit") not in page and url(facilitated, "csv") not in page
    assert "registration-cancel" not in page and "/annuler/" not in page
    questions = client.get(url(facilitated, "questions"))
    assert questions.status_code == 200 and QUESTION in text(questions)


def test_the_facilitator_cannot_edit_nor_cancel(client, facilitated, animator):
    client.force_login(animator)
    assert client.get(url(facilitated, "edit")).status_code == 403
    assert client.post(url(facilitated, "edit"), {"title": "Pirate"}).status_code == 403
    assert client.get(url(facilitated, "csv")).status_code == 403
    [bruno] = [r for r in registrations(facilitated) if r.name == "Bruno"]
    assert client.post(url(facilitated, "registration-cancel", pk=bruno.pk)).status_code == 403
    assert [r.status for r in registrations(facilitated)] == ["confirmed"] * 3


def test_the_coordinator_keeps_full_rights_but_not_the_questions(client, facilitated, coordinator):
    client.force_login(coordinator)
    response = client.get(url(facilitated))
    page = text(response)
    assert response.status_code == 200 and url(facilitated, "edit") in page and "/annuler/" in page
    assert QUESTION not in page and response.context["can_facilitate"] is False
    # Coordinators open the event's live session too (issue 12: "by its facilitators and
    # coordinators"), without reading the questions on this page.
    assert 'data-testid="live-session-slot"' in page and 'data-testid="open-live-session"' in page
    assert client.get(url(facilitated, "questions")).status_code == 403


@pytest.mark.parametrize("name", ["detail", "questions"])
def test_others_are_refused(client, facilitated, member, commissioner, other_coordinator, name):
    target = url(facilitated, name)
    assert client.get(target).status_code == 302  # to the login page
    for user in (member, commissioner):
        client.force_login(user)
        assert client.get(target).status_code == 403
    client.force_login(other_coordinator)
    assert client.get(target).status_code == 404
    client.logout()
    missing = reverse(f"events:{name}", kwargs={"org": facilitated.organisation.slug, "slug": "pas-la"})
    client.force_login(member)
    assert client.get(missing).status_code == 404


def test_the_organisations_facilitators_keep_the_questions_page_not_the_event_page(client, facilitated, facilitator):
    client.force_login(facilitator)
    assert client.get(url(facilitated, "questions")).status_code == 200
    assert client.get(url(facilitated)).status_code == 403
