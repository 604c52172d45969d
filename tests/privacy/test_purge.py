"""``entraide purge_expired``: exactly what is past retention, per kind; idempotent; the counts
reports need stay (issue 14, point 5: "the purge is idempotent and leaves counts")."""

import io
import json

import pytest
from django.core.management import CommandError, call_command

from entraide.community.models import Attendance
from entraide.core.models import ActionLogEntry
from entraide.core.tenancy import all_tenants, tenant_scope
from entraide.followup.models import ActionPlan
from entraide.grants.models import Receipt
from entraide.live.models import Consent, Idea, LiveSession, LiveTable, Participant, PrivateNote, Problem
from entraide.network.models import SupervisionRequest
from entraide.privacy import retention
from entraide.privacy.models import RetentionSetting
from entraide.programmes.domain import reports
from entraide.programmes.models import Answer, ReportRelease

pytestmark = pytest.mark.django_db

KEYS = ["live_content", "private_notes", "session_records", "action_plans", "network_requests", "receipts", "questionnaire_answers"]


def _run(*args) -> dict:
    out = io.StringIO()
    call_command("purge_expired", "--json", *args, stdout=out)
    return json.loads(out.getvalue())


def _snapshot(world) -> dict:
    with all_tenants():
        return {
            "problems": {s: Problem.objects.filter(session=s).count() for s in (world.old_session.pk, world.new_session.pk)},
            "ideas": {s: Idea.objects.filter(session=s).count() for s in (world.old_session.pk, world.new_session.pk)},
            "notes": {s: PrivateNote.objects.filter(session=s).count() for s in (world.old_session.pk, world.new_session.pk)},
            "records": {s: LiveTable.objects.filter(session=s, record__isnull=False).count() for s in (world.old_session.pk, world.new_session.pk)},
            "plans": set(ActionPlan.objects.values_list("pk", flat=True)),
            "requests": set(SupervisionRequest.objects.values_list("pk", flat=True)),
            "receipts_purged": set(Receipt.objects.filter(purged_at__isnull=False).values_list("pk", flat=True)),
            "answers": {q.pk: Answer.objects.filter(questionnaire=q).count() for q in world.questionnaires.values()},
        }


def test_the_table_has_every_kind_with_words_and_a_purge():
    assert [kind.key for kind in retention.KINDS] == KEYS
    for kind in retention.KINDS:
        assert str(kind.label) and str(kind.what) and str(kind.who_sees) and kind.default_days >= kind.minimum_days >= 1
    assert retention.BY_KEY["receipts"].default_days == round(365.25 * 10)


def test_the_purge_removes_exactly_what_is_expired_and_is_idempotent(world, organisation):
    old, new = world.old_session.pk, world.new_session.pk
    with all_tenants():
        attendance_before = Attendance.objects.count()
        participants_before = Participant.objects.filter(session__in=[old, new]).count()

    first = _run()
    assert first == {
        "live_content": 1,  # the old session's problem
        "private_notes": 1,
        "session_records": 2,  # the old session's record and its idea (the record shows its harvest)
        "action_plans": 1,
        "network_requests": 1,
        "receipts": 1,
        "questionnaire_answers": 18,  # 6 respondents × (overall, rhythm, comment)
    }

    after = _snapshot(world)
    assert after["problems"] == {old: 0, new: 1} and after["ideas"] == {old: 0, new: 1}
    assert after["notes"] == {old: 0, new: 1}
    assert after["records"] == {old: 0, new: 1}
    assert after["plans"] == {world.new_plan.pk}
    assert after["requests"] == {world.requests["recent"].pk, world.requests["open"].pk}
    assert after["receipts_purged"] == {world.receipts["old"].pk}
    assert after["answers"][world.questionnaires["old"].pk] == 0 and after["answers"][world.questionnaires["recent"].pk] > 0

    # What reports need stays: sessions, participants, consents, attendance, receipt rows.
    with all_tenants():
        assert LiveSession.objects.filter(pk__in=[old, new]).count() == 2
        assert Participant.objects.filter(session__in=[old, new]).count() == participants_before
        assert Consent.objects.filter(session=old).count() == 1
        assert Attendance.objects.count() == attendance_before
        assert Receipt.objects.filter(pk=world.receipts["old"].pk).exists()

    # Idempotent: a second run deletes nothing and changes nothing.
    log_rows = ActionLogEntry.everywhere.filter(verb__endswith=".purged").count()
    assert _run() == dict.fromkeys(KEYS, 0)
    assert _snapshot(world) == after
    assert ActionLogEntry.everywhere.filter(verb__endswith=".purged").count() == log_rows


def test_each_deletion_is_logged_without_actor(world, organisation):
    _run()
    rows = ActionLogEntry.everywhere.filter(verb__endswith=".purged")
    verbs = set(rows.values_list("verb", flat=True))
    assert verbs == {"live_content.purged", "private_notes.purged", "session_record.purged", "action_plan.purged",
                     "supervision_request.purged", "receipt.purged", "questionnaire_answers.purged"}
    assert not rows.filter(actor__isnull=False).exists()
    assert set(rows.values_list("organisation", flat=True)) == {organisation.pk}


def test_a_questionnaire_report_keeps_its_released_counts_after_the_purge(world, organisation):
    questionnaire = world.questionnaires["old"]
    with tenant_scope(organisation):
        assert not ReportRelease.objects.filter(key=f"questionnaire:{questionnaire.pk}").exists()
        before = reports.questionnaire_report(questionnaire, record=False)
    _run()
    with tenant_scope(organisation):
        release = ReportRelease.objects.get(key=f"questionnaire:{questionnaire.pk}")
        assert release.respondents == 6
        questionnaire.refresh_from_db()
        assert questionnaire.respondents == 6
        after = reports.questionnaire_report(questionnaire, record=True)
        assert after.shown and after.respondents == 6
        assert [(q.key, q.breakdown.respondents.value) for q in after.questions] == [(q.key, q.breakdown.respondents.value) for q in before.questions]
        assert ReportRelease.objects.filter(key=f"questionnaire:{questionnaire.pk}").count() == 1


def test_dry_run_counts_and_deletes_nothing(world):
    before = _snapshot(world)
    due = _run("--dry-run")
    assert set(due) == set(KEYS) and all(isinstance(count, int) for count in due.values())
    assert due["action_plans"] == 1 and due["receipts"] == 1 and due["network_requests"] == 1
    assert _snapshot(world) == before
    assert not ActionLogEntry.everywhere.filter(verb__endswith=".purged").exists()
    assert _run() == due


def test_an_organisation_setting_overrides_the_default(world, organisation, coordinator):
    retention.set_retention(coordinator, organisation, "live_content", 3)
    counts = _run("--organisation", organisation.slug)
    assert counts["live_content"] == 2  # both sessions' problems now (ideas go with the record)
    with all_tenants():
        assert not Problem.objects.exists()
        assert RetentionSetting.objects.get().days == 3


def test_only_the_organisation_named_is_purged(world, organisation, other_organisation):
    assert _run("--organisation", other_organisation.slug) == dict.fromkeys(KEYS, 0)
    with pytest.raises(CommandError):
        _run("--organisation", "nulle-part")


def test_the_text_output_names_each_kind():
    out = io.StringIO()
    call_command("purge_expired", "--dry-run", stdout=out)
    assert out.getvalue().splitlines() == [f"{key}: 0 due" for key in KEYS]
