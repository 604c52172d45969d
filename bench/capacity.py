"""Capacity benchmark: idle connected participants. Memory per websocket connection and idle
CPU of the server, against the raw ASGI broadcast app holding the same number of idle
connections, in the same run.

    .venv/bin/python bench/capacity.py --quick         # 20 sessions × 12, < 1 min
    .venv/bin/python bench/capacity.py --sessions 200  # 2,400 idle participants

The last line printed is one JSON object; ``ratio_vs_baseline`` is Entraide's memory per
connection over the baseline's.
"""

import argparse
import asyncio
import os
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from common import ROOT, Server, embedded_env, free_port, prepare, print_json_last, uvicorn_argv, wait_http, wait_port  # noqa: E402
from fanout import PER_SESSION, SETUP  # noqa: E402

IDLE_SECONDS = 10


async def hold(urls: list[tuple[str, dict]], server: Server) -> dict:
    from websockets.asyncio.client import connect

    before = server.rss_bytes()
    connections = [await connect(url, additional_headers=headers, open_timeout=60, ping_interval=None) for url, headers in urls]
    await asyncio.sleep(2)
    after = server.rss_bytes()
    cpu_before, started = server.cpu_seconds(), time.monotonic()
    await asyncio.sleep(IDLE_SECONDS)
    idle_cpu = (server.cpu_seconds() - cpu_before) / (time.monotonic() - started)
    for ws in connections:
        await ws.close()
    return {
        "connections": len(connections),
        "rss_before_mib": round(before / 2**20, 1),
        "rss_after_mib": round(after / 2**20, 1),
        "bytes_per_connection": int((after - before) / max(len(connections), 1)),
        "idle_cpu_cores": round(idle_cpu, 3),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--sessions", type=int, default=200)
    parser.add_argument("--quick", action="store_true")
    args = parser.parse_args()
    if args.quick:
        args.sessions = 20
    with tempfile.TemporaryDirectory() as tmp:
        workdir = Path(tmp)
        env = embedded_env(workdir)
        sessions = prepare(env, workdir, SETUP.replace("SESSIONS", str(args.sessions)).replace("PER_SESSION", str(PER_SESSION)))

        port = free_port()
        server = Server(uvicorn_argv("entraide.asgi:application", port), env, workdir, workdir / "server.log")
        try:
            wait_http(f"http://127.0.0.1:{port}/healthz")
            urls = [
                (f"ws://127.0.0.1:{port}/ws/s/{s['code']}/", {"Cookie": f"entraide_live_{s['id']}={secret}", "Origin": f"http://127.0.0.1:{port}"})
                for s in sessions for secret in s["secrets"]
            ]
            measured = asyncio.run(hold(urls, server))
        finally:
            server.stop()

        port = free_port()
        raw = Server(uvicorn_argv("raw_broadcast:app", port, "--app-dir", str(ROOT / "bench")), dict(os.environ), workdir, workdir / "baseline.log")
        try:
            wait_port(port)
            baseline = asyncio.run(hold([(f"ws://127.0.0.1:{port}/room/{i // PER_SESSION}", {}) for i in range(len(urls))], raw))
        finally:
            raw.stop()
    print_json_last(
        {
            "bench": "capacity",
            "sessions": args.sessions,
            "participants_per_session": PER_SESSION,
            "idle_seconds": IDLE_SECONDS,
            "entraide": measured,
            "baseline": baseline,
            "kib_per_connection": round(measured["bytes_per_connection"] / 1024, 1),
            "ratio_vs_baseline": round(measured["bytes_per_connection"] / baseline["bytes_per_connection"], 2) if baseline["bytes_per_connection"] > 0 else None,
        }
    )


if __name__ == "__main__":
    main()
