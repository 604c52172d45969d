"""The grants' section of "Mon réseau" and "Mon espace" (issue 13, point 6: members see the
network's articles and their own grants), registered with ``network.domain.overview``."""

from django.utils.translation import gettext as _

from entraide.core import access
from entraide.network.domain.overview import Section

from .domain import articles, grants

LATEST_ARTICLES = 3


def grants_section(user, organisation) -> Section | None:
    """The member's own grant requests and the network's latest published articles; None for
    whoever may neither ask nor read them (``grants.ask``, ``grants.read_articles``)."""
    if not access.can(user, "grants.read_articles", organisation):
        return None
    return Section(
        title=_("Grants and the network's articles"),
        template="grants/_overview.html",
        context={
            "my_grants": grants.requests_of(organisation, member=user),
            "articles": articles.published_articles(organisation)[:LATEST_ARTICLES],
            "may_ask": access.can(user, "grants.ask", organisation),
        },
    )
