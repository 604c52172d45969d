"""The doors of a member's own data (issue 14, point 5): ``/o/<org>/mon-espace/mes-donnees/``
(what they may download or erase), its JSON and PDF downloads, the erasure of the account, and
the erasure of a live seat from its personal link (``/s/<code>/retour/<secret>/effacer/``)."""

from django.contrib.auth import logout
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import translation
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from entraide.core import access
from entraide.core.models import Organisation
from entraide.web.domain_errors import applied
from entraide.web.views import organisation_view

from .domain import erasure, export
from .forms import EraseAccountForm


@require_GET
@organisation_view("core.view_organisation")
def my_data(request: HttpRequest, organisation: Organisation) -> HttpResponse:
    """What the member may download (JSON, PDF) and the form to delete their account."""
    access.require(request.user, "mydata.export", request.user)
    return render(request, "mydata/my_data.html", {"organisation": organisation, "form": EraseAccountForm()})


@require_GET
@organisation_view("core.view_organisation")
def my_data_json(request: HttpRequest, organisation: Organisation) -> HttpResponse:
    access.require(request.user, "mydata.export", request.user)
    response = HttpResponse(export.as_json(request.user, organisation), content_type="application/json; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="mes-donnees-{organisation.slug}.json"'
    return response


@require_GET
@organisation_view("core.view_organisation")
def my_data_pdf(request: HttpRequest, organisation: Organisation) -> HttpResponse:
    access.require(request.user, "mydata.export", request.user)
    response = HttpResponse(export.as_pdf(request.user, organisation, translation.get_language()), content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="mes-donnees-{organisation.slug}.pdf"'
    return response


@require_http_methods(["POST"])
@organisation_view("core.view_organisation")
def erase_account(request: HttpRequest, organisation: Organisation) -> HttpResponse:
    """POST ``password``: the account is erased, the person signed out and told so."""
    form = EraseAccountForm(request.POST)
    user = request.user
    if applied(request, form, lambda data: erasure.erase_account(user, data["password"])):
        logout(request)
        return render(request, "mydata/erased.html", {"organisation": None})
    return render(request, "mydata/my_data.html", {"organisation": organisation, "form": form}, status=400)


@require_http_methods(["GET", "POST"])
def erase_seat(request: HttpRequest, code: str, secret: str) -> HttpResponse:
    """The personal link's erasure: GET asks for confirmation, POST erases the seat's content.
    A wrong or spent link answers 404 like every unknown live address."""
    from entraide.live.domain.opening import seat_for
    from entraide.web.live_views import _session_or_none, cookie_name, stranger

    session = _session_or_none(code)
    seat = seat_for(session, secret=secret) if session is not None else None
    if seat is None:
        raise stranger(request)
    if request.method == "POST":
        try:
            erasure.erase_seat(session, secret)
        except erasure.ErasureError:
            raise stranger(request) from None
        response = render(request, "mydata/erased.html", {"organisation": None, "seat": True})
        response.delete_cookie(cookie_name(session))
        return response
    return render(request, "mydata/erase_seat.html", {"session": session, "seat": seat, "title": _("Erase what I wrote")})
