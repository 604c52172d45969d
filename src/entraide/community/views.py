"""Community pages: groups, yearly plan, attendance, rotation, members, invitations, "Mon espace".

Thin: parse, ask ``core.access``, call ``community.domain``, render. Every action is a plain
form (no JavaScript needed); a domain refusal re-shows the page with its message, nothing changed.
"""

import logging

from django.contrib import messages
from django.contrib.auth import login
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _, ngettext
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from entraide.core import access
from entraide.core.models import Membership, Organisation, Role
from entraide.core.tenancy import tenant_scope
from entraide.events.domain.events import upcoming_for_member
from entraide.live.domain.opening import format_code, running_sessions_of
from entraide.planning.domain.planner import Length, PlanRequest, SchoolHolidays, describe_closures
from entraide.protocols.domain import library
from entraide.protocols.models import Protocol
from entraide.web.live_views import _with_cookie
from entraide.programmes.domain.questionnaires import open_for as open_questionnaires_for
from entraide.web import domain_errors
from entraide.web.views import organisation_view

from . import forms as community_forms
from .domain import CommunityError
from .domain import calendars, groups as group_domain, members as member_domain, sessions as session_domain
from .domain.charter import charter_points
from .domain.commitment import group_commitment, visible_commitment
from .domain.mail import send_invitation
from .models import (
    ROTATION_PROTOCOL,
    Attendance,
    CalendarToken,
    CharterAcceptance,
    Group,
    GroupMembership,
    GroupSession,
    Invitation,
    MemberProfile,
    Unavailability,
    WaitingListEntry,
)

logger = logging.getLogger(__name__)


def _group_or_404(organisation: Organisation, group_id: int) -> Group:
    return get_object_or_404(Group.objects.select_related("organisation"), organisation=organisation, pk=group_id)


def _session_or_404(group: Group, session_id: int) -> GroupSession:
    session = get_object_or_404(GroupSession.objects.select_related("group", "group__organisation"), group=group, pk=session_id)
    return session


def _protocol_choices(user) -> list[tuple[str, str]]:
    choices = {}
    for protocol in library.visible_protocols(user):
        choices.setdefault(protocol.key, str(protocol.spec.title))
    return sorted(choices.items(), key=lambda item: item[1])


def _protocol_titles(organisation: Organisation) -> dict[str, str]:
    titles = {}
    for protocol in Protocol.objects.filter(current__isnull=False).select_related("current").order_by("organisation_id"):
        titles.setdefault(protocol.key, str(protocol.spec.title))
    return titles


def _length_choices() -> list[tuple[str, str]]:
    return [(str(member.value), str(getattr(member, "label", member.name))) for member in Length]


def _school_holiday_choices() -> list[tuple[str, str]]:
    return [(choice.value, str(choice.label)) for choice in SchoolHolidays]


def _length(value: str):
    for member in Length:
        if str(member.value) == value:
            return member
    raise Http404


def _calendar_url(request: HttpRequest, token: CalendarToken | None) -> str | None:
    if token is None:
        return None
    return request.build_absolute_uri(reverse("web:community-calendar-feed", kwargs={"token": token.token}))


# --- Groups -------------------------------------------------------------------------------


@require_GET
@organisation_view("community.view_groups")
def group_list(request: HttpRequest, organisation: Organisation) -> HttpResponse:
    groups = group_domain.groups_with_counts(organisation)
    mine = set(GroupMembership.objects.filter(group__in=groups, user=request.user, left_on__isnull=True).values_list("group_id", flat=True))
    waiting = set(
        WaitingListEntry.objects.filter(group__in=groups, user=request.user, promoted_at__isnull=True, withdrawn_at__isnull=True).values_list(
            "group_id", flat=True
        )
    )
    return render(
        request,
        "community/group_list.html",
        {
            "organisation": organisation,
            "groups": groups,
            "mine": mine,
            "waiting": waiting,
            "titles": _protocol_titles(organisation),
            "can_manage": access.can(request.user, "community.manage_groups", organisation),
        },
    )


def _possible_facilitators(organisation: Organisation) -> list:
    return [
        m.user
        for m in Membership.objects.filter(organisation=organisation, role__in=[Role.COORDINATOR, Role.FACILITATOR])
        .select_related("user")
        .order_by("user__display_name")
    ]


def _group_data(form: community_forms.GroupForm) -> group_domain.GroupData:
    data = form.cleaned_data
    return group_domain.GroupData(
        name=data["name"], capacity=data["capacity"], description=data["description"], protocol_key=data["protocol_key"],
        charter=data["charter"], location=data["location"], online=data["online"], time_zone=data["time_zone"],
    )


@require_http_methods(["GET", "POST"])
@organisation_view("community.manage_groups")
def group_create(request: HttpRequest, organisation: Organisation) -> HttpResponse:
    form = community_forms.GroupForm(
        request.POST or None, protocols=_protocol_choices(request.user), facilitators=_possible_facilitators(organisation),
        initial={"protocol_key": "analyse-des-pratiques"},
    )
    if request.method == "POST" and form.is_valid():
        try:
            group = group_domain.create_group(organisation, _group_data(form), request.user)
        except CommunityError as error:
            domain_errors.add_to_form(form, error)
        else:
            group_domain.set_facilitators(group, form.cleaned_data["facilitators"], request.user)
            messages.success(request, _("The group “%(name)s” was created. Now plan its year.") % {"name": group.name})
            return redirect("web:community-group", org=organisation.slug, group=group.pk)
    return render(request, "community/group_form.html", {"organisation": organisation, "form": form, "group": None}, status=400 if form.errors else 200)


@require_http_methods(["GET", "POST"])
@organisation_view("community.manage_groups")
def group_edit(request: HttpRequest, organisation: Organisation, group: int) -> HttpResponse:
    group = _group_or_404(organisation, group)
    initial = {name: getattr(group, name) for name in ("name", "description", "protocol_key", "capacity", "location", "online", "time_zone", "charter")}
    initial["facilitators"] = list(group.facilitators.values_list("pk", flat=True))
    form = community_forms.GroupForm(
        request.POST or None, protocols=_protocol_choices(request.user), facilitators=_possible_facilitators(organisation), initial=initial
    )
    if request.method == "POST" and form.is_valid():
        try:
            group_domain.update_group(group, _group_data(form), request.user)
        except CommunityError as error:
            domain_errors.add_to_form(form, error)
        else:
            group_domain.set_facilitators(group, form.cleaned_data["facilitators"], request.user)
            messages.success(request, _("The group was saved."))
            return redirect("web:community-group", org=organisation.slug, group=group.pk)
    return render(request, "community/group_form.html", {"organisation": organisation, "form": form, "group": group}, status=400 if form.errors else 200)


def _group_context(request: HttpRequest, organisation: Organisation, group: Group) -> dict:
    """Everything the group page shows, in a fixed number of queries whatever the group's size."""
    user = request.user
    can_people = access.can(user, "community.view_people", group)
    can_numbers = access.can(user, "community.view_attendance_numbers", group)
    today = group_domain.today()
    sessions = list(
        GroupSession.objects.filter(group=group).select_related("group", "facilitator", "live_session").order_by("date", "start", "pk")
    )
    numbered = session_domain.numbered(sessions)
    memberships = list(GroupMembership.objects.filter(group=group).select_related("user").order_by("joined_at", "pk"))
    current = [m for m in memberships if m.left_on is None]
    mine = next((m for m in current if m.user_id == user.pk), None)
    waiting = list(
        WaitingListEntry.objects.filter(group=group, promoted_at__isnull=True, withdrawn_at__isnull=True).select_related("user")
    )
    my_position = next((index for index, entry in enumerate(waiting, start=1) if entry.user_id == user.pk), None)
    accepted = {
        user_id: charter_hash
        for user_id, charter_hash in CharterAcceptance.objects.filter(group=group).order_by("accepted_at").values_list("user_id", "charter_hash")
    }
    my_unavailable = set(Unavailability.objects.filter(session__group=group, user=user).values_list("session_id", flat=True))
    my_attendance = dict(Attendance.objects.filter(session__group=group, user=user).values_list("session_id", "status"))
    context = {
        "organisation": organisation,
        "group": group,
        "protocol_title": _protocol_titles(organisation).get(group.protocol_key, group.protocol_key),
        "group_facilitators": list(group.facilitators.order_by("display_name")),
        "sessions": numbered,
        "today": today,
        "next_session": next((s for s in sessions if s.date >= today and s.status != GroupSession.Status.CANCELLED), None),
        "member_count": len(current),
        "free_places": max(group.capacity - len(current), 0),
        "waiting_count": len(waiting),
        "my_membership": mine,
        "my_next_session": next(
            (s for s in sessions if mine and s.date >= max(today, mine.joined_on) and s.status != GroupSession.Status.CANCELLED), None
        ),
        "my_position": my_position,
        "my_charter": accepted.get(user.pk) == group.charter_hash,
        "my_unavailable": my_unavailable,
        "my_attendance": my_attendance,
        "can_join": access.can(user, "community.join_group", group),
        "can_manage": access.can(user, "community.manage_groups", group),
        "can_people": can_people,
        "can_numbers": can_numbers,
        "can_attendance": access.can(user, "community.take_attendance", group),
        # Only its facilitator starts or enters a session's live run (coordinators see it runs).
        "live_runnable": {s.pk for s in sessions if access.can(user, "community.run_live", s)},
        "charter_points": charter_points(),
        # Brouillons d'ateliers: members facilitate in turn (and declare when they cannot).
        "rotation": group.protocol_key == ROTATION_PROTOCOL or any(s.facilitator_id for s in sessions),
    }
    if can_numbers:
        # A commissioner sees no figure below k (issue 14): "1 / 1" would name the one.
        visible = visible_commitment(user, group, today)
        context["group_stats"] = visible.group
        context["session_stats"] = visible.per_session
        if visible.withheld:
            context["stats_withheld"] = True
        if can_people:
            profiles = {p.user_id: p for p in MemberProfile.objects.filter(organisation=organisation, user_id__in=[m.user_id for m in memberships])}
            context["members"] = [
                {"membership": m, "profile": profiles.get(m.user_id), "stats": visible.per_member.get(m.user_id), "charter": m.user_id in accepted}
                for m in current
            ]
            context["former"] = [m for m in memberships if m.left_on is not None]
            context["waiting"] = waiting
    if context["rotation"] and access.can(user, "live.view_debrief_count", group):
        from entraide.live.domain.activities.debrief import answer_count

        # That each debrief took place and how many answered, never what (DESIGN.md).
        context["debrief_counts"] = {s.pk: answer_count(s.live_session_id) for s in sessions if s.live_session_id}
    context["planned_themes"] = _planned_themes(sessions)
    context["may_plan_theme"] = {s.pk for s in sessions if s.live_session_id is None and s.date >= today and access.can(user, "themes.plan_theme", s)}
    if context["can_manage"]:
        context["calendar_url"] = _calendar_url(request, calendars.active_token(organisation, group=group))
    return context


def _planned_themes(sessions) -> dict:
    """{group session id: theme title} of the themes planned in advance; one query."""
    from entraide.themes.models import PlannedTheme

    return dict(PlannedTheme.objects.filter(group_session__in=list(sessions)).values_list("group_session_id", "theme__title"))


@require_GET
@organisation_view("community.view_groups")
def group_detail(request: HttpRequest, organisation: Organisation, group: int) -> HttpResponse:
    group = _group_or_404(organisation, group)
    return render(request, "community/group_detail.html", _group_context(request, organisation, group))


@require_POST
@organisation_view("community.join_group")
def group_join(request: HttpRequest, organisation: Organisation, group: int) -> HttpResponse:
    group = _group_or_404(organisation, group)
    try:
        result = group_domain.join_group(group, request.user)
    except CommunityError as error:
        domain_errors.add_to_messages(request, error)
    else:
        if result.joined:
            messages.success(request, _("You are registered. Welcome to the group!"))
        else:
            messages.success(request, _("The group is full: you are on the waiting list, in position %(position)d. You will join as soon as a place frees up.") % {"position": result.waiting_position})
    return redirect("web:community-group", org=organisation.slug, group=group.pk)


@require_POST
@organisation_view("community.view_groups")
def group_leave(request: HttpRequest, organisation: Organisation, group: int) -> HttpResponse:
    group = _group_or_404(organisation, group)
    try:
        group_domain.leave_group(group, request.user)
    except CommunityError as error:
        domain_errors.add_to_messages(request, error)
    else:
        messages.success(request, _("Your departure is recorded; it takes effect from the next session. Thank you for your participation."))
    return redirect("web:community-group", org=organisation.slug, group=group.pk)


@require_http_methods(["GET", "POST"])
@organisation_view("community.join_group")
def group_charter(request: HttpRequest, organisation: Organisation, group: int) -> HttpResponse:
    group = _group_or_404(organisation, group)
    form = community_forms.CharterForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        group_domain.accept_charter(group, request.user)
        messages.success(request, _("Thank you: you have accepted the group's charter."))
        return redirect("web:community-group", org=organisation.slug, group=group.pk)
    accepted = group_domain.has_accepted_charter(group, request.user, current_only=True)
    return render(
        request, "community/charter.html", {"organisation": organisation, "group": group, "form": form, "accepted": accepted},
        status=400 if form.errors else 200,
    )


# --- The yearly plan ----------------------------------------------------------------------


def _plan_request(form: community_forms.PlanForm, group: Group) -> PlanRequest:
    data = form.cleaned_data
    return PlanRequest(
        start=data["first"], end=data["last"], sessions=data["sessions"], length=_length(data["length"]),
        country=data["country"], subdivision=data["subdivision"].strip().upper() or None, zone=data["zone"] or None,
        weekdays=frozenset(data["weekdays"]), closed_periods=data["closed"],
        start_time=data["start_time"], end_time=data["end_time"],
        school_holidays=SchoolHolidays(data["school_holidays"] or SchoolHolidays.OFFICIAL),
    )


@require_http_methods(["GET", "POST"])
@organisation_view("community.manage_groups")
def group_plan(request: HttpRequest, organisation: Organisation, group: int) -> HttpResponse:
    """GET with the form's answers: the proposed dates and why (changes nothing).
    POST the same answers: the sessions are created in one go, or none with a message."""
    group = _group_or_404(organisation, group)
    data = request.POST if request.method == "POST" else (request.GET if "first" in request.GET else None)
    form = community_forms.PlanForm(
        data, lengths=_length_choices(), school_holidays=_school_holiday_choices(),
        initial={"zone": "A", "country": organisation.country or "FR", "school_holidays": SchoolHolidays.OFFICIAL.value},
    )
    create_form = community_forms.CreateSessionsForm(request.POST or None, initial={"place": group.location})
    proposal = closures = error = None
    if form.is_valid():
        plan = _plan_request(form, group)
        try:
            if request.method == "POST" and create_form.is_valid():
                created = session_domain.plan_group_year(group, plan, request.user, place=create_form.cleaned_data["place"])
                messages.success(request, ngettext("%(count)d session was created.", "%(count)d sessions were created.", len(created)) % {"count": len(created)})
                return redirect("web:community-group", org=organisation.slug, group=group.pk)
            proposal = session_domain.propose_year(group, plan)
            closures = describe_closures(plan)
        except CommunityError as failure:
            error = failure.message
    query = request.GET.urlencode() if request.method == "GET" else request.POST.urlencode()
    return render(
        request,
        "community/group_plan.html",
        {
            "organisation": organisation, "group": group, "form": form, "create_form": create_form,
            "proposal": proposal, "closures": closures, "error": error, "query": query,
        },
        status=400 if (error or form.errors) and data is not None else 200,
    )


@require_POST
@organisation_view("community.manage_groups")
def group_rotation(request: HttpRequest, organisation: Organisation, group: int) -> HttpResponse:
    group = _group_or_404(organisation, group)
    try:
        schedule = session_domain.assign_rotation(group, request.user)
    except CommunityError as error:
        domain_errors.add_to_messages(request, error)
    else:
        messages.success(request, ngettext(
                "Rotation set: %(count)d session, facilitated by a member.",
                "Rotation set: %(count)d sessions, each facilitated in turn by a member.",
                len(schedule),
            ) % {"count": len(schedule)})
    return redirect("web:community-group", org=organisation.slug, group=group.pk)


@require_POST
@organisation_view("community.manage_groups")
def group_calendar(request: HttpRequest, organisation: Organisation, group: int) -> HttpResponse:
    group = _group_or_404(organisation, group)
    if request.POST.get("action") == "revoke":
        calendars.revoke_token(organisation, request.user, group=group)
        messages.success(request, _("The calendar address no longer works."))
    else:
        calendars.regenerate_token(organisation, request.user, group=group)
        messages.success(request, _("A new calendar address was made; the previous one no longer works."))
    return redirect(reverse("web:community-group", kwargs={"org": organisation.slug, "group": group.pk}) + "#calendar")


# --- Sessions -----------------------------------------------------------------------------


@require_http_methods(["GET", "POST"])
@organisation_view("community.take_attendance")
def session_attendance(request: HttpRequest, organisation: Organisation, group: int, session: int) -> HttpResponse:
    group = _group_or_404(organisation, group)
    session = _session_or_404(group, session)
    sheet = session_domain.attendance_sheet(session)
    memberships = [membership for membership, _status in sheet]
    recorded = {membership.user_id: status for membership, status in sheet if status}
    accepted = set(CharterAcceptance.objects.filter(group=group).values_list("user_id", flat=True))
    error = None
    if request.method == "POST":
        statuses = {}
        for membership in memberships:
            value = request.POST.get(f"status-{membership.user_id}", "")
            if value:
                statuses[membership.user] = value
        try:
            session_domain.record_attendance(session, statuses, request.user)
        except CommunityError as failure:
            error = failure.message
            recorded.update({user.pk: value for user, value in statuses.items()})
        else:
            messages.success(request, _("Attendance saved."))
            return redirect("web:community-group", org=organisation.slug, group=group.pk)
    return render(
        request,
        "community/attendance.html",
        {
            "organisation": organisation, "group": group, "session": session, "number": session_domain.session_number(session),
            "rows": [{"user": m.user, "status": recorded.get(m.user_id, ""), "charter": m.user_id in accepted} for m in memberships],
            "choices": Attendance.Status.choices, "error": error,
        },
        status=400 if error else 200,
    )


@require_POST
@organisation_view("community.join_group")
def session_excuse(request: HttpRequest, organisation: Organisation, group: int, session: int) -> HttpResponse:
    group = _group_or_404(organisation, group)
    session = _session_or_404(group, session)
    excused = request.POST.get("excused") == "1"
    try:
        session_domain.excuse_myself(session, request.user, excused)
    except CommunityError as error:
        domain_errors.add_to_messages(request, error)
    else:
        messages.success(request, _("Noted: you are excused for this session.") if excused else _("Noted: you will come to this session."))
    back = request.POST.get("next", "")
    if not url_has_allowed_host_and_scheme(back, allowed_hosts={request.get_host()}, require_https=request.is_secure()):
        back = reverse("web:community-group", kwargs={"org": organisation.slug, "group": group.pk})
    return redirect(back)


@require_POST
@organisation_view("community.join_group")
def session_unavailable(request: HttpRequest, organisation: Organisation, group: int, session: int) -> HttpResponse:
    group = _group_or_404(organisation, group)
    session = _session_or_404(group, session)
    unavailable = request.POST.get("unavailable") == "1"
    try:
        session_domain.set_unavailable(session, request.user, unavailable)
    except CommunityError as error:
        domain_errors.add_to_messages(request, error)
    else:
        messages.success(request, _("Your availability for this session is noted."))
    return redirect(reverse("web:community-group", kwargs={"org": organisation.slug, "group": group.pk}) + "#sessions")


@require_POST
@organisation_view("community.manage_groups")
def session_status(request: HttpRequest, organisation: Organisation, group: int, session: int) -> HttpResponse:
    group = _group_or_404(organisation, group)
    session = _session_or_404(group, session)
    cancel = request.POST.get("status") == GroupSession.Status.CANCELLED
    try:
        session_domain.set_session_status(session, GroupSession.Status.CANCELLED if cancel else GroupSession.Status.PLANNED, request.user)
    except CommunityError as error:
        domain_errors.add_to_messages(request, error)
    else:
        messages.success(request, _("The session was cancelled; its members see it in their calendar.") if cancel else _("The session is planned again."))
    return redirect(reverse("web:community-group", kwargs={"org": organisation.slug, "group": group.pk}) + "#sessions")


@require_POST
@organisation_view("community.view_groups")
def session_live(request: HttpRequest, organisation: Organisation, group: int, session: int) -> HttpResponse:
    group = _group_or_404(organisation, group)
    session = _session_or_404(group, session)
    try:
        live, seat = session_domain.open_live(session, request.user)
    except CommunityError as error:
        domain_errors.add_to_messages(request, error)
        return redirect("web:community-group", org=organisation.slug, group=group.pk)
    response = redirect("web:live-console", code=live.join_code)
    return _with_cookie(response, live, seat.secret if seat else None)


# --- Members and invitations --------------------------------------------------------------


@require_http_methods(["GET", "POST"])
@organisation_view("community.manage_groups")
def member_list(request: HttpRequest, organisation: Organisation) -> HttpResponse:
    groups = list(Group.objects.filter(organisation=organisation))
    form = community_forms.InviteForm(
        request.POST or None, groups=groups, initial={"language": organisation.language, "group": request.GET.get("groupe", "")}
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            new = member_domain.invite(organisation, data["email"], data["role"], request.user, group=data["group"], language=data["language"])
        except CommunityError as error:
            domain_errors.add_to_form(form, error)
        else:
            try:
                send_invitation(new.invitation, new.token, base_url=request.build_absolute_uri("/"))
            except OSError:
                logger.warning("invitation %s not sent", new.invitation.pk, exc_info=True)
                messages.error(request, _("The email could not be sent to %(email)s. Check the address, then invite again.") % {"email": new.invitation.email})
            else:
                if new.resent:
                    messages.success(
                        request,
                        _("%(email)s already had an invitation: it was sent again, and the earlier link no longer works.")
                        % {"email": new.invitation.email},
                    )
                else:
                    messages.success(request, _("The invitation was sent to %(email)s.") % {"email": new.invitation.email})
            return redirect("web:community-members", org=organisation.slug)
    people = member_domain.directory(organisation)
    invitations = list(Invitation.objects.filter(organisation=organisation, accepted_at__isnull=True).select_related("group")[:50])
    return render(
        request,
        "community/member_list.html",
        {
            "organisation": organisation, "form": form,
            "people": [{"membership": m, "profile": profile} for m, profile in people],
            "invitations": invitations,
            "roles": Role.choices,
        },
        status=400 if form.errors else 200,
    )


@require_POST
@organisation_view("community.manage_groups")
def member_role(request: HttpRequest, organisation: Organisation, user: int) -> HttpResponse:
    person = get_object_or_404(Membership.objects.select_related("user"), organisation=organisation, user_id=user).user
    try:
        member_domain.change_role(organisation, person, request.POST.get("role", ""), request.user)
    except CommunityError as error:
        domain_errors.add_to_messages(request, error)
    else:
        messages.success(request, _("The role of %(name)s was changed.") % {"name": person.display_name})
    return redirect("web:community-members", org=organisation.slug)


@require_http_methods(["GET", "POST"])
def invitation(request: HttpRequest, token: str) -> HttpResponse:
    """The link of the invitation email: the token is the secret, no login needed to accept."""
    found = member_domain.invitation_for_token(token)
    problem = None
    try:
        member_domain.check_usable(found)
    except CommunityError as error:
        problem = error.message
    has_account = found is not None and member_domain.account_exists(found)
    form = community_forms.AcceptInvitationForm(request.POST or None) if not has_account else None
    error = None
    if request.method == "POST" and problem is None:
        valid = form is None or form.is_valid()
        if valid:
            try:
                account = member_domain.accept_invitation(
                    token,
                    display_name=form.cleaned_data["display_name"] if form else "",
                    password=form.cleaned_data["password"] if form else "",
                    user=request.user if request.user.is_authenticated else None,
                )
            except CommunityError as failure:
                error = failure.message
            else:
                if not request.user.is_authenticated:
                    login(request, account, backend="django.contrib.auth.backends.ModelBackend")
                messages.success(request, _("Welcome to %(organisation)s!") % {"organisation": found.organisation.name})
                if found.group_id:
                    return redirect("web:community-group", org=found.organisation.slug, group=found.group_id)
                return redirect("web:community-me", org=found.organisation.slug)
    return render(
        request,
        "community/invitation.html",
        {"invitation": found if problem is None else None, "problem": problem, "form": form, "error": error, "has_account": has_account},
        status=404 if found is None else (400 if error or problem or (form is not None and form.errors) else 200),
    )


# --- Mon espace ---------------------------------------------------------------------------


def _my_debriefs(user, facilitated: list[GroupSession]) -> dict:
    """{live session id: ReadDebrief} of the debriefs this member owns among the sessions they
    facilitated, once their live session has ended (the answers are read after the session)."""
    from entraide.live.domain.activities import debrief as debrief_activity
    from entraide.live.models import LiveSession

    ended = [s.live_session_id for s in facilitated if s.live_session_id and s.live_session.status == LiveSession.Status.ENDED]
    if not ended:
        return {}
    return {
        session_id: debrief_activity.answers_for(setup, user)
        for session_id, setup in debrief_activity.debriefs_of(user, ended).items()
        if access.can(user, "live.read_debrief", setup)
    }


def _my_network(user, organisation: Organisation):
    """The network section of "Mon espace" (network app): supervision calls, requests, mentoring
    and the sections other apps register; None for a commissioner (who takes no part)."""
    from entraide.network.domain.overview import overview

    return overview(user, organisation) if access.can(user, "network.take_part", organisation) else None


@require_GET
@organisation_view("community.view_groups")
def me(request: HttpRequest, organisation: Organisation) -> HttpResponse:
    user = request.user
    today = group_domain.today()
    spans = list(GroupMembership.objects.filter(user=user).select_related("group").order_by("joined_at"))
    group_ids = {span.group_id for span in spans}
    all_sessions = list(
        GroupSession.objects.filter(group_id__in=group_ids).select_related("group", "facilitator", "live_session").order_by("date", "start", "pk")
    )
    numbers = {}
    by_group: dict[int, list[GroupSession]] = {}
    for session in all_sessions:
        by_group.setdefault(session.group_id, []).append(session)
    for sessions in by_group.values():
        numbers.update({session.pk: number for number, session in session_domain.numbered(sessions)})
    mine = [s for s in all_sessions if any(span.group_id == s.group_id and span.covers(s.date) for span in spans)]
    attendance = dict(Attendance.objects.filter(session__in=mine, user=user).values_list("session_id", "status"))
    accepted = set(CharterAcceptance.objects.filter(user=user, group_id__in=group_ids).values_list("group_id", "charter_hash"))
    current = [span for span in spans if span.left_on is None]
    waiting = list(
        WaitingListEntry.objects.filter(user=user, promoted_at__isnull=True, withdrawn_at__isnull=True).select_related("group")
    )
    positions = {}
    for entry in waiting:
        positions[entry.group_id] = group_domain.waiting_position(entry.group, user)
    profile = MemberProfile.objects.filter(organisation=organisation, user=user).first()
    profile_form = community_forms.ProfileForm(
        initial={
            "display_name": user.display_name,
            "profession": profile.profession if profile else "",
            "structure": profile.structure if profile else "",
            "languages": profile.languages if profile else "",
        }
    )
    facilitated = [s for s in all_sessions if s.facilitator_id == user.pk]
    debriefs = _my_debriefs(user, facilitated)
    my_counts = {}
    for span in spans:
        if span.group_id not in my_counts:
            my_counts[span.group_id] = group_commitment(span.group, today).per_member.get(user.pk)
    role = access.role_in(user, organisation)
    return render(
        request,
        "community/me.html",
        {
            "organisation": organisation,
            "role_label": Role(role).label if role else "",
            "current": [
                {"span": span, "charter": (span.group_id, span.group.charter_hash) in accepted, "counts": my_counts.get(span.group_id)}
                for span in current
            ],
            "former": [span for span in spans if span.left_on is not None],
            "waiting": [{"entry": entry, "position": positions[entry.group_id]} for entry in waiting],
            "upcoming": [
                {
                    "session": s, "number": numbers[s.pk], "status": attendance.get(s.pk, ""),
                    # Brouillons: the member whose turn it is opens (or re-enters) the live run here.
                    "can_run": s.facilitator_id == user.pk and not (s.live_session_id and s.live_session.status == "ended")
                    and access.can(user, "community.run_live", s),
                }
                for s in mine if s.date >= today and s.status != GroupSession.Status.CANCELLED
            ],
            "past": [{"session": s, "number": numbers[s.pk], "status": attendance.get(s.pk, "")} for s in mine if s.date < today],
            "facilitated": [
                {
                    "session": s, "number": numbers[s.pk],
                    "code": format_code(s.live_session.join_code) if s.live_session else None,
                    "debrief": debriefs.get(s.live_session_id),
                }
                for s in facilitated
            ],
            "profile_form": profile_form,
            "calendar_url": _calendar_url(request, calendars.active_token(organisation, user=user)),
            "today": today,
            "can_join": access.can(user, "community.join_group", organisation),
            "member_events": upcoming_for_member(organisation, user),
            "running": running_sessions_of(user, organisation),
            "network": _my_network(user, organisation),
            # Evaluation questionnaires this person may still answer (issue 14): their own link.
            "questionnaires": open_questionnaires_for(user, organisation),
        },
    )


@require_POST
@organisation_view("community.view_groups")
def me_profile(request: HttpRequest, organisation: Organisation) -> HttpResponse:
    form = community_forms.ProfileForm(request.POST)
    if form.is_valid():
        data = form.cleaned_data
        try:
            member_domain.update_profile(organisation, request.user, data["profession"], data["structure"], data["languages"], display_name=data["display_name"])
        except CommunityError as error:
            domain_errors.add_to_messages(request, error)
        else:
            messages.success(request, _("Your profile was saved."))
    else:
        for errors in form.errors.values():
            for error in errors:
                messages.error(request, error)
    return redirect(reverse("web:community-me", kwargs={"org": organisation.slug}) + "#profile")


@require_POST
@organisation_view("community.view_groups")
def me_calendar(request: HttpRequest, organisation: Organisation) -> HttpResponse:
    if request.POST.get("action") == "revoke":
        calendars.revoke_token(organisation, request.user, user=request.user)
        messages.success(request, _("The calendar address no longer works."))
    else:
        calendars.regenerate_token(organisation, request.user, user=request.user)
        messages.success(request, _("A new calendar address was made; the previous one no longer works."))
    return redirect(reverse("web:community-me", kwargs={"org": organisation.slug}) + "#calendar")


@require_GET
def calendar_feed(request: HttpRequest, token: str) -> HttpResponse:
    """The iCalendar feed behind a secret address: no login (calendar apps cannot log in)."""
    found = calendars.token_or_none(token)
    if found is None:
        raise Http404
    host = request.get_host().split(":")[0]
    with tenant_scope(found.organisation):
        if found.group_id:
            body = calendars.group_feed(found.group, host)
        else:
            body = calendars.member_feed(found.organisation, found.user, host)
    response = HttpResponse(body, content_type="text/calendar; charset=utf-8")
    response["X-Robots-Tag"] = "noindex"
    return response

