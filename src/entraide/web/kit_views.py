"""The printable kit over HTTP: a protocol's kit from its page, a live session's from its console.

Both are GET requests that change nothing. Bad input re-shows the protocol page with the form
and the reason (status 400); the PDF comes from ``kit.domain.kit``.
"""

from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.utils.translation import get_language
from django.views.decorators.http import require_GET

from entraide.core import access
from entraide.core.models import Organisation
from entraide.kit.domain.kit import Kit, KitError, build_kit, build_session_kit, render_kit_pdf
from entraide.live.domain.opening import seat_for
from entraide.protocols.models import Protocol

from . import domain_errors
from .forms import KitForm
from .live_views import _session_or_none, cookie_name, join_url, stranger
from .views import _protocol_detail, _protocol_or_404, organisation_view


def pdf_response(kit: Kit) -> HttpResponse:
    response = HttpResponse(render_kit_pdf(kit), content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="{kit.filename}"'
    return response


@require_GET
def protocol_kit(request: HttpRequest, key: str) -> HttpResponse:
    return _protocol_kit(request, _protocol_or_404(None, key))


@require_GET
@organisation_view("core.view_organisation")
def org_protocol_kit(request: HttpRequest, organisation: Organisation, key: str) -> HttpResponse:
    return _protocol_kit(request, _protocol_or_404(organisation, key))


def _protocol_kit(request: HttpRequest, protocol: Protocol) -> HttpResponse:
    access.require(request.user, "kit.print_protocol_kit", protocol)
    form = KitForm(request.GET)
    error = None
    if form.is_valid():
        data = form.cleaned_data
        try:
            kit = build_kit(protocol.current, data["participants"], data["language"], start=data["start"], end=data["end"])
        except KitError as kit_error:
            error = kit_error.message
        else:
            return pdf_response(kit)
    return _protocol_detail(request, protocol, kit_form=form, kit_error=error, status=400)


@require_GET
def session_kit(request: HttpRequest, code: str) -> HttpResponse:
    """The kit sized to the session's planned group, with its join poster. Its facilitator only."""
    session = _session_or_none(code)
    seat = None
    if session is not None:
        seat = seat_for(session, user=request.user, secret=request.COOKIES.get(cookie_name(session)))
    if not access.can(request.user, "kit.print_session_kit", seat):
        raise stranger(request)  # the same 404 for a live and a wrong code, counted
    try:
        kit = build_session_kit(session, request.GET.get("lang") or get_language(), join_url(request, session))
    except KitError as error:
        domain_errors.add_to_messages(request, error)
        return redirect("web:live-console", code=session.join_code)
    return pdf_response(kit)
