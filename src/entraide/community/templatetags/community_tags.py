from django import template

from ..models import Attendance, GroupSession

register = template.Library()


@register.filter
def attendance_label(value: str) -> str:
    return Attendance.Status(value).label if value in Attendance.Status.values else ""


@register.filter
def session_status_label(value: str) -> str:
    return GroupSession.Status(value).label if value in GroupSession.Status.values else ""


@register.filter
def get_item(mapping, key):
    return mapping.get(key) if mapping else None
