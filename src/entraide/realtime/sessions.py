"""Reading a live session for a render, with its protocol version from a per-process cache.

A protocol version is never edited in place (protocols/models.py: each accepted edit is a new
``ProtocolVersion``), so its parsed spec can serve every render of every session that uses it:
reading and parsing it again cost a render more than the rest of the session's reads
(bench/room.py)."""

import threading

from entraide.core.tenancy import all_tenants
from entraide.live.domain.commands import table_of
from entraide.live.models import LiveSession
from entraide.protocols.models import ProtocolVersion

MAX_VERSIONS = 256
_versions: dict[int, ProtocolVersion] = {}
_lock = threading.Lock()


def protocol_version(pk: int) -> ProtocolVersion:
    """The protocol version ``pk`` with its spec parsed once per process. Raises
    ProtocolVersion.DoesNotExist."""
    with _lock:
        found = _versions.get(pk)
    if found is None:
        with all_tenants():
            found = ProtocolVersion.objects.get(pk=pk)
        found.spec  # noqa: B018 — parsed here, once
        with _lock:
            if len(_versions) >= MAX_VERSIONS:
                _versions.clear()
            _versions[pk] = found
    return found


def with_protocol(session: LiveSession | None) -> LiveSession | None:
    """``session`` with its cached protocol version attached (read without it)."""
    if session is not None:
        session.protocol_version = protocol_version(session.protocol_version_id)
    return session


def load(session_id: int) -> LiveSession:
    """The session ``pk``, its protocol version from the cache, and ``table_version``: the
    version of its first table (the whole room while a session has one table)."""
    with all_tenants():
        session = with_protocol(LiveSession.objects.get(pk=session_id))
        # The first table's version, with the session's state read in the same statement
        # (commands.table_of): never an older state under a newer version.
        session.table_version = table_of(session).version
    return session
