"""Community writes follow the one rule (core.actions.write): one log row with its actor, the
person concerned and a clear verb, never content; a refusal logs and changes nothing; mail only
once the transaction has committed."""

from datetime import timedelta

import pytest
from django.core import mail
from django.core.exceptions import PermissionDenied
from django.db import transaction

from entraide.community.domain import CommunityError, groups as group_domain, members as member_domain
from entraide.community.domain.sessions import record_attendance
from entraide.community.models import Attendance, GroupMembership
from entraide.core.models import Membership, Role
from entraide.core.tenancy import tenant_scope

from ..action_log import count, holds_no_content, logged, only
from .conftest import backdate

pytestmark = pytest.mark.integration


def test_joining_logs_one_row_about_the_member(group, make_member):
    person = make_member(1)
    group_domain.join_group(group, person)
    entry = only("group.joined")
    assert (entry.actor, entry.subject, entry.organisation_id) == (person, person, group.organisation_id)
    assert (entry.object_type, entry.object_id) == ("community.group", str(group.pk))


def test_a_refused_join_logs_and_changes_nothing(group, make_member):
    person = make_member(1)
    group_domain.join_group(group, person)
    before = count()
    with pytest.raises(CommunityError) as refused:
        group_domain.join_group(group, person)
    assert refused.value.code == "already_member"
    assert count() == before
    with tenant_scope(group.organisation):
        assert GroupMembership.objects.filter(group=group, user=person).count() == 1


@pytest.mark.django_db(transaction=True)
def test_a_promotion_is_logged_about_the_person_promoted_and_mailed_only_on_commit(group, coordinator, make_member):
    group_domain.set_capacity(group, 1, coordinator)
    first, second = make_member(1), make_member(2)
    group_domain.join_group(group, first)
    group_domain.join_group(group, second)
    assert only("group.waiting").subject == second
    mail.outbox.clear()
    with transaction.atomic():
        group_domain.leave_group(group, first)
        assert mail.outbox == []  # still inside the transaction: nothing has left
    assert [m.to for m in mail.outbox] == [[second.email]]
    assert only("group.left").subject == first
    promoted = only("membership.promoted")
    assert (promoted.actor, promoted.subject, promoted.object_type) == (first, second, "community.groupmembership")


@pytest.mark.django_db(transaction=True)
def test_a_refused_leave_sends_nothing(group, coordinator, make_member):
    person = make_member(1)
    mail.outbox.clear()
    before = count()
    with pytest.raises(CommunityError):
        group_domain.leave_group(group, person)
    assert count() == before and mail.outbox == []


def test_attendance_logs_the_session_and_each_person(group, sessions, coordinator, make_member):
    person = make_member(1)
    group_domain.join_group(group, person)
    backdate(group, person)
    group_domain.accept_charter(group, person)
    past = sessions[0]
    record_attendance(past, {person: Attendance.Status.PRESENT}, coordinator)
    assert only("attendance.taken").object_id == str(past.pk)
    entry = only("attendance.recorded")
    assert (entry.actor, entry.subject, entry.object_type) == (coordinator, person, "community.attendance")


def test_a_refused_attendance_logs_and_records_nothing(group, sessions, coordinator, make_member):
    person = make_member(1)
    group_domain.join_group(group, person)
    backdate(group, person)
    coming = sessions[3]
    before = count()
    with pytest.raises(CommunityError):
        record_attendance(coming, {person: Attendance.Status.PRESENT}, coordinator)
    assert count() == before
    with tenant_scope(group.organisation):
        assert not Attendance.objects.filter(session=coming).exists()


def test_an_invitation_is_logged_without_the_address(organisation, coordinator):
    member_domain.invite(organisation, "nouvelle.personne@example.org", Role.MEMBER, coordinator)
    entry = only("invitation.sent")
    assert entry.actor == coordinator and entry.subject is None
    assert holds_no_content(entry, "nouvelle.personne", "example.org")
    member_domain.invite(organisation, "nouvelle.personne@example.org", Role.MEMBER, coordinator)
    assert only("invitation.renewed").object_id == entry.object_id


def test_a_role_change_is_logged_by_the_coordinator_about_the_person(organisation, coordinator, member):
    member_domain.change_role(organisation, member, Role.FACILITATOR, coordinator)
    entry = only("membership.role_changed")
    assert (entry.actor, entry.subject, entry.object_type) == (coordinator, member, "core.membership")


def test_a_member_may_not_change_a_role_and_nothing_is_logged(organisation, member, facilitator):
    before = count()
    with pytest.raises(PermissionDenied):
        member_domain.change_role(organisation, facilitator, Role.COORDINATOR, member)
    assert count() == before
    with tenant_scope(organisation):
        assert Membership.objects.get(organisation=organisation, user=facilitator).role == Role.FACILITATOR


def test_the_last_coordinator_stays_one_and_nothing_is_logged(organisation, coordinator):
    before = count()
    with pytest.raises(CommunityError):
        member_domain.change_role(organisation, coordinator, Role.MEMBER, coordinator)
    assert count() == before and not logged("membership.role_changed")


def test_a_group_created_twice_is_logged_once(organisation, coordinator):
    data = group_domain.GroupData(name="Brouillons d'ateliers")
    group = group_domain.create_group(organisation, data, coordinator)
    with pytest.raises(CommunityError):
        group_domain.create_group(organisation, data, coordinator)
    entry = only("group.created")
    assert (entry.actor, entry.object_id) == (coordinator, str(group.pk))


def test_the_excuse_of_a_member_is_logged_about_them(group, sessions, make_member):
    from entraide.community.domain.sessions import excuse_myself

    person = make_member(1)
    group_domain.join_group(group, person)
    coming = sessions[3]
    excuse_myself(coming, person)
    assert only("attendance.excused").subject == person
    excuse_myself(coming, person, excused=False)
    excuse_myself(coming, person, excused=False)  # nothing left to withdraw: not logged again
    assert only("attendance.excuse_withdrawn").subject == person
    assert coming.date > group_domain.today() + timedelta(days=1)


def test_a_personal_calendar_address_is_logged_when_drawn_and_revoked(organisation, member):
    from entraide.community.domain import calendars

    token = calendars.ensure_token(organisation, member, user=member)
    calendars.ensure_token(organisation, member, user=member)  # the same address: nothing new
    created = only("calendar.link_created")
    assert (created.actor, created.subject, created.object_id) == (member, member, str(token.pk))
    assert holds_no_content(created, token.token)
    calendars.regenerate_token(organisation, member, user=member)
    assert only("calendar.link_revoked").subject == member and len(logged("calendar.link_created")) == 2
    calendars.revoke_token(organisation, member, user=member)
    calendars.revoke_token(organisation, member, user=member)  # nothing left to revoke
    assert len(logged("calendar.link_revoked")) == 2


def test_opening_a_session_live_is_logged_once_and_a_member_is_refused(builtins, group, coordinator, facilitator, make_member):
    from datetime import time as clock

    from entraide.community.domain.sessions import NewSession, create_sessions, open_live

    [session] = create_sessions(group, [NewSession(group_domain.today() + timedelta(days=2), clock(14), clock(17))], coordinator)
    person = make_member(1)
    group_domain.join_group(group, person)
    before = count()
    with pytest.raises(CommunityError):
        open_live(session, person)  # not the facilitator of this session
    assert count() == before
    live, seat = open_live(session, facilitator)
    again, no_seat = open_live(session, facilitator)
    assert again.pk == live.pk and seat is not None and no_seat is None
    entry = only("session.live_opened")
    assert (entry.actor, entry.object_type, entry.object_id) == (facilitator, "community.groupsession", str(session.pk))
