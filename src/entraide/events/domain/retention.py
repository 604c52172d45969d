"""Retention: the presenters' questions are kept only until shortly after their event."""

from datetime import timedelta

from django.utils import timezone

from entraide.core.tenancy import all_tenants

from ..models import Registration

QUESTION_RETENTION_DAYS = 30


def purge_presenter_questions(days: int = QUESTION_RETENTION_DAYS) -> int:
    """Erase the questions of events that took place more than ``days`` days ago; returns how
    many were erased. Names and roles stay (attendance), the content goes."""
    before = timezone.localdate() - timedelta(days=days)
    with all_tenants():
        return Registration.objects.filter(event__date__lt=before, question__isnull=False).update(question=None)
