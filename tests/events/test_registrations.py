"""Registrations: places per role, waiting lists, promotion, and every refusal."""

from datetime import timedelta

import pytest
from django.core import mail
from django.utils import timezone

from entraide.core.tenancy import tenant_scope
from entraide.events.domain.errors import EventError
from entraide.events.domain.events import role_places, save_event
from entraide.events.domain.registrations import cancel_registration, register, registration_for_token
from entraide.events.models import Event, Registration

from .conftest import HOST, PARTICIPANT, PRESENTER, QUESTION, event_data, registrations, sign_up

pytestmark = pytest.mark.integration


def test_register_confirms_while_places_then_waiting_list_with_positions(event, on_commit):
    with on_commit():
        first, second, third, fourth = sign_up(event, PARTICIPANT, 4)
    assert [r.registration.status for r in (first, second)] == [Registration.Status.CONFIRMED] * 2
    assert [r.registration.status for r in (third, fourth)] == [Registration.Status.WAITING] * 2
    assert [third.registration.waiting_position, fourth.registration.waiting_position] == [1, 2]
    places = {p["role"]: p for p in role_places(event)}
    assert places[PARTICIPANT]["remaining"] == 0 and places[PARTICIPANT]["waiting"] == 2
    # Other roles keep their own places.
    assert places[HOST]["remaining"] == 2
    assert len(mail.outbox) == 4


def test_cancel_promotes_the_first_waiting_of_the_same_role_and_emails_them(event, on_commit):
    with on_commit():
        first, _second, third, fourth = sign_up(event, PARTICIPANT, 4)
        sign_up(event, HOST, 1, start=10)
    mail.outbox.clear()
    with on_commit():
        promoted = cancel_registration(first.registration)
    assert promoted.pk == third.registration.pk
    statuses = {r.pk: (r.status, r.waiting_position) for r in registrations(event)}
    assert statuses[first.registration.pk] == (Registration.Status.CANCELLED, None)
    assert statuses[third.registration.pk] == (Registration.Status.CONFIRMED, None)
    assert statuses[fourth.registration.pk] == (Registration.Status.WAITING, 1)
    assert [m.to for m in mail.outbox] == [[third.registration.email]]
    assert "Une place s'est libérée" in mail.outbox[0].body or "place" in mail.outbox[0].subject.lower()
    # The promoted person's old link was replaced by the one in the new email.
    assert registration_for_token(event, third.cancel_token) is None
    # Cancelling twice changes nothing.
    assert cancel_registration(first.registration) is None


def test_cancelling_a_waiting_registration_renumbers_the_list(event):
    people = sign_up(event, PARTICIPANT, 5)
    cancel_registration(people[2].registration)
    waiting = registrations(event, status=Registration.Status.WAITING)
    assert [(r.pk, r.waiting_position) for r in waiting] == [(people[3].registration.pk, 1), (people[4].registration.pk, 2)]


def test_duplicate_email_is_refused_whatever_the_case_and_role(event):
    register(event, PARTICIPANT, "Amina", "amina@example.org")
    with pytest.raises(EventError) as refused:
        register(event, HOST, "Amina bis", "  AMINA@Example.org ")
    assert refused.value.field == "email"
    assert "déjà inscrite" in refused.value.message
    assert len(registrations(event)) == 1


def test_after_cancelling_one_may_register_again(event):
    first = register(event, PARTICIPANT, "Amina", "amina@example.org")
    cancel_registration(first.registration)
    again = register(event, PARTICIPANT, "Amina", "amina@example.org")
    assert again.registration.status == Registration.Status.CONFIRMED


@pytest.mark.parametrize("question, message", [
    ("", "question"),
    ("   ", "question"),
    ("x" * 281, "280"),
])
def test_presenter_needs_a_short_question(event, question, message):
    with pytest.raises(EventError) as refused:
        register(event, PRESENTER, "Bruno", "bruno@example.org", question=question)
    assert refused.value.field == "question"
    assert message in refused.value.message
    assert registrations(event) == []


def test_presenter_question_is_stored_encrypted(event):
    registered = register(event, PRESENTER, "Bruno", "bruno@example.org", question=QUESTION)
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("SELECT question FROM events_registration WHERE id = %s", [registered.registration.pk])
        raw = cursor.fetchone()[0]
    assert QUESTION not in raw
    assert registrations(event)[0].question == QUESTION


def test_a_question_from_someone_else_than_a_presenter_is_not_kept(event):
    registered = register(event, PARTICIPANT, "Chloé", "chloe@example.org", question="Une question")
    assert registrations(event)[0].question is None
    assert registered.registration.status == Registration.Status.CONFIRMED


@pytest.mark.parametrize("name, email, role, field", [
    ("", "a@example.org", PARTICIPANT, "name"),
    ("A" * 101, "a@example.org", PARTICIPANT, "name"),
    ("Ana", "not-an-email", PARTICIPANT, "email"),
    ("Ana", "a@example.org", "organiser", "role"),
])
def test_bad_input_is_refused_and_nothing_saved(event, name, email, role, field):
    with pytest.raises(EventError) as refused:
        register(event, role, name, email)
    assert refused.value.field == field
    assert registrations(event) == []


def test_closed_role_refuses(builtins, organisation, coordinator):
    event = save_event(organisation, coordinator, event_data(), {HOST: 0, PRESENTER: 1, PARTICIPANT: 5})
    with pytest.raises(EventError) as refused:
        register(event, HOST, "Ana", "ana@example.org")
    assert refused.value.field == "role"


@pytest.mark.parametrize("status", [Event.Status.DRAFT, Event.Status.CANCELLED])
def test_unpublished_event_refuses_registrations(builtins, organisation, coordinator, status):
    event = save_event(organisation, coordinator, event_data(status=status), {PARTICIPANT: 5})
    with pytest.raises(EventError):
        register(event, PARTICIPANT, "Ana", "ana@example.org")
    assert registrations(event) == []


def test_past_event_refuses_registrations(builtins, organisation, coordinator):
    event = save_event(organisation, coordinator, event_data(date=timezone.localdate() - timedelta(days=1)), {PARTICIPANT: 5})
    with pytest.raises(EventError, match="closed|fermées|geschlossen"):
        register(event, PARTICIPANT, "Ana", "ana@example.org")


def test_token_finds_its_registration_only_in_its_event(event, builtins, organisation, coordinator):
    registered = register(event, PARTICIPANT, "Ana", "ana@example.org")
    other = save_event(organisation, coordinator, event_data(title="Autre"), {PARTICIPANT: 5})
    assert registration_for_token(event, registered.cancel_token).pk == registered.registration.pk
    assert registration_for_token(other, registered.cancel_token) is None
    assert registration_for_token(event, "") is None
    with tenant_scope(organisation):
        stored = Registration.objects.get(pk=registered.registration.pk)
    assert registered.cancel_token not in stored.cancel_token_hash


def test_questions_are_erased_some_time_after_the_event(event, builtins, organisation, coordinator):
    from django.core.management import call_command

    from entraide.events.domain.retention import purge_presenter_questions

    register(event, PRESENTER, "Bruno", "bruno@example.org", question=QUESTION)
    past = save_event(organisation, coordinator, event_data(title="Passé"), {PRESENTER: 2})
    register(past, PRESENTER, "Chloé", "chloe@example.org", question=QUESTION)
    with tenant_scope(organisation):
        Event.objects.filter(pk=past.pk).update(date=timezone.localdate() - timedelta(days=31))
    assert purge_presenter_questions(30) == 1
    assert registrations(past)[0].question is None and registrations(past)[0].name == "Chloé"
    assert registrations(event)[0].question == QUESTION
    call_command("purge_event_questions", "--days", "30")
    assert registrations(event)[0].question == QUESTION
