"""Issue 10 in follow-up: roadmap titles are one line, plans and actions are created once, and
the record and plan pages say the group's name once."""

import pytest
from django.urls import reverse

from entraide.core.tenancy import all_tenants
from entraide.followup.domain import FollowupError, plans
from entraide.followup.domain.headings import not_repeated
from entraide.followup.models import ActionPlan, PlanAction

pytestmark = pytest.mark.django_db

ONE_LINE_FR = "Ce champ doit tenir sur une seule ligne"


def _plans(user) -> list[ActionPlan]:
    with all_tenants():
        return list(ActionPlan.objects.filter(author=user))


@pytest.mark.parametrize("title", ["Essayer\nautre chose", "Essayer\x0c", "Essayer\u2028"])
def test_a_roadmap_title_with_a_control_character_is_refused_and_nothing_saved(organisation, member, title):
    with pytest.raises(FollowupError, match=ONE_LINE_FR):
        plans.create_roadmap(organisation, member, title)
    assert _plans(member) == []


def test_posting_the_roadmap_form_twice_creates_one_plan(client, organisation, member):
    client.force_login(member)
    url = reverse("web:followup-plans", kwargs={"org": organisation.slug})
    first = client.post(url, {"title": "Oser dire non", "group": ""})
    second = client.post(url, {"title": "Oser dire non ", "group": ""})
    assert first.status_code == second.status_code == 302 and first["Location"] == second["Location"]
    assert len(_plans(member)) == 1


def test_the_roadmap_form_says_the_message(client, organisation, member):
    client.force_login(member)
    response = client.post(reverse("web:followup-plans", kwargs={"org": organisation.slug}), {"title": "Oser\ndire non"})
    assert response.status_code == 400 and ONE_LINE_FR in response.content.decode()
    assert _plans(member) == []


def test_posting_the_same_action_twice_adds_it_once(client, organisation, member):
    plan = plans.create_roadmap(organisation, member, "Oser dire non")
    client.force_login(member)
    url = reverse("web:followup-add-action", kwargs={"org": organisation.slug, "plan": plan.pk})
    for _attempt in range(2):
        client.post(url, {"text": "Refuser une réunion", "due": "2030-01-15"})
    client.post(url, {"text": "Refuser une réunion", "due": ""})  # another due date: another action
    with all_tenants():
        assert PlanAction.objects.filter(plan=plan).count() == 2


def test_not_repeated_keeps_what_the_heading_does_not_say():
    assert not_repeated("Groupe d'Anne, séance 3", ["groupe d'anne", "", None, "12 mars 2026"]) == ["12 mars 2026"]
    assert not_repeated("", ["Codéveloppement", "Groupe d'Anne", "Groupe d'Anne", "12 mars"]) == ["Codéveloppement", "Groupe d'Anne", "12 mars"]


def test_the_record_page_prints_the_group_name_once(client, held, member, organisation):
    client.force_login(member)
    page = client.get(reverse("web:followup-record", kwargs={"org": organisation.slug, "session": held.group_session.pk}))
    assert page.status_code == 200
    main = page.content.decode().split('id="content"', 1)[-1].split("<footer", 1)[0]
    assert main.count("Échange de pratiques") == 1, main


def test_a_plan_kept_from_a_group_session_prints_the_group_name_once(client, held, member, organisation):
    participant, _secret = held.seat(member)
    plan = plans.keep_from_session(held.live, participant, member)
    assert "Échange de pratiques" in plan.title and plan.group_label == ""
    client.force_login(member)
    html = client.get(reverse("web:followup-plan", kwargs={"org": organisation.slug, "plan": plan.pk})).content.decode()
    heading = html.split("<h1", 1)[1].split("</p>", 1)[0]  # the title and the line under it
    assert heading.count("Échange de pratiques") == 1, heading
    html = client.get(reverse("web:followup-plans", kwargs={"org": organisation.slug})).content.decode()
    item = html.split(plan.title, 1)[1].split("</li>", 1)[0]  # the line under the plan's title
    assert "Échange de pratiques" not in item, item
    roadmap = plans.create_roadmap(organisation, member, "Oser dire non", group_id=held.group_session.group_id)
    assert roadmap.group_label == "Échange de pratiques"
