"""Events and their registrations: what the events pages call."""

from datetime import date

from django.http import Http404, HttpRequest
from ninja import Router, Status

from entraide.core import access
from entraide.events.domain.events import active_registrations, events_with_counts, role_places, upcoming_for_member
from entraide.events.domain.registrations import register
from entraide.events.models import Event

from .. import schemas
from ..auth import write_token
from .common import check_range, get_or_404, limit_param, offset_param, organisation_of, page, responses, scoped

router = Router(tags=["events"])

EVENT_FIELDS = ("slug", "title", "date", "time_zone", "mode", "place", "region", "status", "public")


def _clock(event: Event) -> dict:
    return {"start": event.start.strftime("%H:%M"), "end": event.end.strftime("%H:%M")}


def _event_out(event: Event) -> dict:
    return {"id": event.pk, **{name: getattr(event, name) for name in EVENT_FIELDS}, **_clock(event), "confirmed": event.confirmed, "waiting": event.waiting}


def _registration_out(registration, with_email: bool) -> dict:
    return {
        "id": registration.pk, "role": registration.role, "name": registration.name, "status": registration.status,
        "waiting_position": registration.waiting_position, "language": registration.language,
        "created_at": registration.created_at, "email": registration.email if with_email else None,
    }


@router.get("/events", response=responses(schemas.EventPage), summary="Events of the organisation")
def list_events(
    request: HttpRequest, since: date | None = None, until: date | None = None,
    limit: int = limit_param(), offset: int = offset_param(),
):
    """Every event (drafts and cancelled ones included), newest first, with its confirmed and
    waiting registrations counted, dated from ``since`` to ``until``: for coordinators and
    facilitators (``events.list_events``), as the events page."""
    check_range(since, until)
    with scoped(request, "events.list_events") as organisation:
        events = events_with_counts(organisation).order_by("-date", "-start", "-pk")
        if since is not None:
            events = events.filter(date__gte=since)
        if until is not None:
            events = events.filter(date__lte=until)
        result = page(events, limit, offset)
    result["items"] = [_event_out(e) for e in result["items"]]
    return result


@router.get("/events/upcoming", response=responses(schemas.UpcomingEventPage), summary="Coming events a member may register for")
def upcoming_events(request: HttpRequest, limit: int = limit_param(), offset: int = offset_param()):
    """The organisation's published events from today on, soonest first, with their free places
    and the caller's own registration: any member, as "Mon espace" (``upcoming_for_member``)."""
    organisation = organisation_of(request)
    rows = upcoming_for_member(organisation, request.user)
    items = [
        {
            "id": row.event.pk, **{name: getattr(row.event, name) for name in ("slug", "title", "date", "time_zone", "mode", "place")}, **_clock(row.event),
            "remaining": row.remaining, "can_register": row.can_register,
            "my_registration": None if row.registration is None else {
                "id": row.registration.pk, "role": row.registration.role, "status": row.registration.status,
                "waiting_position": row.registration.waiting_position,
            },
        }
        for row in rows
    ]
    return page(items, limit, offset)


def _event(organisation, event_id: int) -> Event:
    return get_or_404(events_with_counts(organisation), pk=event_id)


@router.get("/events/{event_id}", response=responses(schemas.EventDetailOut), summary="One event and its places per role")
def get_event(request: HttpRequest, event_id: int):
    """The event with its places per role (capacity, confirmed, remaining, waiting): its
    coordinators and named facilitators (``events.view_event``), as the event's page."""
    with scoped(request) as organisation:
        event = _event(organisation, event_id)
        access.require(request.user, "events.view_event", event)
        places = role_places(event)
    return {**_event_out(event), "places": [{k: place[k] for k in ("role", "capacity", "confirmed", "remaining", "waiting")} for place in places]}


@router.get("/events/{event_id}/registrations", response=responses(schemas.RegistrationPage), summary="Registrations of an event")
def list_registrations(request: HttpRequest, event_id: int, limit: int = limit_param(), offset: int = offset_param()):
    """Registrations that are not cancelled, waiting lists in order: the event's coordinators
    and named facilitators (``events.view_event``); e-mail addresses for coordinators
    (``events.manage_event``). Never the presenters' questions."""
    with scoped(request) as organisation:
        event = _event(organisation, event_id)
        access.require(request.user, "events.view_event", event)
        with_email = access.can(request.user, "events.manage_event", organisation)
        result = page(active_registrations(event), limit, offset)
    result["items"] = [_registration_out(r, with_email) for r in result["items"]]
    return result


@router.post(
    "/events/{event_id}/registrations", auth=write_token, response=responses(schemas.RegistrationOut, 201),
    summary="Register the token's owner for an event (write scope)",
)
def register_me(request: HttpRequest, event_id: int, payload: schemas.RegisterIn):
    """Register the caller, under their account's name and e-mail address, in ``role``:
    confirmed while the role has places, else on its waiting list; a confirmation e-mail is
    sent. The same domain function as the event's public page (``events.domain.registrations.
    register``): closed registrations, an unknown role, an address already registered or a
    missing presenter's question answer 400. A draft is 404 except to coordinators."""
    with scoped(request) as organisation:
        event = get_or_404(Event.objects.select_related("organisation"), organisation=organisation, pk=event_id)
    if event.status == Event.Status.DRAFT and not access.can(request.user, "events.manage_event", organisation):
        raise Http404
    user = request.user
    registered = register(
        event, payload.role, user.display_name, user.email, payload.language or user.language, payload.question,
        user=user, base_url=request.build_absolute_uri("/").rstrip("/"),
    )
    return Status(201, _registration_out(registered.registration, with_email=True))
