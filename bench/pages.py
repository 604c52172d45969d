"""Pages benchmark: requests per second and p99 latency of the participant's phone view, the
facilitator's console and the projector view of a running 12-person session, against a
minimal Django view (/healthz: one query, the same middleware stack) in the same run, with the
same keep-alive HTTP clients on loopback. A client keeps the cookies it is given (the CSRF
cookie), as a browser does. Each client of the phone view is another person of
the session (their own cookie), as phones are; the console and the projector are the
facilitator's.

    .venv/bin/python bench/pages.py --quick     # < 1 min
    .venv/bin/python bench/pages.py --duration 20 --clients 8

The last line printed is one JSON object; ``ratio_vs_baseline`` is the slowest view's
requests per second over the minimal view's.
"""

import argparse
import http.client
from http.cookies import SimpleCookie
import sys
import tempfile
import threading
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from common import Server, embedded_env, free_port, percentile, prepare, print_json_last, uvicorn_argv, wait_http  # noqa: E402

SETUP = """
import json, uuid
from datetime import time
from entraide.core.models import Organisation, User
from entraide.core.tenancy import all_tenants
from entraide.live.domain import commands
from entraide.live.domain.opening import join, open_session
from entraide.protocols.models import Protocol
with all_tenants():
    protocol = Protocol.objects.get(organisation=None, key="atelier-entraide")
facilitator = User.objects.get(email="facilitation@demo.entraide.test")
session, seat = open_session(organisation=Organisation.objects.get(slug="demo"), protocol=protocol,
                             facilitator=facilitator, participants=12, start=time(9), end=time(12))
people = [join(session, f"P{i}") for i in range(11)]
run = lambda who, name, **args: commands.execute(session.pk, who.participant.pk, str(uuid.uuid4()), name, args)
run(seat, "start")
for _ in range(2):
    run(seat, "skip_step")
for person in people[:4]:
    run(person, "add_rule", text=f"Règle de {person.participant.display_name}")
print(json.dumps({"id": session.pk, "code": session.join_code, "participants": [person.secret for person in people], "facilitator": seat.secret}))
"""


def hammer(port: int, path: str, cookies: list[str], clients: int, duration: float) -> dict:
    """Requests per second, p50 and p99 (ms) and errors of ``clients`` keep-alive clients
    getting ``path`` for ``duration`` seconds; client i sends ``cookies[i % len(cookies)]``."""
    latencies: list[float] = []
    errors = [0]
    lock = threading.Lock()
    stop_at = time.monotonic() + duration

    def client(cookie: str) -> None:
        connection = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
        mine = []
        jar = SimpleCookie(cookie)
        while time.monotonic() < stop_at:
            started = time.monotonic()
            try:
                sent = "; ".join(f"{name}={morsel.value}" for name, morsel in jar.items())
                connection.request("GET", path, headers={"Cookie": sent, "Accept-Language": "fr"})
                response = connection.getresponse()
                response.read()
                for header in response.headers.get_all("Set-Cookie") or []:
                    jar.load(header)
                if response.status != 200:
                    errors[0] += 1
            except OSError:
                errors[0] += 1
                connection = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
                continue
            mine.append((time.monotonic() - started) * 1000)
        with lock:
            latencies.extend(mine)

    threads = [threading.Thread(target=client, args=(cookies[i % len(cookies)],)) for i in range(clients)]
    begin = time.monotonic()
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    elapsed = time.monotonic() - begin
    return {
        "requests_per_s": round(len(latencies) / elapsed, 1),
        "p50_ms": round(percentile(latencies, 0.5), 2),
        "p99_ms": round(percentile(latencies, 0.99), 2),
        "errors": errors[0],
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--duration", type=float, default=20)
    parser.add_argument("--clients", type=int, default=8)
    parser.add_argument("--quick", action="store_true")
    args = parser.parse_args()
    if args.quick:
        args.duration = 6
    with tempfile.TemporaryDirectory() as tmp:
        workdir = Path(tmp)
        env = embedded_env(workdir)
        seats = prepare(env, workdir, SETUP)
        port = free_port()
        server = Server(uvicorn_argv("entraide.asgi:application", port), env, workdir, workdir / "server.log")
        try:
            wait_http(f"http://127.0.0.1:{port}/healthz")
            phones = [f"entraide_live_{seats['id']}={secret}" for secret in seats["participants"]]
            console = [f"entraide_live_{seats['id']}={seats['facilitator']}"]
            code = seats["code"]
            results = {
                "baseline_minimal_view": hammer(port, "/healthz", [""], args.clients, args.duration),
                "participant_view": hammer(port, f"/s/{code}/", phones, args.clients, args.duration),
                "facilitator_console": hammer(port, f"/s/{code}/console/", console, args.clients, args.duration),
                "projector_view": hammer(port, f"/s/{code}/projecteur/", console, args.clients, args.duration),
            }
        finally:
            server.stop()
    slowest = min(results[k]["requests_per_s"] for k in ("participant_view", "facilitator_console", "projector_view"))
    print_json_last(
        {
            "bench": "pages",
            "clients": args.clients,
            "duration_s": args.duration,
            **results,
            "ratio_vs_baseline": round(slowest / results["baseline_minimal_view"]["requests_per_s"], 3),
        }
    )


if __name__ == "__main__":
    main()
