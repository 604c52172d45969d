"""Opening a live session and joining it.

A join code is short enough to type on a phone and hard to guess (8 letters and digits from
an alphabet without look-alikes: 25^8 ≈ 1.5·10^11), and join attempts are limited per
address. Unknown, closed and mistyped codes get the same answer.
"""

import hashlib
import logging
import secrets
from dataclasses import dataclass
from datetime import time, timedelta

from django.core.cache import cache
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from entraide.core import access
from entraide.core.db import serialised_writes
from entraide.core.models import Organisation
from entraide.core.tenancy import all_tenants
from entraide.protocols.domain.agenda import fit_agenda
from entraide.protocols.models import Protocol

from ..models import LiveRole, LiveSession, Participant

logger = logging.getLogger(__name__)

CODE_ALPHABET = "ACDEFGHJKMNPQRTUVWXY34679"
CODE_LENGTH = 8
NAME_MAX = 40
JOIN_ATTEMPTS = 20  # failed attempts per address and window
JOIN_WINDOW = 10 * 60  # seconds


class JoinRefused(Exception):
    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


@dataclass(frozen=True)
class Seat:
    """A participant and the personal secret that lets them back in (shown once)."""

    participant: Participant
    secret: str


def new_code() -> str:
    return "".join(secrets.choice(CODE_ALPHABET) for _ in range(CODE_LENGTH))


def normalise_code(raw: str) -> str:
    return "".join(ch for ch in (raw or "").upper() if ch.isalnum())[: CODE_LENGTH + 4]


def format_code(code: str) -> str:
    return f"{code[:4]}-{code[4:]}"


def hash_secret(secret: str) -> str:
    return hashlib.sha256(secret.encode("utf-8")).hexdigest()


def _seat(session: LiveSession, name: str, role: str, user=None) -> Seat:
    secret = secrets.token_urlsafe(24)
    participant = Participant.objects.create(
        session=session, display_name=name, role=role, user=user, secret_hash=hash_secret(secret)
    )
    return Seat(participant, secret)


def open_session(
    *, organisation: Organisation, protocol: Protocol, facilitator, participants: int, start: time, end: time, title: str = ""
) -> tuple[LiveSession, Seat]:
    """A facilitator opens a session from a protocol and its agenda fitted to the window.

    Raises ``AgendaError`` when the agenda does not fit, ``PermissionDenied``/``Http404``
    when the user may not facilitate in this organisation.
    """
    access.require(facilitator, "live.open_session", organisation)
    access.require(facilitator, "protocols.view_protocol", protocol)
    version = protocol.current
    agenda = fit_agenda(version.spec, participants, start, end)
    with all_tenants():
        for _attempt in range(10):
            try:
                with transaction.atomic():
                    session = LiveSession.objects.create(
                        organisation=organisation,
                        protocol_version=version,
                        title=title.strip()[:120],
                        join_code=new_code(),
                        created_by=facilitator,
                        agenda=[{"key": item.step.key, "minutes": item.minutes} for item in agenda.items],
                        planned_participants=participants,
                        planned_start=start,
                        planned_end=end,
                    )
                    seat = _seat(session, facilitator.display_name[:NAME_MAX], LiveRole.FACILITATOR, user=facilitator)
                return session, seat
            except IntegrityError:  # a code already taken: draw another
                continue
    raise RuntimeError("could not draw a free join code")


def _failures_key(address: str) -> str:
    return f"live:join-failures:{address}"


# The counters live in the cache (Redis in production). While the cache is unreachable (Redis
# restarting) joining goes on unthrottled rather than failing for everyone: the codes are long
# enough that a few seconds of guessing gain nothing.


def _too_many_failures(address: str) -> bool:
    try:
        return (cache.get(_failures_key(address)) or 0) >= JOIN_ATTEMPTS
    except Exception:
        logger.warning("join throttle unavailable (cache unreachable)", exc_info=True)
        return False


def _count_failure(address: str) -> None:
    key = _failures_key(address)
    try:
        cache.add(key, 0, JOIN_WINDOW)
        try:
            cache.incr(key)
        except ValueError:  # expired between add and incr
            cache.set(key, 1, JOIN_WINDOW)
    except Exception:
        logger.warning("join throttle unavailable (cache unreachable)", exc_info=True)


def find_open_session(code: str, address: str) -> LiveSession:
    """The session behind a code, if it can be joined.

    Only failed attempts count against the address (guessing): a whole room joining from one
    wifi network is never throttled.
    """
    if _too_many_failures(address):
        raise JoinRefused(_("Too many attempts from this connection. Wait a few minutes, then try again."))
    code = normalise_code(code)
    session = None
    if len(code) == CODE_LENGTH:
        with all_tenants():
            session = LiveSession.objects.filter(join_code=code).exclude(status=LiveSession.Status.ENDED).first()
    if session is None:
        _count_failure(address)
        raise JoinRefused(_("This code does not open any session in progress. Check it with the facilitator."))
    return session


def clean_name(raw: str) -> str:
    name = " ".join((raw or "").split())
    if not name:
        raise JoinRefused(_("Please enter the name the group will see."))
    if len(name) > NAME_MAX:
        raise JoinRefused(_("The name is too long: at most %(max)d characters.") % {"max": NAME_MAX})
    return name


def join(session: LiveSession, display_name: str) -> Seat:
    """A participant joins without an account."""
    name = clean_name(display_name)
    with all_tenants(), transaction.atomic():
        locked = LiveSession.objects.select_for_update().get(pk=session.pk)
        if locked.status == LiveSession.Status.ENDED:
            raise JoinRefused(_("This code does not open any session in progress. Check it with the facilitator."))
        seat = _seat(locked, name, LiveRole.CONTRIBUTOR)
        locked.version += 1
        locked.save(update_fields=["version"])
        version = locked.version
        transaction.on_commit(lambda: _signal(locked.pk, version))
    return seat


def _signal(session_id: int, version: int) -> None:
    from .notify import signal_changed

    signal_changed(session_id, version)


def participant_for_secret(session: LiveSession, secret: str | None) -> Participant | None:
    if not secret:
        return None
    with all_tenants():
        participant = Participant.objects.filter(
            session=session, secret_hash=hash_secret(secret), removed_at__isnull=True
        ).first()
    return participant


def facilitator_for_user(session: LiveSession, user) -> Participant | None:
    """The facilitator gets back in from another device by logging in with their account."""
    if not user or not user.is_authenticated:
        return None
    with all_tenants():
        return Participant.objects.filter(session=session, user=user, removed_at__isnull=True).first()


def new_secret_for(participant: Participant) -> str:
    """A fresh rejoin secret (the facilitator on a new device); the old link stops working."""
    secret = secrets.token_urlsafe(24)
    with all_tenants():
        Participant.objects.filter(pk=participant.pk).update(secret_hash=hash_secret(secret))
    return secret


SEEN_PRECISION = timedelta(seconds=15)


def mark_seen(participant: Participant) -> None:
    """Presence for the console. A write costs more than a read, so a participant seen less
    than SEEN_PRECISION ago is not written again (heartbeats come every 25 s)."""
    now = timezone.now()
    if participant.last_seen_at is not None and now - participant.last_seen_at < SEEN_PRECISION:
        return
    participant.last_seen_at = now
    with all_tenants(), serialised_writes():
        Participant.objects.filter(pk=participant.pk).update(last_seen_at=now)
