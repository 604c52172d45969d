"""A real server for the examples: uvicorn, the ASGI application, its own database with the
demo data (as tests/browser/conftest.py's, without a browser: the examples speak HTTP and the
websocket themselves)."""

import subprocess
from collections.abc import Callable, Iterator

import pytest

from tests.processes import BIN, demo_server


@pytest.fixture(scope="session")
def example_server(tmp_path_factory) -> Iterator[tuple[str, Callable[[str], str]]]:
    """The server's base URL and ``manage(code)``, which runs Python in the server's own
    database (``entraide shell -c``) and returns what it prints."""
    workdir = tmp_path_factory.mktemp("examples-server")
    with demo_server(workdir, "entraide_examples") as (url, env):

        def manage(code: str) -> str:
            done = subprocess.run([str(BIN / "entraide"), "shell", "-c", code], env=env, cwd=workdir, capture_output=True, text=True, timeout=120)
            assert done.returncode == 0, f"entraide shell -c failed:\n{done.stderr[-3000:]}"
            return done.stdout

        yield url, manage
