"""A group's sessions: the yearly plan, attendance, rotation of facilitators, going live.

The dates come from the pure planner (``entraide.planning.domain.planner``) and the order of
facilitators from the pure rotation (``entraide.planning.domain.rotation``): this module only
turns their answers into rows, all or nothing.
"""

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import date, datetime, time

from django.utils import formats, timezone
from django.utils.translation import gettext as _

from entraide.core import access, actions
from entraide.core.models import User
from entraide.core.tenancy import tenant_scope
from entraide.planning.domain.planner import PlanError, PlannedSession, PlanRequest, plan_year
from entraide.planning.domain.rotation import RotationError, rotation

from ..models import ROTATION_PROTOCOL, Attendance, Group, GroupMembership, GroupSession, Unavailability
from . import CommunityError, single_line
from .groups import has_accepted_charter, today

MAX_SESSIONS_AT_ONCE = 60


@dataclass(frozen=True)
class NewSession:
    date: date
    start: time
    end: time
    why: str = ""


def _session_label(session_date: date, start: time, end: time) -> str:
    return _("%(date)s from %(start)s to %(end)s") % {
        "date": formats.date_format(session_date, "DATE_FORMAT"),
        "start": start.strftime("%H:%M"),
        "end": end.strftime("%H:%M"),
    }


def _overlaps(a_start: time, a_end: time, b_start: time, b_end: time) -> bool:
    return a_start < b_end and b_start < a_end


def propose_year(group: Group, request: PlanRequest) -> list[PlannedSession]:
    """The planner's proposal for this group (changes nothing). Raises ``CommunityError``."""
    try:
        return plan_year(request)
    except PlanError as error:
        raise CommunityError(getattr(error, "message", None) or str(error)) from None


def plan_group_year(group: Group, request: PlanRequest, actor: User, place: str = "") -> list[GroupSession]:
    """Plan the year and create its sessions in one transaction (see ``create_sessions``)."""
    planned = propose_year(group, request)
    return create_sessions(
        group, [NewSession(p.date, p.start, p.end, str(p.why or "")) for p in planned], actor, place=place
    )


def create_sessions(group: Group, sessions: Iterable[NewSession], actor: User, place: str = "") -> list[GroupSession]:
    """Create these sessions, all or none.

    Refused with a clear message, nothing created: no session, an end before its start, two new
    sessions that overlap, or one that overlaps a session the group already has.
    """
    access.require(actor, "community.manage_groups", group)
    place = single_line(place)
    sessions = sorted(sessions, key=lambda s: (s.date, s.start))
    if not sessions:
        raise CommunityError(_("No session to create."))
    if len(sessions) > MAX_SESSIONS_AT_ONCE:
        raise CommunityError(_("At most %(max)d sessions can be created at once.") % {"max": MAX_SESSIONS_AT_ONCE})
    for new in sessions:
        if new.end <= new.start:
            raise CommunityError(
                _("The session of %(date)s ends before it starts.") % {"date": formats.date_format(new.date, "DATE_FORMAT")}
            )
    for first, second in zip(sessions, sessions[1:]):
        if first.date == second.date and _overlaps(first.start, first.end, second.start, second.end):
            raise CommunityError(
                _("Two of the new sessions overlap on %(date)s.") % {"date": formats.date_format(first.date, "DATE_FORMAT")}
            )
    with tenant_scope(group.organisation), actions.write(actor, "community.manage_groups", group, "sessions.created", lock=group):
        existing = GroupSession.objects.filter(group=group, date__in={s.date for s in sessions}).exclude(
            status=GroupSession.Status.CANCELLED
        )
        clashes = [
            _session_label(old.date, old.start, old.end)
            for old in existing
            for new in sessions
            if old.date == new.date and _overlaps(old.start, old.end, new.start, new.end)
        ]
        if clashes:
            raise CommunityError(
                _("These dates overlap sessions the group already has: %(sessions)s. Nothing was created.")
                % {"sessions": "; ".join(dict.fromkeys(clashes))}
            )
        created = GroupSession.objects.bulk_create(
            [
                GroupSession(
                    group=group, date=new.date, start=new.start, end=new.end,
                    place=place.strip() or group.location, planned_because=new.why,
                )
                for new in sessions
            ]
        )
    return created


def set_session_status(session: GroupSession, status: str, actor: User) -> None:
    """A coordinator marks a session planned, held or cancelled (``session.status_changed``).
    ``CommunityError`` on an unknown status, nothing changed."""
    access.require(actor, "community.manage_groups", session.group)
    if status not in GroupSession.Status.values:
        raise CommunityError(_("Unknown status."), field="status")
    with tenant_scope(session.group.organisation), actions.write(actor, "community.manage_groups", session.group, "session.status_changed", lock=session) as w:
        w.obj.status = status
        w.obj.save(update_fields=["status"])
    session.status = status


def session_number(session: GroupSession) -> int:
    """Its rank among the group's sessions that are not cancelled (1 for the first)."""
    return (
        GroupSession.objects.filter(group_id=session.group_id)
        .exclude(status=GroupSession.Status.CANCELLED)
        .filter(date__lt=session.date)
        .count()
        + GroupSession.objects.filter(group_id=session.group_id, date=session.date, start__lt=session.start)
        .exclude(status=GroupSession.Status.CANCELLED)
        .count()
        + 1
    )


def numbered(sessions: Iterable[GroupSession]) -> list[tuple[int | None, GroupSession]]:
    """(number, session) for a group's sessions in order; cancelled ones have no number."""
    result, number = [], 0
    for session in sessions:
        if session.status == GroupSession.Status.CANCELLED:
            result.append((None, session))
        else:
            number += 1
            result.append((number, session))
    return result


# --- Attendance -----------------------------------------------------------------------------


def attendance_sheet(session: GroupSession) -> list[tuple[GroupMembership, str]]:
    """[(membership, status)] of the people who belong to the session's group on its date, in
    order of arrival; status is ``Attendance.Status`` or "" when not recorded. Names, so for
    those who run the group (``community.view_people``, asked by the door). Two queries."""
    from .groups import members_on

    recorded = dict(Attendance.objects.filter(session=session).values_list("user_id", "status"))
    return [(membership, recorded.get(membership.user_id, "")) for membership in members_on(session.group, session.date)]


def _member_on(session: GroupSession, user_id: int) -> bool:
    return (
        GroupMembership.objects.filter(group_id=session.group_id, user_id=user_id, joined_on__lte=session.date)
        .exclude(left_on__lte=session.date)
        .exists()
    )


def record_attendance(session: GroupSession, statuses: Mapping[User, str], actor: User) -> list[Attendance]:
    """Record present / excused / absent for people of this session, all or nothing.

    Refused: a cancelled session; someone who is not a member for this session's date; present
    or absent for a session still to come; present for someone who has not yet accepted the
    group's charter (field document 004: commitment before the first session).
    """
    access.require(actor, "community.take_attendance", session.group)
    group = session.group
    # One row for the session (``attendance.taken``), and one per person whose attendance was
    # recorded (``attendance.recorded``, about them: they see it in their own log).
    with tenant_scope(group.organisation), actions.write(actor, "community.take_attendance", group, "attendance.taken", lock=session):
        if session.status == GroupSession.Status.CANCELLED:
            raise CommunityError(_("This session was cancelled: no attendance can be recorded."))
        for user, status in statuses.items():
            if status not in Attendance.Status.values:
                raise CommunityError(_("Unknown attendance status."))
            if not _member_on(session, user.pk):
                raise CommunityError(_("%(name)s is not a member of the group for this session.") % {"name": user.display_name})
            if status != Attendance.Status.EXCUSED and session.date > today():
                raise CommunityError(
                    _("This session has not taken place yet: only an excused absence can be recorded in advance.")
                )
            if status == Attendance.Status.PRESENT and not has_accepted_charter(group, user):
                raise CommunityError(
                    _("%(name)s has not accepted the group's charter yet, so cannot be recorded as present. Ask them to accept it first.")
                    % {"name": user.display_name}
                )
        saved = []
        for user, status in statuses.items():
            attendance, _created = Attendance.objects.update_or_create(
                session=session, user=user,
                defaults={"status": status, "recorded_by": actor, "recorded_at": timezone.now()},
            )
            saved.append(attendance)
            actions.log(actor, "attendance.recorded", attendance, subject=user, organisation=group.organisation)
        if session.status == GroupSession.Status.PLANNED and session.date <= today() and any(
            s == Attendance.Status.PRESENT for s in statuses.values()
        ):
            GroupSession.objects.filter(pk=session.pk).update(status=GroupSession.Status.HELD)
            session.status = GroupSession.Status.HELD
    return saved


def excuse_myself(session: GroupSession, user: User, excused: bool = True) -> None:
    """A member says in advance that they cannot come (or takes it back)."""
    verb = "attendance.excused" if excused else "attendance.excuse_withdrawn"
    with tenant_scope(session.group.organisation), actions.write(user, "community.join_group", session.group, verb, lock=session, subject=user) as w:
        if session.date <= today():
            raise CommunityError(_("This session has already started or taken place."))
        if not _member_on(session, user.pk):
            raise CommunityError(_("You are not a member of the group for this session."))
        if excused:
            w.obj, _created = Attendance.objects.update_or_create(
                session=session, user=user, defaults={"status": Attendance.Status.EXCUSED, "recorded_by": user}
            )
        elif not Attendance.objects.filter(session=session, user=user, status=Attendance.Status.EXCUSED).delete()[0]:
            w.unchanged()


# --- Rotation (brouillons d'ateliers) -------------------------------------------------------


def set_unavailable(session: GroupSession, user: User, unavailable: bool = True) -> None:
    """A member declares they cannot facilitate this session (the rotation avoids it)."""
    verb = "rotation.unavailable" if unavailable else "rotation.available"
    with tenant_scope(session.group.organisation), actions.write(user, "community.join_group", session.group, verb, lock=session, subject=user) as w:
        if not _member_on(session, user.pk):
            raise CommunityError(_("You are not a member of the group for this session."))
        if unavailable:
            _row, created = Unavailability.objects.get_or_create(session=session, user=user)
        else:
            created = bool(Unavailability.objects.filter(session=session, user=user).delete()[0])
        if not created:
            w.unchanged()


def assign_rotation(group: Group, actor: User) -> dict[GroupSession, User]:
    """Each member of the group facilitates one of the coming sessions in turn, avoiding the
    sessions they declared unavailable; those sessions run the brouillon d'atelier protocol
    (trial workshop, then the debrief whose results go to the facilitating member)."""
    with tenant_scope(group.organisation), actions.write(actor, "community.manage_groups", group, "rotation.assigned", lock=group):
        sessions = list(
            GroupSession.objects.filter(group=group, date__gt=today(), status=GroupSession.Status.PLANNED).order_by("date", "start")
        )
        if not sessions:
            raise CommunityError(_("The group has no coming session to share out."))
        members = {
            m.user_id: m.user
            for m in GroupMembership.objects.filter(group=group, left_on__isnull=True).select_related("user").order_by("joined_at", "pk")
        }
        if not members:
            raise CommunityError(_("The group has no member yet."))
        by_id = {s.pk: s for s in sessions}
        unavailable: dict[int, set[int]] = {}
        for user_id, session_id in Unavailability.objects.filter(session__in=sessions, user_id__in=members).values_list(
            "user_id", "session_id"
        ):
            unavailable.setdefault(user_id, set()).add(session_id)
        try:
            schedule = rotation(
                list(members), [s.pk for s in sessions], unavailable=unavailable,
                member_label=lambda user_id: members[user_id].display_name,
                session_label=lambda session_id: formats.date_format(by_id[session_id].date, "DATE_FORMAT"),
            )
        except RotationError as error:
            raise CommunityError(error.message, code=error.code) from None
        result = {}
        for session_id, user_id in schedule.items():
            session = by_id[session_id]
            session.facilitator_id = user_id
            session.protocol_key = ROTATION_PROTOCOL
            result[session] = members[user_id]
        GroupSession.objects.bulk_update(list(result), ["facilitator", "protocol_key"])
    return result


# --- Going live -----------------------------------------------------------------------------


def open_live(session: GroupSession, actor: User):
    """Open (or reopen) this session live, with its protocol, the actor at the console.

    Returns ``(live_session, seat)``; seat is None when the session was already open. Only its
    facilitator starts or re-enters it (``community.run_live`` in core.access): a coordinator gets
    ``CommunityError`` and never the console's address (which carries the join code).
    """
    from entraide.live.domain.opening import create_live_session
    from entraide.protocols.domain.agenda import AgendaError
    from entraide.protocols.domain import library

    group = session.group
    access.require(actor, "community.view_groups", group)
    with tenant_scope(group.organisation):
        if not access.can(actor, "community.run_live", session):
            if session.live_session_id:
                raise CommunityError(_("This session is running live: only its facilitator enters it."))
            raise CommunityError(_("Only the facilitator of this session runs it live."))
        if session.live_session_id:
            return session.live_session, None
        if session.status == GroupSession.Status.CANCELLED:
            raise CommunityError(_("This session was cancelled."))
        protocol = library.protocol_in(group.organisation, session.effective_protocol_key)
        if protocol is None:
            raise CommunityError(_("The group's protocol is not available."))
        spec = protocol.spec
        people = members_count_on(session) + 1
        participants = min(max(people, spec.participants_min), spec.participants_max)
        title = _("%(group)s, session %(number)d") % {"group": group.name, "number": session_number(session)}
        # community.run_live was asked above (a refusal there is a CommunityError, as the group's
        # page shows it). The session's row is locked: two clicks at once open one live run.
        with actions.write(actor, None, session, "session.live_opened", lock=session, organisation=group.organisation) as w:
            if w.obj.live_session_id:
                w.unchanged()
                return w.obj.live_session, None
            try:
                live, seat = create_live_session(
                    organisation=group.organisation, protocol=protocol, facilitator=actor,
                    participants=participants, start=session.start, end=session.end, title=title,
                )
            except AgendaError as error:
                raise CommunityError(error.message, code=error.code) from None
            GroupSession.objects.filter(pk=session.pk).update(live_session=live)
            session.live_session = live
            _attach_planned_theme(session, live, actor)
            _seat_planned_bringer(session, live, actor)
    return live, seat


def _attach_planned_theme(session: GroupSession, live, actor) -> None:
    """A theme planned in advance for this session becomes the new live session's thematic input
    (before anyone joined: version 1, nothing to signal)."""
    from entraide.themes.domain.library import planned_theme_of, set_attachment

    planned = planned_theme_of(session)
    if planned is not None:
        set_attachment(live, planned, actor)


def _seat_planned_bringer(session: GroupSession, live, actor) -> None:
    """A collective supervision's session (network app) seats the member who raised its request
    as the person who brings the situation, before anyone joined."""
    from entraide.network.domain.supervisions import seat_bringer

    seat_bringer(session, live, actor)


def members_count_on(session: GroupSession) -> int:
    return (
        GroupMembership.objects.filter(group_id=session.group_id, joined_on__lte=session.date)
        .exclude(left_on__lte=session.date)
        .count()
    )


def session_start(session: GroupSession, zone) -> datetime:
    return datetime.combine(session.date, session.start, tzinfo=zone)
