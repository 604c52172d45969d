"""Protocol versions with their parsed spec, once per process.

A protocol version is never edited in place (protocols/models.py: each accepted edit is a new
``ProtocolVersion``), so its parsed spec can serve every command and every render of every
session that uses it: reading and parsing it again cost a render more than the rest of the
session's reads (bench/room.py)."""

import threading

from entraide.core.tenancy import all_tenants
from entraide.protocols.models import ProtocolVersion

from ..models import LiveSession

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


def clear() -> None:
    """Forget every cached version (tests: a rolled-back id can come back as another version)."""
    with _lock:
        _versions.clear()
