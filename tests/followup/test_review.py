"""The review step of the next session shows the plans members of the same group shared."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from entraide.core.tenancy import all_tenants
from entraide.followup.domain import plans
from entraide.followup.domain.review import shared_plans
from entraide.followup.models import ActionPlan, PlanAction
from entraide.web.live_views import cookie_name

from .conftest import hold_session, make_group, review_session

pytestmark = pytest.mark.django_db


def kept(held, user, share=True):
    participant, _secret = held.seat(user)
    plan = plans.keep_from_session(held.live, participant, user)
    if share:
        plans.set_shared(plan, True, actor=plan.author)
    return plan


def page(client, live, seat_secret, view):
    client.cookies[cookie_name(live)] = seat_secret
    names = {"console": "web:live-console", "projector": "web:live-projector", "participant": "web:live"}
    response = client.get(reverse(names[view], kwargs={"code": live.join_code}))
    assert response.status_code == 200
    return response.content.decode()


def test_shared_plan_comes_back_at_the_next_session(client, held, member, group, coordinator, facilitator):
    plan = kept(held, member)
    with all_tenants():
        first = PlanAction.objects.filter(plan=plan).first()
    plans.set_status(first, "done", actor=first.plan.author)
    _gs, live, seat = review_session(group, coordinator, facilitator)
    console = page(client, live, seat.secret, "console")
    assert "Plans partagés par les membres" in console
    assert member.display_name in console and "Appeler la cheffe de service" in console and "fait" in console
    assert "Relire mes notes" in console and "à faire" in console
    projector = page(client, live, seat.secret, "projector")
    assert "Appeler la cheffe de service" in projector
    # A participant joining by code sees it too.
    from entraide.live.domain.opening import join

    joined = join(live, "Invitée")
    participant_view = page(client, live, joined.secret, "participant")
    assert "Appeler la cheffe de service" in participant_view and "fait" in participant_view


def test_unshared_plans_and_other_groups_stay_out(client, held, member, colleague, group, coordinator, facilitator, organisation, make_member):
    kept(held, member, share=False)
    outsider = make_member(7)
    elsewhere = make_group(organisation, coordinator, "Autre groupe", [outsider])
    other_held = hold_session(elsewhere, coordinator, facilitator, outsider, actions=[("Action du groupe voisin", "")])
    kept(other_held, outsider)
    _gs, live, seat = review_session(group, coordinator, facilitator)
    console = page(client, live, seat.secret, "console")
    assert "Appeler la cheffe" not in console and "Action du groupe voisin" not in console
    assert "Aucun·e membre n'a partagé de plan" in console
    # Once shared, it appears; unshared again, it goes.
    with all_tenants():
        plan = ActionPlan.objects.get(author=member)
    plans.set_shared(plan, True, actor=plan.author)
    assert "Appeler la cheffe" in page(client, live, seat.secret, "console")
    plans.set_shared(plan, False, actor=plan.author)
    assert "Appeler la cheffe" not in page(client, live, seat.secret, "console")
    # The other group's own next session shows its own plan only.
    _gs2, other_live, other_seat = review_session(elsewhere, coordinator, facilitator, days=1)
    other_console = page(client, other_live, other_seat.secret, "console")
    assert "Action du groupe voisin" in other_console and "Appeler la cheffe" not in other_console


def test_a_plan_of_someone_who_left_the_group_is_not_shown(held, member, group, coordinator, facilitator):
    kept(held, member)
    with all_tenants():
        from entraide.community.domain import groups as group_domain

        group.memberships.filter(user=member).update(left_on=group_domain.today())
    _gs, live, _seat = review_session(group, coordinator, facilitator, days=1)
    assert shared_plans(live.pk) == []


def _plans_for(group, coordinator, member, count):
    with all_tenants():
        for number in range(count):
            plan = ActionPlan.objects.create(organisation=group.organisation, author=member, group=group, title=f"Plan {number}", shared_with_group=True)
            PlanAction.objects.bulk_create([PlanAction(plan=plan, text=f"Action {number}.{i}", position=i) for i in range(3)])


def test_one_query_whatever_the_number_of_plans(client, group, coordinator, facilitator, member):
    _gs, live, seat = review_session(group, coordinator, facilitator)
    page(client, live, seat.secret, "console")  # per-process caches (the parsed protocol) warmed
    counts = {}
    for total in (3, 15):
        with all_tenants():
            ActionPlan.objects.all().delete()
        _plans_for(group, coordinator, member, total)
        with CaptureQueriesContext(connection) as direct:
            found = shared_plans(live.pk)
        assert len(found) == total and len(direct.captured_queries) == 1
        with CaptureQueriesContext(connection) as rendered:
            html = page(client, live, seat.secret, "console")
        assert f"Action {total - 1}.2" in html
        counts[total] = len(rendered.captured_queries)
    assert counts[3] == counts[15]
