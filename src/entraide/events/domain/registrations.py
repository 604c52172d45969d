"""Registering for an event, the waiting lists, and cancelling.

Each role has its places; beyond them a registration waits with its position (1, 2, …) in that
role's waiting list. A cancelled confirmed place goes to the first person waiting for the same
role, who is emailed. Registering locks the role's row so that two people never take the last
place at once.
"""

import hashlib
import secrets
from dataclasses import dataclass

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import IntegrityError, transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext as _

from entraide.core import actions
from entraide.core.tenancy import tenant_scope
from entraide.core.text import clean_single_line

from ..models import QUESTION_MAX_LENGTH, Event, EventRole, EventRoleKind, Registration
from . import mail
from .errors import EventError

NAME_MAX_LENGTH = 100


def _hash(token: str) -> str:
    return hashlib.sha256(token.encode("utf-8")).hexdigest()


def _new_token() -> tuple[str, str]:
    token = secrets.token_urlsafe(24)
    return token, _hash(token)


def normalise_email(email: str) -> str:
    return (email or "").strip().lower()


@dataclass(frozen=True)
class Registered:
    registration: Registration
    cancel_token: str  # only here and in the email: the database keeps its hash

    @property
    def waiting(self) -> bool:
        return self.registration.status == Registration.Status.WAITING


def registrations_open(event: Event) -> bool:
    """Published, and the event's day has not passed where it takes place (its own zone: a
    Montréal event stays open until midnight in Montréal, whatever the server's zone)."""
    return event.status == Event.Status.PUBLISHED and event.date >= timezone.localdate(timezone=event.zone)


def register(
    event: Event, role: str, name: str, email: str, language: str = "fr", question: str = "",
    user=None, base_url: str = "", notify: bool = True,
) -> Registered:
    """Register someone for ``event`` in ``role``: confirmed while the role has places, else on
    its waiting list. A presenter gives a short question (at most 280 characters); it is kept
    encrypted and never emailed. Refused with an ``EventError`` (nothing saved) when the event is
    not open, the role has no places, the name or email is missing or invalid, the email is
    already registered, or a presenter's question is missing or too long. Emails the registrant
    after commit, in their language (unless ``notify`` is false: demo data).

    ``user``: who registers (anonymous on the public page): the action log's actor and, when
    signed in, its subject (``registration.created`` / ``registration.waiting``; never the name,
    address or question). Registering is open to anyone while the event is open: no rule to ask.
    """
    name = (name or "").strip()
    email = normalise_email(email)
    question = (question or "").strip()
    if not registrations_open(event):
        raise EventError(_("Registrations for this event are closed."))
    if role not in EventRoleKind.values:
        raise EventError(_("Choose how you take part."), "role")
    name = clean_single_line(name, "name", error=EventError)
    if not name:
        raise EventError(_("Give your name."), "name")
    if len(name) > NAME_MAX_LENGTH:
        raise EventError(_("Your name is too long (at most %(max)d characters).") % {"max": NAME_MAX_LENGTH}, "name")
    try:
        validate_email(email)
    except ValidationError:
        raise EventError(_("Give a valid email address."), "email") from None
    if language not in {code for code, _name in settings.LANGUAGES}:
        language = event.languages[0] if event.languages else settings.LANGUAGE_CODE
    if role == EventRoleKind.PRESENTER:
        if not question:
            raise EventError(_("As a presenter, write the short question you bring."), "question")
        if len(question) > QUESTION_MAX_LENGTH:
            raise EventError(
                _("Your question is too long: at most %(max)d characters (now %(length)d).")
                % {"max": QUESTION_MAX_LENGTH, "length": len(question)},
                "question",
            )
    else:
        question = ""

    token, token_hash = _new_token()
    try:
        # The role's row is the lock: two people never take its last place at once.
        with tenant_scope(event.organisation), actions.write(user, None, event, "registration.created", subject=user) as w:
            places = EventRole.objects.select_for_update().filter(event=event, role=role).first()
            if places is None or places.capacity == 0:
                raise EventError(_("This role is not open for this event."), "role")
            active = Registration.objects.filter(event=event).exclude(status=Registration.Status.CANCELLED)
            if active.filter(email=email).exists():
                raise EventError(_("This email address is already registered for this event."), "email")
            confirmed = active.filter(role=role, status=Registration.Status.CONFIRMED).count()
            registration = Registration(
                event=event, role=role, name=name, email=email, language=language,
                question=question or None, cancel_token_hash=token_hash,
                user=user if getattr(user, "is_authenticated", False) else None,
            )
            if confirmed < places.capacity:
                registration.status = Registration.Status.CONFIRMED
            else:
                last = active.filter(role=role, status=Registration.Status.WAITING).aggregate(m=Max("waiting_position"))["m"]
                registration.status = Registration.Status.WAITING
                registration.waiting_position = (last or 0) + 1
            registration.save()
            w.obj = registration
            kind = mail.CONFIRMED if registration.status == Registration.Status.CONFIRMED else mail.WAITING
            if kind == mail.WAITING:
                w.verb = "registration.waiting"
            if notify:
                w.on_commit(lambda: mail.send_registration_email(registration, token, kind, base_url))
    except IntegrityError:
        # Two submissions of the same address at once: the unique constraint caught the second.
        raise EventError(_("This email address is already registered for this event."), "email") from None
    return Registered(registration, token)


def registration_for_token(event: Event, token: str) -> Registration | None:
    if not token:
        return None
    with tenant_scope(event.organisation):
        return Registration.objects.filter(event=event, cancel_token_hash=_hash(token)).first()


def cancel_registration(registration: Registration, base_url: str = "", *, actor=None) -> Registration | None:
    """Cancel a registration (idempotent: a second call changes and logs nothing). A confirmed
    place goes to the first person waiting for the same role, who is emailed after commit;
    returns that person's registration, if any.

    ``actor``: the coordinator who cancels it (``events.manage_event``: 404/403 as
    ``core.access`` says), or ``None`` for the registrant's own link (the link is the
    permission). Logged as ``registration.cancelled`` about the registrant's account, if any.
    """
    event = registration.event
    permission = "events.manage_event" if actor is not None else None
    with tenant_scope(event.organisation), actions.write(actor, permission, event, "registration.cancelled", subject=registration.user) as w:
        EventRole.objects.select_for_update().filter(event=event, role=registration.role).first()
        current = Registration.objects.get(pk=registration.pk)
        w.obj = current
        if current.status == Registration.Status.CANCELLED:
            w.unchanged()
            return None
        current.status = Registration.Status.CANCELLED
        current.waiting_position = None
        current.cancelled_at = timezone.now()
        current.save(update_fields=["status", "waiting_position", "cancelled_at"])
        registration.status, registration.waiting_position = current.status, None
        promoted = promote_waiting(event, registration.role, base_url, actor=actor)
        _renumber(event, registration.role)
    return promoted[0] if promoted else None


def promote_waiting(event: Event, role: str, base_url: str = "", *, actor=None) -> list[Registration]:
    """Confirm people waiting for ``role``, in order, while it has free places (inside the
    caller's write: ``cancel_registration``, ``save_event``). Each one is logged
    (``registration.promoted``, by ``actor``, about their account) and gets a fresh cancellation
    link by email after commit."""
    places = EventRole.objects.filter(event=event, role=role).values_list("capacity", flat=True).first() or 0
    active = Registration.objects.filter(event=event, role=role)
    free = places - active.filter(status=Registration.Status.CONFIRMED).count()
    promoted = []
    if free <= 0:
        return promoted
    for registration in active.filter(status=Registration.Status.WAITING).order_by("waiting_position", "pk")[:free]:
        token, registration.cancel_token_hash = _new_token()
        registration.status = Registration.Status.CONFIRMED
        registration.waiting_position = None
        registration.save(update_fields=["status", "waiting_position", "cancel_token_hash"])
        promoted.append(registration)
        actions.log(actor, "registration.promoted", registration, subject=registration.user, organisation=event.organisation)
        transaction.on_commit(
            lambda registration=registration, token=token: mail.send_registration_email(registration, token, mail.PROMOTED, base_url)
        )
    if promoted:
        _renumber(event, role)
    return promoted


def _renumber(event: Event, role: str) -> None:
    waiting = Registration.objects.filter(event=event, role=role, status=Registration.Status.WAITING).order_by("waiting_position", "pk")
    for position, registration in enumerate(waiting, start=1):
        if registration.waiting_position != position:
            registration.waiting_position = position
            registration.save(update_fields=["waiting_position"])
