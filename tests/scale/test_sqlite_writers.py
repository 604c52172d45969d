"""The embedded default under concurrent writers: 20 threads, each with its own connection to
a real SQLite file (WAL, immediate transactions), write through the command path at once.
No "database is locked", every write kept."""

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

pytestmark = pytest.mark.integration

BIN = Path(sys.executable).parent

SCRIPT = """
import json, uuid, threading
from concurrent.futures import ThreadPoolExecutor
from datetime import time
from django.db import connection, connections
from entraide.core.models import Organisation, User
from entraide.core.tenancy import all_tenants
from entraide.live.domain import commands
from entraide.live.domain.opening import join, open_session
from entraide.live.models import PrivateNote
from entraide.protocols.models import Protocol

assert connection.vendor == "sqlite"
with all_tenants():
    protocol = Protocol.objects.get(organisation=None, key="atelier-entraide")
facilitator = User.objects.get(email="facilitation@demo.entraide.test")
session, seat = open_session(organisation=Organisation.objects.get(slug="demo"), protocol=protocol,
                             facilitator=facilitator, participants=12, start=time(9), end=time(12))
people = [join(session, f"P{i}").participant for i in range(11)] + [seat.participant]
commands.execute(session.pk, seat.participant.pk, str(uuid.uuid4()), "start", {})
barrier = threading.Barrier(20)
errors = []

def writer(number):
    barrier.wait()
    person = people[number % len(people)]
    try:
        for k in range(10):
            commands.execute(session.pk, person.pk, str(uuid.uuid4()), "write_note", {"text": f"note {number}-{k}"})
    except Exception as error:
        errors.append(repr(error))
    finally:
        connections.close_all()

with ThreadPoolExecutor(max_workers=20) as pool:
    list(pool.map(writer, range(20)))
with all_tenants():
    stored = sorted(n.text for n in PrivateNote.objects.filter(session=session))
session.refresh_from_db()
print(json.dumps({"errors": errors, "stored": len(stored), "unique": len(set(stored)), "version": commands.table_of(session).version}))
"""


def test_twenty_concurrent_writers_on_sqlite(tmp_path):
    env = {k: v for k, v in os.environ.items() if k not in ("DJANGO_SETTINGS_MODULE", "DATABASE_URL", "REDIS_URL")}
    env["ENTRAIDE_VAR_DIR"] = str(tmp_path / "var")
    for command in (["migrate", "--noinput", "-v0"], ["load_protocols"], ["load_demo"]):
        subprocess.run([str(BIN / "entraide"), *command], env=env, cwd=tmp_path, check=True, capture_output=True, timeout=300)
    done = subprocess.run([str(BIN / "entraide"), "shell", "-c", SCRIPT], env=env, cwd=tmp_path, capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, done.stderr
    result = json.loads(done.stdout.strip().splitlines()[-1])
    assert result["errors"] == []
    assert result["stored"] == result["unique"] == 200
    # Every applied command bumped the version exactly once.
    assert "database is locked" not in done.stderr
