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


@contextlib.contextmanager
def demo_server(workdir: Path, prefix: str) -> Iterator[tuple[str, dict[str, str]]]:
    """A uvicorn server on its own database holding the built-in protocols and the demo data
    (SQLite in ``workdir``, or a fresh PostgreSQL database named ``<prefix>_<random>`` when
    ``DATABASE_URL`` is PostgreSQL, dropped on exit). Yields ``(base URL, environment)``; the
    environment runs ``entraide`` commands against the same database."""
    import os
    import uuid

    env = {k: v for k, v in os.environ.items() if k != "DJANGO_SETTINGS_MODULE"}
    env["ENTRAIDE_VAR_DIR"] = str(workdir / "var")
    database = None
    if os.environ.get("DATABASE_URL", "").startswith("postgres"):
        database = f"{prefix}_{uuid.uuid4().hex[:8]}"
        postgres_database(os.environ["DATABASE_URL"], database, create=True)
        env["DATABASE_URL"] = os.environ["DATABASE_URL"].rsplit("/", 1)[0] + "/" + database
    try:
        for command in (["migrate", "--noinput", "-v0"], ["load_protocols"], ["load_demo"]):
            subprocess.run([str(BIN / "entraide"), *command], env=env, cwd=workdir, check=True, capture_output=True, timeout=300)
        with uvicorn_server(workdir, env) as url:
            yield url, env
    finally:
        if database:
            postgres_database(os.environ["DATABASE_URL"], database, create=False)
