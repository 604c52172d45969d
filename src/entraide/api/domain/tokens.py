"""Personal API tokens: created and revoked by their owner, checked on every call.

Each write goes through ``core.actions.write`` (``api_token.created`` / ``api_token.revoked``,
about the owner; never the secret). The secret is ``ent_`` followed by
``secrets.token_urlsafe(32)`` (43 characters, 256 random bits); only its SHA-256 is stored.
"""

import secrets
from dataclasses import dataclass
from datetime import timedelta

from django.utils import timezone
from django.utils.translation import gettext as _

from entraide.core import access, actions
from entraide.core.models import Organisation, User
from entraide.core.tenancy import all_tenants, tenant_scope
from entraide.core.text import clean_single_line

from ..models import ApiToken, Scope
from . import TokenError

SECRET_PREFIX = "ent_"
SHOWN_PREFIX_LENGTH = 12  # "ent_" and 8 characters of the secret: enough to tell tokens apart
NAME_MAX = 80
MAX_ACTIVE_TOKENS = 20  # per person and organisation
# ``last_used_at`` is written at most once per this interval per token: one UPDATE a minute,
# not one per request, and still "last used" to the minute on the page.
LAST_USE_PRECISION = timedelta(minutes=1)


@dataclass(frozen=True)
class NewToken:
    token: ApiToken
    secret: str  # shown once to its owner; the database keeps its hash


def tokens_of(user: User, organisation: Organisation) -> list[ApiToken]:
    """``user``'s tokens for ``organisation``, newest first, revoked ones included (their page
    shows when each was revoked). One query."""
    with tenant_scope(organisation):
        return list(ApiToken.objects.filter(organisation=organisation, user=user))


def create_token(user: User, organisation: Organisation, name: str, scope: str) -> NewToken:
    """A new token of ``user`` for ``organisation`` (``api.keep_tokens``: a member; else 404).

    ``name``: a label for its owner (one line, 1 to 80 characters); ``scope``: ``"read"`` or
    ``"write"``. Raises ``TokenError`` (``field`` ``name`` or ``scope``; code ``too_many`` past
    MAX_ACTIVE_TOKENS active tokens), nothing saved. Logged as ``api_token.created``.
    """
    access.require(user, "api.keep_tokens", organisation)
    name = clean_single_line(name or "", "name", error=lambda message, field: TokenError(message, code="not_one_line", field=field))
    if not name:
        raise TokenError(_("Give the token a name, such as the tool that will use it."), code="name_required", field="name")
    if len(name) > NAME_MAX:
        raise TokenError(_("The name is too long (at most %(max)d characters).") % {"max": NAME_MAX}, code="name_too_long", field="name")
    if scope not in Scope.values:
        raise TokenError(_("Choose read only, or read and write."), code="bad_scope", field="scope")
    secret = SECRET_PREFIX + secrets.token_urlsafe(32)
    # The person's row is the lock: two forms posted at once cannot pass the count together.
    with tenant_scope(organisation), actions.write(user, "api.keep_tokens", organisation, "api_token.created", lock=user, subject=user, organisation=organisation) as w:
        active = ApiToken.objects.filter(organisation=organisation, user=user, revoked_at__isnull=True).count()
        if active >= MAX_ACTIVE_TOKENS:
            raise TokenError(
                _("You already have %(max)d active tokens here: revoke one you no longer use.") % {"max": MAX_ACTIVE_TOKENS},
                code="too_many",
            )
        w.obj = ApiToken.objects.create(
            organisation=organisation, user=user, name=name, scope=scope,
            prefix=secret[:SHOWN_PREFIX_LENGTH], token_hash=ApiToken.hash_secret(secret),
        )
    return NewToken(w.obj, secret)


def revoke_token(user: User, organisation: Organisation, token_id: int) -> ApiToken:
    """Revoke one of ``user``'s tokens: refused at once from the next call. Someone else's token,
    or one of another organisation: 404. Revoking a revoked token changes nothing (no log row).
    Logged as ``api_token.revoked``."""
    with tenant_scope(organisation):
        token = ApiToken.objects.filter(organisation=organisation, pk=token_id).first()
    if token is None or not access.can(user, "api.revoke_token", token):
        raise access.Http404
    with tenant_scope(organisation), actions.write(user, "api.revoke_token", token, "api_token.revoked", lock=token, subject=user) as w:
        if w.obj.revoked_at is not None:
            w.unchanged()
        else:
            w.obj.revoked_at = timezone.now()
            w.obj.save(update_fields=["revoked_at"])
    return w.obj


def authenticate(secret: str) -> ApiToken | None:
    """The active token behind ``secret`` (the bearer value), its organisation and owner
    joined, or None: unknown, revoked, its owner's account closed, or its owner no longer a
    member of the organisation (``core.access.role_in``, asked on every call). Records the
    last use (to LAST_USE_PRECISION). Two queries (lookup, roles), plus an UPDATE at most once a
    minute."""
    if not secret or not secret.startswith(SECRET_PREFIX) or len(secret) > 100:
        return None
    with all_tenants():
        token = (
            ApiToken.everywhere.select_related("organisation", "user")
            .filter(token_hash=ApiToken.hash_secret(secret), revoked_at__isnull=True)
            .first()
        )
    if token is None or not token.user.is_active or access.role_in(token.user, token.organisation_id) is None:
        return None
    now = timezone.now()
    if token.last_used_at is None or now - token.last_used_at >= LAST_USE_PRECISION:
        ApiToken.everywhere.filter(pk=token.pk).update(last_used_at=now)
        token.last_used_at = now
    return token
