"""The JSON API v1 (issue 15): OpenAPI 3.1 at ``/api/v1/openapi.json``, its docs at
``/api/v1/docs``. A door like the others: it parses, asks ``core.access`` and calls the domain.

Every endpoint needs a personal token (``Authorization: Bearer ent_…``, ``api.auth``); the
errors have one shape, ``schemas.ErrorOut``: a refused input 400 ``{code, detail, field}``
(a ``DomainError``, or a parameter that does not parse), no or bad token 401, wrong scope or a
rule of ``core.access`` 403, unknown or another organisation's ids 404 ``{detail}``, over the
rate limit 429 with ``Retry-After``.
"""

from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest
from django.utils.translation import gettext as _
from ninja import NinjaAPI, Swagger
from ninja.errors import AuthenticationError, AuthorizationError, ValidationError

from entraide.core.actions import DomainError

from .auth import RateLimited, read_token
from .domain.limits import rate_limit
from .endpoints import community, events, followup, programmes, protocols
from .endpoints.common import responses
from .schemas import MeOut

api = NinjaAPI(
    title="Entraide API",
    version="1",
    description=(
        "The organisation's data for its members' own tools: groups, members, sessions and attendance, "
        "events and registrations, programme reports (aggregates only), your action plans, protocols. "
        "Authenticate with a personal token from “Mon espace” › API."
    ),
    auth=read_token,
    docs=Swagger(settings={"persistAuthorization": False}),
    docs_url="/docs",
    urls_namespace="api",
)


@api.exception_handler(DomainError)
def domain_error(request: HttpRequest, error: DomainError):
    """The API door's one mapping of a domain refusal: 400 with ``{code, detail, field}``."""
    return api.create_response(request, error.as_json(), status=400)


@api.exception_handler(ValidationError)
def validation_error(request: HttpRequest, error: ValidationError):
    """A parameter or body that does not parse: 400 in the same shape as a domain refusal,
    ``field`` the first one concerned."""
    first = error.errors[0] if error.errors else {}
    location = [str(part) for part in first.get("loc", ()) if part not in ("query", "path", "body", "payload")]
    field = location[-1] if location else None
    detail = _("Invalid value for “%(field)s”: %(reason)s") % {"field": field, "reason": first.get("msg", "")} if field else _("Invalid request.")
    return api.create_response(request, {"code": "invalid_input", "detail": detail, "field": field}, status=400)


@api.exception_handler(AuthenticationError)
def unauthenticated(request: HttpRequest, error: AuthenticationError):
    response = api.create_response(
        request, {"code": "unauthenticated", "detail": _("A valid personal API token is needed: Authorization: Bearer <token>.")}, status=401
    )
    response["WWW-Authenticate"] = 'Bearer realm="entraide"'
    return response


@api.exception_handler(AuthorizationError)
def wrong_scope(request: HttpRequest, error: AuthorizationError):
    return api.create_response(request, {"code": "read_only_token", "detail": str(error)}, status=403)


@api.exception_handler(PermissionDenied)
def forbidden(request: HttpRequest, error: PermissionDenied):
    return api.create_response(request, {"code": "forbidden", "detail": _("Your role in this organisation does not allow this.")}, status=403)


@api.exception_handler(Http404)
def not_found(request: HttpRequest, error: Http404):
    return api.create_response(request, {"code": "not_found", "detail": _("Not found.")}, status=404)


@api.exception_handler(RateLimited)
def rate_limited(request: HttpRequest, error: RateLimited):
    limit, window = rate_limit()
    response = api.create_response(
        request,
        {"code": "rate_limited", "detail": _("Too many requests: at most %(limit)d per %(window)d seconds with one token. Try again in %(wait)d seconds.")
         % {"limit": limit, "window": window, "wait": error.wait}},
        status=429,
    )
    response["Retry-After"] = str(error.wait)
    return response


@api.get("/me", response=responses(MeOut), summary="The token's owner, organisation and scope", tags=["token"])
def me(request: HttpRequest):
    token = request.auth
    limit, window = rate_limit()
    from entraide.core import access

    return {
        "user_id": token.user_id, "display_name": token.user.display_name,
        "organisation": {"slug": token.organisation.slug, "name": token.organisation.name},
        "role": access.role_in(request.user, token.organisation_id), "scope": token.scope,
        "rate_limit": limit, "rate_window_seconds": window,
    }


api.add_router("", community.router)
api.add_router("", events.router)
api.add_router("", programmes.router)
api.add_router("", followup.router)
api.add_router("", protocols.router)
