"""Who may hold personal API tokens (issue 15). Loaded by django-rules' autodiscovery, beside
the checks of ``core.access`` (which it extends, as ``programmes.rules`` does).

- ``api.keep_tokens`` (obj: the organisation): every member, whatever their role, creates and
  revokes their own tokens for it; what a token may read is then what its owner may, asked on
  every call by the endpoints through the same rules as the pages.
- ``api.revoke_token`` (obj: a token): its owner only, while still a member; anyone else gets
  a 404 (the token's existence leaks nothing).
"""

import rules

from entraide.core import access


@rules.predicate
def owns_token(user, token) -> bool:
    return (
        token is not None and user is not None and user.is_authenticated
        and getattr(token, "user_id", None) == user.pk and access.role_in(user, token.organisation_id) is not None
    )


rules.add_perm("api.keep_tokens", access.is_member_of)
rules.add_perm("api.revoke_token", owns_token)

access.VIEW_PERMISSION.update({"api.keep_tokens": "core.view_organisation"})
