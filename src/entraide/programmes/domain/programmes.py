"""Programmes and their meetings (issue 14, part 1; field document 003: a framing meeting, a
mid-term review and a final evaluation with the commissioner's representatives, the
intervenant and the coordinators).

Every write goes through ``core.actions.write`` (permission, lock, one transaction, one
action-log row without content). Refusals raise :class:`ProgrammeError`.
"""

from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from entraide.core import access
from entraide.core.actions import write
from entraide.core.models import Membership, Organisation, Role

from ..models import Programme, ProgrammeMeeting
from . import ProgrammeError

MINUTES_MAX = 20000


@dataclass
class ProgrammeData:
    """The fields of a programme. Dates as ``date``; ``price_per_session`` in euros; ``groups``
    and ``representatives`` as lists of model instances (of the same organisation)."""

    title: str
    commissioner_name: str
    commissioner_contacts: str
    sessions_per_year: int
    session_minutes: int
    rhythm: str
    price_per_session: Decimal
    start: date
    end: date
    groups: list
    representatives: list


def _check(organisation: Organisation, data: ProgrammeData) -> None:
    if data.end < data.start:
        raise ProgrammeError(_("The programme must end on or after its start."), code="dates", field="end")
    if data.price_per_session < 0:
        raise ProgrammeError(_("The price cannot be negative."), code="price", field="price_per_session")
    if not 1 <= data.sessions_per_year <= 60:
        raise ProgrammeError(_("Between 1 and 60 sessions per year."), code="sessions", field="sessions_per_year")
    if not 15 <= data.session_minutes <= 600:
        raise ProgrammeError(_("A session lasts between 15 and 600 minutes."), code="length", field="session_minutes")
    if any(group.organisation_id != organisation.pk for group in data.groups):
        raise ProgrammeError(_("Choose groups of this organisation."), code="groups", field="groups")
    commissioners = set(
        Membership.objects.filter(organisation=organisation, role=Role.COMMISSIONER).values_list("user_id", flat=True)
    )
    if any(person.pk not in commissioners for person in data.representatives):
        raise ProgrammeError(
            _("Representatives must have the commissioner role in this organisation."), code="representatives", field="representatives"
        )


def create_programme(organisation: Organisation, data: ProgrammeData, actor) -> Programme:
    """Create a programme (coordinators). Raises ProgrammeError (bad dates, price, groups...)."""
    _check(organisation, data)
    with write(actor, "programmes.manage_programmes", organisation, "programme.created") as w:
        programme = Programme.objects.create(
            organisation=organisation, **{k: v for k, v in vars(data).items() if k not in ("groups", "representatives")}
        )
        programme.groups.set(data.groups)
        programme.representatives.set(data.representatives)
        w.obj = programme
    return programme


def update_programme(programme: Programme, data: ProgrammeData, actor) -> Programme:
    """Change a programme's fields (coordinators). Raises ProgrammeError."""
    _check(programme.organisation, data)
    with write(actor, "programmes.manage_programmes", programme, "programme.changed", lock=programme) as w:
        for name, value in vars(data).items():
            if name not in ("groups", "representatives"):
                setattr(w.obj, name, value)
        w.obj.save()
        w.obj.groups.set(data.groups)
        w.obj.representatives.set(data.representatives)
    return w.obj


def visible_programmes(user, organisation: Organisation) -> list[Programme]:
    """The organisation's programmes ``user`` may see (inside its tenant scope)."""
    programmes = Programme.objects.filter(organisation=organisation).prefetch_related("groups")
    return [p for p in programmes if access.can(user, "programmes.view_programme", p)]


def schedule_meeting(programme: Programme, kind: str, day: date, place: str, attendees: str, actor) -> ProgrammeMeeting:
    """Add a framing / mid-term / final meeting (coordinators). One of each kind."""
    if kind not in ProgrammeMeeting.Kind.values:
        raise ProgrammeError(_("Choose the kind of meeting."), code="kind", field="kind")
    with write(actor, "programmes.manage_programmes", programme, "programme.meeting_scheduled", lock=programme) as w:
        if ProgrammeMeeting.objects.filter(programme=programme, kind=kind).exists():
            raise ProgrammeError(_("This meeting is already planned; change its date instead."), code="duplicate", field="kind")
        meeting = ProgrammeMeeting.objects.create(programme=programme, kind=kind, date=day, place=place, attendees=attendees)
        w.obj = meeting
    return meeting


def change_meeting(meeting: ProgrammeMeeting, day: date, place: str, attendees: str, actor) -> ProgrammeMeeting:
    """Move a meeting or change who attends (coordinators)."""
    with write(actor, "programmes.manage_programmes", meeting.programme, "programme.meeting_changed", lock=meeting) as w:
        w.obj.date, w.obj.place, w.obj.attendees = day, place, attendees
        w.obj.save(update_fields=["date", "place", "attendees"])
    return w.obj


def write_minutes(meeting: ProgrammeMeeting, minutes: str, actor) -> ProgrammeMeeting:
    """The intervenant writes the meeting's minutes (encrypted at rest). Session content never
    goes there (the form says so). Raises ProgrammeError when too long."""
    if len(minutes) > MINUTES_MAX:
        raise ProgrammeError(_("The minutes are too long (at most %(n)s characters).") % {"n": MINUTES_MAX}, code="too_long", field="minutes")
    with write(actor, "programmes.write_minutes", meeting.programme, "programme.minutes_written", lock=meeting) as w:
        w.obj.minutes = minutes.strip()
        w.obj.minutes_by = actor
        w.obj.minutes_on = timezone.localdate()
        w.obj.save(update_fields=["minutes", "minutes_by", "minutes_on"])
    return w.obj


def programme_sessions(programme: Programme, until: date | None = None) -> QuerySet:
    """The group sessions of the programme's groups between its start and end (not cancelled)."""
    from entraide.community.models import GroupSession

    sessions = GroupSession.objects.filter(
        group__in=programme.groups.all(), date__gte=programme.start, date__lte=programme.end
    ).exclude(status=GroupSession.Status.CANCELLED)
    if until is not None:
        sessions = sessions.filter(date__lte=until)
    return sessions.select_related("group").order_by("date", "start", "pk")
