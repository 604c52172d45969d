"""Error pages.

When the database cannot be reached (PostgreSQL restarting, the pool exhausted), people get a
clear "try again" page with a 503 and Retry-After rather than a server error: nothing they had
confirmed is lost, since every accepted change was committed before it was acknowledged. The
page is rendered without the request's context, which would itself need the database.
"""

import sys

from django.db import InterfaceError, OperationalError
from django.http import HttpRequest, HttpResponse, HttpResponseServerError, JsonResponse
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
