"""Every interface string has a French and a German translation, and the catalogs are current."""

import os
import shutil
import subprocess
import sys
from pathlib import Path

import polib
import pytest
from django.utils import translation

pytestmark = pytest.mark.integration

PACKAGE = Path(__file__).resolve().parents[2] / "src" / "entraide"
REQUIRED = ("fr", "de")


def catalog(language: str) -> polib.POFile:
    return polib.pofile(str(PACKAGE / "locale" / language / "LC_MESSAGES" / "django.po"))


@pytest.mark.parametrize("language", REQUIRED)
def test_every_string_is_translated(language):
    po = catalog(language)
    missing = [entry.msgid for entry in po if not entry.translated()]
    fuzzy = [entry.msgid for entry in po if "fuzzy" in entry.flags]
    assert not missing, f"{language}: untranslated: {missing}"
    assert not fuzzy, f"{language}: fuzzy: {fuzzy}"
    assert "fuzzy" not in po.metadata_as_entry().flags


@pytest.mark.parametrize("language", REQUIRED)
def test_placeholders_are_kept(language):
    result = subprocess.run(
        ["msgfmt", "--check-format", "-o", "/dev/null", str(PACKAGE / "locale" / language / "LC_MESSAGES" / "django.po")],
        capture_output=True, text=True,
    )
    assert result.returncode == 0, result.stderr


def test_the_catalogs_hold_every_string_of_the_code_and_templates(tmp_path):
    """Extract the strings afresh from a copy of the sources: none may be missing from the catalogs."""
    copy = tmp_path / "entraide"
    shutil.copytree(PACKAGE, copy, ignore=shutil.ignore_patterns("__pycache__", "*.mo"))
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "entraide.settings", "ENTRAIDE_VAR_DIR": str(tmp_path / "var")}
    result = subprocess.run(
        [str(Path(sys.executable).parent / "entraide"), "makemessages", "--no-location", "--no-obsolete", "-l", "fr"],
        cwd=copy, capture_output=True, text=True, timeout=300, env=env,
    )
    assert result.returncode == 0, result.stderr
    extracted = {entry.msgid for entry in polib.pofile(str(copy / "locale" / "fr" / "LC_MESSAGES" / "django.po"))}
    for language in (*REQUIRED, "en"):
        present = {entry.msgid for entry in catalog(language)}
        assert extracted <= present, f"{language}: run `make makemessages` and translate: {sorted(extracted - present)}"


def test_the_compiled_catalogs_are_used():
    with translation.override("fr"):
        assert translation.gettext("Protocol library") == "Bibliothèque des protocoles"
    with translation.override("de"):
        assert translation.gettext("Protocol library") == "Protokollbibliothek"
