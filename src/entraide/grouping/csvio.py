"""Prepared events as CSV for `entraide form_groups --csv-in/--csv-out`.

Input columns (header row, UTF-8, comma or semicolon): ``key`` and ``role`` (presenter or
participant) are required; ``case`` (a presenter's case key, default: their key), ``preferences``
(case keys, best first, separated by ``|``), ``languages`` (``|``-separated codes), ``community``,
``avoid`` (``|``-separated person keys) and ``language`` (a presenter's table language) are optional.
"""

import csv
import io

from django.utils.translation import gettext

from .model import Case, GroupingImpossible, Person, Tables

REQUIRED = ("key", "role")
KNOWN = REQUIRED + ("case", "preferences", "languages", "community", "avoid", "language")
ROLES = ("presenter", "participant")


def _split(text: str | None) -> list[str]:
    return [part.strip() for part in (text or "").split("|") if part.strip()]


def read_event(text: str) -> tuple[list[Person], list[Case]]:
    """People and cases from the CSV text; raises GroupingImpossible naming the line and column
    of the first problem (missing or unknown column, empty key, unknown role)."""
    sample = text[:2048]
    delimiter = ";" if sample.count(";") > sample.count(",") else ","
    reader = csv.DictReader(io.StringIO(text), delimiter=delimiter)
    columns = [name.strip().lower() for name in (reader.fieldnames or [])]
    missing = [name for name in REQUIRED if name not in columns]
    if missing:
        raise GroupingImpossible("csv_column", lambda: gettext("The CSV file has no “%(column)s” column.") % {"column": missing[0]})
    unknown = [name for name in columns if name not in KNOWN]
    if unknown:
        raise GroupingImpossible("csv_unknown_column", lambda: gettext(
            "The CSV file has an unknown column “%(column)s”; known columns: %(known)s.") % {"column": unknown[0], "known": ", ".join(KNOWN)})
    reader.fieldnames = columns
    people, cases = [], []
    for line, row in enumerate(reader, start=2):
        row = {name: (value or "").strip() for name, value in row.items() if name}
        key, role = row.get("key", ""), row.get("role", "").lower()
        if not key:
            raise GroupingImpossible("csv_key", lambda line=line: gettext("Line %(line)d has no key.") % {"line": line})
        if role not in ROLES:
            raise GroupingImpossible("csv_role", lambda line=line, role=role: gettext(
                "Line %(line)d: the role “%(role)s” is neither presenter nor participant.") % {"line": line, "role": role})
        people.append(Person(key, tuple(_split(row.get("preferences"))), frozenset(_split(row.get("languages"))),
                             row.get("community", ""), frozenset(_split(row.get("avoid")))))
        if role == "presenter":
            cases.append(Case(row.get("case") or key, key, row.get("language", "")))
    return people, cases


def write_tables(tables: Tables) -> str:
    """CSV text: one row per person, ``key,table`` where table is the case key of their table."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(["key", "table"])
    for case, members in zip(tables.cases, tables.tables, strict=True):
        for key in members:
            writer.writerow([key, case])
    return out.getvalue()
