"""An event's date and times as every page and email shows them: wall-clock times of the
event's place (``Event.time_zone``), with the zone named when it is not the one the
organisation's pages assume (``events.domain.events.default_time_zone``)."""

from django import template
from django.utils.formats import date_format, time_format
from django.utils.translation import gettext as _

from entraide.web.templatetags.dates import weekday_date

from ..domain.events import default_time_zone
from ..models import Event

register = template.Library()


def shown_zone(event: Event, always: bool = False) -> str:
    """The event's zone name when it must be said (it differs from the organisation's default,
    or ``always``: an email read anywhere), else ""."""
    if always or event.time_zone != default_time_zone(event.organisation):
        return event.time_zone
    return ""


@register.filter
def event_when(event: Event, style: str = "long") -> str:
    """``"samedi 14 mars 2026, 18:00–21:00"`` (style "long", the weekday and the date in the
    active language), ``"14.03.2026, 18:00–21:00"`` (style "short"), followed by
    ``" (heure de America/Toronto)"`` when the zone differs from the organisation's default;
    style "email" always names the zone."""
    day = date_format(event.date, "SHORT_DATE_FORMAT") if style == "short" else weekday_date(event.date)
    times = f"{time_format(event.start, 'H:i')}–{time_format(event.end, 'H:i')}"
    when = f"{day}, {times}"
    zone = shown_zone(event, always=style == "email")
    if zone:
        return _("%(when)s (time in %(zone)s)") % {"when": when, "zone": zone}
    return when


@register.filter
def event_zone(event: Event) -> str:
    """The event's zone name when it differs from the organisation's default, else ""."""
    return shown_zone(event)
