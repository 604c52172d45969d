"""Real processes for the scale and fault tests: Entraide servers (`entraide serve`), and a
private Redis and PostgreSQL that a test may kill and restart without touching the machine's
shared services."""

import glob
import json
import os
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
import uuid
from contextlib import contextmanager
from pathlib import Path

from tests.processes import free_port, postgres_database

BIN = Path(sys.executable).parent

SETUP = """
import json
from datetime import time
from entraide.core.models import Organisation, User
from entraide.core.tenancy import all_tenants
from entraide.live.domain import commands
from entraide.live.domain.opening import join, open_session
from entraide.protocols.models import Protocol
import uuid
with all_tenants():
    protocol = Protocol.objects.get(organisation=None, key="atelier-entraide")
facilitator = User.objects.get(email="facilitation@demo.entraide.test")
session, seat = open_session(organisation=Organisation.objects.get(slug="demo"), protocol=protocol,
                             facilitator=facilitator, participants=7, start=time(14), end=time(16, 30))
amina, bruno = join(session, "Amina"), join(session, "Bruno")
run = lambda who, name, **args: commands.execute(session.pk, who.participant.pk, str(uuid.uuid4()), name, args)
run(seat, "start")
for _ in range(3):
    run(seat, "skip_step")
run(amina, "write_problem", text="Problème d'Amina")
run(bruno, "write_problem", text="Problème de Bruno")
run(seat, "skip_step"); run(seat, "skip_step")
print(json.dumps({"id": session.pk, "code": session.join_code, "amina": amina.secret, "bruno": bruno.secret}))
"""

# What the database holds of a session's commands and notes, read back through the domain's
# own models (the notes are encrypted at rest).
APPLIED = """
import json
from entraide.core.tenancy import all_tenants
from entraide.live.domain import commands
from entraide.live.models import AppliedCommand, LiveSession, PrivateNote
with all_tenants():
    session = LiveSession.objects.get(pk=SESSION)
    applied = {str(c.client_id): c.name for c in AppliedCommand.objects.filter(session=session)}
    notes = [n.text for n in PrivateNote.objects.filter(session=session)]
print(json.dumps({"version": commands.table_of(session).version, "applied": applied, "notes": notes}))
"""


def wait_until(check, timeout: float, what: str) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            if check():
                return
        except OSError:
            pass
        time.sleep(0.2)
    raise RuntimeError(f"{what} not ready after {timeout} s")


def _port_open(port: int) -> bool:
    with socket.socket() as sock:
        sock.settimeout(0.5)
        return sock.connect_ex(("127.0.0.1", port)) == 0


class PrivateRedis:
    """A redis-server of the test's own, on a free port, that keeps nothing on disk (like the
    machine's): a restart loses every key, groups and queues included."""

    def __init__(self, workdir: Path) -> None:
        self.port = free_port()
        self.workdir = workdir
        self.process: subprocess.Popen | None = None
        self.url = f"redis://127.0.0.1:{self.port}/0"

    def start(self) -> None:
        self.process = subprocess.Popen(
            ["redis-server", "--port", str(self.port), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no",
             "--dir", str(self.workdir)],
            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
        )
        wait_until(lambda: _port_open(self.port), 20, "redis")

    def kill(self) -> None:
        if self.process is not None and self.process.poll() is None:
            self.process.kill()
            self.process.wait(timeout=10)


def _initdb() -> str | None:
    found = sorted(glob.glob("/usr/lib/postgresql/*/bin/initdb"))
    return found[-1] if found else None


class PrivatePostgres:
    """A PostgreSQL cluster of the test's own (initdb in a temporary folder, run as the
    `postgres` system user when the tests run as root), on a free port."""

    available = _initdb() is not None and (os.geteuid() != 0 or shutil.which("runuser") is not None)

    def __init__(self) -> None:
        self.bin = Path(_initdb()).parent
        self.port = free_port()
        self.datadir = Path(tempfile.mkdtemp(prefix="entraide-pg-", dir="/tmp"))
        self.url = f"postgres://postgres@127.0.0.1:{self.port}/entraide"

    def _run(self, *argv: str, check: bool = True) -> subprocess.CompletedProcess:
        command = [str(self.bin / argv[0]), *argv[1:]]
        if os.geteuid() == 0:
            command = ["runuser", "-u", "postgres", "--", *command]
        return subprocess.run(command, check=check, capture_output=True, timeout=120)

    def init(self) -> None:
        if os.geteuid() == 0:
            shutil.chown(self.datadir, "postgres", "postgres")
        self._run("initdb", "-D", str(self.datadir / "data"), "-U", "postgres", "--auth=trust", "-E", "UTF8")
        self.start()
        self._run("createdb", "-h", "127.0.0.1", "-p", str(self.port), "-U", "postgres", "entraide")

    def start(self) -> None:
        options = f"-p {self.port} -k {self.datadir} -c listen_addresses=127.0.0.1 -c fsync=off"
        self._run("pg_ctl", "-D", str(self.datadir / "data"), "-o", options, "-l", str(self.datadir / "log"), "-w", "start")

    def stop(self) -> None:
        self._run("pg_ctl", "-D", str(self.datadir / "data"), "-m", "immediate", "-w", "stop", check=False)

    def destroy(self) -> None:
        self.stop()
        shutil.rmtree(self.datadir, ignore_errors=True)


class Servers:
    """`entraide serve` processes sharing one database and one Redis."""

    def __init__(self, workdir: Path, database_url: str, redis_url: str, extra_env: dict | None = None) -> None:
        self.workdir = workdir
        self.env = {k: v for k, v in os.environ.items() if k != "DJANGO_SETTINGS_MODULE"}
        self.env.update(DATABASE_URL=database_url, REDIS_URL=redis_url, ENTRAIDE_VAR_DIR=str(workdir / "var"), DEBUG="false")
        self.env.update(extra_env or {})
        self.processes: list[subprocess.Popen] = []
        self.ports: list[int] = []
        self._logs = []

    def entraide(self, *argv: str, timeout: float = 300) -> str:
        done = subprocess.run([str(BIN / "entraide"), *argv], env=self.env, cwd=self.workdir, check=True,
                              capture_output=True, text=True, timeout=timeout)
        return done.stdout

    def prepare(self) -> dict:
        for command in (["migrate", "--noinput", "-v0"], ["load_protocols"], ["load_demo"]):
            self.entraide(*command)
        return json.loads(self.entraide("shell", "-c", SETUP).strip().splitlines()[-1])

    def applied(self, session_id: int) -> dict:
        return json.loads(self.entraide("shell", "-c", APPLIED.replace("SESSION", str(session_id))).strip().splitlines()[-1])

    def start(self, count: int) -> None:
        for index in range(count):
            port = free_port()
            log = open(self.workdir / f"server-{len(self.ports)}.log", "wb")
            self._logs.append(log)
            self.processes.append(subprocess.Popen(
                [str(BIN / "entraide"), "serve", "--port", str(port), "--workers", "1", "--no-collectstatic"],
                env=self.env, cwd=self.workdir, stdout=log, stderr=subprocess.STDOUT, start_new_session=True,
            ))
            self.ports.append(port)
        for port in self.ports:
            wait_until(lambda: urllib.request.urlopen(f"http://127.0.0.1:{port}/healthz", timeout=2).status == 200, 60, f"server {port}")

    def kill(self, index: int) -> None:
        os.killpg(self.processes[index].pid, signal.SIGKILL)
        self.processes[index].wait(timeout=10)

    def alive(self) -> list[bool]:
        return [process.poll() is None for process in self.processes]

    def stop(self) -> None:
        for process in self.processes:
            if process.poll() is None:
                os.killpg(process.pid, signal.SIGTERM)
                process.wait(timeout=20)
        for log in self._logs:
            log.close()

    def log(self, index: int) -> str:
        return (self.workdir / f"server-{index}.log").read_text(errors="replace")


@contextmanager
def shared_postgres_database():
    """A fresh database on the machine's PostgreSQL (DATABASE_URL), dropped afterwards."""
    name = f"entraide_scale_{uuid.uuid4().hex[:8]}"
    postgres_database(os.environ["DATABASE_URL"], name, create=True)
    try:
        yield os.environ["DATABASE_URL"].rsplit("/", 1)[0] + "/" + name
    finally:
        postgres_database(os.environ["DATABASE_URL"], name, create=False)


def connect(port: int, seats: dict, who: str, view: str | None = None, **options):
    """A websocket of ``who``; with ``view`` ("participant"...), one that receives fragments."""
    from websockets.sync.client import connect as ws_connect

    return ws_connect(
        f"ws://127.0.0.1:{port}/ws/s/{seats['code']}/" + (f"?view={view}" if view else ""),
        additional_headers={"Cookie": f"entraide_live_{seats['id']}={seats[who]}", "Origin": f"http://127.0.0.1:{port}"},
        open_timeout=10,
        **options,
    )


def receive(ws, until_type: str, timeout: float) -> tuple[dict, float]:
    """The next message of this type (others passed over), and when it came."""
    deadline = time.monotonic() + timeout
    while True:
        remaining = deadline - time.monotonic()
        assert remaining > 0, f"no {until_type} within {timeout} s"
        message = json.loads(ws.recv(timeout=remaining))
        if message["type"] == until_type:
            return message, time.monotonic()


def command(name: str, client_id: str | None = None, **args) -> tuple[str, str]:
    client_id = client_id or str(uuid.uuid4())
    return client_id, json.dumps({"type": "command", "id": client_id, "name": name, "args": args})
