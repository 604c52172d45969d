"""The websocket door of a live session. Thin: decode, check, call the domain, answer.

Messages (documented in docs/asyncapi.yaml, and checked against it by the tests):
client → server: command, sync, ping; server → client: hello, changed, fragment, state,
synced, result, error, pong. The channel layer only says "changed"; the state itself always
comes from the database.

A connection opened with ``?view=participant|console|projector`` (live.js) asks for the
rendered HTML of that view instead of the bare signal: on "changed" the consumer renders it
(realtime.render: once per version and role view for the contributors' phones, personal parts
apart) in the thread pool, a session's connections together (RoomPushes), and pushes a
``fragment``. A burst of changes while a render is on its way makes one more render, not one
per change. A ``sync`` behind the current version is
answered by a fragment too. Without ``view`` a connection gets ``changed`` and ``state`` as
before.
"""

import asyncio
import json
import logging
import time
from urllib.parse import parse_qs

from channels.consumer import get_handler_name
from channels.db import DatabaseSyncToAsync
from channels.generic.websocket import AsyncJsonWebsocketConsumer
from django.conf import settings
from django.utils import translation
from django.utils.translation import gettext as _
from django.utils.translation.trans_real import parse_accept_lang_header

from entraide.core.errors import DomainError
from entraide.core.tenancy import all_tenants
from entraide.live.domain import commands, rules
from entraide.live.domain.notify import group_name
from entraide.live.domain.opening import count_failure, mark_seen, normalise_code, seat_for
from entraide.live.domain.state import session_state
from entraide.live.models import LiveSession, Participant

from . import render

logger = logging.getLogger(__name__)


class PooledDatabaseSyncToAsync(DatabaseSyncToAsync):
    """Database work of the consumers, run in the thread pool rather than all of it on Django's
    single "thread-sensitive" thread, which was the bottleneck under load (bench/fanout.py,
    py-spy). The command path takes its own locks, so calls of one session may run side by
    side. Connections follow the settings: SQLite keeps one per thread, PostgreSQL borrows one
    from the process's pool for each call."""

    def __init__(self, func):
        super().__init__(func, thread_sensitive=False)


database_sync_to_async = PooledDatabaseSyncToAsync

MAX_FRAME = 16_000  # characters; the longest text (a record) is 10,000
# Nesting of a frame: {"args": {"ballot": {...}}} is 3 deep. Checked before parsing, so that a
# frame of thousands of brackets never reaches the parser's recursion.
MAX_DEPTH = 8
# Messages one connection may send: a burst of FRAME_BURST, then FRAME_RATE a second. Checked
# before any work; the command path has its own limit per participant (commands.COMMAND_RATE).
FRAME_BURST = 30
FRAME_RATE = 5.0
CLIENT_TYPES = ("command", "sync", "ping")
NOT_A_PARTICIPANT = 4403


def too_deep(text: str, limit: int = MAX_DEPTH) -> bool:
    """Whether the JSON text ``text`` nests objects/arrays more than ``limit`` deep (brackets
    inside strings do not count). Linear; never parses."""
    depth = 0
    in_string = escaped = False
    for char in text:
        if in_string:
            if escaped:
                escaped = False
            elif char == "\\":
                escaped = True
            elif char == '"':
                in_string = False
        elif char == '"':
            in_string = True
        elif char in "[{":
            depth += 1
            if depth > limit:
                return True
        elif char in "]}":
            depth -= 1
    return False


def language_of(scope) -> str:
    supported = {code for code, _name in settings.LANGUAGES}
    cookie = (scope.get("cookies") or {}).get(settings.LANGUAGE_COOKIE_NAME)
    if cookie in supported:
        return cookie
    headers = dict(scope.get("headers") or [])
    accept = headers.get(b"accept-language", b"").decode("latin-1")
    for code, _quality in parse_accept_lang_header(accept):
        if code[:2] in supported:
            return code[:2]
    return settings.LANGUAGE_CODE


class LiveSessionConsumer(AsyncJsonWebsocketConsumer):
    session_id: int | None = None
    participant_id: int | None = None
    bucket: rules.TokenBucket | None = None
    view: str | None = None  # the view whose fragments this connection receives, if any
    pushed = 0  # the version of the last fragment pushed
    wanted = 0  # the newest version signalled
    fresh = False  # a signal at an already pushed version: presence changed, render anew

    async def dispatch(self, message) -> None:
        """As Channels' dispatch, without its ``aclose_old_connections()`` before every message:
        that hop to Django's single thread-sensitive thread, 13 times per command (the command
        and the 12 "changed" signals), was an eighth of the server's time under load (py-spy,
        bench/fanout.py). This consumer never touches the database on that thread; its
        database work runs in PooledDatabaseSyncToAsync, which looks after its connections."""
        handler = getattr(self, get_handler_name(message), None)
        if handler is None:
            raise ValueError(f"No handler for message type {message['type']}")
        await handler(message)

    async def connect(self) -> None:
        self.language = language_of(self.scope)
        self.bucket = rules.TokenBucket.full(FRAME_BURST, FRAME_RATE, time.monotonic())
        found = await self._authenticate(self.scope["url_route"]["kwargs"]["code"])
        if found is None:
            await self.close(code=NOT_A_PARTICIPANT)
            return
        self.session_id, self.participant_id, version, role = found
        asked = parse_qs((self.scope.get("query_string") or b"").decode("latin-1")).get("view", [None])[0]
        self.view = asked if asked in render.views_for(role) else None
        await self.channel_layer.group_add(group_name(self.session_id), self.channel_name)
        await self.accept()
        await self.send_json({"type": "hello", "version": version, "participant": self.participant_id, "role": role})

    async def disconnect(self, code: int) -> None:
        PUSHES.discard(self)
        if self.session_id is not None:
            await self.channel_layer.group_discard(group_name(self.session_id), self.channel_name)

    @database_sync_to_async
    def _authenticate(self, code: str):
        with all_tenants():
            session = LiveSession.objects.filter(join_code=normalise_code(code)).first()
            secret = (self.scope.get("cookies") or {}).get(f"entraide_live_{session.pk}") if session else None
            participant = seat_for(session, user=self.scope.get("user"), secret=secret) if session else None
            if not participant:
                # A stranger: the same close for a live and a wrong code, counted toward the same
                # guessing limit as every HTTP door that takes a code (live.domain.opening).
                count_failure((self.scope.get("client") or ("unknown",))[0] or "unknown")
                return None
            mark_seen(participant)
            return session.pk, participant.pk, commands.view_version(commands.table_of(session, participant), participant), participant.role

    # --- Receiving ----------------------------------------------------------------------

    async def receive(self, text_data=None, bytes_data=None, **kwargs) -> None:
        """Every frame gets an answer and none closes the connection: a flood, a frame too long
        or too deeply nested, or anything unexpected while handling it gets an error frame."""
        with translation.override(self.language):
            taken = self.bucket.take(time.monotonic())
            if taken is None:
                await self._error(None, "rate_limited", _("Too many messages at once: wait a few seconds, then try again."))
                return
            self.bucket = taken
            if text_data is None:
                await self._error(None, "malformed", _("Messages are JSON text."))
                return
            if len(text_data) > MAX_FRAME:
                await self._error(None, "too_large", _("This message is too long."))
                return
            if too_deep(text_data):
                await self._error(None, "malformed", _("This message is nested too deeply."))
                return
            try:
                content = json.loads(text_data)
            except (ValueError, RecursionError):
                await self._error(None, "malformed", _("This message is not valid JSON."))
                return
            try:
                await self.receive_json(content)
            except Exception:
                logger.exception("live message failed in session %s", self.session_id)
                await self._error(None, "retry", _("Something went wrong on our side; nothing was changed. Please try again."))

    async def receive_json(self, content, **kwargs) -> None:
        if not isinstance(content, dict) or content.get("type") not in CLIENT_TYPES:
            await self._error(None, "malformed", _("Unknown message type."))
            return
        kind = content["type"]
        if kind == "ping":
            await database_sync_to_async(self._seen)()
            await self.send_json({"type": "pong"})
        elif kind == "sync":
            await self._resync(content.get("version"))
        else:
            await self._command(content)

    def _seen(self) -> None:
        with all_tenants():
            participant = Participant.objects.filter(pk=self.participant_id).first()
        if participant is not None:
            mark_seen(participant)

    async def _command(self, content: dict) -> None:
        client_id = content.get("id")
        name = content.get("name")
        args = content.get("args", {})
        if not isinstance(client_id, str) or not isinstance(name, str):
            await self._error(client_id if isinstance(client_id, str) else None, "malformed", _("A command needs an id and a name."))
            return
        try:
            outcome = await database_sync_to_async(self._execute)(client_id, name, args)
        except commands.CommandRefused as refused:
            await self._error(client_id, refused.code, refused.message)
            return
        except DomainError as refused:
            # A refusal from a domain the command reaches (follow-up, themes...): the same
            # error frame as the engine's own refusals; nothing was changed.
            await self._error(client_id, refused.code, str(refused.message))
            return
        except Exception:
            logger.exception("live command %s failed in session %s", name, self.session_id)
            await self._error(client_id, "retry", _("Something went wrong on our side; nothing was changed. Please try again."))
            return
        await self.send_json(
            {"type": "result", "id": client_id, "version": outcome.version, "repeated": outcome.repeated, "notice": outcome.notice}
        )

    def _execute(self, client_id: str, name: str, args) -> commands.Outcome:
        with translation.override(self.language):
            return commands.execute(self.session_id, self.participant_id, client_id, name, args)

    async def _resync(self, version) -> None:
        if self.view is not None:
            known = version if isinstance(version, int) else -1
            current = await database_sync_to_async(self._current_version)()
            if current is None:
                await self.close(code=NOT_A_PARTICIPANT)
            elif known >= current:
                await self.send_json({"type": "synced", "version": known})
            else:
                self.pushed = min(self.pushed, known)
                self._want(current)
            return
        state = await database_sync_to_async(self._state)(version if isinstance(version, int) else None)
        if state is None:
            await self.close(code=NOT_A_PARTICIPANT)
        elif state == "current":
            await self.send_json({"type": "synced", "version": version})
        else:
            await self.send_json({"type": "state", "version": state["session"]["version"], "state": state})

    def _state(self, known_version: int | None):
        with all_tenants(), translation.override(self.language):
            session = LiveSession.objects.select_related("protocol_version").get(pk=self.session_id)
            participant = Participant.objects.filter(pk=self.participant_id, removed_at__isnull=True).first()
            if participant is None:
                return None
            if known_version is not None and known_version >= commands.view_version(commands.table_of(session, participant), participant):
                return "current"
            return session_state(session, participant)

    async def _error(self, client_id: str | None, code: str, message: str) -> None:
        await self.send_json({"type": "error", "id": client_id, "code": code, "message": message})

    def _current_version(self) -> int | None:
        with all_tenants():
            participant = Participant.objects.filter(pk=self.participant_id, removed_at__isnull=True).first()
            if participant is None:
                return None
            session = LiveSession.objects.filter(pk=self.session_id).first()
            return commands.view_version(commands.table_of(session, participant), participant) if session else None

    # --- From the channel layer -------------------------------------------------------------

    async def session_changed(self, event: dict) -> None:
        if self.view is None:
            await self.send_json({"type": "changed", "version": event["version"]})
            return
        self._want(event["version"])

    def _want(self, version: int) -> None:
        """Ask for a fragment at ``version`` or later. The pushes of a session's connections in
        this process are rendered together (``RoomPushes``), beside the message loops."""
        if version <= self.pushed:
            self.fresh = True  # same version, something else changed (presence)
        self.wanted = max(self.wanted, version)
        PUSHES.want(self)

    def _fragment_job(self) -> dict:
        """What rendering this connection's fragment needs, taken on the event loop."""
        headers = dict(self.scope.get("headers") or [])
        host = headers.get(b"host", b"localhost").decode("latin-1")
        scheme = "https" if self.scope.get("scheme") == "wss" else "http"
        fresh, self.fresh = self.fresh, False
        return {
            "session_id": self.session_id, "participant_id": self.participant_id, "view": self.view, "language": self.language,
            "base_url": f"{scheme}://{host}", "secret": (self.scope.get("cookies") or {}).get(f"entraide_live_{self.session_id}", ""),
            "fresh": fresh, "version": self.wanted,
        }

    async def _deliver(self, rendered, fresh: bool) -> None:
        if rendered is None:  # no longer a participant
            await self.close(code=NOT_A_PARTICIPANT)
        elif rendered is False:  # the page re-fetches it over HTTP
            await self.send_json({"type": "changed", "version": self.wanted})
        else:
            version, html = rendered
            if version > self.pushed or fresh:
                self.pushed = max(self.pushed, version)
                await self.send_json({"type": "fragment", "version": version, "view": self.view, "html": html})


class RoomPushes:
    """The fragments to push, per session, in this process. A session's connections that asked
    are rendered in one call in the thread pool (so one room's renders do not interleave with
    every other room's, and the thread hop is paid once), different sessions side by side; the
    connections that ask while it renders are the next batch (a burst renders once more, not
    once per change)."""

    def __init__(self) -> None:
        self.waiting: dict[int, dict] = {}  # session id -> {consumer: None}
        self.running: dict[int, asyncio.Task] = {}

    def want(self, consumer: "LiveSessionConsumer") -> None:
        self.waiting.setdefault(consumer.session_id, {})[consumer] = None
        task = self.running.get(consumer.session_id)
        loop = asyncio.get_running_loop()
        if task is None or task.done() or task.get_loop() is not loop:  # (a test's loop may have gone)
            self.running[consumer.session_id] = loop.create_task(self._run(consumer.session_id))

    def discard(self, consumer: "LiveSessionConsumer") -> None:
        self.waiting.get(consumer.session_id, {}).pop(consumer, None)

    async def _run(self, session_id: int) -> None:
        try:
            while self.waiting.get(session_id):
                # The phones (one shared render) and the facilitator's views (rendered alone)
                # in one call: they share the table's reads (live.domain.reads).
                await self._push(session_id, list(self.waiting.pop(session_id)))
        finally:
            self.running.pop(session_id, None)
            if self.waiting.get(session_id):  # cancelled with connections still waiting
                self.waiting.pop(session_id, None)

    async def _push(self, session_id: int, consumers: list) -> None:
        jobs = [consumer._fragment_job() for consumer in consumers]
        results = await database_sync_to_async(render.fragments)(jobs)
        for consumer, job, rendered in zip(consumers, jobs, results):
            try:
                await consumer._deliver(rendered, job["fresh"])
            except Exception:  # a connection closing meanwhile
                logger.debug("fragment not delivered in session %s", session_id, exc_info=True)


PUSHES = RoomPushes()
