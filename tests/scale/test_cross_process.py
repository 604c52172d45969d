"""Two server processes (`entraide serve`) on different ports share PostgreSQL and Redis.

A participant connected to process A sees a vote cast through process B within a second; when
process A is killed (kill -9), the participant reconnects to process B and resyncs with
nothing lost. Runs on the production path only (DATABASE_URL=postgres, REDIS_URL set).
"""

import json
import os
import signal
import subprocess
import sys
import time
import uuid
from pathlib import Path

import pytest

from tests.browser.conftest import _free_port, _postgres_database

pytestmark = [
    pytest.mark.integration,
    pytest.mark.skipif(
        not (os.environ.get("DATABASE_URL", "").startswith("postgres") and os.environ.get("REDIS_URL")),
        reason="the production path only (PostgreSQL and Redis)",
    ),
]

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


@pytest.fixture
def two_servers(tmp_path):
    database = f"entraide_xproc_{uuid.uuid4().hex[:8]}"
    _postgres_database(os.environ["DATABASE_URL"], database, create=True)
    env = {k: v for k, v in os.environ.items() if k != "DJANGO_SETTINGS_MODULE"}
    env.update(
        DATABASE_URL=os.environ["DATABASE_URL"].rsplit("/", 1)[0] + "/" + database,
        ENTRAIDE_VAR_DIR=str(tmp_path / "var"),
    )
    processes, logs = [], []
    try:
        for command in (["migrate", "--noinput", "-v0"], ["load_protocols"], ["load_demo"]):
            subprocess.run([str(BIN / "entraide"), *command], env=env, cwd=tmp_path, check=True, capture_output=True, timeout=300)
        setup = subprocess.run([str(BIN / "entraide"), "shell", "-c", SETUP], env=env, cwd=tmp_path, check=True, capture_output=True, text=True, timeout=120)
        seats = json.loads(setup.stdout.strip().splitlines()[-1])
        ports = [_free_port(), _free_port()]
        for index, port in enumerate(ports):
            log = open(tmp_path / f"server-{index}.log", "wb")
            logs.append(log)
            processes.append(
                subprocess.Popen(
                    [str(BIN / "entraide"), "serve", "--port", str(port), "--workers", "1", "--no-collectstatic"],
                    env=env, cwd=tmp_path, stdout=log, stderr=subprocess.STDOUT, start_new_session=True,
                )
            )
        for port in ports:
            _wait_for(port)
        yield seats, ports, processes
    finally:
        for process in processes:
            if process.poll() is None:
                os.killpg(process.pid, signal.SIGTERM)
                process.wait(timeout=20)
        for log in logs:
            log.close()
        _postgres_database(os.environ["DATABASE_URL"], database, create=False)


def _wait_for(port: int) -> None:
    import urllib.request

    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        try:
            with urllib.request.urlopen(f"http://127.0.0.1:{port}/healthz", timeout=2):
                return
        except OSError:
            time.sleep(0.2)
    raise RuntimeError(f"server on port {port} did not start")


def connect(port: int, seats: dict, who: str):
    from websockets.sync.client import connect as ws_connect

    return ws_connect(
        f"ws://127.0.0.1:{port}/ws/s/{seats['code']}/",
        additional_headers={"Cookie": f"entraide_live_{seats['id']}={seats[who]}", "Origin": f"http://127.0.0.1:{port}"},
        open_timeout=10,
    )


def receive(ws, until_type: str, timeout: float) -> tuple[dict, float]:
    deadline = time.monotonic() + timeout
    while True:
        remaining = deadline - time.monotonic()
        assert remaining > 0, f"no {until_type} within {timeout} s"
        message = json.loads(ws.recv(timeout=remaining))
        if message["type"] == until_type:
            return message, time.monotonic()


def test_a_vote_through_one_process_reaches_the_other_and_survives_a_kill(two_servers):
    seats, (port_a, port_b), processes = two_servers
    with connect(port_a, seats, "amina") as amina, connect(port_b, seats, "bruno") as bruno:
        receive(amina, "hello", 5)
        receive(bruno, "hello", 5)
        bruno.send(json.dumps({"type": "sync"}))
        state, _ = receive(bruno, "state", 5)
        candidates = state["state"]["vote"]["candidates"]
        assert len(candidates) == 2

        sent = time.monotonic()
        ballot = {str(candidates[0]): 2, str(candidates[1]): 1}
        bruno.send(json.dumps({"type": "command", "id": str(uuid.uuid4()), "name": "cast_vote", "args": {"ballot": ballot}}))
        result, _ = receive(bruno, "result", 5)
        changed, received = receive(amina, "changed", 1.0)  # within a second, across processes
        assert changed["version"] == result["version"]
        assert received - sent < 1.0

        # Process A dies without a word.
        os.killpg(processes[0].pid, signal.SIGKILL)
        processes[0].wait(timeout=10)

    # Amina reconnects to process B and resyncs: the acknowledged vote is there.
    with connect(port_b, seats, "amina") as amina:
        hello, _ = receive(amina, "hello", 5)
        assert hello["version"] >= result["version"]
        amina.send(json.dumps({"type": "sync", "version": 1}))
        state, _ = receive(amina, "state", 5)
        assert state["state"]["vote"]["voters"] == 1
