"""iCalendar feeds of a group and of a person, at a secret and revocable URL.

A feed holds dates, times, places and "group name, session n": never anything said in a
session. UIDs are stable (``group-session-<id>@<host>``) so calendar clients update events in
place when a session moves.
"""

import secrets
from datetime import datetime
from zoneinfo import ZoneInfo

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from icalendar import Calendar, Event

from entraide.core import access, actions
from entraide.core.exports import ics_text
from entraide.core.models import Organisation, User
from entraide.core.tenancy import all_tenants, tenant_scope

from ..models import CalendarToken, Group, GroupMembership, GroupSession
from .sessions import numbered

UID_DOMAIN = "entraide"


def _new_token() -> str:
    return secrets.token_urlsafe(32)


def active_token(organisation: Organisation, *, user: User | None = None, group: Group | None = None) -> CalendarToken | None:
    with tenant_scope(organisation):
        return CalendarToken.objects.filter(user=user, group=group, revoked_at__isnull=True).first()


def _check(organisation: Organisation, actor: User, user: User | None, group: Group | None) -> None:
    if group is not None:
        access.require(actor, "community.manage_groups", group)
    elif user != actor:
        raise access.PermissionDenied
    access.require(actor, "core.view_organisation", organisation)


def ensure_token(organisation: Organisation, actor: User, *, user: User | None = None, group: Group | None = None) -> CalendarToken:
    """The active token, drawn when there is none (logged then: ``calendar.link_created``,
    about ``user`` for a personal feed; the secret itself is never logged)."""
    _check(organisation, actor, user, group)
    # Rules checked by _check (a personal feed is its owner's, a group's is its coordinators').
    with tenant_scope(organisation), actions.write(actor, None, organisation, "calendar.link_created", subject=user) as w:
        token = CalendarToken.objects.filter(user=user, group=group, revoked_at__isnull=True).first()
        if token is not None:
            w.unchanged()
            return token
        w.obj = CalendarToken.objects.create(organisation=organisation, user=user, group=group, token=_new_token())
    return w.obj


def revoke_token(organisation: Organisation, actor: User, *, user: User | None = None, group: Group | None = None) -> int:
    """The old address stops working at once (404). Logged as ``calendar.link_revoked`` when
    there was one."""
    _check(organisation, actor, user, group)
    with tenant_scope(organisation), actions.write(actor, None, organisation, "calendar.link_revoked", subject=user) as w:
        revoked = CalendarToken.objects.filter(user=user, group=group, revoked_at__isnull=True).update(revoked_at=timezone.now())
        if not revoked:
            w.unchanged()
    return revoked


def regenerate_token(organisation: Organisation, actor: User, *, user: User | None = None, group: Group | None = None) -> CalendarToken:
    """A new secret address; the old one stops working (both logged, in one transaction)."""
    with transaction.atomic():
        revoke_token(organisation, actor, user=user, group=group)
        return ensure_token(organisation, actor, user=user, group=group)


def token_or_none(token: str) -> CalendarToken | None:
    if not token or len(token) > 64:
        return None
    with all_tenants():
        found = CalendarToken.objects.select_related("organisation", "user", "group").filter(token=token, revoked_at__isnull=True).first()
    if found is None:
        return None
    # A person who left the organisation no longer gets its calendar.
    if found.user is not None and access.role_in(found.user, found.organisation) is None:
        return None
    return found


def _event(session: GroupSession, number: int, host: str) -> Event:
    zone = ZoneInfo(session.group.time_zone)
    event = Event()
    event.add("uid", f"group-session-{session.pk}@{host or UID_DOMAIN}")
    event.add("dtstamp", timezone.now())
    event.add("dtstart", datetime.combine(session.date, session.start, tzinfo=zone))
    event.add("dtend", datetime.combine(session.date, session.end, tzinfo=zone))
    event.add("summary", ics_text(_("%(group)s, session %(number)d") % {"group": session.group.name, "number": number}))
    if session.place:
        event.add("location", ics_text(session.place))
    event.add("status", "CANCELLED" if session.status == GroupSession.Status.CANCELLED else "CONFIRMED")
    return event


def _calendar(name: str, sessions_by_group: dict[Group, list[GroupSession]], host: str) -> bytes:
    calendar = Calendar()
    calendar.add("prodid", "-//Entraide//Community calendar//FR")
    calendar.add("version", "2.0")
    calendar.add("x-wr-calname", ics_text(name))
    for sessions in sessions_by_group.values():
        for number, session in numbered(sessions):
            calendar.add_component(_event(session, number or 0, host))
    calendar.add_missing_timezones()
    return calendar.to_ical()


def group_feed(group: Group, host: str = "") -> bytes:
    with tenant_scope(group.organisation):
        sessions = list(GroupSession.objects.filter(group=group).select_related("group").order_by("date", "start", "pk"))
    return _calendar(group.name, {group: sessions}, host)


def member_feed(organisation: Organisation, user: User, host: str = "") -> bytes:
    """The sessions of every group the person belongs to, for the dates their membership covers."""
    with tenant_scope(organisation):
        spans = list(GroupMembership.objects.filter(user=user).select_related("group"))
        groups = {span.group for span in spans}
        by_group: dict[Group, list[GroupSession]] = {}
        for session in GroupSession.objects.filter(group__in=groups).select_related("group").order_by("date", "start", "pk"):
            by_group.setdefault(session.group, []).append(session)
    mine = {}
    for group, sessions in by_group.items():
        # Numbers count every session of the group; only the person's own are listed.
        covered = [s for s in sessions if any(span.group_id == group.pk and span.covers(s.date) for span in spans)]
        if covered:
            mine[group] = (sessions, {s.pk for s in covered})
    calendar = Calendar()
    calendar.add("prodid", "-//Entraide//Community calendar//FR")
    calendar.add("version", "2.0")
    calendar.add("x-wr-calname", ics_text(f"{organisation.name} — {user.display_name}"))
    for sessions, keep in mine.values():
        for number, session in numbered(sessions):
            if session.pk in keep:
                calendar.add_component(_event(session, number or 0, host))
    calendar.add_missing_timezones()
    return calendar.to_ical()
