"""Opening a live session and joining it.

A join code is short enough to type on a phone and hard to guess (8 letters and digits from
an alphabet without look-alikes: 25^8 ≈ 1.5·10^11). Guessing is bounded by counting FAILED
attempts per network (an IPv4 address, an IPv6 /64): past ``FAILED_PER_HOUR`` in an hour, a
network gets "too many attempts" for every code it has not already joined, live or wrong alike,
so the answer says nothing. A valid code is never refused to the network its room joins from
(where its participants or its facilitator were already seen), so one person on a shared Wi-Fi
cannot lock the room out; that exemption ends at ``FAILED_CEILING`` failures an hour, so that
it cannot be used to guess without bound either. The figures are in the README ("Join codes").
Unknown, closed and mistyped codes get the same answer.
"""

import hashlib
import ipaddress
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
from entraide.core.text import clean_single_line
from entraide.protocols.domain.agenda import fit_agenda
from entraide.protocols.models import Protocol

from ..models import LiveRole, LiveSession, LiveTable, Participant
from .rows import instances

logger = logging.getLogger(__name__)

CODE_ALPHABET = "ACDEFGHJKMNPQRTUVWXY34679"
CODE_LENGTH = 8
NAME_MAX = 40
FAILED_PER_HOUR = 30  # failed attempts per network and hour before codes are refused to strangers
FAILED_CEILING = 600  # failed attempts per network and hour before even the room's own network is refused
FAILURE_WINDOW = 3600  # seconds
ROOM_MEMORY = 12 * 3600  # seconds a network is remembered as a session's room
SEAT_MARGIN = 2  # seats above the protocol's maximum, until the facilitator raises it


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


def _seat(session: LiveSession, name: str, role: str, user=None, table: LiveTable | None = None) -> Seat:
    secret = secrets.token_urlsafe(24)
    table = table or LiveTable.objects.filter(session=session).order_by("number").first()
    participant = Participant.objects.create(
        session=session, table=table, display_name=name, role=role, user=user, secret_hash=hash_secret(secret)
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
    return create_live_session(
        organisation=organisation, protocol=protocol, facilitator=facilitator, participants=participants, start=start, end=end, title=title
    )


def create_live_session(
    *, organisation: Organisation, protocol: Protocol, facilitator, participants: int, start: time, end: time, title: str = ""
) -> tuple[LiveSession, Seat]:
    """The live session itself, its code drawn and the facilitator seated. The caller has
    checked access: ``open_session`` (a facilitator's own session) or the community's
    ``open_live`` (a group session's facilitator, ``community.run_live``, who may be a member
    facilitating in turn). Raises ``AgendaError`` when the agenda does not fit and
    ``SingleLineError`` when the title holds a control character."""
    title = clean_single_line(title, field="title")[:120]  # LiveSession.title's length
    version = protocol.current
    agenda = fit_agenda(version.spec, participants, start, end)
    with all_tenants():
        for _attempt in range(10):
            try:
                with transaction.atomic():
                    session = LiveSession.objects.create(
                        organisation=organisation,
                        protocol_version=version,
                        title=title,
                        join_code=new_code(),
                        created_by=facilitator,
                        agenda=[{"key": item.step.key, "minutes": item.minutes} for item in agenda.items],
                        planned_participants=participants,
                        planned_start=start,
                        planned_end=end,
                    )
                    table = LiveTable.objects.create(session=session, number=1)
                    seat = _seat(session, facilitator.display_name[:NAME_MAX], LiveRole.FACILITATOR, user=facilitator, table=table)
                return session, seat
            except IntegrityError:  # a code already taken: draw another
                continue
    raise RuntimeError("could not draw a free join code")


def network_of(address: str) -> str:
    """The unit that guessing is counted by: an IPv4 address as is (a room behind one NAT is one
    address anyway), an IPv6 address by its /64 (one device may hold a whole /64). Anything else
    (no address, a proxy's name) counts as itself."""
    try:
        ip = ipaddress.ip_address((address or "").strip())
    except ValueError:
        return address or "unknown"
    if ip.version == 6:
        if ip.ipv4_mapped is not None:
            return str(ip.ipv4_mapped)
        return str(ipaddress.ip_network(f"{ip}/64", strict=False))
    return str(ip)


def _failures_key(address: str) -> str:
    return f"live:join-failures:{network_of(address)}"


def _room_key(session_id: int, address: str) -> str:
    return f"live:room:{session_id}:{network_of(address)}"


# The counters live in the cache (Redis in production). While the cache is unreachable (Redis
# restarting) joining goes on unthrottled rather than failing for everyone: the codes are long
# enough that a few seconds of guessing gain nothing.


def _failures(address: str) -> int:
    try:
        return cache.get(_failures_key(address)) or 0
    except Exception:
        logger.warning("join throttle unavailable (cache unreachable)", exc_info=True)
        return 0


def count_failure(address: str) -> None:
    """One failed attempt from this address's network: a wrong code typed, or a stranger (no
    seat) at any address that takes a code (console, projector, state, QR, kit, personal link)."""
    key = _failures_key(address)
    try:
        cache.add(key, 0, FAILURE_WINDOW)
        try:
            cache.incr(key)
        except ValueError:  # expired between add and incr
            cache.set(key, 1, FAILURE_WINDOW)
    except Exception:
        logger.warning("join throttle unavailable (cache unreachable)", exc_info=True)


def remember_room(session: LiveSession, address: str) -> None:
    """This session's people are in the network of ``address`` (a seat joined or was seen from
    it): a valid code is never refused there while the network guesses wrong."""
    try:
        cache.set(_room_key(session.pk, address), 1, ROOM_MEMORY)
    except Exception:
        logger.warning("join throttle unavailable (cache unreachable)", exc_info=True)


def _is_room(session: LiveSession, address: str) -> bool:
    try:
        return bool(cache.get(_room_key(session.pk, address)))
    except Exception:
        return True  # the throttle is away (see above): nothing is refused


def too_many_failures(address: str) -> bool:
    """Whether this network has used up its failed attempts of the hour (strangers only)."""
    return _failures(address) >= FAILED_PER_HOUR


def find_open_session(code: str, address: str) -> LiveSession:
    """The session behind a code, if it can be joined, for a request from ``address``.

    Raises ``JoinRefused`` with the same message for an unknown, mistyped and ended code, and
    with "too many attempts" for every code (live or wrong) once the network has failed
    ``FAILED_PER_HOUR`` times this hour, except a live code whose room is that network (up to
    ``FAILED_CEILING``). Only failures count: a whole room joining from one Wi-Fi never does.
    """
    code = normalise_code(code)
    session = None
    if len(code) == CODE_LENGTH:
        with all_tenants():
            session = LiveSession.objects.filter(join_code=code).exclude(status=LiveSession.Status.ENDED).first()
    failures = _failures(address)
    if failures >= FAILED_PER_HOUR and not (session is not None and failures < FAILED_CEILING and _is_room(session, address)):
        count_failure(address)
        raise JoinRefused(too_many_message())
    if session is None:
        count_failure(address)
        raise JoinRefused(wrong_code_message())
    return session


def too_many_message() -> str:
    """The answer to every code once a network failed too often (translated at call time)."""
    return _("Too many wrong codes from this connection. Check the code on the screen or with the facilitator, then try again in a while.")


def wrong_code_message() -> str:
    """The one answer to an unknown, mistyped or ended code."""
    return _("This code does not open any session in progress. Check it with the facilitator.")


def clean_name(raw: str) -> str:
    """The name a person gives when joining, spaces folded; ``JoinRefused`` (translated) when it
    is empty, longer than ``NAME_MAX`` or holds a control character (core.text's rule)."""
    clean_single_line(raw or "", error=JoinRefused)
    name = " ".join((raw or "").split())
    if not name:
        raise JoinRefused(_("Please enter the name the group will see."))
    if len(name) > NAME_MAX:
        raise JoinRefused(_("The name is too long: at most %(max)d characters.") % {"max": NAME_MAX})
    return name


def seat_limit(session: LiveSession) -> int:
    """How many people (facilitator included) may hold a seat: the protocol's maximum (or the
    planned number when the facilitator planned more), plus the margin the facilitator sets."""
    spec = session.protocol_version.spec
    return max(spec.participants_max, session.planned_participants) + session.seat_margin


def seats_taken(session: LiveSession) -> int:
    with all_tenants():
        return Participant.objects.filter(session=session, removed_at__isnull=True).count()


class SameName(JoinRefused):
    """Someone of that name already sits in the session: maybe the same person on a new device.

    Nobody gets a seat from a name alone (anyone can type a name): the person continues with
    their personal link from their first device, or joins under another name."""

    def __init__(self, participant: Participant) -> None:
        super().__init__(
            _("%(name)s is already in this session. If it is you, open your personal link from your first device; otherwise choose another name.")
            % {"name": participant.display_name}
        )
        self.participant = participant


def same_name_seat(session: LiveSession, name: str) -> Participant | None:
    """The active seat already holding this name (case, accents and spaces as typed aside)."""
    wanted = " ".join(name.split()).casefold()
    with all_tenants():
        for person in Participant.objects.filter(session=session, removed_at__isnull=True):
            if person.display_name.casefold() == wanted:
                return person
    return None


def join(session: LiveSession, display_name: str, user=None) -> Seat:
    """A participant joins without an account (or, ``user``, a member of the group whose seat
    follows their account: ``member_seat`` checked that).

    Raises ``JoinRefused`` for an empty or too long name, an ended session, a full session
    (``seat_limit``), and ``SameName`` when that name already holds a seat.
    """
    name = clean_name(display_name)
    with all_tenants(), transaction.atomic():
        locked = LiveSession.objects.select_for_update(no_key=True, of=("self",)).select_related("protocol_version").get(pk=session.pk)
        if locked.status == LiveSession.Status.ENDED:
            raise JoinRefused(wrong_code_message())
        existing = same_name_seat(locked, name)
        if existing is not None:
            raise SameName(existing)
        if seats_taken(locked) >= seat_limit(locked):
            raise JoinRefused(
                _("The session is full (%(limit)d places). Ask the facilitator to open more places from the console.") % {"limit": seat_limit(locked)}
            )
        seat = _seat(locked, name, LiveRole.CONTRIBUTOR, user=user)
        version = bump_tables(locked)
        transaction.on_commit(lambda: _signal(locked.pk, version))
    return seat


MAX_SEAT_MARGIN = 200


def add_seats(session: LiveSession, actor: Participant, extra: int) -> int:
    """The facilitator opens ``extra`` more places (1 to 50 at a time). Returns the new limit.

    Raises ``JoinRefused`` when the actor is not the session's facilitator, the session ended, or
    ``extra`` is out of range. Bumps the version (the consoles show the new limit)."""
    if actor is None or actor.role != LiveRole.FACILITATOR or actor.removed_at is not None:
        raise JoinRefused(_("Only the facilitator opens more places."))
    if not 1 <= extra <= 50:
        raise JoinRefused(_("Open between 1 and 50 places at a time."))
    with all_tenants(), transaction.atomic():
        locked = LiveSession.objects.select_for_update(no_key=True, of=("self",)).select_related("protocol_version").get(pk=session.pk)
        if locked.status == LiveSession.Status.ENDED:
            raise JoinRefused(_("The session has ended."))
        locked.seat_margin = min(locked.seat_margin + extra, MAX_SEAT_MARGIN)
        locked.save(update_fields=["seat_margin"])
        version = bump_tables(locked)
        transaction.on_commit(lambda: _signal(locked.pk, version))
    return seat_limit(locked)


def bump_tables(session: LiveSession) -> int:
    """A change every table's people see (who is in the room, the places): bump the version of
    each table of ``session`` (locked, in the caller's transaction). Returns the first table's
    new version, for the "changed" signal."""
    versions = []
    for table in LiveTable.objects.select_for_update(no_key=True).filter(session=session).order_by("number"):
        table.version += 1
        table.save(update_fields=["version"])
        versions.append(table.version)
    return versions[0] if versions else 1


def _signal(session_id: int, version: int) -> None:
    from .notify import signal_changed

    signal_changed(session_id, version)


def seat_for(session: LiveSession, *, user=None, secret: str | None = None) -> Participant | None:
    """The active seat of one person in ``session``, the one lookup of every door (pages,
    commands, websocket, kit, themes, follow-up).

    ``secret``: the personal rejoin secret (this device's cookie or the personal link); it wins.
    ``user``: the signed-in account; the seat tied to it (the facilitator who opened the session,
    or a member of the group whose seat follows their account, ``member_seat``). Returns None
    for a stranger (no seat, a removed seat, an anonymous user); one query per key tried."""
    if session is None:
        return None
    # Plain SQL (live.domain.rows): every page and command asks, and the ORM's compiling of the
    # query was half of the lookup's time.
    if secret:
        found = instances(Participant, "session_id = %s AND secret_hash = %s AND removed_at IS NULL", [session.pk, hash_secret(secret)])
        if found:
            return found[0]
    if user is not None and getattr(user, "is_authenticated", False):
        found = instances(Participant, "session_id = %s AND user_id = %s AND removed_at IS NULL", [session.pk, user.pk])
        return min(found, key=lambda participant: participant.pk) if found else None
    return None


def member_seat(session: LiveSession, user) -> Seat | None:
    """A signed-in member of the group that ``session`` runs, opening its link, gets their own
    seat: the one tied to their account, else a new contributor's seat tied to it (so the same
    Participant follows them on every device). None when the account may not take a seat here
    (``live.take_member_seat`` in core.access) or the session ended. The new seat's name is the
    account's display name (with a number when that name is already seated). Raises
    ``JoinRefused`` when the session is full."""
    existing = seat_for(session, user=user)
    if existing is not None:
        return Seat(existing, "")
    if session.status == LiveSession.Status.ENDED or not access.can(user, "live.take_member_seat", session):
        return None
    base = clean_name((user.display_name or user.get_username())[:NAME_MAX])
    for attempt in range(1, 10):
        name = base if attempt == 1 else f"{base[: NAME_MAX - 4]} ({attempt})"
        try:
            return join(session, name, user=user)
        except SameName:
            continue
    raise JoinRefused(_("Please enter the name the group will see."))


def running_sessions_of(user, organisation: Organisation | None = None) -> list[LiveSession]:
    """The live sessions, not ended, where this account holds the facilitator's seat ("Mes
    séances en cours"), newest first; one query."""
    if not user or not user.is_authenticated:
        return []
    with all_tenants():
        found = LiveSession.objects.filter(
            participants__user=user, participants__role=LiveRole.FACILITATOR, participants__removed_at__isnull=True
        ).exclude(status=LiveSession.Status.ENDED)
        if organisation is not None:
            found = found.filter(organisation=organisation)
        return list(found.select_related("protocol_version").distinct().order_by("-created_at"))


def new_secret_for(participant: Participant) -> str:
    """A fresh rejoin secret (the facilitator on a new device); the old link stops working."""
    secret = secrets.token_urlsafe(24)
    with all_tenants():
        Participant.objects.filter(pk=participant.pk).update(secret_hash=hash_secret(secret))
    return secret


SEEN_PRECISION = timedelta(seconds=15)


PRESENT_WITHIN = timedelta(seconds=45)  # the same as state.CONNECTED_WITHIN


def mark_seen(participant: Participant) -> None:
    """Presence for the console. A write costs more than a read, so a participant seen less
    than SEEN_PRECISION ago is not written again (heartbeats come every 25 s).

    When the facilitator comes back after being away, the phones are told (a "changed" signal
    at the current version: they refetch and show that the session no longer waits). Their
    going away needs no signal: each phone knows until when they count as present."""
    now = timezone.now()
    if participant.last_seen_at is not None and now - participant.last_seen_at < SEEN_PRECISION:
        return
    came_back = participant.role == LiveRole.FACILITATOR and (
        participant.last_seen_at is None or now - participant.last_seen_at > PRESENT_WITHIN
    )
    participant.last_seen_at = now
    with all_tenants(), serialised_writes():
        Participant.objects.filter(pk=participant.pk).update(last_seen_at=now)
    if came_back:
        with all_tenants():
            version = LiveTable.objects.filter(session_id=participant.session_id).order_by("number").values_list("version", flat=True).first()
        if version is not None:
            transaction.on_commit(lambda: _signal(participant.session_id, version))
