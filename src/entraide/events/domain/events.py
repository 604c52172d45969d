"""Creating and changing an event, with its places per role."""

from dataclasses import dataclass
from datetime import date, time, timedelta
from zoneinfo import available_timezones

from django.conf import settings
from django.db.models import Count
from django.utils import timezone
from django.utils.text import capfirst, slugify
from django.utils.translation import gettext as _, ngettext

from entraide.core import access, actions
from entraide.core.models import Membership, Organisation, Role
from entraide.core.tenancy import tenant_scope
from entraide.core.text import clean_single_line
from entraide.protocols.domain import library

from ..models import Event, EventRole, EventRoleKind, Registration
from .errors import EventError

DEFAULT_PROTOCOL_KEY = "atelier-pratique"
MAX_CAPACITY = 10_000
RESERVED_SLUGS = frozenset({"nouveau", "a-venir"})  # taken by the "new event" and members' "upcoming" pages


@dataclass
class EventData:
    """What a coordinator gives for an event (already parsed by a form, checked here)."""

    title: str
    date: date
    start: time
    end: time
    mode: str = Event.Mode.ON_SITE
    place: str = ""
    region: str = ""
    languages: tuple[str, ...] = ("fr",)
    description: str = ""
    slug: str = ""
    status: str = Event.Status.DRAFT
    public: bool = True
    # An IANA zone name (zoneinfo.available_timezones()): the zone of the event's place, in which
    # date, start and end are given. "": unchanged on an edit, the organisation's default
    # (default_time_zone) for a new event.
    timezone: str = ""
    protocol_key: str = DEFAULT_PROTOCOL_KEY
    # Ids of the users who facilitate the event (members of the organisation, no commissioner);
    # None leaves an existing event's facilitators as they are (none for a new event).
    facilitators: tuple[int, ...] | None = None


# The usual zone of an organisation's country (core.Organisation.country, ISO 3166 alpha-2),
# for countries with one zone or one main zone; a Canadian network is most often in Québec or
# Ontario (America/Toronto, the zone of Montréal).
COUNTRY_ZONES = {
    "FR": "Europe/Paris", "CH": "Europe/Zurich", "BE": "Europe/Brussels", "LU": "Europe/Luxembourg",
    "DE": "Europe/Berlin", "AT": "Europe/Vienna", "IT": "Europe/Rome", "ES": "Europe/Madrid",
    "CA": "America/Toronto", "MC": "Europe/Monaco",
}


def default_time_zone(organisation: Organisation | None) -> str:
    """The zone a new event of ``organisation`` gets unless the coordinator chooses another: the
    usual zone of the organisation's country (COUNTRY_ZONES), else ``settings.TIME_ZONE``. It is
    also the zone in which the organisation's pages show times without naming the zone."""
    zone = COUNTRY_ZONES.get((getattr(organisation, "country", "") or "").upper())
    return zone or settings.TIME_ZONE


def facilitator_choices(organisation: Organisation) -> list[tuple[int, str]]:
    """[(user id, name)] of the people who may facilitate an event of ``organisation``: its
    members in any role but commissioner, by name. One query; runs inside the tenant scope."""
    with tenant_scope(organisation):
        rows = (
            Membership.objects.filter(organisation=organisation).exclude(role=Role.COMMISSIONER)
            .select_related("user").order_by("user__display_name", "user__email")
        )
        return [(m.user_id, str(m.user)) for m in rows if m.user.is_active]


def confirmed_counts(event: Event) -> dict[str, int]:
    rows = (
        Registration.objects.filter(event=event, status=Registration.Status.CONFIRMED)
        .values("role").annotate(n=Count("pk")).values_list("role", "n")
    )
    return dict(rows)


def events_with_counts(organisation: Organisation):
    """The organisation's events (every status, newest first), each with ``confirmed`` and
    ``waiting``: its registrations counted by status. A queryset (one query when read); run it
    inside the tenant scope. For the events page and the API (``events.list_events``, asked by
    the door)."""
    from django.db.models import Q

    return Event.objects.filter(organisation=organisation).select_related("organisation").annotate(
        confirmed=Count("registrations", filter=Q(registrations__status=Registration.Status.CONFIRMED)),
        waiting=Count("registrations", filter=Q(registrations__status=Registration.Status.WAITING)),
    )


def active_registrations(event: Event, with_questions: bool = False):
    """The event's registrations that are not cancelled, waiting lists in order, as the event's
    page lists them. The presenters' questions (content) are loaded only when
    ``with_questions`` (``events.view_presenter_questions``, asked by the door). A queryset."""
    fields = ["pk", "role", "name", "email", "language", "status", "waiting_position", "created_at", "event_id", "user_id"]
    if with_questions:
        fields.append("question")
    return (
        Registration.objects.filter(event=event).exclude(status=Registration.Status.CANCELLED)
        .only(*fields)
        .order_by("waiting_position", "created_at", "pk")
    )


def _single_lines(data: EventData) -> None:
    """Title, place and region are single lines (they go into mail subjects and calendar
    files): ``EventError`` on the first one holding a control character."""
    for field in ("title", "place", "region"):
        clean_single_line(getattr(data, field), field, error=EventError)


def _check(organisation: Organisation, data: EventData, capacities: dict[str, int], event: Event | None) -> None:
    _single_lines(data)
    if not data.title.strip():
        raise EventError(_("Give the event a title."), "title")
    if data.end <= data.start:
        raise EventError(_("The end must be after the start."), "end")
    if data.mode not in Event.Mode.values:
        raise EventError(_("Choose online or on site."), "mode")
    if data.mode == Event.Mode.ON_SITE and not data.place.strip():
        raise EventError(_("An event on site needs a place."), "place")
    known = {code for code, _name in settings.LANGUAGES}
    if not data.languages or any(code not in known for code in data.languages):
        raise EventError(_("Choose at least one language of the event."), "languages")
    if data.status not in Event.Status.values:
        raise EventError(_("Unknown status."), "status")
    if data.timezone not in available_timezones():
        raise EventError(
            _("Unknown time zone “%(zone)s”: choose one from the list, such as Europe/Zurich or America/Toronto.")
            % {"zone": data.timezone},
            "time_zone",
        )
    if data.facilitators is not None:
        allowed = {pk for pk, _name in facilitator_choices(organisation)}
        if any(pk not in allowed for pk in data.facilitators):
            raise EventError(_("Facilitators must be members of the organisation (not commissioners)."), "facilitators")
    for role in EventRoleKind.values:
        capacity = capacities.get(role, 0)
        if capacity < 0 or capacity > MAX_CAPACITY:
            raise EventError(_("Places must be between 0 and %(max)d.") % {"max": MAX_CAPACITY}, f"capacity_{role}")
    if data.status == Event.Status.PUBLISHED and not any(capacities.get(role, 0) for role in EventRoleKind.values):
        raise EventError(_("Open at least one role with places before publishing."), "capacity_participant")
    slug = data.slug
    if slug in RESERVED_SLUGS:
        raise EventError(_("This address is reserved; choose another short name."), "slug")
    taken = Event.objects.filter(organisation=organisation, slug=slug)
    if event is not None:
        taken = taken.exclude(pk=event.pk)
    if taken.exists():
        raise EventError(_("Another event of this organisation already uses this address."), "slug")
    same = Event.objects.filter(organisation=organisation, title__iexact=data.title.strip(), date=data.date, start=data.start)
    if event is not None:
        same = same.exclude(pk=event.pk)
    if same.exists():
        # The natural key of an event: posting the creation form twice creates one event.
        raise EventError(_("This organisation already has an event with this title at this date and time."), "title")
    if event is not None:
        counts = confirmed_counts(event)
        for role in EventRoleKind.values:
            if capacities.get(role, 0) < counts.get(role, 0):
                raise EventError(
                    ngettext(
                        "%(role)s: %(count)d person is already confirmed; the places cannot go below that. Cancel registrations first.",
                        "%(role)s: %(count)d people are already confirmed; the places cannot go below that. Cancel registrations first.",
                        counts[role],
                    )
                    % {"role": capfirst(EventRoleKind(role).label), "count": counts[role]},
                    f"capacity_{role}",
                )


def _unique_slug(organisation: Organisation, wanted: str, event: Event | None) -> str:
    base = slugify(wanted)[:70] or "evenement"
    slug, n = base, 2
    others = Event.objects.filter(organisation=organisation)
    if event is not None:
        others = others.exclude(pk=event.pk)
    taken = set(others.filter(slug__startswith=base).values_list("slug", flat=True)) | RESERVED_SLUGS
    while slug in taken:
        slug, n = f"{base}-{n}", n + 1
    return slug


def save_event(
    organisation: Organisation, actor, data: EventData, capacities: dict[str, int], event: Event | None = None,
    base_url: str = "",
) -> Event:
    """Create (``event`` None) or update an event and its places per role.

    Refused with an ``EventError`` (nothing changed) on bad input (a control character in the
    title, place or region included; a time zone outside ``zoneinfo.available_timezones()``; a
    facilitator who is not a member of the organisation or is a commissioner), when another event of the organisation has the same
    title, date and start (so a second submission of the form creates nothing), or when a
    role's places would go below its confirmed registrations. Raising a role's places confirms people from its
    waiting list in order and emails them (after commit).
    """
    access.require(actor, "events.manage_event", organisation)
    if event is not None and event.organisation_id != organisation.pk:
        raise EventError(_("This event belongs to another organisation."))
    from .registrations import promote_waiting

    # Serialise the organisation's event writes (its row is locked): two identical submissions
    # cannot both pass the check. Logged as ``event.created``, ``event.changed`` or ``event.cancelled``.
    with tenant_scope(organisation), actions.write(actor, "events.manage_event", organisation, "event.created", lock=organisation) as w:
        if event is not None:
            event = Event.objects.select_for_update().get(pk=event.pk)
        data.slug = slugify(data.slug) if data.slug.strip() else _unique_slug(organisation, data.title, event)
        data.timezone = (data.timezone or "").strip() or (event.time_zone if event is not None else default_time_zone(organisation))
        _check(organisation, data, capacities, event)
        protocol = library.builtin_protocol(data.protocol_key) if data.protocol_key else None
        creating = event is None
        was_cancelled = event is not None and event.status == Event.Status.CANCELLED
        if creating:
            event = Event(organisation=organisation, created_by=actor if getattr(actor, "pk", None) else None)
        else:
            event.sequence += 1
        event.title = data.title.strip()
        event.slug = data.slug
        event.description = data.description.strip()
        event.protocol = protocol
        event.date, event.start, event.end = data.date, data.start, data.end
        event.time_zone = data.timezone
        event.mode = data.mode
        event.place = data.place.strip()
        event.region = data.region.strip()
        event.languages = list(dict.fromkeys(data.languages))
        event.status = data.status
        event.public = data.public
        event.updated_at = timezone.now()
        event.save()
        if data.facilitators is not None:
            event.facilitators.set(sorted(set(data.facilitators)))
        for role in EventRoleKind.values:
            EventRole.objects.update_or_create(event=event, role=role, defaults={"capacity": capacities.get(role, 0)})
        if not creating and event.status != Event.Status.CANCELLED:
            for role in EventRoleKind.values:
                promote_waiting(event, role, base_url, actor=actor)
        w.obj = event
        if not creating:
            w.verb = "event.changed"
        if event.status == Event.Status.CANCELLED and not was_cancelled and not creating:
            w.verb = "event.cancelled"
            _tell_registrants_of_cancellation(event, base_url, w)
    return event


def _tell_registrants_of_cancellation(event: Event, base_url: str, w: actions.Write) -> None:
    """Everyone still registered (confirmed or waiting) is emailed, after commit, with the
    calendar entry marked cancelled. Their registrations stay as they were."""
    from . import mail

    active = list(Registration.objects.filter(event=event).exclude(status=Registration.Status.CANCELLED).select_related("event__organisation"))
    w.on_commit(lambda: [mail.send_registration_email(r, None, mail.EVENT_CANCELLED, base_url) for r in active])


def role_places(event: Event) -> list[dict]:
    """For each role: capacity, confirmed, remaining places and waiting count (2 queries)."""
    with tenant_scope(event.organisation):
        return _role_places(event)


def _role_places(event: Event) -> list[dict]:
    counts = (
        Registration.objects.filter(event=event).exclude(status=Registration.Status.CANCELLED)
        .values("role", "status").annotate(n=Count("pk"))
    )
    confirmed: dict[str, int] = {}
    waiting: dict[str, int] = {}
    for row in counts:
        target = confirmed if row["status"] == Registration.Status.CONFIRMED else waiting
        target[row["role"]] = row["n"]
    capacities = dict(EventRole.objects.filter(event=event).values_list("role", "capacity"))
    places = []
    for role in EventRoleKind:
        capacity = capacities.get(role.value, 0)
        taken = confirmed.get(role.value, 0)
        places.append({
            "role": role.value,
            "label": role.label,
            "capacity": capacity,
            "confirmed": taken,
            "remaining": max(capacity - taken, 0),
            "waiting": waiting.get(role.value, 0),
            "open": capacity > 0,
        })
    return places


@dataclass(frozen=True)
class MemberEvent:
    """An upcoming event as a member of the organisation sees it."""

    event: Event
    remaining: int  # free places, all open roles together
    open_roles: int  # roles with places at all
    registration: Registration | None  # the member's own active registration, if any
    can_register: bool  # registrations open and not yet registered


def upcoming_for_member(organisation: Organisation, user, today: date | None = None) -> list[MemberEvent]:
    """The organisation's published events from ``today`` on (default: each event's own today,
    in the zone of its place; public and members-only alike),
    soonest first, each with its free places and the member's own registration (matched by
    account or by email address, case aside).

    Raises ``PermissionDenied`` / ``Http404`` (``core.access``) when ``user`` is not a member of
    the organisation. Three queries, whatever the number of events.
    """
    from .registrations import registrations_open

    access.require(user, "core.view_organisation", organisation)
    # Without ``today``, each event's own today (the zone of its place): any zone's date is
    # within a day of the server's, so one query with a day's margin, then the exact filter.
    first_day = today or timezone.localdate() - timedelta(days=1)
    with tenant_scope(organisation):
        events = [
            event for event in
            Event.objects.filter(organisation=organisation, status=Event.Status.PUBLISHED, date__gte=first_day)
            .select_related("organisation")
            .order_by("date", "start", "pk")
            if today is not None or event.date >= timezone.localdate(timezone=event.zone)
        ]
        ids = [event.pk for event in events]
        capacity: dict[int, int] = {}
        roles: dict[int, int] = {}
        for event_id, places in EventRole.objects.filter(event_id__in=ids, capacity__gt=0).values_list("event_id", "capacity"):
            capacity[event_id] = capacity.get(event_id, 0) + places
            roles[event_id] = roles.get(event_id, 0) + 1
        taken: dict[int, int] = {}
        mine: dict[int, Registration] = {}
        active = Registration.objects.filter(event_id__in=ids).exclude(status=Registration.Status.CANCELLED)
        email = (getattr(user, "email", "") or "").lower()
        for registration in active.only("pk", "event_id", "status", "role", "user_id", "email", "waiting_position"):
            if registration.status == Registration.Status.CONFIRMED:
                taken[registration.event_id] = taken.get(registration.event_id, 0) + 1
            if registration.user_id == user.pk or (email and registration.email.lower() == email):
                mine[registration.event_id] = registration
    return [
        MemberEvent(
            event=event,
            remaining=max(capacity.get(event.pk, 0) - taken.get(event.pk, 0), 0),
            open_roles=roles.get(event.pk, 0),
            registration=mine.get(event.pk),
            can_register=event.pk not in mine and roles.get(event.pk, 0) > 0 and registrations_open(event),
        )
        for event in events
    ]
