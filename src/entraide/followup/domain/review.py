"""The review of roadmaps at the next session of a group (field documents 003, 004).

A live session opened from a group's session shows, at its ``review_roadmaps`` step, the plans
that members of that group shared with it: the author's name, the actions and their status.
Nothing unshared, nothing from another group, nothing from this very session; loaded in one
query whatever the number of plans.
"""

from dataclasses import dataclass, field

from django.db.models import Exists, OuterRef, Q, Subquery

from entraide.community.models import GroupMembership, GroupSession

from entraide.core.tenancy import all_tenants

from ..models import PlanAction


@dataclass
class ReviewedAction:
    text: str
    due: object
    status: str
    status_label: str
    notes: str


@dataclass
class ReviewedPlan:
    author: str
    title: str
    actions: list[ReviewedAction] = field(default_factory=list)


def shared_plans(live_session_id: int) -> list[ReviewedPlan]:
    with all_tenants():
        group_session = GroupSession.objects.filter(live_session_id=live_session_id)
        day = Subquery(group_session.values("date")[:1])
        member_that_day = GroupMembership.objects.filter(
            group_id=OuterRef("plan__group_id"), user_id=OuterRef("plan__author_id"), joined_on__lte=day
        ).filter(Q(left_on__isnull=True) | Q(left_on__gt=day))
        rows = (
            PlanAction.objects.filter(
                Exists(member_that_day),
                plan__shared_with_group=True,
                plan__group_id=Subquery(group_session.values("group_id")[:1]),
                plan__author__is_active=True,
            )
            .exclude(plan__live_session_id=live_session_id)
            .select_related("plan", "plan__author")
            .order_by("plan__author__display_name", "plan__created_at", "plan_id", "position", "pk")
        )
        plans: dict[int, ReviewedPlan] = {}
        for row in rows:
            plan = plans.get(row.plan_id)
            if plan is None:
                plan = plans[row.plan_id] = ReviewedPlan(author=row.plan.author.display_name, title=row.plan.title)
            plan.actions.append(ReviewedAction(row.text, row.due, row.status, row.get_status_display(), row.notes))
    return list(plans.values())
