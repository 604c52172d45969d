"""What a member sees of their network (issue 13): the coming events, the open supervision
calls, the requests they may say they are concerned by, their own requests and mentoring, and
the sections other apps add (grants, articles) through ``register_section``.

Shown on the network page (``/o/<org>/reseau/``) and, shorter, in "Mon espace".
"""

from collections.abc import Callable
from dataclasses import dataclass, field

from entraide.core import access
from entraide.core.models import Organisation, User

from . import mentoring, requests, supervisions


@dataclass(frozen=True)
class Section:
    """A block another app adds to the network page and "Mon espace": its ``title`` (already
    translated), the ``template`` that renders it and that template's ``context``."""

    title: str
    template: str
    context: dict = field(default_factory=dict)


# Providers of further sections: callables (user, organisation) -> Section | None, registered
# by their app (e.g. grants and the articles published to the network, in its AppConfig.ready).
SECTION_PROVIDERS: list[Callable[[User, Organisation], Section | None]] = []


def register_section(provider: Callable[[User, Organisation], Section | None]) -> None:
    """Add a section to the network page and "Mon espace" (idempotent for the same callable).
    ``provider(user, organisation)`` runs inside the organisation's scope, for a member who
    takes part (never a commissioner), and returns None when it has nothing to show."""
    if provider not in SECTION_PROVIDERS:
        SECTION_PROVIDERS.append(provider)


@dataclass(frozen=True)
class NetworkOverview:
    events: list
    calls: list[supervisions.SupervisionView]
    open_requests: list[requests.RequestView]
    my_requests: list[requests.RequestView]
    mentoring: mentoring.MyMentoring
    sections: list[Section]


def overview(user: User, organisation: Organisation) -> NetworkOverview:
    """The member's view of their network. Raises ``PermissionDenied`` (a commissioner) /
    ``Http404`` (a stranger) like every network page."""
    from entraide.events.domain.events import upcoming_for_member

    access.require(user, "network.take_part", organisation)
    visible = requests.visible_requests(user, organisation, open_only=True)
    sections = [s for s in (provider(user, organisation) for provider in SECTION_PROVIDERS) if s is not None]
    return NetworkOverview(
        events=upcoming_for_member(organisation, user),
        calls=supervisions.open_calls(user, organisation),
        open_requests=[v for v in visible if not v.mine and v.request.status == "open"],
        my_requests=[v for v in requests.visible_requests(user, organisation) if v.mine],
        mentoring=mentoring.mine(user, organisation),
        sections=sections,
    )
