"""The page where a member manages their personal API tokens: ``/o/<org>/mon-espace/api/``
(linked from "Mon espace"). Thin: parse, call ``api.domain.tokens``, render."""

from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from entraide.core.models import Organisation
from entraide.web.domain_errors import applied, attempted
from entraide.web.views import organisation_view

from .domain import limits, tokens
from .forms import TokenForm


def _page(request: HttpRequest, organisation: Organisation, form: TokenForm, created: tokens.NewToken | None = None, status: int = 200) -> HttpResponse:
    limit, window = limits.rate_limit()
    return render(
        request,
        "api/tokens.html",
        {
            "organisation": organisation, "form": form, "created": created, "tokens": tokens.tokens_of(request.user, organisation),
            "rate_limit": limit, "rate_window": window,
            "api_base": request.build_absolute_uri("/api/v1/"),
        },
        status=status,
    )


@require_http_methods(["GET", "POST"])
@organisation_view("api.keep_tokens")
def token_list(request: HttpRequest, organisation: Organisation) -> HttpResponse:
    """GET: the person's tokens and the creation form. POST ``name``, ``scope``: a new token,
    whose secret this answer shows once (it is not kept, so never put in a redirect)."""
    if request.method == "POST":
        form = TokenForm(request.POST)
        created: list[tokens.NewToken] = []
        if applied(request, form, lambda data: created.append(tokens.create_token(request.user, organisation, data["name"], data["scope"]))):
            return _page(request, organisation, TokenForm(), created=created[0])
        return _page(request, organisation, form, status=400)
    return _page(request, organisation, TokenForm())


@require_POST
@organisation_view("api.keep_tokens")
def token_revoke(request: HttpRequest, organisation: Organisation, token: int) -> HttpResponse:
    attempted(
        request, lambda: tokens.revoke_token(request.user, organisation, token),
        _("The token is revoked: it no longer works, from the next request on."),
    )
    return redirect("web:api-tokens", org=organisation.slug)
