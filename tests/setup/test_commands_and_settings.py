"""The installed `entraide` command, and the production mode's refusals, in real subprocesses."""

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from cryptography.fernet import Fernet

pytestmark = pytest.mark.integration

ENTRAIDE = shutil.which("entraide") or str(Path(sys.executable).parent / "entraide")


def run(args: list[str], env: dict[str, str], cwd: Path) -> subprocess.CompletedProcess:
    base = {k: v for k, v in os.environ.items() if k not in ("DATABASE_URL", "REDIS_URL", "DJANGO_SETTINGS_MODULE")}
    return subprocess.run([ENTRAIDE, *args], env={**base, **env}, cwd=cwd, capture_output=True, text=True, timeout=120)


@pytest.fixture(scope="module")
def workdir(tmp_path_factory) -> Path:
    """A fresh SQLite database with the built-ins loaded through the real command."""
    path = tmp_path_factory.mktemp("entraide")
    env = {"ENTRAIDE_VAR_DIR": str(path / "var")}
    for command in (["migrate", "--noinput", "-v0"], ["load_protocols"]):
        result = run(command, env, path)
        assert result.returncode == 0, result.stderr
    return path


def test_fit_agenda_prints_the_documented_json(workdir):
    result = run(
        ["fit_agenda", "--protocol", "atelier-entraide", "--participants", "7", "--start", "14:00", "--end", "16:30", "--json"],
        {"ENTRAIDE_VAR_DIR": str(workdir / "var")},
        workdir,
    )
    assert result.returncode == 0, result.stderr
    data = json.loads(result.stdout)
    assert data["protocol"] == "atelier-entraide" and data["participants"] == 7
    assert data["start"] == "14:00" and "14:00" < data["end"] <= "16:30"
    assert set(data["steps"][0]) == {"key", "title", "start", "minutes"}
    assert sum(step["minutes"] for step in data["steps"]) == 150
    assert data["steps"][0]["title"] == "Accueil des participant·es"


def test_fit_agenda_refuses_an_impossible_window_on_stderr(workdir):
    result = run(
        ["fit_agenda", "--protocol", "atelier-entraide", "--participants", "7", "--start", "14:00", "--end", "15:00", "--json"],
        {"ENTRAIDE_VAR_DIR": str(workdir / "var")},
        workdir,
    )
    assert result.returncode != 0
    assert result.stdout == ""
    assert "au moins 1 h 24" in result.stderr


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--protocol", "inconnu", "--participants", "7", "--start", "14:00", "--end", "16:30"], "Protocole inconnu"),
        (["--protocol", "atelier-entraide", "--participants", "7", "--start", "2pm", "--end", "16:30"], "HH:MM"),
        (["--protocol", "atelier-entraide", "--participants", "2", "--start", "14:00", "--end", "16:30"], "de 4 à 12"),
    ],
)
def test_fit_agenda_bad_input(workdir, args, message):
    result = run(["fit_agenda", *args], {"ENTRAIDE_VAR_DIR": str(workdir / "var")}, workdir)
    assert result.returncode != 0 and message in result.stderr


def test_fit_agenda_speaks_german(workdir):
    result = run(
        ["fit_agenda", "--protocol", "atelier-entraide", "--participants", "7", "--start", "14:00", "--end", "16:30", "--json", "--lang", "de"],
        {"ENTRAIDE_VAR_DIR": str(workdir / "var")},
        workdir,
    )
    assert json.loads(result.stdout)["steps"][0]["title"] == "Ankommen der Teilnehmenden"


def production_env(tmp_path: Path, **overrides: str) -> dict[str, str]:
    env = {
        "ENTRAIDE_MODE": "production",
        "ENTRAIDE_VAR_DIR": str(tmp_path / "var"),
        "SECRET_KEY": Fernet.generate_key().decode() + Fernet.generate_key().decode(),
        "ALLOWED_HOSTS": "entraide.example.org",
        "REDIS_URL": "redis://127.0.0.1:6379/0",
        "ENTRAIDE_DATA_KEYS": Fernet.generate_key().decode(),
        "DATABASE_URL": f"sqlite:///{tmp_path / 'prod.sqlite3'}",
    }
    env.update(overrides)
    return {k: v for k, v in env.items() if v is not None}


def test_production_check_deploy_is_clean(tmp_path):
    result = run(["check", "--deploy", "--fail-level", "WARNING"], production_env(tmp_path), tmp_path)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout


@pytest.mark.parametrize(
    ("overrides", "reason"),
    [
        ({"DEBUG": "1"}, "DEBUG is on"),
        ({"REDIS_URL": None}, "REDIS_URL is not set"),
        ({"SECRET_KEY": None}, "SECRET_KEY"),
        ({"SECRET_KEY": "django-insecure-" + "x" * 60}, "SECRET_KEY"),
        ({"ENTRAIDE_DATA_KEYS": None}, "ENTRAIDE_DATA_KEYS"),
        ({"ALLOWED_HOSTS": None}, "ALLOWED_HOSTS"),
    ],
)
def test_production_refuses_to_start(tmp_path, overrides, reason):
    env = production_env(tmp_path)
    for key, value in overrides.items():
        env.pop(key, None)
        if value is not None:
            env[key] = value
    result = run(["check"], env, tmp_path)
    assert result.returncode != 0
    assert "refuses to start in production mode" in result.stderr and reason in result.stderr


def test_production_refuses_a_malformed_data_key(tmp_path):
    result = run(["check", "--deploy"], production_env(tmp_path, ENTRAIDE_DATA_KEYS="abc"), tmp_path)
    assert result.returncode != 0 and "not a valid Fernet key" in result.stderr + result.stdout


def test_sqlite_is_configured_for_concurrent_writers(tmp_path):
    from django.conf import settings
    from django.db import connection

    if connection.vendor != "sqlite":
        pytest.skip("the embedded default only")
    options = settings.DATABASES["default"]["OPTIONS"]
    assert options["transaction_mode"] == "IMMEDIATE"
    assert "journal_mode=WAL" in options["init_command"]
