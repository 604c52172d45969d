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
import json
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from common import BIN, ROOT, Server, free_port, print_json_last, wait_http, wait_port  # noqa: E402
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
        env = {k: v for k, v in os.environ.items() if k not in ("DJANGO_SETTINGS_MODULE", "DATABASE_URL", "REDIS_URL")}
        env["ENTRAIDE_VAR_DIR"] = str(workdir / "var")
        entraide = str(BIN / "entraide")
        for command in (["migrate", "--noinput", "-v0"], ["load_protocols"], ["load_demo"]):
            subprocess.run([entraide, *command], env=env, cwd=workdir, check=True, capture_output=True, timeout=600)
        setup = SETUP.replace("SESSIONS", str(args.sessions)).replace("PER_SESSION", str(PER_SESSION))
        done = subprocess.run([entraide, "shell", "-c", setup], env=env, cwd=workdir, check=True, capture_output=True, text=True, timeout=1800)
        sessions = json.loads(done.stdout.strip().splitlines()[-1])

        port = free_port()
        server = Server([str(BIN / "uvicorn"), "entraide.asgi:application", "--port", str(port), "--lifespan", "off", "--no-access-log"], env, workdir, workdir / "server.log")
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
        raw = Server([str(BIN / "uvicorn"), "raw_broadcast:app", "--app-dir", str(ROOT / "bench"), "--port", str(port), "--lifespan", "off", "--no-access-log"], dict(os.environ), workdir, workdir / "baseline.log")
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
