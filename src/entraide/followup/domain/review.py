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


def last_roadmaps(live_session) -> dict[int, dict]:
    """{participant id: their own last roadmap} for the seats of ``live_session`` tied to an
    account: the newest plan of that account in the group the session runs, from before this
    session (kept live or written between sessions), shared or not; each person sees only their
    own (live.domain.activities.roadmap). {"title", "actions": [{"text", "due", "status"}]}. Two
    queries whatever the number of people (three: seats, plans, their actions)."""
    from entraide.followup.models import ActionPlan
    from entraide.live.models import Participant

    with all_tenants():
        group_id = GroupSession.objects.filter(live_session_id=live_session.pk).values_list("group_id", flat=True).first()
        if group_id is None:
            return {}
        seats = dict(
            Participant.objects.filter(session_id=live_session.pk, removed_at__isnull=True, user__isnull=False).values_list("user_id", "pk")
        )
        newest: dict[int, object] = {}
        for plan in (
            ActionPlan.objects.filter(group_id=group_id, author_id__in=list(seats))
            .exclude(live_session_id=live_session.pk)
            .order_by("-created_at", "-pk")
        ):
            newest.setdefault(plan.author_id, plan)
        actions: dict[int, list] = {}
        for action in PlanAction.objects.filter(plan_id__in=[plan.pk for plan in newest.values()]).order_by("position", "pk"):
            actions.setdefault(action.plan_id, []).append(
                {"text": action.text, "due": action.due.isoformat() if action.due else "", "status": action.get_status_display()}
            )
        return {seats[author]: {"title": plan.title, "actions": actions.get(plan.pk, [])} for author, plan in newest.items()}
