"""Reading a live session for a render, with its protocol version from the per-process cache
(live.domain.versions)."""

from entraide.core.tenancy import all_tenants
from entraide.live.domain.commands import look
from entraide.live.domain.reads import read
from entraide.live.models import LiveSession


def load(session_id: int) -> LiveSession:
    """The session ``pk``, its protocol version from the cache, and ``table_version``: the
    version of its first table (the whole room while a session has one table). Read once per
    push (live.domain.reads). Raises LiveSession.DoesNotExist."""
    return read(("session", session_id), lambda: _load(session_id))


def _load(session_id: int) -> LiveSession:
    with all_tenants():
        # The session's row as read with its tables, in one statement (commands.look): never an
        # older state under a newer version.
        session, room = look(session_id, None)
    if session is None:
        raise LiveSession.DoesNotExist(f"no live session {session_id}")
    session.table_version = room.version
    return session
