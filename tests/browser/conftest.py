"""A real server (uvicorn, the ASGI application, its own database) and Debian's Chromium."""

import os
import shutil
import subprocess
import sys
import time
import urllib.request
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.processes import free_port, postgres_database

ARTIFACTS = Path(__file__).resolve().parents[2] / "test-artifacts"
CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking"]
BIN = Path(sys.executable).parent


@pytest.fixture(scope="session")
def server_url(tmp_path_factory) -> Iterator[str]:
    workdir = tmp_path_factory.mktemp("server")
    env = {k: v for k, v in os.environ.items() if k != "DJANGO_SETTINGS_MODULE"}
    env["ENTRAIDE_VAR_DIR"] = str(workdir / "var")
    database = None
    if os.environ.get("DATABASE_URL", "").startswith("postgres"):
        database = f"entraide_browser_{uuid.uuid4().hex[:8]}"
        postgres_database(os.environ["DATABASE_URL"], database, create=True)
        env["DATABASE_URL"] = os.environ["DATABASE_URL"].rsplit("/", 1)[0] + "/" + database
    for command in (["migrate", "--noinput", "-v0"], ["load_protocols"], ["load_demo"]):
        subprocess.run([str(BIN / "entraide"), *command], env=env, cwd=workdir, check=True, capture_output=True, timeout=300)
    port = free_port()
    log = open(workdir / "server.log", "wb")
    process = subprocess.Popen(
        [str(BIN / "uvicorn"), "entraide.asgi:application", "--host", "127.0.0.1", "--port", str(port), "--lifespan", "off"],
        env=env, cwd=workdir, stdout=log, stderr=subprocess.STDOUT,
    )
    url = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 60
    while True:
        try:
            with urllib.request.urlopen(url + "/healthz", timeout=2) as response:
                if response.status == 200:
                    break
        except OSError:
            if process.poll() is not None or time.monotonic() > deadline:
                log.close()
                raise RuntimeError("the server did not start:\n" + (workdir / "server.log").read_text())
            time.sleep(0.2)
    try:
        yield url
    finally:
        process.terminate()
        process.wait(timeout=20)
        log.close()
        ARTIFACTS.mkdir(exist_ok=True)
        shutil.copy(workdir / "server.log", ARTIFACTS / "server.log")
        if database:
            postgres_database(os.environ["DATABASE_URL"], database, create=False)


@pytest.fixture(scope="session")
def browser():
    from playwright.sync_api import sync_playwright

    if not Path(CHROMIUM).exists():
        pytest.fail("Debian's chromium is missing: `make test` installs it (apt-get install chromium).")
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS, headless=True)
        yield browser
        browser.close()


@pytest.fixture
def screenshot(request):
    ARTIFACTS.mkdir(exist_ok=True)

    def take(page, name: str) -> Path:
        path = ARTIFACTS / f"{request.node.name}-{name}.png"
        page.screenshot(path=str(path), full_page=True)
        return path

    return take
