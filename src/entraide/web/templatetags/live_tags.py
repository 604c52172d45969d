from datetime import date

from django import template
from django.utils.formats import date_format

register = template.Library()


@register.filter
def local_date(value) -> str:
    """A date (or the ISO string the live state carries, "2026-12-06") in the active language's
    DATE_FORMAT ("6 décembre 2026", "6. Dezember 2026"); anything unreadable as is."""
    if isinstance(value, str):
        try:
            value = date.fromisoformat(value)
        except ValueError:
            return value
    if not isinstance(value, date):
        return "" if value is None else str(value)
    return date_format(value, "DATE_FORMAT")


@register.filter
def clock(seconds) -> str:
    """Seconds as m:ss, with a minus sign when over time."""
    try:
        value = int(seconds)
    except (TypeError, ValueError):
        return ""
    sign = "−" if value < 0 else ""
    minutes, rest = divmod(abs(value), 60)
    return f"{sign}{minutes}:{rest:02d}"


@register.filter
def lookup(mapping, key):
    if not mapping:
        return None
    return mapping.get(str(key))


@register.filter
def problem_text(problems, problem_id) -> str:
    for problem in problems or ():
        if problem["id"] == problem_id:
            return problem["text"]
    return ""


@register.filter
def my_problem(live) -> str:
    for problem in live.get("problems") or ():
        if problem["mine"]:
            return problem["text"]
    return ""
