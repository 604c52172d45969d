"""Groups, members, group sessions and their attendance: what the community pages call."""

from datetime import date

from django.http import HttpRequest
from ninja import Router

from entraide.community.domain import commitment, groups as group_domain, members as member_domain, sessions as session_domain
from entraide.community.models import Group, GroupSession
from entraide.core import access

from .. import schemas
from .common import check_range, get_or_404, in_range, limit_param, offset_param, page, responses, scoped

router = Router(tags=["community"])


def _group(organisation, group_id: int) -> Group:
    return get_or_404(Group.objects.select_related("organisation"), organisation=organisation, pk=group_id)


def _group_out(group: Group, members: int | None = None) -> dict:
    return {
        "id": group.pk, "name": group.name, "description": group.description, "protocol": group.protocol_key,
        "capacity": group.capacity, "members": group.members if members is None else members, "online": group.online,
        "location": group.location, "time_zone": group.time_zone,
    }


def _session_out(number: int | None, session: GroupSession) -> dict:
    return {
        "id": session.pk, "group_id": session.group_id, "number": number, "date": session.date, "start": session.start.strftime("%H:%M"),
        "end": session.end.strftime("%H:%M"), "place": session.place, "status": session.status,
    }


@router.get("/groups", response=responses(schemas.GroupPage), summary="Groups of the organisation")
def list_groups(request: HttpRequest, limit: int = limit_param(), offset: int = offset_param()):
    """Every group of the token's organisation, by name, with its current number of members
    (``community.view_groups``: any member)."""
    with scoped(request, "community.view_groups") as organisation:
        groups = group_domain.groups_with_counts(organisation)
    return page([_group_out(g) for g in groups], limit, offset)


@router.get("/groups/{group_id}", response=responses(schemas.GroupOut), summary="One group")
def get_group(request: HttpRequest, group_id: int):
    with scoped(request, "community.view_groups") as organisation:
        group = _group(organisation, group_id)
        return _group_out(group, group_domain.current_member_count(group))


@router.get("/groups/{group_id}/members", response=responses(schemas.GroupMemberPage), summary="Current members of a group")
def list_group_members(request: HttpRequest, group_id: int, limit: int = limit_param(), offset: int = offset_param()):
    """The group's members today, in order of arrival: for those who run groups
    (``community.view_people``: facilitators and coordinators); e-mail addresses for
    coordinators only."""
    with scoped(request) as organisation:
        group = _group(organisation, group_id)
        access.require(request.user, "community.view_people", group)
        with_email = access.can(request.user, "community.manage_groups", group)
        memberships = group_domain.open_memberships(group).select_related("user").order_by("joined_at", "pk")
        result = page(memberships, limit, offset)
    result["items"] = [
        {"user_id": m.user_id, "display_name": m.user.display_name, "email": m.user.email if with_email else None, "joined_on": m.joined_on}
        for m in result["items"]
    ]
    return result


@router.get("/members", response=responses(schemas.MemberPage), summary="Members of the organisation (coordinators)")
def list_members(request: HttpRequest, limit: int = limit_param(), offset: int = offset_param()):
    """Everyone with a role in the organisation, by name, with their e-mail address and profile:
    its coordinators only (``community.manage_groups``), as the members page."""
    with scoped(request, "community.manage_groups") as organisation:
        people = member_domain.directory(organisation)
    items = [
        {
            "user_id": m.user_id, "display_name": m.user.display_name, "email": m.user.email, "role": m.role,
            "profession": profile.profession if profile else "", "structure": profile.structure if profile else "",
            "languages": profile.languages if profile else "",
        }
        for m, profile in people
    ]
    return page(items, limit, offset)


@router.get("/groups/{group_id}/sessions", response=responses(schemas.SessionPage), summary="Sessions of a group")
def list_sessions(
    request: HttpRequest, group_id: int, since: date | None = None, until: date | None = None,
    limit: int = limit_param(), offset: int = offset_param(),
):
    """The group's sessions in date order (cancelled ones included, without a number), from
    ``since`` to ``until`` (both included). Any member (``community.view_groups``)."""
    check_range(since, until)
    with scoped(request, "community.view_groups") as organisation:
        group = _group(organisation, group_id)
        sessions = GroupSession.objects.filter(group=group).order_by("date", "start", "pk")
        numbered = session_domain.numbered(sessions)
    rows = [_session_out(number, s) for number, s in numbered if in_range(s.date, since, until)]
    return page(rows, limit, offset)


def _counts(counts, withheld: bool) -> dict:
    if withheld:  # programmes.domain.reports.WithheldCounts: Cells, None when withheld
        return {
            "counted": counts.sessions.value, "present": counts.present.value, "excused": counts.excused.value,
            "absent": counts.absent.value, "unrecorded": counts.unrecorded.value, "rate": counts.rate,
        }
    return {
        "counted": counts.sessions, "present": counts.present, "excused": counts.excused, "absent": counts.absent,
        "unrecorded": counts.unrecorded, "rate": counts.rate,
    }


@router.get("/groups/{group_id}/attendance", response=responses(schemas.AttendancePage), summary="Attendance counts of a group's sessions")
def group_attendance(
    request: HttpRequest, group_id: int, since: date | None = None, until: date | None = None,
    limit: int = limit_param(), offset: int = offset_param(),
):
    """Per session held or past (not cancelled), from ``since`` to ``until``: how many members
    were present, excused, absent or not recorded; counts only, never names. Facilitators and
    coordinators see the counts; a commissioner sees them withheld below k, as on the group page
    (``community.view_attendance_numbers``; ``commitment.visible_commitment``)."""
    from entraide.programmes.domain.reports import report_k

    check_range(since, until)
    with scoped(request) as organisation:
        group = _group(organisation, group_id)
        access.require(request.user, "community.view_attendance_numbers", group)
        visible = commitment.visible_commitment(request.user, group, group_domain.today())
        sessions = list(GroupSession.objects.filter(group=group).order_by("date", "start", "pk"))
    numbers = {s.pk: number for number, s in session_domain.numbered(sessions)}
    rows = [
        {"session_id": s.pk, "date": s.date, "number": numbers[s.pk], **_counts(visible.per_session[s.pk], visible.withheld)}
        for s in sessions if s.pk in visible.per_session and in_range(s.date, since, until)
    ]
    return page(rows, limit, offset, withheld=visible.withheld, k=report_k() if visible.withheld else None, group=_counts(visible.group, visible.withheld))


@router.get(
    "/groups/{group_id}/sessions/{session_id}/attendance", response=responses(schemas.AttendanceSheetOut),
    summary="Who came to one session",
)
def session_attendance(request: HttpRequest, group_id: int, session_id: int):
    """The members of the group on the session's date and their attendance ("" when not
    recorded): for those who run groups (``community.view_people``), as the attendance page."""
    with scoped(request) as organisation:
        group = _group(organisation, group_id)
        session = get_or_404(GroupSession.objects.select_related("group"), group=group, pk=session_id)
        access.require(request.user, "community.view_people", group)
        sheet = session_domain.attendance_sheet(session)
        number = None if session.status == GroupSession.Status.CANCELLED else session_domain.session_number(session)
    return {
        "session": _session_out(number, session),
        "items": [{"user_id": m.user_id, "display_name": m.user.display_name, "status": status} for m, status in sheet],
    }
