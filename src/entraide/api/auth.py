"""Bearer authentication of the JSON API: a personal token (``Authorization: Bearer ent_…``),
its rate limit and its scope.

Order of refusals: no or bad token 401, over the rate limit 429 (with Retry-After), a read
token on a write endpoint 403. On success ``request.auth`` is the ``ApiToken`` and
``request.user`` its owner, so every endpoint asks ``core.access`` as the pages do.
"""

from django.http import HttpRequest
from django.utils.translation import gettext as _
from ninja.errors import AuthorizationError
from ninja.security import HttpBearer

from .domain import limits, tokens
from .models import ApiToken, Scope


class RateLimited(Exception):
    """The token spent its requests of the current window; ``wait``: seconds to Retry-After."""

    def __init__(self, wait: int) -> None:
        super().__init__(wait)
        self.wait = wait


class TokenAuth(HttpBearer):
    """Any active token (read or write) of a current member of the token's organisation."""

    openapi_description = "A personal API token, created in “Mon espace” › API: `Authorization: Bearer ent_…`."

    def authenticate(self, request: HttpRequest, token: str) -> ApiToken | None:
        found = tokens.authenticate(token)
        if found is None:
            return None
        wait = limits.hit(found.pk)
        if wait is not None:
            raise RateLimited(wait)
        request.user = found.user
        request.api_token = found
        self.check_scope(found)
        return found

    def check_scope(self, token: ApiToken) -> None:
        """Every scope reads."""


class WriteTokenAuth(TokenAuth):
    """A write-scoped token only: a read token gets 403."""

    def check_scope(self, token: ApiToken) -> None:
        if token.scope != Scope.WRITE:
            raise AuthorizationError(message=_("This token may only read: create a token with the write scope."))


read_token = TokenAuth()
write_token = WriteTokenAuth()
