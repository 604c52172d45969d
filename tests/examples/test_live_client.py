"""examples/live_client.py, the reference live client written from docs/asyncapi.yaml, run as
a program against a real server (uvicorn, its own database): the demo facilitator opens an
atelier d'entraide, two people join, the client joins by code, writes its problem and, at the
dot vote, casts its ballot. The facilitator and the two others speak the same websocket
protocol from this test; the ballot is checked in what the server reveals."""

import contextlib
import importlib.util
import json
import subprocess
import sys
import time
import uuid
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from websockets.sync.client import connect

pytestmark = pytest.mark.browser  # a real server, as the browser tests

CLIENT = Path(__file__).resolve().parents[2] / "examples" / "live_client.py"
WAIT = 40  # seconds for what a person would wait to see, on a loaded machine

OPEN = """
from datetime import time
from django.contrib.auth import get_user_model
from entraide.core.models import Organisation
from entraide.core.tenancy import all_tenants
from entraide.live.domain.opening import open_session
from entraide.protocols.models import Protocol
with all_tenants():
    user = get_user_model().objects.get(email="facilitation@demo.entraide.test")
    protocol = Protocol.objects.get(organisation=None, key="atelier-entraide")
    session, seat = open_session(organisation=Organisation.objects.get(slug="demo"), protocol=protocol,
                                 facilitator=user, participants=7, start=time(14), end=time(16, 30))
print(session.join_code, session.pk, seat.secret)
"""


def client_module():
    spec = importlib.util.spec_from_file_location("live_client", CLIENT)
    module = importlib.util.module_from_spec(spec)
    sys.modules.setdefault("live_client", module)  # its dataclasses look their module up
    spec.loader.exec_module(module)
    return module


class Person:
    """One seat on the session's websocket, as the AsyncAPI document says."""

    def __init__(self, connections: contextlib.ExitStack, base_url: str, code: str, cookie: str):
        host = urlsplit(base_url).netloc
        self.ws = connections.enter_context(
            connect(f"ws://{host}/ws/s/{code}/", origin=base_url, additional_headers={"Cookie": cookie}, open_timeout=30)
        )
        assert self.receive("hello")["type"] == "hello"

    def receive(self, *kinds: str, command_id: str | None = None) -> dict:
        deadline = time.monotonic() + WAIT
        while True:
            message = json.loads(self.ws.recv(timeout=max(0.1, deadline - time.monotonic())))
            if message["type"] in kinds and (command_id is None or message.get("id") == command_id):
                return message

    def state(self) -> dict:
        self.ws.send(json.dumps({"type": "sync"}))
        return self.receive("state")["state"]

    def run(self, name: str, **args) -> None:
        command_id = str(uuid.uuid4())
        self.ws.send(json.dumps({"type": "command", "id": command_id, "name": name, "args": args}))
        answer = self.receive("result", "error", command_id=command_id)
        assert answer["type"] == "result", answer

    def until(self, what, seconds: float = WAIT) -> dict:
        """The state once ``what(state)`` holds (asked again at each change the server signals)."""
        deadline = time.monotonic() + seconds
        while True:
            state = self.state()
            if what(state):
                return state
            assert time.monotonic() < deadline, f"not seen within {seconds} s: {state['step']}"
            try:
                self.receive("changed")
            except TimeoutError:
                pass

    def skip_to(self, activity: str) -> dict:
        state = self.state()
        while state["step"]["activity"] != activity:
            self.run("skip_step", step=state["step"]["key"])
            state = self.state()
        return state


def test_the_reference_client_joins_by_code_and_its_ballot_is_counted(example_server, tmp_path):
    base_url, manage = example_server
    code, session_id, secret = manage(OPEN).split()[-3:]
    with contextlib.ExitStack() as connections:
        run_the_session(connections, base_url, code, f"entraide_live_{session_id}={secret}", tmp_path)


def run_the_session(connections: contextlib.ExitStack, base_url: str, code: str, facilitator_cookie: str, tmp_path: Path) -> None:
    facilitator = Person(connections, base_url, code, facilitator_cookie)
    others = {}
    for name in ("Amina", "Bruno"):
        seat = client_module().join(base_url, code, name)
        others[name] = Person(connections, base_url, code, seat.cookie)

    log = (tmp_path / "client.log").open("w")
    client = subprocess.Popen(
        [sys.executable, str(CLIENT), base_url, code.lower(), "Robot Client",
         "--problem", "Problématique du robot : un planning impossible",
         "--vote-for", "Amina", "--vote-for", "Amina", "--vote-for", "robot", "--timeout", "300"],
        stdout=log, stderr=subprocess.STDOUT, text=True,
    )
    try:
        facilitator.until(lambda s: any(p["name"] == "Robot Client" for p in s["participants"]))
        facilitator.run("start")
        facilitator.skip_to("problem_write")
        for name, person in others.items():
            person.run("write_problem", text=f"Problématique de {name} : une famille en difficulté")
        # The client writes its own when it sees the step.
        facilitator.until(lambda s: len(s["problems"]) == 3)
        facilitator.skip_to("vote")
        client.wait(timeout=180)
    finally:
        if client.poll() is None:
            client.kill()
            client.wait()
        log.close()
        output = (tmp_path / "client.log").read_text()
        print(output)  # shown when the test fails: every frame the client received
    assert client.returncode == 0, output
    assert "seated in session" in output and "ballot counted" in output

    # The server counted it: one voter; revealed, two votes on Amina's problem, one on the
    # client's own.
    state = facilitator.until(lambda s: s["vote"]["voters"] == 1)
    facilitator.run("reveal_votes")
    state = facilitator.state()
    texts = {str(p["id"]): p["text"].split(" :")[0] for p in state["problems"]}
    totals = {texts[pid]: n for pid, n in state["vote"]["totals"].items() if n}
    assert totals == {"Problématique de Amina": 2, "Problématique du robot": 1}
    assert texts[str(state["vote"]["chosen"])] == "Problématique de Amina"
