"""The network's mails, sent after commit, each in its recipient's language. They say that
something happened and where to read it, never what a member wrote (DESIGN.md: content never
appears in emails)."""

from django.conf import settings
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext as _

from entraide.core.mail import send_plain_mail
from entraide.core.models import Membership, Organisation, Role, User
from entraide.core.tenancy import all_tenants


def absolute(base_url: str, view: str, **kwargs) -> str:
    """The address of ``view`` on ``base_url`` (the request's site), else ENTRAIDE_SITE_URL."""
    return (base_url or settings.ENTRAIDE_SITE_URL).rstrip("/") + reverse(view, kwargs=kwargs)


def _send(user: User, organisation: Organisation, subject: str, lines: list[str], link: str) -> None:
    send_plain_mail(
        user.email, user.language, "network/email/notice.txt",
        {"name": user.display_name, "lines": lines, "link": link}, subject=subject,
    )


def tell_coordinators_of_request(organisation_id: int, request_id: int, base_url: str = "") -> None:
    """A member raised a situation: each coordinator of the organisation is told where to read
    it (not its title, not who raised it: an anonymous request stays so in any inbox)."""
    with all_tenants():
        organisation = Organisation.objects.get(pk=organisation_id)
        coordinators = [m.user for m in Membership.objects.filter(organisation=organisation, role=Role.COORDINATOR).select_related("user")]
    link = absolute(base_url, "network:request", org=organisation.slug, pk=request_id)
    for user in coordinators:
        with translation.override(user.language):
            subject = _("%(organisation)s: a member raised a situation") % {"organisation": organisation.name}
            lines = [_("A member raised a situation to the network. Read it, see who is concerned and propose a collective supervision:")]
        _send(user, organisation, subject, lines, link)


def tell_of_match(match_id: int, base_url: str = "") -> None:
    """A mentoring starts: the mentor is told (and the mentee, when a coordinator matched them)."""
    from ..models import Match

    with all_tenants():
        match = Match.objects.select_related("request__organisation", "request__member", "mentor__member", "matched_by").get(pk=match_id)
    request = match.request
    organisation = request.organisation
    link = absolute(base_url, "network:mentoring-request", org=organisation.slug, pk=request.pk)
    mentor, mentee = match.mentor.member, request.member
    with translation.override(mentor.language):
        subject = _("%(organisation)s: a mentoring starts") % {"organisation": organisation.name}
        lines = [_("%(name)s asks for your support (%(kind)s). Read the request and record your meetings here:") % {"name": mentee.display_name, "kind": request.get_kind_display()}]
    _send(mentor, organisation, subject, lines, link)
    if match.matched_by_id != mentee.pk:
        with translation.override(mentee.language):
            subject = _("%(organisation)s: a mentoring starts") % {"organisation": organisation.name}
            lines = [_("%(name)s will support you (%(kind)s). Your meetings are recorded here:") % {"name": mentor.display_name, "kind": request.get_kind_display()}]
        _send(mentee, organisation, subject, lines, link)
