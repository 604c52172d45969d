"""Fan-out benchmark: S sessions × 12 participants on websockets over loopback.

Each session gets one command per second on an open-loop schedule (sent on time whatever the
answers). Measured: latency from a command's send to its receipt by every participant
(monotonic clock, same process), p50/p99/max; delivered messages per second; lost messages
(by version numbers); server CPU and memory. The baseline, in the same run and with the same
clients, is a minimal raw ASGI broadcast app (bench/raw_broadcast.py) on uvicorn.

    .venv/bin/python bench/fanout.py --quick                      # embedded default, < 1 min
    .venv/bin/python bench/fanout.py --sessions 200 --duration 30
    DATABASE_URL=postgres://postgres@127.0.0.1/postgres REDIS_URL=redis://127.0.0.1:6379/0 \\
        .venv/bin/python bench/fanout.py --production --workers 2  # PostgreSQL + Redis

The last line printed is one JSON object with the figures and ``ratio_vs_baseline``
(Entraide's delivered messages per second over the baseline's).
"""

import argparse
import asyncio
import json
import os
import sys
import tempfile
import time
import uuid
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from common import BIN, PER_SESSION, ROOT, Server, embedded_env, free_port, percentile, prepare, print_json_last, rooms_setup, uvicorn_argv, wait_http, wait_port  # noqa: E402


async def run_clients(urls_and_headers: list[list[tuple[str, dict]]], duration: float, command_text, drain: float) -> dict:
    """Connect every participant, send one command per session per second, collect receipts."""
    from websockets.asyncio.client import connect

    sends: dict[tuple[int, str], float] = {}  # (session, command id) -> send time
    versions: dict[tuple[int, int], float] = {}  # (session, version) -> send time
    receipts: list[tuple[int, int, float]] = []  # (session, version, receive time)
    pending_results: dict[tuple[int, str], int] = {}
    connections = []

    async def reader(session: int, ws, is_sender: bool) -> None:
        try:
            async for raw in ws:
                now = time.monotonic()
                message = json.loads(raw)
                if message["type"] == "changed":
                    receipts.append((session, message["version"], now))
                elif message["type"] == "result" and is_sender:
                    command_id = message.get("id")
                    key = (session, command_id) if command_id else next(iter(k for k in sends if k[0] == session and k not in pending_results), None)
                    if key in sends:
                        versions[(session, message["version"])] = sends[key]
                        pending_results[key] = message["version"]
        except Exception:
            pass

    tasks = []
    for session, members in enumerate(urls_and_headers):
        for index, (url, headers) in enumerate(members):
            ws = await connect(url, additional_headers=headers, open_timeout=60, max_queue=None, ping_interval=None)
            connections.append(ws)
            tasks.append(asyncio.create_task(reader(session, ws, index == 0)))
    await asyncio.sleep(1.0)
    senders = [connections[session * PER_SESSION] for session in range(len(urls_and_headers))]
    start = time.monotonic()
    offsets = [i / max(len(senders), 1) for i in range(len(senders))]  # spread over each second
    ticks = int(duration)
    schedule = sorted((start + tick + offsets[s], s) for tick in range(ticks) for s in range(len(senders)))
    for at, session in schedule:
        delay = at - time.monotonic()
        if delay > 0:
            await asyncio.sleep(delay)
        command_id = str(uuid.uuid4())
        sends[(session, command_id)] = time.monotonic()
        await senders[session].send(command_text(command_id))
    sent_at_end = time.monotonic()
    # Drain: wait for every command's acknowledgement (bounded), then for the last deliveries.
    deadline = sent_at_end + drain
    while len(versions) < len(sends) and time.monotonic() < deadline:
        await asyncio.sleep(0.1)
    await asyncio.sleep(1.0)
    elapsed = time.monotonic() - start
    for ws in connections:
        await ws.close()
    for task in tasks:
        task.cancel()
    expected = len(versions) * PER_SESSION
    latencies = [(received - versions[(s, v)]) * 1000 for s, v, received in receipts if (s, v) in versions]
    return {
        "commands": len(sends),
        "acknowledged": len(versions),
        "delivered": len(latencies),
        "lost": max(expected - len(latencies), 0),  # acknowledged changes some participant never got
        "unacknowledged": len(sends) - len(versions),  # still queued when the drain ended
        "drain_s": round(elapsed - duration, 1),
        "p50_ms": round(percentile(latencies, 0.50), 2),
        "p99_ms": round(percentile(latencies, 0.99), 2),
        "max_ms": round(max(latencies), 2) if latencies else None,
        "delivered_per_s": round(len(latencies) / max(elapsed, 1e-9), 1),
        "connections": len(connections),
    }


def measure(server: Server, urls: list[list[tuple[str, dict]]], duration: float, command_text) -> dict:
    cpu_before, wall_before = server.cpu_seconds(), time.monotonic()
    figures = asyncio.run(run_clients(urls, duration, command_text, drain=max(5.0, duration)))
    wall = time.monotonic() - wall_before
    figures["server_cpu_cores"] = round((server.cpu_seconds() - cpu_before) / wall, 2)
    figures["server_rss_mib"] = round(server.rss_bytes() / 2**20, 1)
    return figures


def entraide(args, workdir: Path) -> dict:
    database = None
    if args.production:
        env = {k: v for k, v in os.environ.items() if k != "DJANGO_SETTINGS_MODULE"}
        env["ENTRAIDE_VAR_DIR"] = str(workdir / "var")
        env["DEBUG"] = "false"  # as served: DEBUG keeps every query in memory
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
        if args.production:
            argv = [str(BIN / "entraide"), "serve", "--port", str(port), "--workers", str(args.workers), "--no-collectstatic"]
        else:
            argv = uvicorn_argv("entraide.asgi:application", port)
        server = Server(argv, env, workdir, workdir / "entraide.log")
        try:
            wait_http(f"http://127.0.0.1:{port}/healthz")
            urls = [
                [
                    (f"ws://127.0.0.1:{port}/ws/s/{s['code']}/", {"Cookie": f"entraide_live_{s['id']}={secret}", "Origin": f"http://127.0.0.1:{port}"})
                    for secret in s["secrets"]
                ]
                for s in sessions
            ]
            ready = {"value": False}

            def command_text(command_id: str) -> str:
                ready["value"] = not ready["value"]
                return json.dumps({"type": "command", "id": command_id, "name": "set_ready", "args": {"ready": ready["value"]}})

            return measure(server, urls, args.duration, command_text)
        finally:
            server.stop()
    finally:
        if database:
            import psycopg

            with psycopg.connect(os.environ["DATABASE_URL"].rsplit("/", 1)[0] + "/postgres", autocommit=True) as connection:
                connection.execute(f'DROP DATABASE IF EXISTS "{database}" WITH (FORCE)')


def baseline(args, workdir: Path) -> dict:
    port = free_port()
    argv = uvicorn_argv("raw_broadcast:app", port, "--app-dir", str(ROOT / "bench"))
    server = Server(argv, dict(os.environ), workdir, workdir / "baseline.log")
    try:
        wait_port(port)
        urls = [[(f"ws://127.0.0.1:{port}/room/{s}", {}) for _ in range(PER_SESSION)] for s in range(args.sessions)]
        return measure(server, urls, args.duration, lambda command_id: "go")
    finally:
        server.stop()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--sessions", type=int, default=200)
    parser.add_argument("--duration", type=float, default=30)
    parser.add_argument("--quick", action="store_true", help="10 sessions for 10 s: under a minute")
    parser.add_argument("--production", action="store_true", help="PostgreSQL and Redis (DATABASE_URL, REDIS_URL)")
    parser.add_argument("--workers", type=int, default=2)
    args = parser.parse_args()
    if args.quick:
        args.sessions, args.duration = 10, 10
    with tempfile.TemporaryDirectory() as tmp:
        workdir = Path(tmp)
        measured = entraide(args, workdir)
        raw = baseline(args, workdir)
    print_json_last(
        {
            "bench": "fanout",
            "path": "postgresql+redis" if args.production else "sqlite+in-memory",
            "workers": args.workers if args.production else 1,
            "sessions": args.sessions,
            "participants_per_session": PER_SESSION,
            "duration_s": args.duration,
            "entraide": measured,
            "baseline": raw,
            "ratio_vs_baseline": round(measured["delivered_per_s"] / raw["delivered_per_s"], 3) if raw["delivered_per_s"] else None,
            "p99_ratio_vs_baseline": round(measured["p99_ms"] / raw["p99_ms"], 2) if raw["p99_ms"] else None,
        }
    )


if __name__ == "__main__":
    main()
