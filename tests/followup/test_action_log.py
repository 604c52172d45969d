"""Follow-up writes follow the one rule (core.actions.write): the author only, one log row about
them with a clear verb and never the plan's texts; a refusal logs and changes nothing."""

import pytest
from django.http import Http404
from django.urls import reverse

from entraide.core.tenancy import all_tenants
from entraide.followup.domain import FollowupError, plans
from entraide.followup.models import ActionPlan, PlanAction

from ..action_log import count, holds_no_content, logged, only

pytestmark = pytest.mark.django_db

TITLE = "Dire non à ma cheffe sans me justifier"
ACTION = "Refuser la réunion du lundi"


def test_a_roadmap_is_logged_once_about_its_author_without_its_title(organisation, member):
    plan = plans.create_roadmap(organisation, member, TITLE)
    plans.create_roadmap(organisation, member, TITLE)  # the same form posted twice
    entry = only("plan.created")
    assert (entry.actor, entry.subject, entry.organisation) == (member, member, organisation)
    assert (entry.object_type, entry.object_id) == ("followup.actionplan", str(plan.pk))
    assert holds_no_content(entry, TITLE, "cheffe")


def test_following_a_plan_logs_each_change_without_the_texts(organisation, member):
    plan = plans.create_roadmap(organisation, member, TITLE)
    action = plans.add_action(plan, ACTION, "2030-01-15", actor=member)
    plans.add_action(plan, ACTION, "2030-01-15", actor=member)  # twice: added and logged once
    plans.update_action(action, text=ACTION, due="", status="doing", notes="Je l'ai dit à Paul", actor=member)
    plans.set_status(action, "done", actor=member)
    plans.remove_action(action, actor=member)
    for verb in ("plan.action_added", "plan.action_changed", "plan.action_status_changed", "plan.action_removed"):
        entry = only(verb)
        assert (entry.actor, entry.subject, entry.object_id) == (member, member, str(plan.pk)), verb
        assert holds_no_content(entry, ACTION, "Paul"), verb


def test_someone_else_gets_a_404_and_nothing_is_logged_or_changed(organisation, member, coordinator):
    plan = plans.create_roadmap(organisation, member, TITLE)
    action = plans.add_action(plan, ACTION, "", actor=member)
    before = count()
    with pytest.raises(Http404):
        plans.add_action(plan, "Autre chose", "", actor=coordinator)
    with pytest.raises(Http404):
        plans.set_status(action, "done", actor=coordinator)
    with pytest.raises(Http404):
        plans.set_shared(plan, False, actor=coordinator)
    assert count() == before
    with all_tenants():
        assert [(a.text, a.status) for a in PlanAction.objects.filter(plan=plan)] == [(ACTION, "todo")]


def test_a_refused_change_logs_and_changes_nothing(organisation, member):
    plan = plans.create_roadmap(organisation, member, TITLE)  # no group: nobody to share with
    action = plans.add_action(plan, ACTION, "", actor=member)
    before = count()
    with pytest.raises(FollowupError) as refused:
        plans.set_shared(plan, True, actor=member)
    assert refused.value.code == "no_group"
    with pytest.raises(FollowupError):
        plans.update_action(action, text="", due="", status="done", notes="", actor=member)
    with pytest.raises(FollowupError):
        plans.set_status(action, "finished?", actor=member)
    assert count() == before and not logged("plan.shared")
    with all_tenants():
        assert not ActionPlan.objects.get(pk=plan.pk).shared_with_group
        assert PlanAction.objects.get(pk=action.pk).status == "todo"


def test_the_pages_log_what_the_author_does(client, organisation, member):
    client.force_login(member)
    client.post(reverse("web:followup-plans", kwargs={"org": organisation.slug}), {"title": TITLE, "group": ""})
    plan = only("plan.created")
    client.post(reverse("web:followup-add-action", kwargs={"org": organisation.slug, "plan": plan.object_id}), {"text": ACTION, "due": ""})
    assert only("plan.action_added").actor == member


def test_keeping_the_plan_of_a_live_session_is_logged_once(held, member):
    participant, _secret = held.seat(member)
    plans.keep_from_session(held.live, participant, member)
    plans.keep_from_session(held.live, participant, member)
    assert only("plan.kept").subject == member
