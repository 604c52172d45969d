"""Event writes follow the one rule (core.actions.write): registrations, cancellations,
promotions and event changes log one row each (who, verb, object; never a name, address or
question); a refusal logs and changes nothing; mail leaves only once the transaction committed."""

import pytest
from django.core import mail
from django.core.exceptions import PermissionDenied
from django.db import transaction

from entraide.events.domain.errors import EventError
from entraide.events.domain.events import save_event
from entraide.events.domain.registrations import cancel_registration, register
from entraide.events.models import Event

from ..action_log import count, holds_no_content, logged, only
from .conftest import HOST, PARTICIPANT, PRESENTER, QUESTION, event_data, registrations

pytestmark = pytest.mark.integration

NAME, EMAIL = "Zoé Martin", "zoe.martin@example.org"


def test_a_public_registration_is_logged_without_name_address_or_question(event):
    registered = register(event, PRESENTER, NAME, EMAIL, question=QUESTION)
    entry = only("registration.created")
    assert entry.actor is None and entry.subject is None and entry.organisation_id == event.organisation_id
    assert (entry.object_type, entry.object_id) == ("events.registration", str(registered.registration.pk))
    assert holds_no_content(entry, "Zoé", "zoe.martin", QUESTION[:30])


def test_a_member_registering_is_the_subject_of_the_row(event, member):
    register(event, PARTICIPANT, member.display_name, member.email, user=member)
    entry = only("registration.created")
    assert (entry.actor, entry.subject) == (member, member)


def test_a_refused_registration_logs_and_saves_nothing(event):
    register(event, PARTICIPANT, NAME, EMAIL)
    before = count()
    with pytest.raises(EventError) as refused:
        register(event, PARTICIPANT, "Quelqu'un d'autre", EMAIL)
    assert refused.value.field == "email"
    assert count() == before and len(registrations(event)) == 1


@pytest.mark.django_db(transaction=True)
def test_the_confirmation_leaves_only_after_the_commit(builtins, organisation, coordinator):
    event = save_event(organisation, coordinator, event_data(), {HOST: 1, PRESENTER: 1, PARTICIPANT: 1})
    mail.outbox.clear()
    with transaction.atomic():
        register(event, PARTICIPANT, NAME, EMAIL)
        assert mail.outbox == []
    assert [m.to for m in mail.outbox] == [[EMAIL]]
    mail.outbox.clear()
    with pytest.raises(EventError):
        register(event, PARTICIPANT, NAME, EMAIL)
    assert mail.outbox == []


def test_a_coordinator_cancels_the_first_waiting_is_promoted_and_both_are_logged(event, coordinator, member, on_commit):
    first = register(event, HOST, member.display_name, member.email, user=member).registration
    second = register(event, HOST, "Deuxième", "deux@example.org").registration
    third = register(event, HOST, "Troisième", "trois@example.org").registration
    assert only("registration.waiting").object_id == str(third.pk)
    with on_commit():
        promoted = cancel_registration(first, actor=coordinator)
    assert promoted.pk == third.pk and second.pk != third.pk
    cancelled = only("registration.cancelled")
    assert (cancelled.actor, cancelled.subject, cancelled.object_id) == (coordinator, member, str(first.pk))
    assert (only("registration.promoted").actor, only("registration.promoted").object_id) == (coordinator, str(third.pk))
    cancel_registration(first, actor=coordinator)  # already cancelled: nothing more
    assert len(logged("registration.cancelled")) == 1


def test_a_member_may_not_cancel_someone_elses_registration(event, member, other_coordinator):
    registration = register(event, PARTICIPANT, NAME, EMAIL).registration
    before = count()
    with pytest.raises(PermissionDenied):
        cancel_registration(registration, actor=member)
    from django.http import Http404

    with pytest.raises(Http404):
        cancel_registration(registration, actor=other_coordinator)
    assert count() == before and registrations(event)[0].status == "confirmed"


def test_cancelling_by_the_personal_link_is_logged_without_an_actor(event):
    registration = register(event, PARTICIPANT, NAME, EMAIL).registration
    cancel_registration(registration)
    entry = only("registration.cancelled")
    assert entry.actor is None and entry.object_id == str(registration.pk)


def test_event_changes_are_logged_with_their_verb(event, organisation, coordinator):
    assert only("event.created").actor == coordinator
    save_event(organisation, coordinator, event_data(title="Atelier d'automne"), {PARTICIPANT: 3}, event=event)
    save_event(organisation, coordinator, event_data(status=Event.Status.CANCELLED), {PARTICIPANT: 3}, event=event)
    assert only("event.changed").object_id == only("event.cancelled").object_id == str(event.pk)
    assert holds_no_content(only("event.changed"), "automne")


def test_a_refused_event_change_logs_nothing(event, organisation, coordinator, member):
    before = count()
    with pytest.raises(EventError):
        save_event(organisation, coordinator, event_data(title="  "), {PARTICIPANT: 3}, event=event)
    with pytest.raises(PermissionDenied):
        save_event(organisation, member, event_data(title="Autre"), {PARTICIPANT: 3}, event=event)
    assert count() == before


def test_the_retention_sweep_logs_each_erased_question_as_a_system_write(event, member):
    from datetime import timedelta

    from django.utils import timezone

    from entraide.core.tenancy import tenant_scope
    from entraide.events.domain.retention import purge_presenter_questions

    registered = register(event, PRESENTER, member.display_name, member.email, question=QUESTION, user=member)
    with tenant_scope(event.organisation):
        Event.objects.filter(pk=event.pk).update(date=timezone.localdate() - timedelta(days=40))
    assert purge_presenter_questions() == 1
    entry = only("registration.question_purged")
    assert (entry.actor, entry.subject, entry.object_id) == (None, member, str(registered.registration.pk))
    assert purge_presenter_questions() == 0 and len(logged("registration.question_purged")) == 1
