"""Dates in the active language's own format, for every template (and the live state's ISO
strings): never "2026-12-06", never a French word order in German."""

from datetime import date

from django import template
from django.utils.formats import date_format
from django.utils.translation import get_language

register = template.Library()

# How a weekday joins the date in each language: "dimanche 6 décembre 2026",
# "Sonntag, 6. Dezember 2026", "Sunday, Dec. 6, 2026".
WEEKDAY_SEPARATOR = {"fr": " ", "de": ", ", "en": ", "}


def _as_date(value) -> date | None:
    if isinstance(value, str):
        try:
            return date.fromisoformat(value)
        except ValueError:
            return None
    return value if isinstance(value, date) else None


@register.filter
def local_date(value) -> str:
    """A date (or an ISO string such as the live state carries) in the language's DATE_FORMAT;
    anything unreadable as it is."""
    day = _as_date(value)
    if day is None:
        return "" if value is None else str(value)
    return date_format(day, "DATE_FORMAT")


@register.filter
def weekday_date(value) -> str:
    """The weekday and the date, in the language's order and punctuation."""
    day = _as_date(value)
    if day is None:
        return "" if value is None else str(value)
    separator = WEEKDAY_SEPARATOR.get((get_language() or "fr")[:2], ", ")
    return f"{date_format(day, 'l')}{separator}{date_format(day, 'DATE_FORMAT')}"
