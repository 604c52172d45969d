"""The issue's "done when": a coordinator creates a token (on the page) and reads their groups'
attendance from a script, examples/api_attendance.py (stdlib urllib only). The script runs
unchanged; its urllib calls are answered by the application through Django's test client."""

import importlib.util
import io
import urllib.error
import urllib.parse
from email.message import Message
from pathlib import Path

import pytest
from django.test import Client

from entraide.api.models import ApiToken
from entraide.core.tenancy import all_tenants

pytestmark = pytest.mark.integration

SCRIPT = Path(__file__).resolve().parents[2] / "examples" / "api_attendance.py"


def _load_script():
    spec = importlib.util.spec_from_file_location("api_attendance", SCRIPT)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


class _Answer(io.BytesIO):
    def __init__(self, response):
        super().__init__(response.content)
        self.status = response.status_code
        self.headers = Message()
        for name, value in response.items():
            self.headers[name] = value

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.close()


def _through_django(request, timeout=None):
    """urllib.request.urlopen answered by the application (same headers, same status)."""
    url = urllib.parse.urlsplit(request.full_url)
    response = Client().get(f"{url.path}?{url.query}" if url.query else url.path, headers=dict(request.header_items()))
    answer = _Answer(response)
    if response.status_code >= 400:
        raise urllib.error.HTTPError(request.full_url, response.status_code, "refused", answer.headers, answer)
    return answer


def _secret_from_the_page(user, organisation) -> str:
    browser = Client()
    browser.force_login(user)
    page = browser.post(f"/o/{organisation.slug}/mon-espace/api/", {"name": "Mon script", "scope": "read"}).content.decode()
    return page.split('data-testid="api-secret"')[0].rsplit('value="', 1)[1].split('"')[0]


def test_a_coordinator_reads_their_groups_attendance_from_a_script(world, monkeypatch, capsys):
    secret = _secret_from_the_page(world.coordinator, world.organisation)
    script = _load_script()
    monkeypatch.setattr(script.urllib.request, "urlopen", _through_django)
    monkeypatch.setenv("ENTRAIDE_TOKEN", secret)
    assert script.main(["http://testserver"]) == 0
    out = capsys.readouterr().out
    assert "Analyse des pratiques" in out
    assert "session 1: present 2, excused 0, absent 0, not recorded 0" in out
    assert "session 2: present 1, excused 0, absent 1, not recorded 0" in out
    assert "Autre groupe" not in out  # another organisation's group
    with all_tenants():
        assert ApiToken.objects.get(user=world.coordinator).last_used_at is not None


def test_the_script_says_why_a_token_is_refused(world, monkeypatch):
    script = _load_script()
    monkeypatch.setattr(script.urllib.request, "urlopen", _through_django)
    monkeypatch.setenv("ENTRAIDE_TOKEN", "ent_not-a-token")
    with pytest.raises(SystemExit) as stopped:
        script.main(["http://testserver"])
    assert str(stopped.value).startswith("401 ") and "Bearer" in str(stopped.value)  # the API's own detail
