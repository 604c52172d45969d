"""An event's live session (the atelier pratique, field document 002; issue 12 item 2).

The event's page opens it: the session runs the event's protocol (the built-in
``atelier-pratique`` when the event names none) over the event's hours, is linked to the event
(``LiveSession.event``), and the people the event registered as presenters come in as the
session's presenters (``LiveRole.OFFERER``) with the question they chose to share, written as a
case at the room, so that in plenary each poses it in turn (the ``pitch`` step's timed turns),
participants mark the cases they prefer on their phones (``prefer_case``) and one table forms
around each presenter (``form_tables``). Hosts registered for the event are seated too (the
facilitator may make them a table's host). Each seat's spoken language is the registration's.

Registered people receive no seat secret in this page: each seated presenter and host is
emailed their personal link (core/mail.py, in their registration's language); those registered
with an account also find their seat by signing in and opening the session's code.
"""

import logging
from dataclasses import dataclass

from django.db import transaction
from django.urls import reverse
from django.utils.translation import gettext as _

from entraide.core import access
from entraide.core.links import site_url
from entraide.core.mail import send_plain_mail
from entraide.core.tenancy import all_tenants
from entraide.protocols.models import Protocol

from ..models import ROOM_NUMBER, LiveRole, LiveSession, LiveTable, Problem
from .opening import NAME_MAX, JoinRefused, Seat, _seat, create_live_session

logger = logging.getLogger(__name__)

EVENT_PROTOCOL = "atelier-pratique"  # the protocol of an event that names none (field document 002)


class EventSessionRefused(JoinRefused):
    """The event's live session cannot be opened (message translated, nothing created)."""


@dataclass(frozen=True)
class EventSeat:
    """A registered person seated in the event's session, with their personal link's secret
    (emailed to them, never shown on a page)."""

    seat: Seat
    email: str
    language: str


def running_session_of(event) -> LiveSession | None:
    """The event's live session that has not ended, if any (one query)."""
    with all_tenants():
        return LiveSession.objects.filter(event=event).exclude(status=LiveSession.Status.ENDED).order_by("-created_at").first()


def _protocol_of(event) -> Protocol:
    if event.protocol_id is not None and event.protocol.current_id is not None:
        return event.protocol
    with all_tenants():
        protocol = Protocol.objects.filter(key=EVENT_PROTOCOL, organisation__isnull=True).first()
    if protocol is None or protocol.current_id is None:
        raise EventSessionRefused(_("The protocol of this event is not available: ask the administrator to load the protocols."))
    return protocol


def _unique_name(name: str, taken: set[str]) -> str:
    base = " ".join(name.split())[:NAME_MAX] or "?"
    candidate, n = base, 2
    while candidate.casefold() in taken:
        suffix = f" ({n})"
        candidate, n = base[: NAME_MAX - len(suffix)] + suffix, n + 1
    taken.add(candidate.casefold())
    return candidate


def open_event_session(event, user, *, base_url: str = "") -> tuple[LiveSession, Seat, list[EventSeat]]:
    """``user`` opens ``event``'s live session and holds its facilitator's seat.

    Returns (session, the facilitator's seat, the seats of the registered presenters and hosts).
    The session is planned for the event's confirmed registrations plus the facilitator (within
    the protocol's bounds), over the event's start and end. Each confirmed presenter (in order of
    registration) becomes a presenter with their question as a case at the room (their name if
    they shared no question); each confirmed host a contributor. Every seated person is emailed
    their personal link after the commit (a failing mail is logged, the session stays open).

    Raises ``PermissionDenied`` when ``user`` may not (``events.open_live_session``: the event's
    facilitators and the coordinators), ``EventSessionRefused`` (translated) when the event is
    cancelled or already has a live session in progress, or when its protocol is missing, and
    ``AgendaError`` when the protocol's steps do not fit in the event's hours.
    """
    from entraide.events.models import Event, EventRoleKind, Registration

    access.require(user, "events.open_live_session", event)
    if event.status == Event.Status.CANCELLED:
        raise EventSessionRefused(_("This event is cancelled: it has no live session."))
    if running_session_of(event) is not None:
        raise EventSessionRefused(_("The live session of this event is already open."))
    protocol = _protocol_of(event)
    spec = protocol.current.spec
    with all_tenants():
        registered = list(
            Registration.objects.filter(event=event, status=Registration.Status.CONFIRMED).order_by("created_at", "pk")
        )
    planned = max(spec.participants_min, min(spec.participants_max, len(registered) + 1))
    with transaction.atomic():
        session, seat = create_live_session(
            organisation=event.organisation, protocol=protocol, facilitator=user, participants=planned,
            start=event.start, end=event.end, title=event.title,
        )
        with all_tenants():
            LiveSession.objects.filter(pk=session.pk).update(event=event)
            session.event = event
            room = LiveTable.objects.get(session=session, number=ROOM_NUMBER)
            taken = {seat.participant.display_name.casefold()}
            seated: list[EventSeat] = []
            order = [r for r in registered if r.role == EventRoleKind.PRESENTER] + [r for r in registered if r.role == EventRoleKind.HOST]
            for registration in order:
                presenter = registration.role == EventRoleKind.PRESENTER
                person = _seat(
                    session, _unique_name(registration.name, taken),
                    LiveRole.OFFERER if presenter else LiveRole.CONTRIBUTOR, user=registration.user, table=room,
                )
                person.participant.languages = registration.language or ""
                person.participant.save(update_fields=["languages"])
                if presenter:
                    question = " ".join((registration.question or "").split()) or person.participant.display_name
                    Problem.objects.create(session=session, table=room, author=person.participant, text=question[:2000])
                seated.append(EventSeat(person, registration.email, registration.language or "fr"))
        transaction.on_commit(lambda: _mail_links(session, seated, base_url))
    return session, seat, seated


def _mail_links(session: LiveSession, seated: list[EventSeat], base_url: str) -> None:
    root = site_url(base_url)
    for each in seated:
        link = root + reverse("web:live-rejoin", kwargs={"code": session.join_code, "secret": each.seat.secret})
        try:
            send_plain_mail(
                each.email, each.language, "events/email/live_seat.txt",
                {"session": session, "name": each.seat.participant.display_name, "link": link,
                 "presenter": each.seat.participant.role == LiveRole.OFFERER},
                subject_template="events/email/live_seat_subject.txt",
            )
        except Exception:  # the mail backend; the facilitator can still hand the seat over
            logger.warning("could not email the personal link of seat %s", each.seat.participant.pk, exc_info=True)
