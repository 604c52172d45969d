"""Reminders before the due dates of plans: one email per plan and due date, to its author,
in their language, holding a link and nothing else of the plan (no action text, no group
content). Recorded before it is sent (``PlanReminder``), so running it twice sends nothing twice.
"""

from dataclasses import dataclass
from datetime import date, timedelta

from django.db import IntegrityError, transaction
from django.urls import reverse

from entraide.core import actions
from entraide.core.links import site_url
from entraide.core.mail import send_plain_mail
from entraide.core.tenancy import all_tenants

from ..models import ActionPlan, PlanAction, PlanReminder

OPEN_STATUSES = (PlanAction.Status.TODO, PlanAction.Status.DOING)


@dataclass(frozen=True)
class PlanReminderDue:
    plan: ActionPlan
    due: date


def due_plan_reminders(on: date) -> list[PlanReminderDue]:
    """Plans with an open action due ``on`` whose author was not yet reminded of that date."""
    with all_tenants():
        plan_ids = set(PlanAction.objects.filter(due=on, status__in=OPEN_STATUSES, plan__author__is_active=True).values_list("plan_id", flat=True))
        already = set(PlanReminder.objects.filter(plan_id__in=plan_ids, due=on).values_list("plan_id", flat=True))
        plans = ActionPlan.objects.filter(pk__in=plan_ids - already).select_related("author", "organisation").order_by("pk")
        return [PlanReminderDue(plan, on) for plan in plans]


def send_plan_reminder(reminder: PlanReminderDue) -> bool:
    """Record, then send; False when another run already did. A failed send is rolled back."""
    plan = reminder.plan
    user, organisation = plan.author, plan.organisation
    try:
        with all_tenants(), transaction.atomic():
            PlanReminder.objects.create(plan=plan, due=reminder.due)
            # A system write (the reminders' command): no actor, about the plan's author. The
            # mail goes inside the transaction on purpose: a failed send leaves no record.
            actions.log(None, "plan.reminder_sent", plan, subject=user, organisation=organisation)
            send_plain_mail(
                user.email,
                user.language or organisation.language,
                "followup/email/reminder.txt",
                {
                    "name": user.display_name,
                    "organisation": organisation.name,
                    "link": site_url() + reverse("web:followup-plan", kwargs={"org": organisation.slug, "plan": plan.pk}),
                },
                subject_template="followup/email/reminder_subject.txt",
            )
    except IntegrityError:
        return False
    return True


def send_plan_reminders(today: date, days_before: int = 2, dry_run: bool = False) -> list[PlanReminderDue]:
    due = due_plan_reminders(today + timedelta(days=days_before))
    if dry_run:
        return due
    return [reminder for reminder in due if send_plan_reminder(reminder)]
