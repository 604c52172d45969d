"""Pages of the themes library, and choosing a live session's thematic input."""

import uuid

from django.conf import settings
from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import get_language, gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from entraide.core import access
from entraide.core.models import Organisation
from entraide.core.tenancy import tenant_scope
from entraide.live.domain import commands
from entraide.live.domain.opening import seat_for
from entraide.live.models import LiveRole, LiveSession
from entraide.web import domain_errors
from entraide.web.live_views import _session_or_none, cookie_name, stranger
from entraide.web.views import organisation_view

from .domain.library import (
    LANGUAGE_CODES,
    ThemeError,
    plan_theme,
    planned_theme_of,
    copy_theme,
    create_theme,
    theme_for_session,
    update_theme,
    visible_themes,
)
from .forms import ThemeForm
from .models import Theme


def _language(request: HttpRequest) -> str:
    wanted = request.GET.get("langue") or get_language()
    return wanted if wanted in LANGUAGE_CODES else "fr"


def _theme_or_404(organisation: Organisation, pk: int) -> Theme:
    theme = Theme.objects.filter(pk=pk).first()  # inside the scope: own themes and built-ins
    if theme is None:
        raise Http404
    return theme


@require_http_methods(["GET"])
@organisation_view("core.view_organisation")
def theme_library(request: HttpRequest, organisation: Organisation) -> HttpResponse:
    language = _language(request)
    themes = visible_themes(organisation, language)
    return render(request, "themes/library.html", {
        "organisation": organisation,
        "language": language,
        "language_choices": settings.LANGUAGES,
        "own": [t for t in themes if not t.is_builtin],
        "builtins": [t for t in themes if t.is_builtin],
        "can_manage": access.can(request.user, "themes.manage_themes", organisation),
    })


@require_http_methods(["GET"])
@organisation_view("core.view_organisation")
def theme_detail(request: HttpRequest, organisation: Organisation, pk: int) -> HttpResponse:
    theme = _theme_or_404(organisation, pk)
    return render(request, "themes/detail.html", {
        "organisation": organisation,
        "theme": theme,
        "can_copy": access.can(request.user, "themes.manage_themes", organisation),
        "can_change": access.can(request.user, "themes.change_theme", theme),
    })


def _form_page(request, organisation, form, theme=None, status=200):
    return render(request, "themes/form.html", {"organisation": organisation, "form": form, "theme": theme}, status=status)


@require_http_methods(["GET", "POST"])
@organisation_view("themes.manage_themes")
def theme_create(request: HttpRequest, organisation: Organisation) -> HttpResponse:
    if request.method == "POST":
        form = ThemeForm(request.POST)
        if form.is_valid():
            try:
                theme = create_theme(organisation, request.user, form.theme_data())
            except ThemeError as refused:
                domain_errors.add_to_form(form, refused)
            else:
                messages.success(request, _("The theme is saved."))
                return redirect(theme.url_in(organisation))
        return _form_page(request, organisation, form, status=400)
    return _form_page(request, organisation, ThemeForm(initial={"language": _language(request)}))


@require_POST
@organisation_view("themes.manage_themes")
def theme_copy(request: HttpRequest, organisation: Organisation, pk: int) -> HttpResponse:
    theme = _theme_or_404(organisation, pk)
    try:
        copy = copy_theme(theme, organisation, request.user)
    except ThemeError as refused:
        domain_errors.add_to_messages(request, refused)
        return redirect(theme.url_in(organisation))
    messages.success(request, _("The theme was copied into %(organisation)s. You can now adapt it.") % {"organisation": organisation.name})
    return redirect(copy.url_in(organisation, "edit"))


@require_http_methods(["GET", "POST"])
@organisation_view("themes.manage_themes")
def theme_edit(request: HttpRequest, organisation: Organisation, pk: int) -> HttpResponse:
    theme = _theme_or_404(organisation, pk)
    access.require(request.user, "themes.change_theme", theme)
    if request.method == "POST":
        form = ThemeForm(request.POST)
        if form.is_valid():
            try:
                update_theme(theme, request.user, form.theme_data())
            except ThemeError as refused:
                domain_errors.add_to_form(form, refused)
            else:
                messages.success(request, _("The theme is saved."))
                return redirect(theme.url_in(organisation))
        return _form_page(request, organisation, form, theme, status=400)
    return _form_page(request, organisation, ThemeForm(initial=ThemeForm.initial_for(theme)), theme)


# --- The thematic input of a live session --------------------------------------------------


def _console_seat(request: HttpRequest, session: LiveSession):
    """The viewer's seat (``seat_for``: this device's cookie or their account) when it holds the
    console; attaching a theme live is that seat's command (``attach_theme``)."""
    seat = seat_for(session, user=request.user, secret=request.COOKIES.get(cookie_name(session)))
    return seat if seat is not None and seat.role == LiveRole.FACILITATOR else None


@require_http_methods(["GET", "POST"])
def session_theme(request: HttpRequest, code: str) -> HttpResponse:
    session = _session_or_none(code)
    seat = _console_seat(request, session) if session is not None else None
    if seat is None:
        raise stranger(request)  # the same 404 for a live and a wrong code, counted
    organisation = session.organisation
    console = reverse("web:live-console", kwargs={"code": session.join_code})
    if request.method == "POST":
        detach = request.POST.get("action") == "detach"
        name, args = ("detach_theme", {}) if detach else ("attach_theme", {"theme": request.POST.get("theme", "")})
        try:
            commands.execute(session.pk, seat.pk, request.POST.get("client_id") or uuid.uuid4(), name, args)
        except commands.CommandRefused as refused:
            messages.error(request, refused.message)
            return redirect(request.path)
        if detach:
            messages.success(request, _("The session has no thematic input any more."))
        else:
            theme = theme_for_session(session.pk)
            messages.success(request, _("“%(title)s” is the thematic input of this session.") % {"title": theme.title})
        return redirect(console)
    language = _language(request)
    return render(request, "themes/session_theme.html", {
        "session": session,
        "current": theme_for_session(session.pk),
        "themes": visible_themes(organisation, language),
        "language": language,
        "language_choices": settings.LANGUAGES,
        "console_url": console,
    })


# --- A group session's theme, planned in advance ------------------------------------------


@require_http_methods(["GET", "POST"])
@organisation_view("community.view_groups")
def plan_session_theme(request: HttpRequest, organisation: Organisation, session: int) -> HttpResponse:
    """Plan the theme of one group session in advance (``themes.plan_theme``: its coordinators
    and facilitators, or the member facilitating it in turn). The live session opened from it
    starts with that theme attached. Bad choices: a message, nothing changed."""
    from entraide.community.models import GroupSession

    group_session = GroupSession.objects.select_related("group", "group__organisation").filter(group__organisation=organisation, pk=session).first()
    if group_session is None:
        raise Http404
    access.require(request.user, "themes.plan_theme", group_session)
    group_url = reverse("web:community-group", kwargs={"org": organisation.slug, "group": group_session.group_id}) + "#sessions"
    error = None
    if request.method == "POST":
        theme = None
        if request.POST.get("action") != "clear":
            try:
                pk = int(request.POST.get("theme", ""))
            except ValueError:
                pk = None
            theme = Theme.objects.filter(pk=pk).first() if pk else None
        try:
            if theme is None and request.POST.get("action") != "clear":
                raise ThemeError(_("Choose a theme from the list."))
            plan_theme(group_session, theme, request.user)
        except ThemeError as refused:
            error = refused.message
        else:
            if theme is None:
                messages.success(request, _("No theme is planned for this session any more."))
            else:
                messages.success(request, _("“%(title)s” is planned for this session.") % {"title": theme.title})
            return redirect(group_url)
    language = _language(request)
    return render(request, "themes/plan_theme.html", {
        "organisation": organisation,
        "group_session": group_session,
        "current": planned_theme_of(group_session),
        "themes": visible_themes(organisation, language),
        "language": language,
        "language_choices": settings.LANGUAGES,
        "group_url": group_url,
        "error": error,
    }, status=400 if error else 200)
