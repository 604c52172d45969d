"""The caller's own action plans: theirs only (anyone else's is a 404, as on the pages)."""

from django.http import HttpRequest
from ninja import Router

from entraide.core import access
from entraide.followup.domain import plans as plan_domain
from entraide.followup.models import ActionPlan, PlanAction
from entraide.mydata.domain import reads

from .. import schemas
from ..auth import write_token
from .common import get_or_404, limit_param, offset_param, organisation_of, page, responses, scoped

router = Router(tags=["follow-up"])


def _action_out(action: PlanAction) -> dict:
    return {"id": action.pk, "text": action.text, "due": action.due, "status": action.status, "notes": action.notes}


def _plan_out(plan: ActionPlan) -> dict:
    return {
        "id": plan.pk, "title": plan.title, "group_id": plan.group_id, "shared_with_group": plan.shared_with_group,
        "created_at": plan.created_at, "updated_at": plan.updated_at, "actions": [_action_out(a) for a in plan.actions.all()],
    }


def _my_plan(request: HttpRequest, plan_id: int) -> ActionPlan:
    """The caller's own plan, or 404 (``followup.view_plan``: its author only)."""
    plan = ActionPlan.objects.select_related("organisation").filter(organisation=organisation_of(request), pk=plan_id).first()
    if plan is None or not access.can(request.user, "followup.view_plan", plan):
        return get_or_404(ActionPlan.objects.none())
    return plan


@router.get("/plans", response=responses(schemas.PlanPage), summary="My action plans")
def list_plans(request: HttpRequest, limit: int = limit_param(), offset: int = offset_param()):
    """The caller's own plans and roadmaps in the organisation, newest first, with their actions
    (``followup.keep_plans``: members, not commissioners), as "Mes plans d'action"."""
    with scoped(request, "followup.keep_plans") as organisation:
        plans = ActionPlan.objects.filter(organisation=organisation, author=request.user).prefetch_related("actions")
        result = page(plans, limit, offset)
        result["items"] = [_plan_out(p) for p in result["items"]]
    return result


@router.get("/plans/{plan_id}", response=responses(schemas.PlanOut), summary="One of my action plans")
def get_plan(request: HttpRequest, plan_id: int):
    with scoped(request, "followup.keep_plans"):
        plan = _my_plan(request, plan_id)
        reads.plan_read(request.user, plan)  # as the plan's page: its author sees who read it
        return _plan_out(plan)


@router.patch(
    "/plans/{plan_id}/actions/{action_id}", auth=write_token, response=responses(schemas.PlanActionOut),
    summary="Change the status of an action of my plan (write scope)",
)
def set_action_status(request: HttpRequest, plan_id: int, action_id: int, payload: schemas.ActionStatusIn):
    """``status``: todo, doing, done or dropped (``followup.domain.plans.set_status``, as the
    plan's page; an unknown status answers 400). Logged as ``plan.action_status_changed``."""
    with scoped(request, "followup.keep_plans"):
        plan = _my_plan(request, plan_id)
        action = get_or_404(PlanAction.objects.all(), plan=plan, pk=action_id)
        plan_domain.set_status(action, payload.status, actor=request.user)
        return _action_out(action)
