"""What `make run` serves (uvicorn on the embedded default, no DEBUG variable set): the project's
own 404 page, never Django's list of URL patterns, and the static files all the same. Django's
debug pages come back only with ENTRAIDE_DEBUG=1."""

import os
import subprocess
import urllib.error
import urllib.request
from collections.abc import Iterator
from email.message import Message
from pathlib import Path

import pytest

from tests.processes import BIN, uvicorn_server

pytestmark = pytest.mark.integration

def _serve(workdir: Path, **extra_env: str) -> Iterator[str]:
    env = {k: v for k, v in os.environ.items() if k not in ("DATABASE_URL", "REDIS_URL", "DJANGO_SETTINGS_MODULE", "DEBUG", "ENTRAIDE_DEBUG")}
    env.update(ENTRAIDE_VAR_DIR=str(workdir / "var"), **extra_env)
    subprocess.run([str(BIN / "entraide"), "migrate", "--noinput", "-v0"], env=env, cwd=workdir, check=True, capture_output=True, timeout=300)
    with uvicorn_server(workdir, env) as url:
        yield url


def _get(url: str, language: str = "fr") -> tuple[int, str, Message]:
    request = urllib.request.Request(url, headers={"Accept-Language": language})
    try:
        with urllib.request.urlopen(request, timeout=10) as response:
            return response.status, response.read().decode(), response.headers
    except urllib.error.HTTPError as error:
        return error.code, error.read().decode(), error.headers


@pytest.fixture(scope="module")
def development_server(tmp_path_factory) -> Iterator[str]:
    yield from _serve(tmp_path_factory.mktemp("dev"))


def test_an_unknown_address_gets_the_projects_404(development_server):
    status, page, headers = _get(development_server + "/nulle-part/")
    assert status == 404
    assert "Page introuvable" in page and 'class="site-header"' in page
    assert "URLconf" not in page and "Django tried these URL patterns" not in page
    assert headers["Cache-Control"] == "no-store, private"


def test_static_files_are_served_without_debug(development_server):
    status, css, headers = _get(development_server + "/static/entraide/css/app.css")
    assert status == 200 and ".site-header" in css
    status, script, _headers = _get(development_server + "/static/entraide/vendor/htmx-2.0.11.min.js")
    assert status == 200 and "htmx" in script


def test_the_debug_pages_only_on_explicit_request(tmp_path):
    for url in _serve(tmp_path, ENTRAIDE_DEBUG="1"):
        status, page, _headers = _get(url + "/nulle-part/")
        assert status == 404 and "URLconf" in page
