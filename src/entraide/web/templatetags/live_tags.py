from django import template

from .dates import local_date

register = template.Library()


register.filter("local_date", local_date)  # one rule for dates: templatetags/dates.py


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
