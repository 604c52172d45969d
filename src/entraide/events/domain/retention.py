"""Retention: the presenters' questions are kept only until shortly after their event."""

from datetime import timedelta

from django.db import transaction
from django.utils import timezone

from entraide.core import actions
from entraide.core.tenancy import all_tenants

from ..models import Registration

QUESTION_RETENTION_DAYS = 30


def purge_presenter_questions(days: int = QUESTION_RETENTION_DAYS) -> int:
    """Erase the questions of events that took place more than ``days`` days ago; returns how
    many were erased. Names and roles stay (attendance), the content goes.
    Each erased question is logged (``registration.question_purged``, no actor: the system,
    about the registrant's account when there is one), in the sweep's transaction."""
    before = timezone.localdate() - timedelta(days=days)
    with all_tenants(), transaction.atomic():
        due = list(
            Registration.objects.select_for_update(of=("self",))
            .filter(event__date__lt=before, question__isnull=False)
            .select_related("event__organisation")
        )
        for registration in due:
            actions.log(None, "registration.question_purged", registration, subject=registration.user, organisation=registration.event.organisation)
        return Registration.objects.filter(pk__in=[r.pk for r in due]).update(question=None)
