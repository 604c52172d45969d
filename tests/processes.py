"""Helpers for tests that start real processes: free ports, a uvicorn server and throwaway
PostgreSQL databases."""

import contextlib
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from pathlib import Path

BIN = Path(sys.executable).parent


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def postgres_database(url: str, name: str, create: bool) -> None:
    """Drop this database on the server of ``url`` (closing what still holds it), then create
    it afresh when asked."""
    import psycopg

    base = url.rsplit("/", 1)[0] + "/postgres"
    with psycopg.connect(base, autocommit=True) as connection:
        connection.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        if create:
            connection.execute(f'CREATE DATABASE "{name}"')


@contextlib.contextmanager
def uvicorn_server(workdir: Path, env: dict[str, str], start_timeout: float = 60) -> Iterator[str]:
    """Run the ASGI application under uvicorn on a free port of 127.0.0.1, with ``env`` and its
    log in ``workdir/server.log``; yield its base URL once ``/healthz`` answers 200, stop it on
    exit. Raises ``RuntimeError`` with the log when it does not start within ``start_timeout`` s."""
    port = free_port()
    log = open(workdir / "server.log", "wb")
    process = subprocess.Popen(
        [str(BIN / "uvicorn"), "entraide.asgi:application", "--host", "127.0.0.1", "--port", str(port), "--lifespan", "off"],
        env=env, cwd=workdir, stdout=log, stderr=subprocess.STDOUT,
    )
    url = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + start_timeout
    try:
        while True:
            try:
                with urllib.request.urlopen(url + "/healthz", timeout=2) as response:
                    if response.status == 200:
                        break
            except OSError:
                if process.poll() is not None or time.monotonic() > deadline:
                    raise RuntimeError("the server did not start:\n" + (workdir / "server.log").read_text()) from None
                time.sleep(0.2)
        yield url
    finally:
        process.terminate()
        process.wait(timeout=20)
        log.close()
