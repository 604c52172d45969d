"""A real server for the examples: uvicorn, the ASGI application, its own database with the
demo data (as tests/browser/conftest.py's, without a browser: the examples speak HTTP and the
websocket themselves)."""

import os
import subprocess
import uuid
from collections.abc import Callable, Iterator

import pytest

from tests.processes import BIN, postgres_database, uvicorn_server


@pytest.fixture(scope="session")
def example_server(tmp_path_factory) -> Iterator[tuple[str, Callable[[str], str]]]:
    """The server's base URL and ``manage(code)``, which runs Python in the server's own
    database (``entraide shell -c``) and returns what it prints."""
    workdir = tmp_path_factory.mktemp("examples-server")
    env = {k: v for k, v in os.environ.items() if k != "DJANGO_SETTINGS_MODULE"}
    env["ENTRAIDE_VAR_DIR"] = str(workdir / "var")
    database = None
    if os.environ.get("DATABASE_URL", "").startswith("postgres"):
        database = f"entraide_examples_{uuid.uuid4().hex[:8]}"
        postgres_database(os.environ["DATABASE_URL"], database, create=True)
        env["DATABASE_URL"] = os.environ["DATABASE_URL"].rsplit("/", 1)[0] + "/" + database
    for command in (["migrate", "--noinput", "-v0"], ["load_protocols"], ["load_demo"]):
        subprocess.run([str(BIN / "entraide"), *command], env=env, cwd=workdir, check=True, capture_output=True, timeout=300)

    def manage(code: str) -> str:
        done = subprocess.run([str(BIN / "entraide"), "shell", "-c", code], env=env, cwd=workdir, capture_output=True, text=True, timeout=120)
        assert done.returncode == 0, f"entraide shell -c failed:\n{done.stderr[-3000:]}"
        return done.stdout

    try:
        with uvicorn_server(workdir, env) as url:
            yield url, manage
    finally:
        if database:
            postgres_database(os.environ["DATABASE_URL"], database, create=False)
