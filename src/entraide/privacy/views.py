"""The "Données et confidentialité" page: generated from ``retention.KINDS`` and the
organisation's settings. Any member reads it; a coordinator changes a retention there (POST
``kind`` and ``days``). Thin: parse, call ``retention.set_retention``, render; a refusal
re-shows the page with the message (status 400) and changes nothing."""

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from entraide.core import access
from entraide.core.actions import DomainError
from entraide.core.models import Organisation
from entraide.web.views import organisation_view

from . import retention


@require_http_methods(["GET", "POST"])
@organisation_view("privacy.view")
def privacy_page(request: HttpRequest, organisation: Organisation) -> HttpResponse:
    can_manage = access.can(request.user, "privacy.manage_retention", organisation)
    error = None
    posted = {}
    if request.method == "POST":
        access.require(request.user, "privacy.manage_retention", organisation)
        posted = {"kind": request.POST.get("kind", ""), "days": request.POST.get("days", "")}
        try:
            retention.set_retention(request.user, organisation, posted["kind"], posted["days"])
        except DomainError as refusal:
            error = refusal
        else:
            messages.success(request, _("The retention period is saved."))
            return redirect("privacy:page", org=organisation.slug)
    days = retention.retention_days(organisation)
    rows = [
        {
            "kind": kind,
            "days": days[kind.key],
            "is_default": days[kind.key] == kind.default_days,
            "error": error.message if error is not None and posted.get("kind") == kind.key else "",
            "posted": posted.get("days") if error is not None and posted.get("kind") == kind.key else None,
        }
        for kind in retention.KINDS
    ]
    context = {"organisation": organisation, "rows": rows, "can_manage": can_manage,
               "general_error": error.message if error is not None and error.field is None else ""}
    return render(request, "privacy/page.html", context, status=400 if error is not None else 200)
