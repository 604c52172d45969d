"""Reading a live session for a render, with its protocol version from the per-process cache
(live.domain.versions)."""

from entraide.core.tenancy import all_tenants
from entraide.live.domain.commands import table_of
from entraide.live.domain.reads import read
from entraide.live.domain.versions import with_protocol
from entraide.live.models import LiveSession


def load(session_id: int) -> LiveSession:
    """The session ``pk``, its protocol version from the cache, and ``table_version``: the
    version of its first table (the whole room while a session has one table). Read once per
    push (live.domain.reads). Raises LiveSession.DoesNotExist."""
    return read(("session", session_id), lambda: _load(session_id))


def _load(session_id: int) -> LiveSession:
    with all_tenants():
        session = with_protocol(LiveSession.objects.get(pk=session_id))
        # The first table's version, with the session's state read in the same statement
        # (commands.table_of): never an older state under a newer version.
        session.table_version = table_of(session).version
    return session
