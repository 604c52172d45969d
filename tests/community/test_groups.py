"""Groups: capacity, waiting list in order, open entry and exit from the next session, charter, attendance."""

from datetime import time, timedelta

import pytest
from django.core.exceptions import PermissionDenied
from django.http import Http404

from entraide.community.domain import CommunityError
from entraide.community.domain import groups as group_domain
from entraide.community.domain.commitment import Span, commitment, group_commitment
from entraide.community.domain.sessions import NewSession, create_sessions, record_attendance
from entraide.community.models import Attendance, CharterAcceptance, Group, GroupMembership, GroupSession, WaitingListEntry
from entraide.core.tenancy import tenant_scope

from .conftest import backdate

pytestmark = pytest.mark.integration


def test_a_new_group_has_the_default_charter_in_the_organisation_language(group):
    for word in ("Volontariat", "Non-jugement", "Confidentialité", "Engagement"):
        assert word in group.charter
    assert group.capacity == 15 and group.protocol_key == "analyse-des-pratiques"


def test_only_coordinators_create_groups(organisation, member, other_coordinator):
    with pytest.raises(PermissionDenied):
        group_domain.create_group(organisation, group_domain.GroupData(name="X"), member)
    with pytest.raises(Http404):
        group_domain.create_group(organisation, group_domain.GroupData(name="X"), other_coordinator)


def test_bad_group_settings_are_refused(organisation, coordinator):
    for data in (group_domain.GroupData(name="  "), group_domain.GroupData(name="G", capacity=0), group_domain.GroupData(name="G", time_zone="Mars/Olympus")):
        with pytest.raises(CommunityError):
            group_domain.create_group(organisation, data, coordinator)
    with tenant_scope(organisation):
        assert not Group.objects.exists()


def test_a_full_group_puts_people_on_the_waiting_list_and_promotes_them_in_order(group, coordinator, make_member):
    group_domain.set_capacity(group, 2, coordinator)
    first, second, third, fourth = (make_member(n) for n in range(4))
    assert group_domain.join_group(group, first).joined
    assert group_domain.join_group(group, second).joined
    result = group_domain.join_group(group, third)
    assert not result.joined and result.waiting_position == 1
    assert group_domain.join_group(group, fourth).waiting_position == 2
    with pytest.raises(CommunityError, match="liste d'attente"):
        group_domain.join_group(group, fourth)

    promoted = group_domain.leave_group(group, first)
    assert [m.user for m in promoted] == [third]  # first come, first served
    with tenant_scope(group.organisation):
        assert group_domain.waiting_position(group, fourth) == 1
        assert group_domain.current_member_count(group) == 2
    # Raising the capacity lets the next one in.
    group_domain.set_capacity(group, 3, coordinator)
    with tenant_scope(group.organisation):
        assert group_domain.open_memberships(group).filter(user=fourth).exists()
        assert WaitingListEntry.objects.filter(group=group, promoted_at__isnull=False).count() == 2


def test_capacity_below_the_number_of_members_is_refused_and_nothing_changes(group, coordinator, make_member):
    for n in range(3):
        group_domain.join_group(group, make_member(n))
    with pytest.raises(CommunityError, match="3 membres"):
        group_domain.set_capacity(group, 2, coordinator)
    group.refresh_from_db()
    assert group.capacity == 15


def test_joining_and_leaving_take_effect_from_the_next_session(organisation, group, sessions, make_member):
    today = group_domain.today()
    person = make_member(1)
    membership = group_domain.join_group(group, person).membership
    assert membership.joined_on == today + timedelta(days=1)
    with tenant_scope(organisation):
        assert not group_domain.members_on(group, today).filter(user=person).exists()
        assert group_domain.members_on(group, sessions[2].date).filter(user=person).exists()
        backdate(group, person)
        assert group_domain.members_on(group, sessions[0].date).filter(user=person).exists()
    group_domain.leave_group(group, person)
    with tenant_scope(organisation):
        row = GroupMembership.objects.get(group=group, user=person)  # history kept, never deleted
        assert row.left_on == today + timedelta(days=1)
        assert group_domain.members_on(group, today).filter(user=person).exists()  # today's session still theirs
        assert not group_domain.members_on(group, sessions[2].date).filter(user=person).exists()
        assert group_domain.members_on(group, sessions[0].date).filter(user=person).exists()
    # Coming back makes a new row; the old one stays.
    group_domain.join_group(group, person)
    with tenant_scope(organisation):
        assert GroupMembership.objects.filter(group=group, user=person).count() == 2


def test_leaving_a_group_one_is_not_in_is_refused(group, make_member):
    with pytest.raises(CommunityError):
        group_domain.leave_group(group, make_member(1))


def test_commissioners_cannot_join(group, commissioner):
    with pytest.raises(PermissionDenied):
        group_domain.join_group(group, commissioner)


def test_attendance_before_the_charter_is_refused_and_nothing_is_saved(organisation, group, sessions, coordinator, make_member):
    accepted, not_yet = make_member(1), make_member(2)
    for person in (accepted, not_yet):
        group_domain.join_group(group, person)
        backdate(group, person)
    group_domain.accept_charter(group, accepted)
    past = sessions[0]
    with pytest.raises(CommunityError, match="charte"):
        record_attendance(past, {accepted: "present", not_yet: "present"}, coordinator)
    with tenant_scope(organisation):
        assert not Attendance.objects.exists()
    # Excused or absent needs no charter; present once accepted.
    record_attendance(past, {accepted: "present", not_yet: "excused"}, coordinator)
    group_domain.accept_charter(group, not_yet)
    record_attendance(sessions[1], {accepted: "present", not_yet: "present"}, coordinator)
    with tenant_scope(organisation):
        assert Attendance.objects.count() == 4
        assert GroupSession.objects.get(pk=past.pk).status == GroupSession.Status.HELD
        assert CharterAcceptance.objects.filter(group=group).count() == 2


def test_attendance_bad_input(organisation, group, sessions, coordinator, facilitator, member, make_member):
    person = make_member(1)
    group_domain.join_group(group, person)
    group_domain.accept_charter(group, person)
    with pytest.raises(CommunityError, match="pas membre"):
        record_attendance(sessions[0], {person: "present"}, coordinator)  # joined after that session
    backdate(group, person)
    with pytest.raises(CommunityError, match="pas encore eu lieu"):
        record_attendance(sessions[3], {person: "present"}, coordinator)
    with pytest.raises(CommunityError):
        record_attendance(sessions[0], {person: "late"}, coordinator)
    with pytest.raises(PermissionDenied):
        record_attendance(sessions[0], {person: "present"}, member)
    record_attendance(sessions[3], {person: "excused"}, facilitator)  # in advance: excused only
    with tenant_scope(organisation):
        assert list(Attendance.objects.values_list("status", flat=True)) == ["excused"]


def test_commitment_counts_only_the_sessions_each_member_belonged_to(organisation, group, sessions, coordinator, make_member):
    old, new = make_member(1), make_member(2)
    for person in (old, new):
        group_domain.join_group(group, person)
        group_domain.accept_charter(group, person)
    backdate(group, old)
    with tenant_scope(organisation):
        group.memberships.filter(user=new).update(joined_on=sessions[1].date)
    record_attendance(sessions[0], {old: "present"}, coordinator)
    record_attendance(sessions[1], {old: "absent", new: "present"}, coordinator)
    with tenant_scope(organisation):
        stats = group_commitment(group, group_domain.today())
    assert (stats.per_member[old.pk].sessions, stats.per_member[old.pk].present, stats.per_member[old.pk].rate) == (2, 1, 50)
    assert (stats.per_member[new.pk].sessions, stats.per_member[new.pk].rate) == (1, 100)
    assert (stats.group.sessions, stats.group.present, stats.group.absent) == (3, 2, 1)


@pytest.mark.unit
def test_commitment_pure_function_leaves_unrecorded_apart():
    from datetime import date

    spans = [Span(1, date(2026, 1, 1), None), Span(2, date(2026, 1, 1), date(2026, 2, 1))]
    result = commitment([(10, date(2026, 1, 10)), (11, date(2026, 3, 1))], spans, {(10, 1): "excused"})
    assert result.per_member[1].sessions == 2 and result.per_member[1].excused == 1 and result.per_member[1].unrecorded == 1
    assert result.per_member[2].sessions == 1 and result.per_member[2].rate == 0
    assert result.per_session[11].sessions == 1


def test_overlapping_sessions_are_refused_and_nothing_is_created(organisation, group, sessions, coordinator):
    day = sessions[3].date
    with pytest.raises(CommunityError, match="chevauchent"):
        create_sessions(group, [NewSession(day + timedelta(days=40), time(9), time(12)), NewSession(day, time(11), time(13))], coordinator)
    with pytest.raises(CommunityError, match="chevauchent"):
        create_sessions(group, [NewSession(day + timedelta(days=1), time(9), time(12)), NewSession(day + timedelta(days=1), time(11), time(13))], coordinator)
    with pytest.raises(CommunityError):
        create_sessions(group, [NewSession(day + timedelta(days=2), time(12), time(9))], coordinator)
    with tenant_scope(organisation):
        assert GroupSession.objects.filter(group=group).count() == 5
    # Same day, not overlapping: fine.
    create_sessions(group, [NewSession(day, time(14), time(17))], coordinator)


@pytest.mark.unit
def test_commitment_adds_up_property():
    from datetime import date

    from hypothesis import given, settings
    from hypothesis import strategies as st

    days = st.dates(min_value=date(2026, 1, 1), max_value=date(2026, 12, 31))

    @settings(max_examples=150, deadline=None)
    @given(
        sessions=st.lists(days, max_size=8, unique=True),
        spans=st.lists(st.tuples(st.integers(1, 6), days, st.one_of(st.none(), days)), max_size=8),
        statuses=st.lists(st.sampled_from(["present", "excused", "absent"]), min_size=64, max_size=64),
    )
    def check(sessions, spans, statuses):
        session_rows = list(enumerate(sorted(sessions), start=1))
        spans = [Span(user, joined, left) for user, joined, left in {(u, j, l): None for u, j, l in spans}]
        recorded = {(sid, span.user_id): statuses[(sid * 7 + span.user_id) % 64] for sid, _ in session_rows for span in spans if (sid + span.user_id) % 3}
        result = commitment(session_rows, spans, recorded)
        total = result.group
        assert total.sessions == sum(c.sessions for c in result.per_member.values()) == sum(c.sessions for c in result.per_session.values())
        assert total.present == sum(c.present for c in result.per_member.values())
        for counts in [total, *result.per_member.values(), *result.per_session.values()]:
            assert counts.unrecorded >= 0
            assert counts.rate is None or 0 <= counts.rate <= 100
        for user_id, counts in result.per_member.items():
            covered = sum(1 for _, day in session_rows if any(s.user_id == user_id and s.covers(day) for s in spans))
            assert counts.sessions == covered

    check()
