"""Reminders before each due date: a link only, in the author's language, once per plan and date."""

from datetime import timedelta
from io import StringIO

import pytest
from django.core import mail
from django.core.management import call_command

from entraide.community.domain import groups as group_domain
from entraide.core.tenancy import all_tenants
from entraide.followup.domain import plans
from entraide.followup.domain.reminders import send_plan_reminders
from entraide.followup.models import PlanAction, PlanReminder

pytestmark = pytest.mark.django_db


@pytest.fixture
def plan(held, member):
    participant, _secret = held.seat(member)
    return plans.keep_from_session(held.live, participant, member)


def test_reminder_carries_a_link_and_no_content(plan, member, organisation):
    today = group_domain.today()  # the held session's first action is due in 5 days
    assert send_plan_reminders(today, days_before=4) == []
    sent = send_plan_reminders(today, days_before=5)
    assert len(sent) == 1 and len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.to == [member.email]
    body = message.body + message.subject
    assert f"/o/{organisation.slug}/suivi/plans/{plan.pk}/" in body
    for secret in ("Appeler la cheffe", "Relire mes notes", "idée", "Notes condensées", "Échange de pratiques"):
        assert secret not in body
    assert "Bonjour" in message.body  # the member's language (French)


def test_reminders_are_idempotent(plan):
    today = group_domain.today()
    assert len(send_plan_reminders(today, days_before=5)) == 1
    assert send_plan_reminders(today, days_before=5) == []
    out = StringIO()
    call_command("send_plan_reminders", "--days-before", "5", stdout=out)
    assert "0 reminders sent." in out.getvalue()
    assert len(mail.outbox) == 1
    with all_tenants():
        assert PlanReminder.objects.count() == 1


def test_one_email_per_plan_and_date_and_none_for_done_actions(plan):
    today = group_domain.today()
    due = today + timedelta(days=3)
    with all_tenants():
        PlanAction.objects.filter(plan=plan).update(due=due)
    assert len(send_plan_reminders(today, days_before=3)) == 1  # two actions that day: one email
    with all_tenants():
        PlanAction.objects.filter(plan=plan).update(due=due + timedelta(days=1), status=PlanAction.Status.DONE)
    assert send_plan_reminders(today, days_before=4) == []
    assert len(mail.outbox) == 1


def test_reminder_in_the_authors_language(plan, member):
    member.language = "de"
    member.save(update_fields=["language"])
    call_command("send_plan_reminders", "--days-before", "5", stdout=StringIO())
    assert "Aktionsplans ist in den nächsten Tagen fällig" in mail.outbox[0].body


def test_dry_run_sends_and_records_nothing(plan):
    out = StringIO()
    call_command("send_plan_reminders", "--days-before", "5", "--dry-run", stdout=out)
    assert f"would remind user {plan.author_id} of plan {plan.pk}" in out.getvalue()
    assert mail.outbox == []
    with all_tenants():
        assert not PlanReminder.objects.exists()
