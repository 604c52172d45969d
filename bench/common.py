"""Shared pieces of the benchmarks: servers started on loopback, their CPU and memory."""

import json
import os
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
BIN = Path(sys.executable).parent


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def wait_http(url: str, timeout: float = 60) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            with urllib.request.urlopen(url, timeout=2):
                return
        except OSError:
            time.sleep(0.2)
    raise RuntimeError(f"{url} did not answer")


def wait_port(port: int, timeout: float = 60) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        with socket.socket() as sock:
            if sock.connect_ex(("127.0.0.1", port)) == 0:
                return
        time.sleep(0.2)
    raise RuntimeError(f"port {port} did not open")


class Server:
    """A server process group; measures CPU seconds and resident memory of all its processes."""

    def __init__(self, argv: list[str], env: dict, cwd: Path, log: Path) -> None:
        self.log = open(log, "wb")
        self.process = subprocess.Popen(argv, env=env, cwd=cwd, stdout=self.log, stderr=subprocess.STDOUT, start_new_session=True)

    def pids(self) -> list[int]:
        found = []
        for entry in Path("/proc").iterdir():
            if entry.name.isdigit():
                try:
                    stat = (entry / "stat").read_text().split(") ")[-1].split()
                except OSError:
                    continue
                if int(stat[2]) == self.process.pid or int(entry.name) == self.process.pid:  # pgid
                    found.append(int(entry.name))
        return found

    def cpu_seconds(self) -> float:
        total = 0.0
        ticks = os.sysconf("SC_CLK_TCK")
        for pid in self.pids():
            try:
                fields = Path(f"/proc/{pid}/stat").read_text().split(") ")[-1].split()
            except OSError:
                continue
            total += (int(fields[11]) + int(fields[12])) / ticks
        return total

    def rss_bytes(self) -> int:
        total = 0
        for pid in self.pids():
            try:
                for line in Path(f"/proc/{pid}/status").read_text().splitlines():
                    if line.startswith("VmRSS:"):
                        total += int(line.split()[1]) * 1024
            except OSError:
                continue
        return total

    def stop(self) -> None:
        if self.process.poll() is None:
            os.killpg(self.process.pid, signal.SIGTERM)
            try:
                self.process.wait(timeout=20)
            except subprocess.TimeoutExpired:
                os.killpg(self.process.pid, signal.SIGKILL)
        self.log.close()


def percentile(values: list[float], fraction: float) -> float:
    if not values:
        return float("nan")
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(round(fraction * (len(ordered) - 1))))]


def print_json_last(figures: dict) -> None:
    print(json.dumps(figures, sort_keys=True))


def embedded_env(workdir: Path) -> dict:
    """The environment of the embedded default (SQLite under workdir, in-memory layer)."""
    env = {k: v for k, v in os.environ.items() if k not in ("DJANGO_SETTINGS_MODULE", "DATABASE_URL", "REDIS_URL")}
    env["ENTRAIDE_VAR_DIR"] = str(workdir / "var")
    env["DEBUG"] = "false"  # as served to users: DEBUG keeps every query in memory
    return env


def prepare(env: dict, workdir: Path, setup_script: str):
    """Migrate, load the built-ins and the demo, then run a setup script in `entraide shell`;
    returns the JSON the script prints last."""
    entraide = str(BIN / "entraide")
    for command in (["migrate", "--noinput", "-v0"], ["load_protocols"], ["load_demo"]):
        subprocess.run([entraide, *command], env=env, cwd=workdir, check=True, capture_output=True, timeout=600)
    done = subprocess.run([entraide, "shell", "-c", setup_script], env=env, cwd=workdir, check=True, capture_output=True, text=True, timeout=1800)
    return json.loads(done.stdout.strip().splitlines()[-1])


def uvicorn_argv(app: str, port: int, *extra: str) -> list[str]:
    return [str(BIN / "uvicorn"), app, "--port", str(port), "--lifespan", "off", "--no-access-log", "--ws-per-message-deflate", "false", *extra]


# A room: a facilitator and PER_SESSION - 1 phones. ``rooms_setup(n)`` is the script that opens
# n started atelier sessions of the demo organisation and prints [{"id", "code", "secrets"}]
# (bench/fanout.py and bench/room.py).
PER_SESSION = 12

_ROOMS_SETUP = """
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
organisation = Organisation.objects.get(slug="demo")
sessions = []
for _ in range(SESSIONS):
    session, seat = open_session(organisation=organisation, protocol=protocol, facilitator=facilitator,
                                 participants=12, start=time(9), end=time(12))
    seats = [seat] + [join(session, f"P{i}") for i in range(PER_SESSION - 1)]
    commands.execute(session.pk, seat.participant.pk, str(uuid.uuid4()), "start", {})
    sessions.append({"id": session.pk, "code": session.join_code, "secrets": [s.secret for s in seats]})
print(json.dumps(sessions))
"""


def rooms_setup(sessions: int) -> str:
    """The setup script (for ``prepare``) of ``sessions`` rooms of PER_SESSION people."""
    return _ROOMS_SETUP.replace("SESSIONS", str(sessions)).replace("PER_SESSION", str(PER_SESSION))
