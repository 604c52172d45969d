"""Supervision requests: encryption at rest, anonymity, members only (never commissioners),
bad input that changes nothing (issue 13, part 2; field document 000)."""

import pytest
from django.core.exceptions import PermissionDenied
from django.db import connection
from django.http import Http404

from entraide.core.models import ActionLogEntry
from entraide.core.tenancy import tenant_scope
from entraide.network.domain import NetworkError
from entraide.network.domain import requests as domain
from entraide.network.models import Concern, SupervisionRequest

pytestmark = pytest.mark.integration

SITUATION = "Un participant monopolise la parole à chaque atelier"


def raw(table: str, column: str, pk: int) -> str:
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT {column} FROM {table} WHERE id = %s", [pk])
        return cursor.fetchone()[0]


def test_the_title_situation_and_word_are_encrypted_at_rest(organisation, member, make_member):
    request = domain.raise_request(member, organisation, "Parole monopolisée", SITUATION)
    other = make_member(1)
    concern = domain.say_concerned(other, request, "Pareil dans mon groupe du mardi")
    assert "monopolis" not in raw("network_supervisionrequest", "title", request.pk)
    assert "monopolise" not in raw("network_supervisionrequest", "situation", request.pk)
    assert "mardi" not in raw("network_concern", "word", concern.pk)
    with tenant_scope(organisation):
        assert SupervisionRequest.objects.get(pk=request.pk).situation == SITUATION
    # The action log says who did what, never what was written.
    logged = " ".join(str(v) for row in ActionLogEntry.everywhere.values_list() for v in row)
    assert "monopolis" not in logged and "mardi" not in logged


def test_an_anonymous_request_shows_no_name_to_other_members_but_to_coordinators(organisation, member, coordinator, make_member):
    request = domain.raise_request(member, organisation, "Parole monopolisée", SITUATION, anonymous=True)
    other = make_member(1)
    domain.say_concerned(other, request, "Moi aussi")
    with tenant_scope(organisation):
        seen_by_other = domain.view_of(other, request)
        seen_by_coordinator = domain.view_of(coordinator, request)
        seen_by_raiser = domain.view_of(member, request)
        listed = domain.visible_requests(other, organisation)
    assert seen_by_other.raiser is None and seen_by_other.concerns is None and seen_by_other.concerned_count == 1
    assert listed[0].raiser is None
    assert seen_by_coordinator.raiser == member and [c.member for c in seen_by_coordinator.concerns] == [other]
    assert seen_by_raiser.raiser == member and seen_by_raiser.concerns[0].word == "Moi aussi"
    named = domain.raise_request(member, organisation, "Autre", SITUATION)
    with tenant_scope(organisation):
        assert domain.view_of(other, named).raiser == member


def test_commissioners_are_refused_at_every_door(organisation, member, commissioner):
    with pytest.raises(PermissionDenied):
        domain.raise_request(commissioner, organisation, "Titre", SITUATION)
    request = domain.raise_request(member, organisation, "Titre", SITUATION)
    with pytest.raises(PermissionDenied):
        domain.say_concerned(commissioner, request)
    with pytest.raises(PermissionDenied):
        domain.visible_requests(commissioner, organisation)
    with tenant_scope(organisation), pytest.raises(PermissionDenied):
        domain.view_of(commissioner, request)
    with pytest.raises(PermissionDenied):
        domain.withdraw_request(commissioner, request)


def test_another_organisation_gets_404(organisation, member, other_coordinator):
    with pytest.raises(Http404):
        domain.raise_request(other_coordinator, organisation, "Titre", SITUATION)
    request = domain.raise_request(member, organisation, "Titre", SITUATION)
    with pytest.raises(Http404):
        domain.say_concerned(other_coordinator, request)


@pytest.mark.parametrize(
    ("title", "situation", "field"),
    [("", SITUATION, "title"), ("x" * 121, SITUATION, "title"), ("Deux\nlignes", SITUATION, "title"), ("Titre", "", "situation"), ("Titre", "x" * 4001, "situation")],
)
def test_bad_input_is_refused_with_its_field_and_saves_nothing(organisation, member, title, situation, field):
    logged = ActionLogEntry.everywhere.count()  # the fixtures' memberships are logged too
    with pytest.raises(NetworkError) as refused:
        domain.raise_request(member, organisation, title, situation)
    assert refused.value.field == field and str(refused.value.message)
    with tenant_scope(organisation):
        assert not SupervisionRequest.objects.exists()
    assert ActionLogEntry.everywhere.count() == logged


def test_concern_rules_word_replaced_raiser_refused_withdraw(organisation, member, make_member):
    request = domain.raise_request(member, organisation, "Titre", SITUATION)
    other = make_member(1)
    with pytest.raises(PermissionDenied):
        domain.say_concerned(member, request)
    domain.say_concerned(other, request, "un")
    domain.say_concerned(other, request, "deux")
    with tenant_scope(organisation):
        assert [c.word for c in Concern.objects.all()] == ["deux"]
    with pytest.raises(NetworkError) as refused:
        domain.say_concerned(other, request, "x" * 301)
    assert refused.value.field == "word"
    domain.withdraw_concern(other, request)
    with tenant_scope(organisation):
        assert not Concern.objects.exists()
    domain.withdraw_request(member, request)
    with pytest.raises(PermissionDenied):
        domain.say_concerned(other, request)
    with tenant_scope(organisation):
        assert domain.visible_requests(other, organisation) == []
        assert [v.request.pk for v in domain.visible_requests(member, organisation)] == [request.pk]


def test_the_coordinators_are_told_where_to_read_a_new_request_and_nothing_of_it(organisation, member, coordinator, facilitator, django_capture_on_commit_callbacks):
    from django.core import mail

    with django_capture_on_commit_callbacks(execute=True):
        request = domain.raise_request(member, organisation, "Parole monopolisée", SITUATION, anonymous=True, base_url="https://entraide.example")
    assert [m.to for m in mail.outbox] == [[coordinator.email]]
    message = mail.outbox[0]
    assert f"https://entraide.example/o/{organisation.slug}/demandes/{request.pk}/" in message.body
    assert "monopolis" not in message.body + message.subject and member.display_name not in message.body
