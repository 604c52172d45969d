"""A real server (uvicorn, the ASGI application, its own database) and Debian's Chromium."""

import shutil
import subprocess
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.processes import BIN, demo_server

ARTIFACTS = Path(__file__).resolve().parents[2] / "test-artifacts"
CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking"]
# The running server's environment and folder, for tests that prepare data with its own
# management commands (``server_manage``).
SERVER: dict = {}


@pytest.fixture(scope="session")
def server_url(tmp_path_factory) -> Iterator[str]:
    workdir = tmp_path_factory.mktemp("server")
    try:
        with demo_server(workdir, "entraide_browser") as (url, env):
            SERVER.update(env=env, workdir=workdir)
            yield url
    finally:
        ARTIFACTS.mkdir(exist_ok=True)
        if (workdir / "server.log").exists():
            shutil.copy(workdir / "server.log", ARTIFACTS / "server.log")


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


@pytest.fixture
def pages_on_failure(request, screenshot):
    """Screenshots of every open page when the test fails, to see what each person saw."""
    opened = []
    yield opened
    report = getattr(request.node, "rep_call", None)
    if report is not None and report.failed:
        for index, page in enumerate(opened):
            try:
                screenshot(page, f"failure-{index}")
            except Exception:
                pass


@pytest.fixture
def server_manage(server_url):
    """Run Python in the server's own database (``entraide shell -c``): data a test needs that
    no page creates in a few clicks. Returns what the code prints."""

    def run(code: str) -> str:
        done = subprocess.run(
            [str(BIN / "entraide"), "shell", "-c", code], env=SERVER["env"], cwd=SERVER["workdir"], capture_output=True, text=True, timeout=120
        )
        assert done.returncode == 0, f"entraide shell -c failed:\n{done.stderr[-3000:]}"
        return done.stdout

    return run
