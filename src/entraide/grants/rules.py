"""Who may do what with grants, fees and articles (issue 13; field document 000: "Seuls les
membres de Kalame peuvent introduire ces demandes").

Registered with django-rules (autodiscovered), asked through ``core.access.can/require`` like
every other rule. Objects: the organisation, a ``GrantRequest`` or an ``Article`` (both carry
``organisation_id``).
"""

import rules

from entraide.core import access
from entraide.core.models import Role

CURRENT_MEMBER_ROLES = frozenset({Role.MEMBER, Role.FACILITATOR, Role.COORDINATOR})


@rules.predicate
def is_current_member(user, obj) -> bool:
    """A member, facilitator or coordinator of the object's organisation today (commissioners
    pay for a programme; they take no part in the network's grants)."""
    return access.role_in(user, access._organisation_of(obj)) in CURRENT_MEMBER_ROLES


@rules.predicate
def is_requester(user, obj) -> bool:
    """obj: a GrantRequest or an Article: the member who asked (or owes the article), still a
    current member of the organisation."""
    member_id = getattr(obj, "member_id", None) or getattr(obj, "author_id", None)
    return (
        member_id is not None and user is not None and user.is_authenticated
        and member_id == user.pk and is_current_member(user, obj)
    )


# The one rule of every door: only current members ask (grants.domain.grants.require_member).
rules.add_perm("grants.ask", is_current_member)
# The network's published articles: its members, never commissioners.
rules.add_perm("grants.read_articles", is_current_member)
# Decide, pay, set budgets, keep the ledger, review articles: the coordinators.
rules.add_perm("grants.manage", access.is_coordinator_of)
# A request, its receipts, its payments and its trace: the requester and the coordinators;
# everyone else gets a 404 (no VIEW_PERMISSION entry: nothing leaks).
rules.add_perm("grants.view_request", is_requester | access.is_coordinator_of)
# Upload receipts, write the article: the requester.
rules.add_perm("grants.change_request", is_requester)

access.VIEW_PERMISSION.update({
    "grants.ask": "core.view_organisation",
    "grants.read_articles": "core.view_organisation",
    "grants.manage": "core.view_organisation",
    "grants.change_request": "grants.view_request",
})
