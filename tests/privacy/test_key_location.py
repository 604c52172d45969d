"""In production, Entraide refuses to start when a data key file lives next to the database
(issue 14, point 5): a copy of that directory would carry the key that decrypts it."""

from pathlib import Path

import pytest
from django.core.checks import Error
from django.core.management import call_command
from django.core.management.base import SystemCheckError

from entraide.core.checks import _sqlite_file as real_sqlite_file
from entraide.core.checks import data_key_location_check


@pytest.fixture(autouse=True)
def _database(monkeypatch, tmp_path):
    """The SQLite file the checks see (the test database itself is left alone)."""
    monkeypatch.setattr("entraide.core.checks._sqlite_file", lambda: (tmp_path / "var" / "entraide.sqlite3").resolve())


def _configure(settings, tmp_path: Path, *, key_dir: Path, production: bool = True) -> Path:
    var = tmp_path / "var"
    var.mkdir(exist_ok=True)
    key_dir.mkdir(parents=True, exist_ok=True)
    key = key_dir / "data-keys"
    key.write_text("not a real key\n")
    settings.PRODUCTION = production
    settings.VAR_DIR = var
    settings.ENTRAIDE_DATA_KEY_FILE = key
    return key


def test_a_key_file_next_to_the_sqlite_file_is_an_error_in_production(settings, tmp_path):
    _configure(settings, tmp_path, key_dir=tmp_path / "var")
    errors = data_key_location_check(None)
    assert [error.id for error in errors] == ["entraide.E003"]
    assert isinstance(errors[0], Error) and "data-keys" in errors[0].msg and "not a real key" not in errors[0].msg


def test_a_key_file_elsewhere_in_the_var_dir_is_an_error_too(settings, tmp_path):
    _configure(settings, tmp_path, key_dir=tmp_path / "var" / "keys")
    assert [error.id for error in data_key_location_check(None)] == ["entraide.E003"]


def test_a_key_file_outside_is_fine_and_development_is_not_checked(settings, tmp_path):
    _configure(settings, tmp_path, key_dir=tmp_path / "etc" / "entraide")
    assert data_key_location_check(None) == []
    _configure(settings, tmp_path, key_dir=tmp_path / "var", production=False)
    assert data_key_location_check(None) == []


def test_no_key_file_or_another_database_is_fine(settings, tmp_path, monkeypatch):
    key = _configure(settings, tmp_path, key_dir=tmp_path / "var")
    key.unlink()
    assert data_key_location_check(None) == []
    _configure(settings, tmp_path, key_dir=tmp_path / "var")
    monkeypatch.setattr("entraide.core.checks._sqlite_file", lambda: None)  # PostgreSQL: no file
    assert data_key_location_check(None) == []


def test_the_database_file_is_read_from_the_settings(settings):
    database = settings.DATABASES["default"]
    if "sqlite" in database["ENGINE"] and not str(database["NAME"]).startswith(":memory:"):
        assert real_sqlite_file() == Path(database["NAME"]).resolve()
    else:
        assert real_sqlite_file() is None


def test_commands_refuse_to_start(settings, tmp_path):
    """Not a deploy-only check: every command's system checks (``serve`` included) stop on it."""
    _configure(settings, tmp_path, key_dir=tmp_path / "var")
    with pytest.raises(SystemCheckError, match="entraide.E003"):
        call_command("check")
