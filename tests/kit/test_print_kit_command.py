"""`entraide print_kit` as installed, in real subprocesses on a fresh SQLite database."""

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from .pdf import pages_with, pdf_pages

pytestmark = pytest.mark.integration

ENTRAIDE = shutil.which("entraide") or str(Path(sys.executable).parent / "entraide")


def run(args: list[str], workdir: Path) -> subprocess.CompletedProcess:
    env = {k: v for k, v in os.environ.items() if k not in ("DATABASE_URL", "REDIS_URL", "DJANGO_SETTINGS_MODULE")}
    env["ENTRAIDE_VAR_DIR"] = str(workdir / "var")
    return subprocess.run([ENTRAIDE, *args], env=env, cwd=workdir, capture_output=True, text=True, timeout=180)


@pytest.fixture(scope="module")
def workdir(tmp_path_factory) -> Path:
    path = tmp_path_factory.mktemp("entraide-kit")
    for command in (["migrate", "--noinput", "-v0"], ["load_protocols"]):
        result = run(command, path)
        assert result.returncode == 0, result.stderr
    return path


@pytest.fixture
def out(tmp_path) -> Path:
    return tmp_path / "kit.pdf"


def test_the_documented_command_writes_the_kit(workdir, out):
    result = run(["print_kit", "--protocol", "atelier-entraide", "--participants", "7", "--lang", "fr", "--out", str(out)], workdir)
    assert result.returncode == 0, result.stderr
    assert str(out) in result.stdout and "7 participant·es" in result.stdout
    pages = pdf_pages(out)
    assert pages_with(pages, "Déroulé : Atelier d'entraide") >= 1
    assert pages_with(pages, "PROBLÉMATIQUE DES PARTICIPANT·ES") == 6
    assert pages_with(pages, "REBOND SUR LA PROBLÉMATIQUE") == 5
    assert [path.name for path in out.parent.iterdir()] == ["kit.pdf"]  # no temporary file left


def test_start_and_end_fit_the_agenda(workdir, out):
    result = run(
        ["print_kit", "--protocol", "atelier-entraide", "--participants", "5", "--lang", "en", "--out", str(out), "--start", "09:00", "--end", "11:30"],
        workdir,
    )
    assert result.returncode == 0, result.stderr
    first = pdf_pages(out)[0]
    assert "Start 9 a.m." in first and "End 11:30 a.m." in first, first[:300]


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--protocol", "atelier-entraide", "--participants", "0", "--lang", "fr"], "au moins 2 participant·es"),
        (["--protocol", "atelier-entraide", "--participants", "1", "--lang", "fr"], "au moins 2 participant·es"),
        (["--protocol", "atelier-entraide", "--participants", "13", "--lang", "fr"], "de 4 à 12"),
        (["--protocol", "atelier-entraide", "--participants", "13", "--lang", "de"], "für 4 bis 12 Teilnehmende"),
        (["--protocol", "atelier-entraide", "--participants", "sept", "--lang", "fr"], "n'est pas un nombre de participant·es"),
        (["--protocol", "atelier-entraide", "--participants", "7", "--lang", "es"], "Langue inconnue « es »"),
        (["--protocol", "inconnu", "--participants", "7", "--lang", "fr"], "Protocole inconnu « inconnu »"),
        (["--protocol", "atelier-entraide", "--participants", "7", "--lang", "fr", "--start", "2pm"], "HH:MM"),
        (["--protocol", "atelier-entraide", "--participants", "7", "--lang", "fr", "--start", "14:00", "--end", "15:00"], "au moins 1 h 24"),
    ],
)
def test_bad_input_says_why_and_writes_nothing(workdir, out, args, message):
    result = run(["print_kit", *args, "--out", str(out)], workdir)
    assert result.returncode != 0
    assert message in result.stderr
    assert not out.exists()
    assert list(out.parent.iterdir()) == []


def test_bad_input_leaves_an_existing_file_as_it_was(workdir, out):
    out.write_bytes(b"the kit printed last week")
    result = run(["print_kit", "--protocol", "atelier-entraide", "--participants", "1", "--out", str(out)], workdir)
    assert result.returncode != 0
    assert out.read_bytes() == b"the kit printed last week"


def test_a_missing_folder_is_named(workdir, tmp_path):
    result = run(["print_kit", "--protocol", "atelier-entraide", "--participants", "7", "--out", str(tmp_path / "nowhere" / "kit.pdf")], workdir)
    assert result.returncode != 0 and "nowhere" in result.stderr and "n'existe pas" in result.stderr
