"""Action plans: kept from the session by their author, private, shared by the author only,
followed with statuses and notes; bad input changes nothing; someone else's plan is a 404."""

from datetime import timedelta

import pytest
from django.urls import reverse

from entraide.community.domain import groups as group_domain
from entraide.core.tenancy import all_tenants
from entraide.followup.domain import FollowupError, plans
from entraide.followup.models import ActionPlan, PlanAction
from entraide.web.live_views import cookie_name

pytestmark = pytest.mark.django_db


def keep(held, user):
    participant, _secret = held.seat(user)
    return plans.keep_from_session(held.live, participant, user)


def plan_url(organisation, plan, name="web:followup-plan", **extra):
    return reverse(name, kwargs={"org": organisation.slug, "plan": plan.pk, **extra})


def test_keeping_copies_the_action_plan_once(held, member, group):
    plan = keep(held, member)
    again = keep(held, member)
    assert again.pk == plan.pk
    with all_tenants():
        actions = list(PlanAction.objects.filter(plan=plan))
        assert ActionPlan.objects.count() == 1
    assert [a.text for a in actions] == ["Appeler la cheffe de service", "Relire mes notes"]
    assert actions[0].due == group_domain.today() + timedelta(days=5) and actions[1].due is None
    assert all(a.status == PlanAction.Status.TODO for a in actions)
    assert plan.group_id == group.pk and plan.author_id == member.pk
    assert plan.shared_with_group is False  # private by default
    assert plan.ideas == "Une idée qui m'a parlé"


def test_nobody_keeps_a_plan_they_did_not_write(held, colleague):
    participant, _secret = held.seat(colleague)
    with pytest.raises(FollowupError):
        plans.keep_from_session(held.live, participant, colleague)
    with all_tenants():
        assert not ActionPlan.objects.exists()


def test_keep_page_from_the_seat_cookie(client, held, member, organisation):
    participant, secret = held.seat(member)
    client.cookies[cookie_name(held.live)] = secret
    # The ended session's page offers it to the offerer.
    page = client.get(reverse("web:live", kwargs={"code": held.live.join_code}))
    keep_url = reverse("web:followup-keep", kwargs={"code": held.live.join_code})
    assert keep_url in page.content.decode()
    # Without an account: log in first, the seat is kept in its cookie.
    response = client.get(keep_url)
    assert response.status_code == 302 and "/connexion/" in response["Location"]
    client.force_login(member)
    assert client.get(keep_url).status_code == 200
    response = client.post(keep_url)
    with all_tenants():
        plan = ActionPlan.objects.get()
    assert response.status_code == 302 and response["Location"] == plan_url(organisation, plan)
    page = client.get(response["Location"]).content.decode()
    assert "Appeler la cheffe de service" in page


def test_keep_page_needs_the_seat(client, held, colleague):
    client.force_login(colleague)  # an account, but not this seat
    assert client.get(reverse("web:followup-keep", kwargs={"code": held.live.join_code})).status_code == 404


def test_only_the_author_sees_the_plan(client, held, member, colleague, coordinator, facilitator, commissioner, other_coordinator, organisation):
    plan = keep(held, member)
    url = plan_url(organisation, plan)
    for other in (colleague, coordinator, facilitator, commissioner, other_coordinator):
        client.force_login(other)
        response = client.get(url)
        # A commissioner has no plan pages at all (403); everyone else: no such plan (404).
        assert response.status_code == (403 if other == commissioner else 404), other
        assert "Appeler la cheffe" not in response.content.decode()
        # Nor in their own list.
        listing = client.get(reverse("web:followup-plans", kwargs={"org": organisation.slug}))
        assert "Appeler la cheffe" not in listing.content.decode()
    plans.set_shared(plan, True, actor=plan.author)  # shared with the group: still not on the author's pages for others
    client.force_login(colleague)
    assert client.get(url).status_code == 404
    client.force_login(member)
    response = client.get(url)
    assert response.status_code == 200 and "Appeler la cheffe de service" in response.content.decode()


def test_share_and_unshare_by_the_author_only(client, held, member, colleague, organisation):
    plan = keep(held, member)
    share = plan_url(organisation, plan, "web:followup-share")
    client.force_login(colleague)
    assert client.post(share, {"shared": "1"}).status_code == 404
    plan.refresh_from_db()
    assert plan.shared_with_group is False
    client.force_login(member)
    assert client.post(share, {"shared": "1"}).status_code == 302
    plan.refresh_from_db()
    assert plan.shared_with_group is True
    assert "partagé avec le groupe" in client.get(plan_url(organisation, plan)).content.decode()
    client.post(share, {"shared": "0"})
    plan.refresh_from_db()
    assert plan.shared_with_group is False


def test_a_plan_without_group_or_after_leaving_cannot_be_shared(held, member, organisation, group):
    roadmap = plans.create_roadmap(organisation, member, "Pour moi seule")
    with pytest.raises(FollowupError):
        plans.set_shared(roadmap, True, actor=member)
    plan = keep(held, member)
    group_domain.leave_group(group, member)
    with all_tenants():
        group.memberships.filter(user=member).update(left_on=group_domain.today())
    with pytest.raises(FollowupError):
        plans.set_shared(plan, True, actor=plan.author)
    plan.refresh_from_db()
    assert plan.shared_with_group is False


def test_status_changes_and_notes(client, held, member, organisation):
    plan = keep(held, member)
    with all_tenants():
        first = PlanAction.objects.filter(plan=plan).first()
    client.force_login(member)
    url = plan_url(organisation, plan, "web:followup-action", action=first.pk)
    for status in ("doing", "done", "dropped", "todo"):
        assert client.post(url, {"op": "status", "status": status}).status_code == 302
        first.refresh_from_db()
        assert first.status == status
    response = client.post(url, {"op": "update", "text": "Appeler la cheffe de service lundi", "due": "2030-01-15", "status": "done", "notes": "Elle a accepté."})
    assert response.status_code == 302
    first.refresh_from_db()
    assert (first.text, first.due.isoformat(), first.status, first.notes) == ("Appeler la cheffe de service lundi", "2030-01-15", "done", "Elle a accepté.")
    page = client.get(plan_url(organisation, plan)).content.decode()
    assert "Elle a accepté." in page and "fait" in page


@pytest.mark.parametrize(
    "data, message",
    [
        ({"op": "update", "text": "Autre", "due": "15/01/2030", "status": "done", "notes": ""}, "n’est pas une date"),
        ({"op": "update", "text": "   ", "due": "", "status": "done", "notes": ""}, "Le texte est vide"),
        ({"op": "update", "text": "Autre", "due": "", "status": "fini", "notes": ""}, "Statut inconnu"),
        ({"op": "update", "text": "x" * 301, "due": "", "status": "done", "notes": ""}, "trop long"),
        ({"op": "status", "status": "whatever"}, "Statut inconnu"),
    ],
)
def test_bad_input_changes_nothing(client, held, member, organisation, data, message):
    plan = keep(held, member)
    with all_tenants():
        first = PlanAction.objects.filter(plan=plan).first()
    before = (first.text, first.due, first.status, first.notes)
    client.force_login(member)
    response = client.post(plan_url(organisation, plan, "web:followup-action", action=first.pk), data)
    assert response.status_code == 400
    assert message in response.content.decode()
    first.refresh_from_db()
    assert (first.text, first.due, first.status, first.notes) == before


def test_adding_an_action_checks_its_input(client, held, member, organisation):
    plan = keep(held, member)
    client.force_login(member)
    url = plan_url(organisation, plan, "web:followup-add-action")
    response = client.post(url, {"text": "Tester un tour de parole", "due": "demain"})
    assert response.status_code == 400 and "n’est pas une date" in response.content.decode()
    assert 'value="Tester un tour de parole"' in response.content.decode()  # what was typed is not lost
    assert client.post(url, {"text": "", "due": ""}).status_code == 400
    with all_tenants():
        assert PlanAction.objects.filter(plan=plan).count() == 2
    assert client.post(url, {"text": "Tester un tour de parole", "due": "2030-02-01"}).status_code == 302
    with all_tenants():
        assert PlanAction.objects.filter(plan=plan).count() == 3


def test_someone_elses_plan_is_a_404_and_nothing_changes(client, held, member, colleague, organisation):
    plan = keep(held, member)
    with all_tenants():
        first = PlanAction.objects.filter(plan=plan).first()
    client.force_login(colleague)
    for url, data in (
        (plan_url(organisation, plan, "web:followup-action", action=first.pk), {"op": "status", "status": "done"}),
        (plan_url(organisation, plan, "web:followup-action", action=first.pk), {"op": "remove"}),
        (plan_url(organisation, plan, "web:followup-add-action"), {"text": "Intrusion", "due": ""}),
    ):
        assert client.post(url, data).status_code == 404
    with all_tenants():
        assert PlanAction.objects.filter(plan=plan).count() == 2
        first.refresh_from_db()
        assert first.status == "todo"


def test_an_action_of_another_plan_is_a_404(client, held, member, organisation):
    plan = keep(held, member)
    other = plans.create_roadmap(organisation, member, "Ma feuille de route")
    with all_tenants():
        first = PlanAction.objects.filter(plan=plan).first()
    client.force_login(member)
    url = plan_url(organisation, other, "web:followup-action", action=first.pk)
    assert client.post(url, {"op": "status", "status": "done"}).status_code == 404


def test_a_roadmap_between_sessions(client, member, organisation, group):
    client.force_login(member)
    url = reverse("web:followup-plans", kwargs={"org": organisation.slug})
    assert client.post(url, {"title": "", "group": str(group.pk)}).status_code == 400
    response = client.post(url, {"title": "Écoute active", "group": "999999"})
    assert response.status_code == 400 and "Choisissez un de vos groupes" in response.content.decode()
    with all_tenants():
        assert not ActionPlan.objects.exists()
    response = client.post(url, {"title": "Écoute active", "group": str(group.pk)})
    assert response.status_code == 302
    with all_tenants():
        plan = ActionPlan.objects.get()
    assert plan.group_id == group.pk and plan.live_session_id is None and not plan.shared_with_group


def test_commissioners_have_no_plan_pages(client, commissioner, organisation):
    client.force_login(commissioner)
    assert client.get(reverse("web:followup-plans", kwargs={"org": organisation.slug})).status_code == 403
