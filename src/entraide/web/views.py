"""Views of the web door: parse the request, ask access, call the domain, render.

Organisation pages run inside that organisation's tenant scope (``organisation_view``).
"""

from collections.abc import Callable
from functools import wraps

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.contrib.auth.views import redirect_to_login
from django.db import connection
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import get_language, gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from entraide.core import access
from entraide.core.models import Organisation, Role
from entraide.core.tenancy import tenant_scope
from entraide.live.domain.opening import running_sessions_of
from entraide.protocols.domain import library
from entraide.protocols.domain.agenda import AgendaError, fit_agenda, format_length
from entraide.protocols.domain.spec import SpecError
from entraide.protocols.models import Protocol

from django import forms

from . import accessibility

from .forms import AgendaForm, CopyProtocolForm, KitForm, OpenSessionForm, ProtocolSourceForm


def organisation_view(permission: str) -> Callable:
    """Resolve ``org`` from the URL, check ``permission`` on it, run the view in its scope.

    The view carries ``required_permission`` so that menus ask the same check (navigation.py).
    """

    def decorator(view: Callable) -> Callable:
        @wraps(view)
        def wrapper(request: HttpRequest, org: str, **kwargs) -> HttpResponse:
            if not request.user.is_authenticated:
                return redirect_to_login(request.get_full_path())
            organisation = get_object_or_404(Organisation, slug=org)
            access.require(request.user, permission, organisation)
            with tenant_scope(organisation):
                return view(request, organisation, **kwargs)

        # Read by the menus (web/navigation.py), which show an entry only when this same check passes.
        wrapper.required_permission = permission
        return wrapper

    return decorator


def _protocol_or_404(organisation: Organisation | None, key: str) -> Protocol:
    if organisation is None:
        protocol = library.builtin_protocol(key)
    else:
        protocol = Protocol.objects.select_related("current", "organisation").filter(organisation=organisation, key=key).first()
    if protocol is None or protocol.current is None:
        raise Http404
    return protocol


# --- Public pages ------------------------------------------------------------------------


@require_GET
def home(request: HttpRequest) -> HttpResponse:
    """The landing page: every built-in format of the library, in the library's order."""
    protocols = library.visible_protocols(request.user)
    return render(request, "web/home.html", {"formats": [p for p in protocols if p.is_builtin]})


def login_locked_out(request: HttpRequest, original_response: HttpResponse | None = None, credentials: dict | None = None) -> HttpResponse:
    """The answer of every login door (the site's, the admin's) while the account or the address
    is locked out (settings.AXES_LOCKOUT_CALLABLE; django-axes calls it, with or without
    ``original_response``). Status 429. It names neither the account nor whether it exists, and
    says the same for an unknown address as for a real account."""
    minutes = int(settings.AXES_COOLOFF_TIME.total_seconds() // 60)
    return render(request, "web/registration/locked_out.html", {"cool_off_minutes": minutes}, status=429)


@require_GET
def healthz(request: HttpRequest) -> JsonResponse:
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
    return JsonResponse({"status": "ok"})


@require_GET
def accessibility_statement(request: HttpRequest) -> HttpResponse:
    """The accessibility statement (RGAA 4.1's model), public, generated from the audit the
    browser test commits (``web.accessibility``)."""
    return render(request, "web/accessibility.html", {
        "statement": accessibility.statement(),
        "contact": settings.ENTRAIDE_ACCESSIBILITY_CONTACT,
    })


@require_GET
def protocol_library(request: HttpRequest) -> HttpResponse:
    protocols = library.visible_protocols(request.user)
    return render(
        request,
        "web/protocol_library.html",
        {
            "builtins": [p for p in protocols if p.is_builtin],
            "own": [p for p in protocols if not p.is_builtin],
        },
    )


def _protocol_detail(
    request: HttpRequest, protocol: Protocol, kit_form: KitForm | None = None, kit_error: str | None = None, status: int = 200
) -> HttpResponse:
    organisations = access.organisations_of(request.user, roles=[Role.COORDINATOR])
    spec = protocol.spec
    if kit_form is None:
        kit_form = KitForm(initial={"participants": min(max(7, spec.participants_min), spec.participants_max), "language": get_language()})
    return render(
        request,
        "web/protocol_detail.html",
        {
            "protocol": protocol,
            "spec": spec,
            "copy_form": CopyProtocolForm(organisations=organisations) if organisations else None,
            "can_change": access.can(request.user, "protocols.change_protocol", protocol),
            "kit_form": kit_form,
            "kit_error": kit_error,
        },
        status=status,
    )


def _prepare(request: HttpRequest, protocol: Protocol, open_errors: list[str] | None = None, values=None) -> HttpResponse:
    """The agenda fitted to the form's window. A GET: it changes nothing, and can be shared.

    ``open_errors``/``values``: a refused "Ouvrir la séance" (its POST) is shown again here, its
    reasons printed at its own form (status 400)."""
    spec = protocol.spec
    form = AgendaForm(values if values is not None else (request.GET or None), initial={"participants": min(max(7, spec.participants_min), spec.participants_max)})
    agenda = error = None
    if form.is_valid():
        try:
            agenda = fit_agenda(spec, form.cleaned_data["participants"], form.cleaned_data["start"], form.cleaned_data["end"])
        except AgendaError as agenda_error:
            error = agenda_error.message
    open_form = None
    if agenda is not None:
        organisations = access.organisations_of(request.user, roles=[Role.COORDINATOR, Role.FACILITATOR])
        if organisations:
            open_form = OpenSessionForm(
                initial={**form.cleaned_data, "organisation": str((protocol.organisation or organisations[0]).pk)},
                organisations=organisations,
            )
            if values is not None:
                open_form.initial.update({k: values[k] for k in ("organisation", "title") if values.get(k)})
            for name in ("participants", "start", "end"):
                open_form.fields[name].widget = forms.HiddenInput()
    context = {
        "open_form": open_form,
        "protocol": protocol,
        "spec": spec,
        "form": form,
        "agenda": agenda,
        "error": error,
        "language": get_language(),
        "total_length": format_length(agenda.total_minutes) if agenda else None,
        "open_errors": open_errors or [],
    }
    template = "web/_agenda.html" if request.htmx and not request.htmx.boosted else "web/protocol_prepare.html"
    return render(request, template, context, status=400 if open_errors else 200)


@require_GET
def protocol_detail(request: HttpRequest, key: str) -> HttpResponse:
    return _protocol_detail(request, _protocol_or_404(None, key))


@require_GET
def protocol_prepare(request: HttpRequest, key: str) -> HttpResponse:
    return _prepare(request, _protocol_or_404(None, key))


@require_POST
@login_required
def protocol_copy(request: HttpRequest, key: str) -> HttpResponse:
    protocol = _protocol_or_404(None, key)
    return _copy(request, protocol)


def _copy(request: HttpRequest, protocol: Protocol) -> HttpResponse:
    organisations = access.organisations_of(request.user, roles=[Role.COORDINATOR])
    form = CopyProtocolForm(request.POST, organisations=organisations)
    if not form.is_valid():
        messages.error(request, _("Choose an organisation where you are a coordinator."))
        return redirect(protocol.url())
    organisation = form.cleaned_data["organisation"]
    copy = library.copy_protocol(protocol, organisation, request.user)
    messages.success(request, _("The protocol was copied into %(organisation)s. You can now adapt it.") % {"organisation": organisation.name})
    return redirect(copy.url("protocol-edit"))


# --- Organisation pages --------------------------------------------------------------------


@require_GET
@organisation_view("core.view_organisation")
def organisation_home(request: HttpRequest, organisation: Organisation) -> HttpResponse:
    protocols = Protocol.objects.filter(organisation=organisation, current__isnull=False).select_related("current")
    role = access.role_in(request.user, organisation)
    return render(
        request,
        "web/organisation_home.html",
        {
            "organisation": organisation,
            "role_label": Role(role).label if role else "",
            "protocols": protocols,
            "can_manage": access.can(request.user, "core.manage_organisation", organisation),
            "running": running_sessions_of(request.user, organisation),
        },
    )


@require_GET
@organisation_view("core.view_organisation")
def org_protocol_detail(request: HttpRequest, organisation: Organisation, key: str) -> HttpResponse:
    return _protocol_detail(request, _protocol_or_404(organisation, key))


@require_GET
@organisation_view("core.view_organisation")
def org_protocol_prepare(request: HttpRequest, organisation: Organisation, key: str) -> HttpResponse:
    return _prepare(request, _protocol_or_404(organisation, key))


@require_POST
@organisation_view("core.view_organisation")
def org_protocol_copy(request: HttpRequest, organisation: Organisation, key: str) -> HttpResponse:
    return _copy(request, _protocol_or_404(organisation, key))


@require_http_methods(["GET", "POST"])
@organisation_view("core.manage_organisation")
def org_protocol_edit(request: HttpRequest, organisation: Organisation, key: str) -> HttpResponse:
    protocol = _protocol_or_404(organisation, key)
    access.require(request.user, "protocols.change_protocol", protocol)
    errors: list[str] = []
    if request.method == "POST":
        form = ProtocolSourceForm(request.POST)
        if form.is_valid():
            try:
                version = library.save_protocol_version(protocol, form.cleaned_data["source"], request.user)
            except SpecError as spec_error:
                errors = spec_error.messages
            else:
                messages.success(request, _("Version %(number)d saved.") % {"number": version.number})
                return redirect(protocol.url("protocol-edit"))
    else:
        form = ProtocolSourceForm(initial={"source": protocol.current.source})
    versions = protocol.versions.select_related("created_by").order_by("-number")
    return render(
        request,
        "web/protocol_edit.html",
        {"protocol": protocol, "spec": protocol.spec, "form": form, "errors": errors, "versions": versions},
        status=400 if errors or form.errors else 200,
    )
