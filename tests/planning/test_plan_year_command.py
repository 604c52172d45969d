"""`entraide plan_year`: JSON and table output, bad input on stderr with a non-zero exit."""

import json
import os
import shutil
import subprocess
import sys
from datetime import date
from io import StringIO
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command

pytestmark = pytest.mark.integration

ENTRAIDE = shutil.which("entraide") or str(Path(sys.executable).parent / "entraide")
ISSUE_EXAMPLE = ["--country", "FR", "--zone", "A", "--from", "2025-09-08", "--to", "2026-07-03", "--sessions", "5", "--length", "half-day"]


def run(*args: str) -> tuple[str, str]:
    out, err = StringIO(), StringIO()
    call_command("plan_year", *args, stdout=out, stderr=err)
    return out.getvalue(), err.getvalue()


def test_json_has_exactly_the_documented_shape():
    out, _err = run(*ISSUE_EXAMPLE, "--json")
    data = json.loads(out)
    assert list(data) == ["sessions"] and len(data["sessions"]) == 5
    for session in data["sessions"]:
        assert list(session) == ["date", "start", "end", "why"]
        date.fromisoformat(session["date"])
        assert (session["start"], session["end"]) == ("09:00", "12:30")
    assert data["sessions"][0]["date"] == "2025-10-07"
    assert data["sessions"][0]["why"].startswith("Mardi, séance 1 sur 5")


def test_weekdays_times_closed_periods_and_language():
    out, _err = run(
        "--country", "CH", "--subdivision", "VD", "--from", "2025-09-01", "--to", "2026-06-30", "--sessions", "7",
        "--length", "evening", "--weekdays", "tue,thu", "--start-time", "18:30",
        "--closed", "2025-10-11:2025-10-26:Vacances d'automne", "--closed", "2025-12-20:2026-01-04",
        "--lang", "de", "--json",
    )
    sessions = json.loads(out)["sessions"]
    assert len(sessions) == 7
    for session in sessions:
        day = date.fromisoformat(session["date"])
        assert day.weekday() in (1, 3)
        assert not date(2025, 10, 11) <= day <= date(2025, 10, 26)
        assert not date(2025, 12, 20) <= day <= date(2026, 1, 4)
        assert (session["start"], session["end"]) == ("18:30", "20:30")
        assert "Koordination" in session["why"]


def test_the_table_lists_sessions_and_the_closures_considered():
    out, _err = run(*ISSUE_EXAMPLE)
    assert "5 séances, demi-journée" in out
    assert "2025-10-07" in out and "09:00–12:30" in out
    assert "2025-10-18 – 2025-11-02  Vacances de la Toussaint (zone A ; sources : vacances-scolaires-france, holidays)" in out
    assert "2026-05-14 – 2026-05-17  Pont de l'Ascension (zone A ; source : holidays)" in out


def test_the_issue_example_never_proposes_the_ascension_bridge():
    """Issue 10: Friday 15 May 2026 is in the Ascension bridge in every zone (holidays has it)."""
    example = ["--country", "FR", "--weekdays", "fri", "--from", "2026-05-11", "--to", "2026-05-22", "--length", "half-day"]
    for zone in "ABC":
        with pytest.raises(CommandError, match="Seulement 1 jour est libre"):
            run(*example, "--zone", zone, "--sessions", "2", "--json")
        out, _err = run(*example, "--zone", zone, "--sessions", "1", "--json")
        [session] = json.loads(out)["sessions"]
        assert session["date"] == "2026-05-22"
        assert f"Pont de l'Ascension (zone {zone} ; source : holidays)" in session["why"]


@pytest.mark.parametrize(
    ("changes", "expected"),
    [
        ({"--zone": "D"}, "A, B ou C"),
        ({"--country": "ZZ"}, "Pays inconnu"),
        ({"--sessions": "cinq"}, "n’est pas un nombre"),
        ({"--sessions": "400"}, "Seulement"),
        ({"--length": "week"}, "half-day"),
        ({"--from": "2025-13-01"}, "AAAA-MM-JJ"),
        ({"--from": "2027-09-06", "--to": "2028-10-01"}, "31 août 2028"),
        ({"--weekdays": "mon,someday"}, "someday"),
        ({"--closed": "2025-10-01"}, "FIRST:LAST"),
        ({"--start-time": "25:00"}, "HH:MM"),
    ],
)
def test_bad_input_raises_a_clear_command_error_and_prints_nothing(changes, expected):
    args = list(ISSUE_EXAMPLE)
    for option, value in changes.items():
        if option in args:
            args[args.index(option) + 1] = value
        else:
            args += [option, value]
    out = StringIO()
    with pytest.raises(CommandError) as raised:
        call_command("plan_year", *args, "--json", stdout=out)
    assert expected in str(raised.value)
    assert out.getvalue() == ""


def test_the_installed_command_prints_json_and_fails_cleanly(tmp_path):
    base = {k: v for k, v in os.environ.items() if k not in ("DATABASE_URL", "REDIS_URL", "DJANGO_SETTINGS_MODULE")}
    env = {**base, "ENTRAIDE_VAR_DIR": str(tmp_path / "var")}
    result = subprocess.run(
        [ENTRAIDE, "plan_year", *ISSUE_EXAMPLE, "--json"], env=env, cwd=tmp_path, capture_output=True, text=True, timeout=120
    )
    assert result.returncode == 0, result.stderr
    data = json.loads(result.stdout)
    assert [s["date"] for s in data["sessions"]] == ["2025-10-07", "2025-12-05", "2026-02-04", "2026-04-03", "2026-06-04"]
    failed = subprocess.run(
        [ENTRAIDE, "plan_year", *ISSUE_EXAMPLE[:3], "E", *ISSUE_EXAMPLE[4:], "--json"],
        env=env, cwd=tmp_path, capture_output=True, text=True, timeout=120,
    )
    assert failed.returncode != 0 and failed.stdout == ""
    assert "Zone scolaire inconnue" in failed.stderr
