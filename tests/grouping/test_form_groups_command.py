"""`entraide form_groups`: the JSON shape, CSV in and out, errors on stderr with a non-zero exit."""

import json
from io import StringIO

import pytest
from django.core.management import CommandError, call_command

pytestmark = pytest.mark.integration

EVENT = """key,role,case,preferences,languages,community,avoid
p1,presenter,caseA,,fr,a,
p2,presenter,caseB,,fr,b,
x1,participant,,caseA|caseB,fr,a,x2
x2,participant,,caseA,fr,b,
x3,participant,,caseB|caseA,,c,
x4,participant,,caseB,de|fr,a,
"""


def run(*args):
    out, err = StringIO(), StringIO()
    call_command("form_groups", *args, stdout=out, stderr=err)
    return out.getvalue(), err.getvalue()


def test_kirkman_json_shape():
    out, _err = run("--participants", "15", "--size", "3", "--rounds", "7", "--json", "--time-limit", "1")
    data = json.loads(out)
    assert list(data) == ["rounds", "repeats", "seconds"]
    assert data["repeats"] == 0 and len(data["rounds"]) == 7
    for tables in data["rounds"]:
        assert sorted(p for t in tables for p in t) == list(range(1, 16))
        assert all(len(t) == 3 for t in tables)


def test_text_output_lists_rounds():
    out, _err = run("--participants", "9", "--size", "3", "--rounds", "2", "--time-limit", "0.5")
    assert out.count("Tour") == 2 and "Rencontres répétées : 0" in out


def test_csv_in_and_out(tmp_path):
    source = tmp_path / "event.csv"
    source.write_text(EVENT, encoding="utf-8")
    target = tmp_path / "tables.csv"
    _out, err = run("--csv-in", str(source), "--csv-out", str(target), "--json", "--time-limit", "0.5")
    rows = [line.split(",") for line in target.read_text().splitlines()]
    assert rows[0] == ["key", "table"]
    table = {key: case for key, case in rows[1:]}
    assert set(table) == {"p1", "p2", "x1", "x2", "x3", "x4"}
    assert table["p1"] == "caseA" and table["p2"] == "caseB"
    assert table["x1"] != table["x2"]  # avoid
    assert json.loads(err)["participants"] == 4


@pytest.mark.parametrize(
    ("args", "expected"),
    [
        (["--csv-in", "/nonexistent/event.csv"], "Impossible de lire"),
        (["--participants", "7", "--size", "1"], "au moins 2"),
        ([], "--participants"),
        (["--participants", "7", "--size", "3", "--time-limit", "-1"], "entre 0 et 3600"),
    ],
)
def test_errors_are_command_errors(args, expected):
    with pytest.raises(CommandError) as caught:
        run(*args)
    assert expected in str(caught.value)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("key,role,colour\np1,presenter,red\n", "colonne inconnue"),
        ("name,role\np1,presenter\n", "« key »"),
        ("key,role\np1,host\n", "Ligne 2"),
        ("key,role\np1,presenter\nx1,participant\nx2,participant\nx3,participant\n", "au moins"),
    ],
)
def test_bad_csv_says_what_is_wrong(tmp_path, text, expected):
    source = tmp_path / "event.csv"
    source.write_text(text, encoding="utf-8")
    target = tmp_path / "out.csv"
    with pytest.raises(CommandError) as caught:
        run("--csv-in", str(source), "--csv-out", str(target), "--min-size", "5")
    assert expected in str(caught.value)
    assert not target.exists()
