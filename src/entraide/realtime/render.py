"""The live fragments the websocket pushes: rendered once per (session, version, view, role,
language) and served to every viewer of that view, with what is personal rendered apart.

Of a room of 12, the facilitator's console is one viewer and renders for them alone (as
does the offerer's phone and every view of an ended session); the contributors' phones share
one render: the fragment is rendered for a *phantom* contributor (a seat with no name, no
note, no vote, never "me"), so that the shared part holds nothing personal by construction;
the parts marked ``{% personal %}`` in the templates (templatetags/live_render.py) are then
rendered for each viewer from their own state, which ``personal_state`` derives from the
phantom's with one small query for the ids of what is theirs and one for their notes.

The shared entry lives in this process (each worker has its own), keyed by session id,
version, view, role and language, and only for a moment (``SHARED_TTL``): the clocks and
presence it shows are those of its render. A signal at an unchanged version (the facilitator
came back) asks for a fresh render.

Without JavaScript nothing here is used: the pages render as before (web/live_views.py), and
``{% personal %}`` renders its part in place.
"""

import functools
import json
import logging
import re
import threading
import time
from types import SimpleNamespace
from dataclasses import dataclass, field
from datetime import datetime

from django.db import connection
from django.template.loader import get_template
from django.urls import get_script_prefix, reverse
from django.utils import translation
from django.utils.timezone import get_current_timezone_name

from entraide.core.tenancy import all_tenants
from entraide.live.domain import commands, rules
from entraide.live.domain.reads import read, shared_reads
from entraide.live.domain.rows import select as _select
from entraide.live.domain.state import parts_context, session_state, shares_renders
from entraide.live.domain.parts import shared_parts
from entraide.live.domain.steps import live_steps
from entraide.live.models import Consent, GroundRule, LiveRole, LiveSession, Participant, PrivateNote, Problem, Question, Vote
from entraide.realtime import sessions
from entraide.web.live_views import VIEWS, CommandErrors, fragment_context
from entraide.web.templatetags.live_render import CSRF_MARK, SLOTS, MarkedIds

logger = logging.getLogger(__name__)

SHARED_TTL = 1.0  # seconds a shared render serves a version
MAX_ENTRIES = 512
# Pushed fragments carry no CSRF token: the page's own is put into their forms by live.js.
CSRF_PLACEHOLDER = "__csrf__"
MARKER = re.compile(r"<!--personal:(\d+)-->")


class _NoIds:
    """Pushed forms carry no client id: live.js gives each submission its own."""

    def memo_key(self) -> str:
        """Every pushed render is alike ({% memo %} parts may be kept across them)."""
        return ""

    def __getattr__(self, name: str) -> str:
        return ""


NO_IDS = _NoIds()


def views_for(role: str) -> tuple[str, ...]:
    """The views (keys of web.live_views.VIEWS) a participant of ``role`` may receive."""
    return ("console", "projector") if role == LiveRole.FACILITATOR else ("participant",)


@dataclass
class Shared:
    created: float
    version: int
    state: dict
    parts: list  # str, or int: the index of a personal slot
    slots: list  # (PersonalNode, kept variables)
    template: object  # the django.template.base.Template the slots belong to
    session: LiveSession  # as it was read for this render
    # The personal parts rendered for the HTTP pages of this render (``fill``'s memo), kept
    # with it: the phones of a room share them as the phones of one push do.
    memo: dict = field(default_factory=dict)


_cache: dict[tuple, Shared] = {}
_building: dict[tuple, threading.Event] = {}
_lock = threading.Lock()


def clear() -> None:
    """Forget every shared render (tests)."""
    with _lock:
        _cache.clear()


def fragments(jobs: list[dict]) -> list:
    """The fragment of each job (session_id, participant_id, view, language, base_url, secret,
    fresh, version), all of one session, as a batch, each as (version, html); None when the
    viewer no longer has a seat, False when their role no longer sees that view or the render
    failed (the page then re-fetches over HTTP): the seats are read in
    one query, and for the phones that share a render, what is theirs (ids, notes) in two
    queries for all of them, whatever their number (on PostgreSQL each round trip counts).
    A job that fails gives False (the page then re-fetches over HTTP)."""
    results: list = [False] * len(jobs)
    if not jobs:
        return results
    session_id = jobs[0]["session_id"]
    try:
        with all_tenants(), shared_reads():
            found = seats(session_id, [job["participant_id"] for job in jobs])
            groups: dict[tuple, list[int]] = {}
            for index, job in enumerate(jobs):
                viewer = found.get(job["participant_id"])
                if viewer is None:
                    results[index] = None
                elif job["view"] not in views_for(viewer.role):
                    results[index] = False
                elif viewer.role == LiveRole.CONTRIBUTOR and job["view"] == "participant":
                    groups.setdefault((job["language"], job["fresh"]), []).append(index)
                else:
                    results[index] = _alone(job, viewer)
            for (language, fresh), indexes in groups.items():
                with translation.override(language):
                    version = max(jobs[i]["version"] or 0 for i in indexes)
                    base_url = jobs[indexes[0]]["base_url"]
                    entry = None if fresh else _cached(_shared_key(session_id, "participant", LiveRole.CONTRIBUTOR, language, base_url, False), version)
                    if entry is None:
                        session = sessions.load(session_id)
                        if session.status == LiveSession.Status.ENDED or not shares_renders(session):
                            for i in indexes:
                                results[i] = _alone(jobs[i], found[jobs[i]["participant_id"]])
                            continue
                        entry = _shared(session, LiveRole.CONTRIBUTOR, "participant", language, base_url, fresh)
                    viewers = [found[jobs[i]["participant_id"]] for i in indexes]
                    vote_round = entry.state["vote"]["round"] if entry.state.get("vote") else None
                    mine = _my_ids(entry.session, viewers, vote_round)
                    notes = _my_notes(entry.session, viewers)
                    memo: dict = {}
                    for i, viewer in zip(indexes, viewers):
                        try:
                            links = _links(entry.session, jobs[i]["base_url"], jobs[i]["secret"])
                            results[i] = entry.version, fill(entry, entry.session, viewer, links, mine=mine[viewer.pk], notes=notes[viewer.pk], memo=memo)
                        except Exception:
                            logger.exception("live fragment failed in session %s", session_id)
    except Exception:
        logger.exception("live fragments failed in session %s", session_id)
    return results


def _alone(job: dict, viewer: Participant):
    """The fragment of a viewer who does not share a render (the console, the projector, an
    ended session), as (version, html), within the batch's shared reads; False on failure."""
    try:
        with translation.override(job["language"]):
            session = sessions.load(job["session_id"])
            state = session_state(session, viewer)
            links = _links(session, job["base_url"], job["secret"])
            return state["session"]["version"], render_alone(session, viewer, job["view"], links, state=state)
    except Exception:
        logger.exception("live fragment failed in session %s", job["session_id"])
        return False


def _cached(key: tuple, version: int):
    with _lock:
        entry = _cache.get(key)
    if entry is not None and entry.version == version and time.monotonic() - entry.created < SHARED_TTL:
        return entry
    return None


def _keep(key: tuple, entry: Shared) -> None:
    with _lock:
        if len(_cache) >= MAX_ENTRIES:
            old = time.monotonic() - SHARED_TTL
            for stale in [k for k, v in _cache.items() if v.created < old]:
                del _cache[stale]
        _cache[key] = entry


def _links(session: LiveSession, base_url: str, secret: str) -> dict:
    """The viewer's links (join_url, rejoin_path, rejoin_url), as ``live_views`` gives them.
    Reversed once per session code (``_paths``), not per viewer and push: 36 of a push's 47
    URL reversals were these, a tenth of its time (bench/room.py, in process)."""
    code = session.join_code
    join_path, rejoin_base = _paths(get_script_prefix(), code)
    secret = secret or "-"
    if rejoin_base and SAFE_SECRET.fullmatch(secret):
        rejoin_path = f"{rejoin_base}{secret}/"
    else:
        rejoin_path = reverse("web:live-rejoin", kwargs={"code": code, "secret": secret})
    return {"join_url": f"{base_url}{join_path}?code={code}", "rejoin_path": rejoin_path, "rejoin_url": base_url + rejoin_path}


SAFE_SECRET = re.compile(r"[A-Za-z0-9_-]+")  # what reverse() leaves as it is (secrets.token_urlsafe)


@functools.lru_cache(maxsize=4096)
def _paths(prefix: str, code: str) -> tuple[str, str]:
    """(the join page's path, the rejoin path of ``code`` up to its secret, or "" if the URL
    pattern does not end with the secret), under the script ``prefix`` reverse() uses now."""
    rejoin = reverse("web:live-rejoin", kwargs={"code": code, "secret": "-"})
    return reverse("web:live-join"), rejoin[:-2] if rejoin.endswith("/-/") else ""


def render_alone(session: LiveSession, viewer: Participant, view: str, links: dict, now: datetime | None = None, state: dict | None = None,
                 *, marks: bool = False) -> str:
    """The fragment of ``view`` rendered for ``viewer`` alone, as the HTTP fragment URL renders
    it (minus messages, client ids and the CSRF token; with their marks if ``marks``, see
    ``page_fragment``); ``state``: theirs, when already built."""
    state = state if state is not None else session_state(session, viewer, now)
    context = _context(session, view, state, links, with_seats=viewer.role == LiveRole.FACILITATOR, marks=marks)
    return get_template(VIEWS[view][1]).render(context)


def page_fragment(session_id: int, viewer: Participant, view: str, language: str, base_url: str, secret: str,
                  tables: list | None = None) -> tuple[dict, str]:
    """The fragment of an HTTP page of ``view`` for ``viewer`` (web.live_views, a request with
    no message to show), as (a view model of the session for the page around it, html). The
    html holds the marks of the CSRF token and of client ids (live_render.bind), for the page
    to put in its own: so it is rendered once per version and served to every request of that
    version for a moment (``SHARED_TTL``), as the websocket's fragments are: a contributor's
    page from the shared render of their role with their personal parts filled (two small
    queries), the console and the projector from their viewer's own render. ``base_url``:
    scheme and host (the join link); ``secret``: the viewer's (their personal link);
    ``tables``: the session's tables as ``commands.session_tables`` gives them, when the page
    read them already (web.live_views._session_or_none)."""
    # One scope of shared reads (live.domain.reads): a render and the check of its parts read
    # the theme and the shared plans once, and the tables read by the page are taken as read.
    with all_tenants(), shared_reads():
        if tables:
            read(("tables", session_id), lambda: tables)
        return _page_fragment(session_id, viewer, view, language, base_url, secret)


def _page_fragment(session_id: int, viewer: Participant, view: str, language: str, base_url: str, secret: str) -> tuple[dict, str]:
    session, table = commands.look(session_id, viewer)
    if session is None:
        raise LiveSession.DoesNotExist(f"no live session {session_id}")
    session.table_version = table.version
    links = _links(session, base_url, secret)
    if shareable(session, viewer, view):
        entry = _shared(session, viewer.role, view, language, base_url, False, marks=True)
        if not _parts_hold(entry, session, table, viewer):
            entry = _shared(session, viewer.role, view, language, base_url, True, marks=True)
        return entry.state, fill(entry, entry.session, viewer, links, memo=entry.memo, marks=True)
    key = (*_shared_key(session_id, view, viewer.role, language, base_url, True), viewer.pk, links["rejoin_path"])
    entry = _cached(key, commands.view_version(table, viewer))
    if entry is None or not _parts_hold(entry, session, table, viewer):
        state = session_state(session, viewer)
        html = render_alone(session, viewer, view, links, state=state, marks=True)
        entry = Shared(time.monotonic(), state["session"]["version"], state, [html], [], None, session)
        _keep(key, entry)
    return entry.state, entry.parts[0]


def _parts_hold(entry: Shared, session: LiveSession, table, viewer: Participant) -> bool:
    """Whether the other apps' parts of ``entry`` (live.domain.parts.shared_parts: the theme,
    the plans shared for review) are still what they are now: they change without the live
    version, so a kept page is checked against them (one query, two at a review step)."""
    kept = entry.state.get("parts") or {}
    return all(kept.get(name) == value for name, value in shared_parts(parts_context(session, table, viewer)).items())


def shareable(session: LiveSession, viewer: Participant, view: str) -> bool:
    """Whether this viewer's fragment comes from the shared render of their role: the
    contributors' phones while the session is open or running."""
    return view == "participant" and viewer.role == LiveRole.CONTRIBUTOR and session.status != LiveSession.Status.ENDED and shares_renders(session)


def _context(session, view, state, links, *, with_seats: bool, marks: bool = False) -> dict:
    """A fragment's context: for the websocket (no client ids, the CSRF placeholder), or with
    ``marks`` for an HTTP page, which puts in its own (``page_fragment``)."""
    context = fragment_context(
        session, view, state, ids=MarkedIds() if marks else NO_IDS, general_messages=[], command_errors=CommandErrors(),
        with_seats=with_seats, **links
    )
    context["csrf_token"] = CSRF_MARK if marks else CSRF_PLACEHOLDER
    return context


def phantom(session: LiveSession, role: str) -> Participant:
    """A seat of ``role`` that is nobody: no name, nothing written, never "me"."""
    return Participant(pk=0, session_id=session.pk, role=role, display_name="", written_items=0, written_bytes=0)


def shared_state(session: LiveSession, role: str, now: datetime | None = None) -> dict:
    """``session_state`` as a phantom of ``role`` sees it: what every viewer of the role shares."""
    return session_state(session, phantom(session, role), now)


def _shared_key(session_id: int, view: str, role: str, language: str, base_url: str, marks: bool) -> tuple:
    """What a shared render is kept by: the script prefix and the scheme and host are in its
    links, the time zone in its times, and ``marks`` tells an HTTP page's render (with marks)
    from the websocket's."""
    return (session_id, view, role, language, get_current_timezone_name(), get_script_prefix(), base_url, marks)


def _shared(session: LiveSession, role: str, view: str, language: str, base_url: str, fresh: bool, *, marks: bool = False) -> Shared:
    """The shared render of (session, view, role, language) at ``session.table_version``, kept
    for ``SHARED_TTL``; ``fresh`` renders it anew; one thread renders a key at a time."""
    key = _shared_key(session.pk, view, role, language, base_url, marks)
    links = _links(session, base_url, "")
    while True:
        with _lock:
            entry = _cache.get(key)
            if entry is not None and entry.version == session.table_version and not fresh and time.monotonic() - entry.created < SHARED_TTL:
                return entry
            building = _building.get(key)
            if building is None:
                building = _building[key] = threading.Event()
                break
        building.wait(5)  # another thread renders this very key: take its result
        fresh = False
    try:
        entry = build_shared(session, role, view, links, marks=marks)
        _keep(key, entry)
        return entry
    finally:
        with _lock:
            _building.pop(key, None)
        building.set()


def build_shared(session: LiveSession, role: str, view: str, links: dict, now: datetime | None = None, *, marks: bool = False) -> Shared:
    """The shared render of ``view`` for ``role``: the phantom's fragment with a marker in
    place of each personal part, and those parts kept to be filled per viewer (with the marks
    of client ids and CSRF token if ``marks``, for an HTTP page)."""
    state = shared_state(session, role, now)
    slots: list = []
    template = get_template(VIEWS[view][1])
    context = _context(session, view, state, {**links, "rejoin_url": "", "rejoin_path": ""}, with_seats=False, marks=marks)
    context[SLOTS] = slots
    html = template.render(context)
    pieces = MARKER.split(html)
    parts = [int(piece) if index % 2 else piece for index, piece in enumerate(pieces)]
    return Shared(time.monotonic(), state["session"]["version"], state, parts, slots, template.template, session)


def fill(shared: Shared, session: LiveSession, viewer: Participant, links: dict, *, mine: dict | None = None, notes: list | None = None,
         memo: dict | None = None, marks: bool = False) -> str:
    """The shared fragment with every personal part rendered for ``viewer`` (``mine`` and
    ``notes``: read beforehand for a batch, see ``personal_state``).

    ``memo``, a dict kept for the phones of one batch, lets viewers whose part would be the
    same share its render: a part's key is the viewer's *fingerprint* (their whole view
    model but the participants list and their id and name, as JSON) plus what of the viewer
    that part's template reads beyond it (``PersonalNode.needs``: the participants list,
    their id or name, their link). Most phones of a room differ only by name, so most parts
    render once per batch instead of once per phone.

    ``marks``: for an HTTP page, the personal parts hold marks of client ids (of their own
    scope, apart from the shared render's) and of the CSRF token, as the shared render does."""
    state = personal_state(shared.state, session, viewer, mine=mine, notes=notes)
    own = {"live": state, "ids": MarkedIds("p") if marks else NO_IDS, "command_errors": CommandErrors(),
           "csrf_token": CSRF_MARK if marks else CSRF_PLACEHOLDER, **links}
    fingerprint = None
    out = []
    for part in shared.parts:
        if not isinstance(part, int):
            out.append(part)
            continue
        node, kept = shared.slots[part]
        needs = node.needs() if memo is not None else None
        if needs is None or not needs.known:
            out.append(node.render_for(kept, own, shared.template))
            continue
        if fingerprint is None:
            fingerprint = _fingerprint(state, shared.state)
        key = (
            part, fingerprint,
            (viewer.pk, viewer.display_name) if needs.identity else None,
            json.dumps(state["participants"], sort_keys=True, default=str) if needs.participants else None,
            tuple(sorted(links.items())) if needs.links else None,
        )
        html = memo.get(key)
        if html is None:
            html = memo[key] = node.render_for(kept, own, shared.template)
        out.append(html)
    return "".join(out)


def _fingerprint(state: dict, shared: dict) -> str:
    """The viewer's view model as JSON, but the participants list and the viewer's id and
    name: what two viewers must share for a personal part that reads none of those to render
    the same for both. The entries ``personal_state`` left as they are in ``shared`` (the
    very same objects, which every viewer of the batch shares) are equal for all of them, so
    only the others are written out: serialising the whole view model per phone was a twentieth
    of a worker's time (py-spy, bench/room.py on PostgreSQL)."""
    rest = {key: value for key, value in state.items() if key not in ("participants", "me") and value is not shared.get(key)}
    rest["me"] = {key: value for key, value in state["me"].items() if key not in ("id", "name")}
    return json.dumps(rest, sort_keys=True, default=str)


def personal_state(shared: dict, session: LiveSession, viewer: Participant, *, mine: dict | None = None, notes: list | None = None) -> dict:
    """What ``session_state(session, viewer)`` gives, derived from ``shared`` (the state of a
    phantom of the viewer's role, ``shared_state``) with two small queries: the ids of what is
    the viewer's (rules, problems, questions, vote lines, consent), and their notes. For the
    roles ``shareable`` allows (a contributor, the session not ended); tests/realtime checks
    that it equals ``session_state`` at every step. ``mine`` and ``notes``, when given, are
    this viewer's entries of ``_my_ids`` and ``_my_notes`` read for several viewers at once."""
    state = _copy_personal(shared)
    me = viewer.pk
    if mine is None:
        mine = _my_ids(session, [viewer], state["vote"]["round"] if state.get("vote") else None)[me]
    if notes is None:
        notes = _my_notes(session, [viewer])[me]
    state["me"].update({"id": me, "name": viewer.display_name, "role": viewer.role, "writing": commands.write_quota(viewer),
                        "table_id": viewer.table_id, "preferences": list(viewer.preferences or [])})
    for person in state["participants"]:
        person["me"] = person["id"] == me
        if person["me"]:
            state["me"]["ready"] = person["ready"]
    for rule in state["rules"]:
        rule["mine"] = rule["id"] in mine["r"]
    for problem in state["problems"]:
        problem["mine"] = problem["id"] in mine["p"]
    for question in state["questions"]:
        question["mine"] = question["id"] in mine["q"]
    chosen = (state.get("case") or {}).get("chosen")
    if chosen:
        chosen["mine"] = chosen["id"] in mine["p"]
    if state["case"].get("offerer"):
        state["case"]["offerer"]["mine"] = state["case"]["offerer"]["id"] == me
    if state.get("turn"):
        speaking = state["turn"]["participant"]
        state["turn"]["mine"] = bool(speaking) and speaking["id"] == me
    if state.get("vote"):
        ballot = mine["v"]
        state["vote"]["my_ballot"] = {str(problem): count for problem, count in ballot.items()}
        state["vote"]["votes_left"] = rules.VOTES_PER_PERSON - sum(ballot.values())
    queue = state.get("queue")
    if queue:
        for hand in queue["waiting"]:
            hand["mine"] = hand["id"] == me
        if queue["speaking"]:
            queue["speaking"]["mine"] = queue["speaking"]["id"] == me
        queue["hand_raised"] = any(hand["id"] == me for hand in queue["waiting"])
    state["documentation"]["my_consent"] = mine["c"]
    state["my_notes"] = notes
    _personal_activity_parts(state, session, viewer)
    return state


def _personal_activity_parts(state: dict, session: LiveSession, viewer: Participant) -> None:
    """The activity parts that are the viewer's own (their debrief answer, their roadmap) and
    what their page offers at this step, read again for them where the shared state has them."""
    from entraide.live.domain.activities import debrief, roadmap
    from entraide.live.domain.parts import PartContext, personal_parts
    from entraide.live.domain.state import offered_commands

    step = state.get("step")
    current = None
    if step is not None or state.get("debrief") is not None:
        steps = live_steps(session.protocol_version.spec, session.agenda)
        current = steps[step["index"]] if step is not None else None
    if state.get("debrief") is not None:
        state["debrief"] = debrief.view(session, viewer, current.activity if current else None)
    if state.get("roadmap") is not None:
        state["roadmap"] = roadmap.view(session, viewer, current)
    # Parts whose builders depend on the viewer (live.domain.parts.PERSONAL: their contacts).
    state["parts"] = personal_parts(state["parts"], PartContext(session, None, viewer, current))
    if step is not None:
        state["step"] = dict(step)
        # offered_commands reads only where the table is: the shared state's current step.
        offered = offered_commands(SimpleNamespace(step_index=step["index"]), viewer, steps, state)
        state["step"]["offers"] = offered
        state["step"]["nothing_to_do"] = not offered


def _copy_personal(shared: dict) -> dict:
    """``shared`` with a copy of each part ``personal_state`` changes; the rest (the steps, the
    ideas...) is the shared render's, read only. A deep copy was the first cost of a push."""
    state = dict(shared)
    state["me"] = dict(shared["me"])
    for key in ("participants", "rules", "problems", "questions"):
        state[key] = [dict(item) for item in shared[key]]
    state["case"] = dict(shared["case"])
    if shared["case"].get("chosen"):
        state["case"]["chosen"] = dict(shared["case"]["chosen"])
    if shared["case"].get("offerer"):
        state["case"]["offerer"] = dict(shared["case"]["offerer"])
    if shared.get("turn"):
        state["turn"] = dict(shared["turn"])
    if shared.get("vote"):
        state["vote"] = dict(shared["vote"])
    if shared.get("queue"):
        queue = state["queue"] = dict(shared["queue"])
        queue["waiting"] = [dict(hand) for hand in shared["queue"]["waiting"]]
        if queue["speaking"]:
            queue["speaking"] = dict(queue["speaking"])
    state["documentation"] = dict(shared["documentation"])
    return state


# The queries of a push, once per viewer and per change: plain SQL (live.domain.rows).


def seat(session_id: int, participant_id: int) -> Participant | None:
    """The participant, if they still have a seat in this session: one plain query."""
    return seats(session_id, [participant_id]).get(participant_id)


def seats(session_id: int, participant_ids: list[int]) -> dict[int, Participant]:
    """{id: participant} of those of ``participant_ids`` who still have a seat in this session."""
    among = ", ".join(["%s"] * len(participant_ids))
    rows = _select(
        Participant, ["id", "session", "role", "display_name", "written_items", "written_bytes", "table", "visiting", "preferences"],
        f"session_id = %s AND removed_at IS NULL AND id IN ({among})", [session_id, *participant_ids],
    )
    return {
        row["id"]: Participant(pk=row["id"], session_id=row["session"], role=row["role"], display_name=row["display_name"],
                               written_items=row["written_items"], written_bytes=row["written_bytes"],
                               table_id=row["table"], visiting_id=row["visiting"], preferences=row["preferences"] or [])
        for row in rows
    }


def _my_notes(session: LiveSession, viewers: list[Participant]) -> dict[int, list[dict]]:
    """{viewer id: their private notes as session_state gives them}: one query."""
    ids = [viewer.pk for viewer in viewers]
    among = ", ".join(["%s"] * len(ids))
    rows = _select(PrivateNote, ["id", "author", "step_key", "text", "created_at"], f"session_id = %s AND author_id IN ({among})", [session.pk, *ids])
    rows.sort(key=lambda row: (row["created_at"], row["id"]))  # the model's ordering
    found: dict[int, list[dict]] = {pk: [] for pk in ids}
    for row in rows:
        found[row["author"]].append({"id": row["id"], "step_key": row["step_key"], "text": row["text"]})
    return found


def _my_ids(session: LiveSession, viewers: list[Participant], vote_round: int | None) -> dict:
    """{viewer id: {"r": rule ids, "p": problem ids, "q": question ids, "v": {problem id:
    votes}, "c": consent (None, True, False)}} of these viewers: one query."""
    table = lambda model: connection.ops.quote_name(model._meta.db_table)  # noqa: E731
    ids = [viewer.pk for viewer in viewers]
    among = ", ".join(["%s"] * len(ids))
    sql = (
        f"SELECT 'r', author_id, id, 0 FROM {table(GroundRule)} WHERE session_id = %s AND author_id IN ({among})"
        f" UNION ALL SELECT 'p', author_id, id, 0 FROM {table(Problem)} WHERE session_id = %s AND author_id IN ({among})"
        f" UNION ALL SELECT 'q', author_id, id, 0 FROM {table(Question)} WHERE session_id = %s AND author_id IN ({among})"
        f" UNION ALL SELECT 'c', participant_id, id, CASE WHEN agrees THEN 1 ELSE 0 END FROM {table(Consent)}"
        f" WHERE session_id = %s AND participant_id IN ({among})"
    )
    params = [session.pk, *ids] * 4
    if vote_round is not None:
        sql += (
            f" UNION ALL SELECT 'v', voter_id, problem_id, {connection.ops.quote_name('count')} FROM {table(Vote)}"
            f" WHERE session_id = %s AND round = %s AND voter_id IN ({among})"
        )
        params += [session.pk, vote_round, *ids]
    found = {pk: {"r": set(), "p": set(), "q": set(), "v": {}, "c": None} for pk in ids}
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        for kind, who, ident, value in cursor.fetchall():
            theirs = found[who]
            if kind == "v":
                theirs["v"][ident] = value
            elif kind == "c":
                theirs["c"] = bool(value)
            else:
                theirs[kind].add(ident)
    return found
