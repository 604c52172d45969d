"""Error pages.

When the database cannot be reached (PostgreSQL restarting, the pool exhausted), people get a
clear "try again" page with a 503 and Retry-After rather than a server error: nothing they had
confirmed is lost, since every accepted change was committed before it was acknowledged. The
page is rendered without the request's context, which would itself need the database.
"""

import sys

from django.db import InterfaceError, OperationalError
from django.http import HttpRequest, HttpResponse, HttpResponseServerError, JsonResponse
from django.shortcuts import render
from django.template.loader import render_to_string
from django.utils.translation import gettext as _

RETRY_AFTER_SECONDS = 5


def database_unavailable(error: BaseException | None) -> bool:
    """Connection lost, refused or not handed out by the pool in time (all of them
    OperationalError or InterfaceError once Django has wrapped the driver's error)."""
    return isinstance(error, (OperationalError, InterfaceError))


def server_error(request: HttpRequest) -> HttpResponse:
    """handler500: called by Django inside the `except` that caught the error."""
    error = sys.exc_info()[1]
    if not database_unavailable(error):
        return HttpResponseServerError(render_to_string("web/500.html"))
    message = _("The service is briefly unavailable. Nothing you had confirmed is lost. Please try again in a moment.")
    if "application/json" in request.headers.get("Accept", ""):
        response = JsonResponse({"code": "retry", "message": message}, status=503)
    else:
        response = HttpResponse(render_to_string("web/503.html", {"message": message}), status=503)
    response["Retry-After"] = str(RETRY_AFTER_SECONDS)
    return response


def _error_page(request: HttpRequest, status: int, title: str, message: str) -> HttpResponse:
    """The site's own error page, in the site's layout and the visitor's language; a JSON body
    for requests that ask for JSON (the live pages' background requests)."""
    if "application/json" in request.headers.get("Accept", "") and "text/html" not in request.headers.get("Accept", ""):
        return JsonResponse({"code": str(status), "message": message}, status=status)
    return render(request, "web/error.html", {"status": status, "title": title, "message": message}, status=status)


def page_not_found(request: HttpRequest, exception: BaseException | None = None) -> HttpResponse:
    """handler404: never Django's list of URL patterns, and nothing about why (a page that does
    not exist and one the visitor may not see look the same, see core.access.require)."""
    return _error_page(
        request, 404, _("Page not found"),
        _("This page does not exist, or is not open to you. Check the address, or start again from the home page."),
    )


def permission_denied(request: HttpRequest, exception: BaseException | None = None) -> HttpResponse:
    """handler403."""
    return _error_page(request, 403, _("Not allowed"), _("Your role does not allow you to open this page."))


def bad_request(request: HttpRequest, exception: BaseException | None = None) -> HttpResponse:
    """handler400."""
    return _error_page(request, 400, _("Bad request"), _("The request could not be understood. Go back and try again."))


def csrf_failure(request: HttpRequest, reason: str = "") -> HttpResponse:
    """settings.CSRF_FAILURE_VIEW: a form sent without its valid token (a page left open across a
    login, a cookie refused) gets the site's own page, not Django's technical one."""
    return _error_page(
        request, 403, _("This page has expired"),
        _("The form could not be accepted: the page was open for too long, or in another tab. Reload the page and try again."),
    )
