"""Two server processes (`entraide serve`) on different ports share PostgreSQL and Redis.

A participant connected to process A sees a vote cast through process B within a second; when
process A is killed (kill -9), the participant reconnects to process B and resyncs with
nothing lost. Runs on the production path only (DATABASE_URL=postgres, REDIS_URL set).
"""

import json
import os
import time
import uuid

import pytest

from .servers import Servers, connect, receive, shared_postgres_database

pytestmark = [
    pytest.mark.integration,
    pytest.mark.skipif(
        not (os.environ.get("DATABASE_URL", "").startswith("postgres") and os.environ.get("REDIS_URL")),
        reason="the production path only (PostgreSQL and Redis)",
    ),
]


@pytest.fixture
def two_servers(tmp_path):
    with shared_postgres_database() as database:
        servers = Servers(tmp_path, database, os.environ["REDIS_URL"])
        seats = servers.prepare()
        servers.start(2)
        try:
            yield seats, servers
        finally:
            servers.stop()


def test_a_vote_through_one_process_reaches_the_other_and_survives_a_kill(two_servers):
    seats, servers = two_servers
    port_a, port_b = servers.ports
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
        servers.kill(0)

    # Amina reconnects to process B and resyncs: the acknowledged vote is there.
    with connect(port_b, seats, "amina") as amina:
        hello, _ = receive(amina, "hello", 5)
        assert hello["version"] >= result["version"]
        amina.send(json.dumps({"type": "sync", "version": 1}))
        state, _ = receive(amina, "state", 5)
        assert state["state"]["vote"]["voters"] == 1


def test_a_phone_on_one_process_receives_the_rendered_fragment_of_a_change_made_on_the_other(two_servers):
    """The fragments are rendered in the process of each phone (its own cache, keyed by version):
    a vote cast through process B reaches a phone on process A as HTML of that version, with
    that phone's own name and nothing of the voter's ballot."""
    seats, servers = two_servers
    port_a, port_b = servers.ports
    with connect(port_a, seats, "amina", view="participant") as amina, connect(port_b, seats, "bruno") as bruno:
        receive(amina, "hello", 5)
        receive(bruno, "hello", 5)
        bruno.send(json.dumps({"type": "sync"}))
        state, _ = receive(bruno, "state", 5)
        candidates = state["state"]["vote"]["candidates"]
        ballot = {str(candidates[0]): 2, str(candidates[1]): 1}
        bruno.send(json.dumps({"type": "command", "id": str(uuid.uuid4()), "name": "cast_vote", "args": {"ballot": ballot}}))
        result, _ = receive(bruno, "result", 5)
        fragment, _ = receive(amina, "fragment", 5)
        assert fragment["version"] == result["version"] and fragment["view"] == "participant"
        assert f'data-version="{result["version"]}"' in fragment["html"]
        html = fragment["html"]
        assert "Amina ·" in html and 'value="2" checked' not in html and 'value="1" checked' not in html  # her ballot is empty
