#!/usr/bin/env python3
"""A reference client of Entraide's live sessions, written from docs/asyncapi.yaml alone.

It takes a seat in a live session by its code and a display name (the join form over HTTP,
which sets the seat cookie), opens the session's websocket with that cookie, follows the
session (``sync`` → ``state``), writes its problem when the step asks for problems (if given
one), and at the dot vote casts its ballot, then checks that the server counted it and exits.
Every frame it receives is printed, one line each.

    python examples/live_client.py http://127.0.0.1:8000 ABCD-2345 "Camille"
    python examples/live_client.py URL CODE NAME --problem "Garder des bénévoles" \\
        --vote-for "bénévoles" --vote-for "bénévoles" --vote-for "famille"

``--vote-for TEXT`` gives one vote to the problem whose text contains TEXT (repeat it: three
votes in all, at most two on one problem); without it the client gives two votes to the first
candidate and one to the second. Needs Python 3.11 and the ``websockets`` package (≥ 13).

Exit status: 0 the ballot was counted; 1 the server refused a command or the connection was
closed (4403: no seat); 2 the join was refused (wrong or ended code, name taken...); 3 the
session ended, or ``--timeout`` passed, before a vote.
"""

from __future__ import annotations

import argparse
import html.parser
import http.cookiejar
import json
import re
import sys
import time
import urllib.error
import urllib.parse
import urllib.request
import uuid
from dataclasses import dataclass, field

from websockets.exceptions import ConnectionClosed
from websockets.sync.client import ClientConnection, connect

HEARTBEAT = 20.0  # seconds between ping + sync: a "changed" may be lost, presence lasts 45 s
SEAT_COOKIE = re.compile(r"^entraide_live_(\d+)$")


class JoinRefused(Exception):
    """The join form answered 400 (or something else than the seat): its message."""


@dataclass
class Seat:
    """What joining gives: the session's id and the cookie that opens its websocket."""

    session_id: int
    cookie: str  # "entraide_live_<id>=<secret>", the seat's secret: never print it


class _FormReader(html.parser.HTMLParser):
    """Reads the join form's CSRF token and, on a refusal, the texts of its error messages."""

    def __init__(self) -> None:
        super().__init__()
        self.token = ""
        self.errors: list[str] = []
        self._in_error = 0

    def handle_starttag(self, tag, attrs):
        attributes = dict(attrs)
        if tag == "input" and attributes.get("name") == "csrfmiddlewaretoken":
            self.token = attributes.get("value") or ""
        classes = (attributes.get("class") or "").split()
        if self._in_error:
            self._in_error += 1
        elif {"error", "errorlist", "form-error"} & set(classes) or attributes.get("role") == "alert":
            self._in_error = 1

    def handle_endtag(self, tag):
        if self._in_error:
            self._in_error -= 1

    def handle_data(self, data):
        if self._in_error and data.strip():
            self.errors.append(data.strip())


class _NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None  # the 302 itself is the answer: its cookie is the seat


def join(base_url: str, code: str, name: str, language: str = "fr") -> Seat:
    """Take a seat: GET the join form for its CSRF token, POST code and name (AsyncAPI
    document, "Joining"). Raises ``JoinRefused`` with the server's message on a 400."""
    jar = http.cookiejar.CookieJar()
    opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(jar), _NoRedirect())
    headers = {"Accept-Language": language}
    form_url = base_url + "/rejoindre/?" + urllib.parse.urlencode({"code": code})
    with opener.open(urllib.request.Request(form_url, headers=headers), timeout=30) as response:
        reader = _FormReader()
        reader.feed(response.read().decode("utf-8"))
    body = urllib.parse.urlencode({"code": code, "name": name, "csrfmiddlewaretoken": reader.token}).encode()
    post = urllib.request.Request(base_url + "/rejoindre/", data=body, headers={**headers, "Origin": base_url}, method="POST")
    try:
        response = opener.open(post, timeout=30)
        status, page = response.status, response.read().decode("utf-8")
    except urllib.error.HTTPError as answer:
        status, page = answer.code, answer.read().decode("utf-8", "replace")
    for cookie in jar:
        found = SEAT_COOKIE.match(cookie.name)
        if status == 302 and found:
            return Seat(session_id=int(found.group(1)), cookie=f"{cookie.name}={cookie.value}")
    reader = _FormReader()
    reader.feed(page)
    raise JoinRefused(" ".join(reader.errors) or f"HTTP {status}")


@dataclass
class Voter:
    """The client's side of the session: what it knows and what it has done."""

    name: str
    problem: str | None
    wanted: list[str]  # texts to find in the problems, one vote each; empty: automatic
    version: int = 0
    wrote_problem: bool = False
    ballot: dict[str, int] = field(default_factory=dict)
    vote_sent: str | None = None  # the cast_vote command's id, once sent
    counted: bool = False


def choose_ballot(vote: dict, problems: list[dict], limits: dict, wanted: list[str]) -> dict[str, int]:
    """A ballot ``{problem id (str): votes}`` from the state's ``vote``, ``problems`` and
    ``limits`` (AsyncAPI: Vote, Problem): one vote per text in ``wanted`` (the first candidate
    whose text contains it), else ``limits.votes_per_problem`` on the first candidate and the
    rest on the next ones. Raises ``ValueError`` when a text matches no candidate."""
    candidates = [p for p in problems if p["id"] in vote["candidates"]]
    ballot: dict[str, int] = {}
    if wanted:
        for text in wanted:
            match = next((p for p in candidates if text.casefold() in p["text"].casefold()), None)
            if match is None:
                raise ValueError(f"no candidate problem contains {text!r}")
            ballot[str(match["id"])] = ballot.get(str(match["id"]), 0) + 1
        return ballot
    left = limits["votes"]
    for problem in candidates:
        if left <= 0:
            break
        given = min(limits["votes_per_problem"], left)
        ballot[str(problem["id"])] = given
        left -= given
    return ballot


def show(message: dict) -> None:
    """One line per frame received; a state is summed up (its texts are the group's)."""
    if message.get("type") == "state":
        state = message["state"]
        step = state.get("step") or {}
        vote = state.get("vote")
        summary = {
            "version": message["version"],
            "status": state["session"]["status"],
            "step": step.get("title"),
            "activity": step.get("activity"),
            "problems": len(state["problems"]),
        }
        if vote:
            summary["vote"] = {k: vote[k] for k in ("round", "candidates", "my_ballot", "votes_left", "voters", "revealed")}
        print("<- state", json.dumps(summary, ensure_ascii=False), flush=True)
    else:
        print("<-", json.dumps(message, ensure_ascii=False), flush=True)


def send(ws: ClientConnection, message: dict) -> None:
    print("->", json.dumps(message, ensure_ascii=False), flush=True)
    ws.send(json.dumps(message))


def command(ws: ClientConnection, name: str, args: dict) -> str:
    """Send a command with a fresh client id (a repeat would be applied once); returns the id."""
    command_id = str(uuid.uuid4())
    send(ws, {"type": "command", "id": command_id, "name": name, "args": args})
    return command_id


def act(ws: ClientConnection, voter: Voter, state: dict) -> int | None:
    """React to a state: write the problem, cast the ballot, or see it counted. Returns an
    exit status when done, else None."""
    if state["session"]["status"] == "ended":
        print(f"{voter.name}: the session ended before a vote", flush=True)
        return 3
    step = state.get("step") or {}
    can = state.get("can", {})
    if voter.problem and not voter.wrote_problem and step.get("activity") == "problem_write" and can.get("write_problem"):
        command(ws, "write_problem", {"text": voter.problem})
        voter.wrote_problem = True
    vote = state.get("vote")
    if step.get("activity") != "vote" or not vote:
        return None
    if voter.vote_sent and vote["my_ballot"] == voter.ballot:
        print(f"{voter.name}: ballot counted {json.dumps(vote['my_ballot'])}, {vote['votes_left']} vote(s) left, "
              f"{vote['voters']} voter(s) in round {vote['round']}", flush=True)
        voter.counted = True
        return 0
    if voter.vote_sent is None and can.get("cast_vote") and not vote["revealed"]:
        try:
            voter.ballot = choose_ballot(vote, state["problems"], state["limits"], voter.wanted)
        except ValueError as error:
            print(f"{voter.name}: {error}", flush=True)
            return 1
        voter.vote_sent = command(ws, "cast_vote", {"ballot": voter.ballot})
    return None


def run(base_url: str, code: str, name: str, problem: str | None, wanted: list[str], language: str, timeout: float) -> int:
    """Join, follow the session and vote (module docstring). Returns the exit status."""
    try:
        seat = join(base_url, code, name, language)
    except JoinRefused as refused:
        print(f"{name}: join refused: {refused}", flush=True)
        return 2
    print(f"{name}: seated in session {seat.session_id}", flush=True)
    scheme = "wss" if base_url.startswith("https:") else "ws"
    host = urllib.parse.urlsplit(base_url).netloc
    address = f"{scheme}://{host}/ws/s/{urllib.parse.quote(code)}/"
    voter = Voter(name=name, problem=problem, wanted=wanted)
    deadline = time.monotonic() + timeout
    headers = {"Cookie": seat.cookie, "Accept-Language": language}
    try:
        with connect(address, origin=base_url, additional_headers=headers, open_timeout=30) as ws:
            next_beat = time.monotonic() + HEARTBEAT
            while True:
                now = time.monotonic()
                if now > deadline:
                    print(f"{name}: no vote within {timeout:.0f} s", flush=True)
                    return 3
                if now >= next_beat:
                    send(ws, {"type": "ping"})
                    send(ws, {"type": "sync", "version": voter.version})
                    next_beat = now + HEARTBEAT
                try:
                    raw = ws.recv(timeout=max(0.1, min(next_beat, deadline) - now))
                except TimeoutError:
                    continue
                message = json.loads(raw)
                show(message)
                kind = message.get("type")
                if kind == "hello":
                    send(ws, {"type": "sync"})
                elif kind == "changed":
                    # Ask for what changed; "synced" if it was only presence.
                    send(ws, {"type": "sync", "version": voter.version} if message["version"] > voter.version else {"type": "sync"})
                elif kind == "state":
                    voter.version = message["version"]
                    done = act(ws, voter, message["state"])
                    if done is not None:
                        return done
                elif kind == "result" and message["id"] == voter.vote_sent:
                    send(ws, {"type": "sync", "version": voter.version})  # see the ballot as the server holds it
                elif kind == "error" and message.get("id") is not None:
                    print(f"{name}: refused ({message['code']}): {message['message']}", flush=True)
                    return 1
    except ConnectionClosed as closed:
        print(f"{name}: connection closed ({closed.rcvd.code if closed.rcvd else 'no code'})", flush=True)
        return 1


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("base_url", help="the server, e.g. http://127.0.0.1:8000")
    parser.add_argument("code", help="the session's join code (dash and case do not matter)")
    parser.add_argument("name", help="the display name the group will see")
    parser.add_argument("--problem", help="the problem to write when the session asks for problems")
    parser.add_argument("--vote-for", action="append", default=[], metavar="TEXT", help="one vote for the problem containing TEXT (repeatable)")
    parser.add_argument("--language", default="fr", help="fr, de or en: the language of the server's messages")
    parser.add_argument("--timeout", type=float, default=600.0, help="seconds to wait for the vote (default 600)")
    options = parser.parse_args(argv)
    return run(options.base_url.rstrip("/"), options.code, options.name, options.problem, options.vote_for, options.language, options.timeout)


if __name__ == "__main__":
    sys.exit(main())
