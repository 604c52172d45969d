"""Reading a live session for a render, with its protocol version from the per-process cache
(live.domain.versions)."""

from entraide.core.tenancy import all_tenants
from entraide.live.domain.commands import session_tables, table_of
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
        # The session's row as read with its tables (commands.session_tables), in one statement:
        # never an older state under a newer version, and one query less per push.
        tables = session_tables(session_id)
        session = with_protocol(tables[0].session if tables else LiveSession.objects.get(pk=session_id))
        session.table_version = table_of(session).version
    return session
