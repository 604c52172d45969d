"""Follow-up pages: "Mes plans d'action" (list, detail, edit, status, share), keeping the plan
of a live session, and the session record shared with the group (page, Markdown, PDF).

Thin: parse, ask ``core.access``, call ``followup.domain``, render. Every action is a plain form
(no JavaScript needed). Someone else's plan is a 404; a refusal re-shows the page with its
message (status 400) and changes nothing.
"""

from django.contrib import messages
from django.contrib.auth.views import redirect_to_login
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from entraide.community.models import GroupSession
from entraide.core import access
from entraide.core.models import Organisation
from entraide.core.tenancy import all_tenants
from entraide.live.domain.opening import seat_for
from entraide.mydata.domain import reads
from entraide.web.live_views import _session_or_none, cookie_name, stranger
from entraide.web.views import organisation_view

from .domain import FollowupError, plans as plan_domain, records
from .models import ActionPlan, PlanAction


def _plan_or_404(request: HttpRequest, organisation: Organisation, plan_id: int) -> ActionPlan:
    plan = ActionPlan.objects.select_related("group", "organisation").filter(organisation=organisation, pk=plan_id).first()
    if plan is None or not access.can(request.user, "followup.view_plan", plan):
        raise Http404
    return plan


def _action_or_404(plan: ActionPlan, action_id: int) -> PlanAction:
    action = PlanAction.objects.filter(plan=plan, pk=action_id).first()
    if action is None:
        raise Http404
    return action


# --- My plans -------------------------------------------------------------------------------


@require_http_methods(["GET", "POST"])
@organisation_view("followup.keep_plans")
def plan_list(request: HttpRequest, organisation: Organisation) -> HttpResponse:
    error = None
    if request.method == "POST":
        try:
            plan = plan_domain.create_roadmap(organisation, request.user, request.POST.get("title"), request.POST.get("group"))
        except FollowupError as refused:
            error = refused.message
        else:
            messages.success(request, _("Your roadmap is created. Add its actions."))
            return redirect("web:followup-plan", org=organisation.slug, plan=plan.pk)
    plans = list(ActionPlan.objects.filter(organisation=organisation, author=request.user).select_related("group").prefetch_related("actions"))
    context = {
        "organisation": organisation,
        "plans": plans,
        "groups": plan_domain.current_group_of(request.user, organisation),
        "records": records.shared_records(request.user, organisation),
        "error": error,
        "posted": request.POST if error else {},
    }
    return render(request, "followup/plan_list.html", context, status=400 if error else 200)


def _detail(request: HttpRequest, organisation: Organisation, plan: ActionPlan, error: str = "", error_action: int | None = None) -> HttpResponse:
    context = {
        "organisation": organisation,
        "plan": plan,
        "actions": list(PlanAction.objects.filter(plan=plan)),
        "statuses": PlanAction.Status.choices,
        "error": error,
        "error_action": error_action,
        "posted": request.POST if error else {},
    }
    return render(request, "followup/plan_detail.html", context, status=400 if error else 200)


@require_GET
@organisation_view("followup.keep_plans")
def plan_detail(request: HttpRequest, organisation: Organisation, plan: int) -> HttpResponse:
    found = _plan_or_404(request, organisation, plan)
    reads.plan_read(request.user, found)  # issue 14: its author sees who read it
    return _detail(request, organisation, found)


@require_POST
@organisation_view("followup.keep_plans")
def plan_add_action(request: HttpRequest, organisation: Organisation, plan: int) -> HttpResponse:
    found = _plan_or_404(request, organisation, plan)
    try:
        plan_domain.add_action(found, request.POST.get("text"), request.POST.get("due"), actor=request.user)
    except FollowupError as refused:
        return _detail(request, organisation, found, refused.message, error_action=0)
    messages.success(request, _("The action is added."))
    return redirect("web:followup-plan", org=organisation.slug, plan=found.pk)


@require_POST
@organisation_view("followup.keep_plans")
def plan_action(request: HttpRequest, organisation: Organisation, plan: int, action: int) -> HttpResponse:
    found = _plan_or_404(request, organisation, plan)
    item = _action_or_404(found, action)
    operation = request.POST.get("op", "update")
    try:
        if operation == "status":
            plan_domain.set_status(item, request.POST.get("status"), actor=request.user)
            messages.success(request, _("Status changed: %(status)s.") % {"status": item.get_status_display()})
        elif operation == "remove":
            plan_domain.remove_action(item, actor=request.user)
            messages.success(request, _("The action is removed."))
        else:
            plan_domain.update_action(
                item, text=request.POST.get("text"), due=request.POST.get("due"), status=request.POST.get("status"), notes=request.POST.get("notes"),
                actor=request.user,
            )
            messages.success(request, _("Saved."))
    except FollowupError as refused:
        return _detail(request, organisation, found, refused.message, error_action=item.pk)
    target = reverse("web:followup-plan", kwargs={"org": organisation.slug, "plan": found.pk})
    return redirect(target if operation == "remove" else f"{target}#action-{action}")


@require_POST
@organisation_view("followup.keep_plans")
def plan_share(request: HttpRequest, organisation: Organisation, plan: int) -> HttpResponse:
    found = _plan_or_404(request, organisation, plan)
    shared = request.POST.get("shared") in ("1", "yes", "true", "on")
    try:
        plan_domain.set_shared(found, shared, actor=request.user)
    except FollowupError as refused:
        return _detail(request, organisation, found, refused.message)
    if shared:
        messages.success(request, _("Your plan is shared with the group: it will come back at the next session."))
    else:
        messages.success(request, _("Your plan is private again: only you see it."))
    return redirect("web:followup-plan", org=organisation.slug, plan=found.pk)


# --- Keeping the action plan of a live session -------------------------------------------


@require_http_methods(["GET", "POST"])
def keep_plan(request: HttpRequest, code: str) -> HttpResponse:
    """The seat (cookie or account) of an ended session keeps its action plan in an account."""
    session = _session_or_none(code)
    participant = None
    if session is not None:
        participant = seat_for(session, user=request.user, secret=request.COOKIES.get(cookie_name(session)))
    if participant is None:
        raise stranger(request)  # the same 404 for a live and a wrong code, counted
    if not request.user.is_authenticated:
        return redirect_to_login(request.get_full_path())
    with all_tenants():
        organisation = Organisation.objects.get(pk=session.organisation_id)
    error = None
    if request.method == "POST":
        try:
            plan = plan_domain.keep_from_session(session, participant, request.user)
        except FollowupError as refused:
            error = refused.message
        else:
            messages.success(request, _("Your action plan is in your space: follow it, and share it with your group if you wish."))
            return redirect("web:followup-plan", org=organisation.slug, plan=plan.pk)
    context = {"organisation": organisation, "session": session, "code": session.join_code, "error": error,
               "keepable": plan_domain.keepable(session, participant)}
    return render(request, "followup/keep_plan.html", context, status=400 if error else 200)


# --- The session record -------------------------------------------------------------------


def _record_or_404(request: HttpRequest, organisation: Organisation, session_id: int):
    group_session = GroupSession.objects.select_related("group", "group__organisation", "live_session", "live_session__protocol_version").filter(
        group__organisation=organisation, pk=session_id
    ).first()
    if group_session is None or group_session.live_session is None:
        raise Http404
    if access.can(request.user, "followup.view_session_record", group_session):
        return group_session, None
    if access.can(request.user, "followup.keep_plans", organisation) and records.is_member_at(request.user, group_session):
        # A member of the group: say that it is not (or no longer) shared, nothing more.
        return group_session, render(request, "followup/record_withdrawn.html", {"organisation": organisation, "group_session": group_session}, status=404)
    raise Http404


@require_GET
@organisation_view("followup.keep_plans")
def record_page(request: HttpRequest, organisation: Organisation, session: int) -> HttpResponse:
    group_session, refusal = _record_or_404(request, organisation, session)
    if refusal is not None:
        return refusal
    reads.session_record_read(request.user, group_session)  # issue 14: the offerer sees who read it
    context = {"organisation": organisation, "record": records.build_record(group_session), "code": group_session.live_session.join_code}
    return render(request, "followup/record.html", context)


@require_GET
@organisation_view("followup.keep_plans")
def record_markdown(request: HttpRequest, organisation: Organisation, session: int) -> HttpResponse:
    group_session, refusal = _record_or_404(request, organisation, session)
    if refusal is not None:
        return refusal
    reads.session_record_read(request.user, group_session)  # issue 14: the offerer sees who read it
    record = records.build_record(group_session)
    response = HttpResponse(records.render_markdown(record, translation.get_language()), content_type="text/markdown; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{record.filename}.md"'
    return response


@require_GET
@organisation_view("followup.keep_plans")
def record_pdf(request: HttpRequest, organisation: Organisation, session: int) -> HttpResponse:
    group_session, refusal = _record_or_404(request, organisation, session)
    if refusal is not None:
        return refusal
    reads.session_record_read(request.user, group_session)  # issue 14: the offerer sees who read it
    record = records.build_record(group_session)
    response = HttpResponse(records.render_pdf(record, translation.get_language()), content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="{record.filename}.pdf"'
    return response
