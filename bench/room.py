"""Room benchmark: how long until the LAST phone of a room shows a change.

S rooms × 12 people (1 console = the facilitator, 11 phones), each on its websocket over
loopback. Each room gets one command every E seconds on an open-loop schedule (sent on time
whatever the answers; rooms are spread evenly over the period). A command's latency runs from
its send to the moment the last of the room's 12 clients holds content reflecting it, obtained
the way the real client (live.js) obtains it:

- a "fragment" frame on the websocket carrying the version: held on receipt;
- a "changed" / "hello" / "state" frame newer than what the client holds: the client
  re-fetches its HTML fragment over HTTP (keep-alive, one request at a time per client, a
  signal during a request makes one more request afterwards, as live.js does) and holds
  the version the fragment says (``data-version``).

The schedule starts once the rooms are settled: every client holds its first content and the
server has been quiet for a second (the joins' own updates are over; ``settle_s`` says how long
that took). The server's CPU is counted from the first command to the end of the drain.

The baseline, in the same run and with the same clients, is a minimal raw ASGI app
(bench/raw_room.py) that pushes a pre-rendered 5 KB fragment to every member of the room.

    .venv/bin/python bench/room.py --quick                       # embedded default, < 1 min
    .venv/bin/python bench/room.py --sessions 50 --every 5 --duration 30
    DATABASE_URL=postgres://postgres@127.0.0.1/postgres REDIS_URL=redis://127.0.0.1:6379/0 \\
        .venv/bin/python bench/room.py --sessions 200 --workers 2   # PostgreSQL + Redis

The storage path follows DATABASE_URL / REDIS_URL (a fresh database is created on that server
and dropped afterwards), as the other benchmarks. The last line printed is one JSON object:
``complete`` is the number of commands that every client of the room held before the end of
the drain; p50/p99 are over those; ``ratio_vs_baseline`` is Entraide's p99 over the baseline's.
With ROOM_TRACE=1, each command's latency is printed on stderr (when it was sent, room, version).

The Entraide clients open their websocket as live.js does (``?view=console`` / ``participant``)
and send ``sync`` on opening; against a server that only signals "changed" they re-fetch.
"""

import argparse
import asyncio
import json
import os
import re
import sys
import tempfile
import time
import uuid
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from common import BIN, PER_SESSION, ROOT, Server, embedded_env, free_port, percentile, prepare, print_json_last, rooms_setup, uvicorn_argv, wait_http, wait_port  # noqa: E402

VERSION_RE = re.compile(rb'data-version="(\d+)"')


class HttpClient:
    """A minimal keep-alive HTTP/1.1 GET client (one request at a time), so that the clients
    cost the benchmark process little and every client has its own connection, as a phone."""

    def __init__(self, port: int) -> None:
        self.port = port
        self.reader = self.writer = None

    async def get(self, path: str, headers: dict) -> bytes:
        for attempt in range(2):
            if self.writer is None:
                self.reader, self.writer = await asyncio.open_connection("127.0.0.1", self.port)
            lines = [f"GET {path} HTTP/1.1", "Host: 127.0.0.1", *(f"{k}: {v}" for k, v in headers.items()), "", ""]
            try:
                self.writer.write("\r\n".join(lines).encode("latin-1"))
                head = await self.reader.readuntil(b"\r\n\r\n")
                length = 0
                chunked = False
                for line in head.split(b"\r\n")[1:]:
                    name, _, value = line.partition(b":")
                    if name.strip().lower() == b"content-length":
                        length = int(value)
                    elif name.strip().lower() == b"transfer-encoding" and b"chunked" in value.lower():
                        chunked = True
                if chunked:
                    body = b""
                    while True:
                        size = int((await self.reader.readuntil(b"\r\n")).strip(), 16)
                        body += await self.reader.readexactly(size + 2)
                        if size == 0:
                            break
                    return body
                return await self.reader.readexactly(length)
            except (OSError, asyncio.IncompleteReadError):
                self.close()
                if attempt:
                    raise
        return b""

    def close(self) -> None:
        if self.writer is not None:
            self.writer.close()
        self.reader = self.writer = None


class Client:
    """One person's device: holds a version; follows live.js's rules to bring it up to date."""

    def __init__(self, room: int, ws, http: HttpClient | None, fragment_path: str, headers: dict) -> None:
        self.room, self.ws, self.http, self.fragment_path, self.headers = room, ws, http, fragment_path, headers
        self.version = 0
        self.history: list[tuple[int, float]] = []  # (version held, since), versions increasing
        self.refreshing = False
        self.pending = False
        self.fetches = 0

    def hold(self, version: int) -> None:
        if version > self.version:
            self.version = version
            self.history.append((version, time.monotonic()))

    async def refresh(self) -> None:
        if self.refreshing:
            self.pending = True
            return
        self.refreshing = True
        try:
            while True:
                self.pending = False
                try:
                    body = await self.http.get(self.fragment_path, self.headers)
                    self.fetches += 1
                except Exception:
                    body = b""
                found = VERSION_RE.search(body)
                if found:
                    self.hold(int(found.group(1)))
                if not self.pending:
                    break
        finally:
            self.refreshing = False

    def handle(self, message: dict) -> None:
        kind = message.get("type")
        if kind == "fragment":
            self.hold(message["version"])
        elif kind in ("changed", "state") and self.http is not None:
            if message.get("version", 0) > self.version or (kind == "changed" and message.get("version") == self.version):
                asyncio.get_running_loop().create_task(self.refresh())


SETTLE_MAX_S = 300.0  # at most this long for every client to hold its first content
QUIET_S = 1.0  # and for the server to have pushed nothing for this long


async def run_clients(members: list[list[dict]], port: int, every: float, duration: float, drain: float, command_text, on_start) -> dict:
    """Connect every member, wait until the rooms are settled (every client that shows content
    holds its first fragment, and nothing was pushed for QUIET_S: the joins' own updates are
    over), call ``on_start``, then send one command per room every ``every`` seconds and
    collect when each member holds each version."""
    from websockets.asyncio.client import connect

    sends: dict[tuple[int, str], float] = {}  # (room, command id) -> send time
    versions: dict[tuple[int, int], float] = {}  # (room, version) -> send time
    clients: list[Client] = []
    tasks = []
    last_frame = [time.monotonic()]

    async def reader(client: Client, is_sender: bool) -> None:
        try:
            async for raw in client.ws:
                last_frame[0] = time.monotonic()
                message = json.loads(raw)
                if message.get("type") == "result" and is_sender and message.get("id"):
                    key = (client.room, message["id"])
                    if key in sends and message.get("version"):
                        versions[(client.room, message["version"])] = sends[key]
                client.handle(message)
        except Exception:
            pass

    async def open_member(room: int, index: int, member: dict) -> Client:
        ws = await connect(member["ws"], additional_headers=member["headers"], open_timeout=120, max_queue=None, ping_interval=None, max_size=None)
        http = HttpClient(port) if member.get("fragment") else None
        client = Client(room, ws, http, member.get("fragment"), {**member["headers"], "HX-Request": "true", "Accept-Language": "fr"})
        tasks.append(asyncio.create_task(reader(client, index == 0)))
        if http is not None:  # live.js asks for what it misses on opening (its page is at version 0 here)
            await ws.send(json.dumps({"type": "sync", "version": 0}))
        return client

    for room, people in enumerate(members):
        clients.extend(await asyncio.gather(*(open_member(room, i, m) for i, m in enumerate(people))))
    settling = time.monotonic()
    while time.monotonic() - settling < SETTLE_MAX_S:
        shown = all(c.version > 0 for c in clients if c.http is not None)
        if shown and time.monotonic() - last_frame[0] > QUIET_S:
            break
        await asyncio.sleep(0.1)
    settled_s = time.monotonic() - settling
    await asyncio.sleep(1.0)
    on_start()
    senders = [clients[room * PER_SESSION] for room in range(len(members))]
    start = time.monotonic()
    ticks = int(duration / every)
    schedule = sorted((start + tick * every + every * room / len(senders), room) for tick in range(ticks) for room in range(len(senders)))
    for at, room in schedule:
        delay = at - time.monotonic()
        if delay > 0:
            await asyncio.sleep(delay)
        command_id = str(uuid.uuid4())
        sends[(room, command_id)] = time.monotonic()
        await senders[room].ws.send(command_text(command_id))
    sent_at_end = time.monotonic()
    deadline = sent_at_end + drain

    def room_of(room: int) -> list[Client]:
        return clients[room * PER_SESSION:(room + 1) * PER_SESSION]

    def complete_count() -> int:
        return sum(1 for (room, version) in versions if all(c.version >= version for c in room_of(room)))

    while time.monotonic() < deadline and complete_count() < len(sends):
        await asyncio.sleep(0.1)
    elapsed = time.monotonic() - start
    for client in clients:
        await client.ws.close()
        if client.http:
            client.http.close()
    for task in tasks:
        task.cancel()
    # A client that jumped from v-1 to v+1 (a burst coalesced) holds v's content from then on.
    latencies = []
    for (room, version), sent in versions.items():
        times = [next((at for v, at in c.history if v >= version), None) for c in room_of(room)]
        if None not in times:
            latencies.append((max(times) - sent) * 1000)
            if os.environ.get("ROOM_TRACE"):
                print(f"trace {sent - start:7.2f} room {room:3d} v{version} {(max(times) - sent) * 1000:8.1f} ms", file=sys.stderr)
    return {
        "commands": len(sends),
        "acknowledged": len(versions),
        "complete": len(latencies),
        "p50_ms": round(percentile(latencies, 0.50), 1),
        "p99_ms": round(percentile(latencies, 0.99), 1),
        "max_ms": round(max(latencies), 1) if latencies else None,
        "http_fetches": sum(c.fetches for c in clients),
        "elapsed_s": round(elapsed, 1),
        "settle_s": round(settled_s, 1),
    }


def measure(server: Server, members, port: int, args, command_text) -> dict:
    """The clients' figures, and the server's CPU from the first command to the end of the drain."""
    before: dict = {}

    def on_start() -> None:
        before.update(cpu=server.cpu_seconds(), wall=time.monotonic())

    figures = asyncio.run(run_clients(members, port, args.every, args.duration, max(5.0, args.every * 2), command_text, on_start))
    cpu_before, wall = before["cpu"], time.monotonic() - before["wall"]
    figures["server_cpu_cores"] = round((server.cpu_seconds() - cpu_before) / wall, 2)
    figures["server_rss_mib"] = round(server.rss_bytes() / 2**20, 1)
    return figures


def production() -> bool:
    return bool(os.environ.get("DATABASE_URL"))


def entraide(args, workdir: Path) -> dict:
    database = None
    if production():
        env = {k: v for k, v in os.environ.items() if k != "DJANGO_SETTINGS_MODULE"}
        env["ENTRAIDE_VAR_DIR"] = str(workdir / "var")
        env["DEBUG"] = "false"
        import psycopg

        database = f"entraide_bench_{uuid.uuid4().hex[:8]}"
        base = os.environ["DATABASE_URL"].rsplit("/", 1)[0]
        with psycopg.connect(base + "/postgres", autocommit=True) as connection:
            connection.execute(f'CREATE DATABASE "{database}"')
        env["DATABASE_URL"] = f"{base}/{database}"
    else:
        env = embedded_env(workdir)
    try:
        sessions = prepare(env, workdir, rooms_setup(args.sessions))
        port = free_port()
        if production():
            argv = [str(BIN / "entraide"), "serve", "--port", str(port), "--workers", str(args.workers), "--no-collectstatic"]
        else:
            argv = uvicorn_argv("entraide.asgi:application", port)
        server = Server(argv, env, workdir, workdir / "entraide.log")
        try:
            wait_http(f"http://127.0.0.1:{port}/healthz")
            members = []
            for s in sessions:
                people = []
                for index, secret in enumerate(s["secrets"]):
                    view = f"/s/{s['code']}/console/" if index == 0 else f"/s/{s['code']}/"
                    headers = {"Cookie": f"entraide_live_{s['id']}={secret}", "Origin": f"http://127.0.0.1:{port}"}
                    people.append({"ws": f"ws://127.0.0.1:{port}/ws/s/{s['code']}/?view={'console' if index == 0 else 'participant'}", "headers": headers, "fragment": view + "?fragment=1"})
                members.append(people)
            ready = {}

            def command_text(command_id: str) -> str:
                # The console toggles its ready flag: a change every phone shows (the list).
                ready["value"] = not ready.get("value", False)
                return json.dumps({"type": "command", "id": command_id, "name": "set_ready", "args": {"ready": ready["value"]}})

            return measure(server, members, port, args, command_text)
        finally:
            server.stop()
    finally:
        if database:
            import psycopg

            with psycopg.connect(os.environ["DATABASE_URL"].rsplit("/", 1)[0] + "/postgres", autocommit=True) as connection:
                connection.execute(f'DROP DATABASE IF EXISTS "{database}" WITH (FORCE)')


def baseline(args, workdir: Path) -> dict:
    port = free_port()
    argv = uvicorn_argv("raw_room:app", port, "--app-dir", str(ROOT / "bench"))
    server = Server(argv, dict(os.environ), workdir, workdir / "baseline.log")
    try:
        wait_port(port)
        members = [[{"ws": f"ws://127.0.0.1:{port}/room/{s}", "headers": {}} for _ in range(PER_SESSION)] for s in range(args.sessions)]
        return measure(server, members, port, args, lambda command_id: json.dumps({"type": "command", "id": command_id}))
    finally:
        server.stop()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--sessions", type=int, default=50)
    parser.add_argument("--every", type=float, default=5.0, help="seconds between two commands of a room")
    parser.add_argument("--duration", type=float, default=30)
    parser.add_argument("--workers", type=int, default=2, help="server processes on PostgreSQL + Redis")
    parser.add_argument("--quick", action="store_true", help="10 rooms for 10 s: under a minute")
    args = parser.parse_args()
    if args.quick:
        args.sessions, args.duration, args.every = 10, 10, 2.0
    with tempfile.TemporaryDirectory() as tmp:
        workdir = Path(tmp)
        measured = entraide(args, workdir)
        raw = baseline(args, workdir)
    print(json.dumps({"entraide": measured}), file=sys.stderr)
    print_json_last(
        {
            "bench": "room",
            "path": "postgresql+redis" if production() else "sqlite+in-memory",
            "workers": args.workers if production() else 1,
            "sessions": args.sessions,
            "people_per_session": PER_SESSION,
            "every_s": args.every,
            "duration_s": args.duration,
            **{k: measured[k] for k in ("commands", "complete", "p50_ms", "p99_ms", "max_ms", "server_cpu_cores", "http_fetches")},
            "baseline": {k: raw[k] for k in ("commands", "complete", "p50_ms", "p99_ms", "max_ms", "server_cpu_cores")},
            "ratio_vs_baseline": round(measured["p99_ms"] / raw["p99_ms"], 2) if raw["p99_ms"] and measured["complete"] else None,
        }
    )


if __name__ == "__main__":
    main()
