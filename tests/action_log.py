"""Helpers for the tests of the one rule for every write (core.actions): what a write logged."""

from entraide.core.models import ActionLogEntry


def logged(verb: str) -> list[ActionLogEntry]:
    """The rows of ``verb``, oldest first."""
    return list(ActionLogEntry.everywhere.filter(verb=verb).select_related("actor", "subject").order_by("at", "pk"))


def only(verb: str) -> ActionLogEntry:
    """The one row of ``verb`` (fails when there is none or more than one)."""
    rows = logged(verb)
    assert len(rows) == 1, f"{verb}: {len(rows)} rows"
    return rows[0]


def holds_no_content(entry: ActionLogEntry, *texts: str) -> bool:
    """None of ``texts`` (what people wrote: titles, notes, questions, addresses) is in the row."""
    stored = " ".join(str(getattr(entry, field.attname)) for field in ActionLogEntry._meta.fields).casefold()
    return not any(text.casefold() in stored for text in texts)


def count() -> int:
    return ActionLogEntry.everywhere.count()
