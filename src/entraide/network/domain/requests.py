"""Supervision and intervision requests (field document 000, "Supervisions": "Les membres de
Kalame sont invités à faire part au réseau des problématiques qu'ils rencontrent").

A member raises a situation (title and text encrypted at rest), named or anonymous to the other
members; members say "je suis concerné·e", with a word if they wish; coordinators see who raised
it and who is concerned (see ``network.rules`` for why), and propose a collective supervision
(``network.domain.supervisions``). Commissioners take no part: refused at every door.

Every write goes through ``core.actions.write`` (permission, lock, one transaction, one
action-log row without content).
"""

from dataclasses import dataclass

from django.db.models import Count
from django.utils import timezone
from django.utils.translation import gettext as _

from entraide.core import access, actions
from entraide.core.models import Organisation, User
from entraide.core.tenancy import tenant_scope
from entraide.core.text import clean_single_line

from ..models import SITUATION_MAX, TITLE_MAX, WORD_MAX, Concern, SupervisionRequest
from . import clean_text, single_line_error


def raise_request(actor: User, organisation: Organisation, title: str, situation: str, anonymous: bool = False, base_url: str = "") -> SupervisionRequest:
    """``actor`` raises a situation to the network. ``title``: one line, at most ``TITLE_MAX``
    characters; ``situation``: at most ``SITUATION_MAX``; both required and stored encrypted.
    Raises ``PermissionDenied`` (a commissioner) / ``Http404`` (another organisation) or
    ``NetworkError`` (field ``title`` / ``situation``); nothing is saved then. The coordinators
    are told by mail after commit (where to read it, nothing of it: ``mail.tell_coordinators_of_request``)."""
    from .mail import tell_coordinators_of_request

    title = clean_single_line(title or "", field="title", error=single_line_error)
    title = clean_text(title, field="title", max_length=TITLE_MAX, empty_message=_("Give the request a short title."))
    situation = clean_text(situation, field="situation", max_length=SITUATION_MAX, empty_message=_("Describe the situation you meet."))
    with tenant_scope(organisation), actions.write(actor, "network.take_part", organisation, "supervision_request.raised", subject=actor) as w:
        w.obj = SupervisionRequest.objects.create(
            organisation=organisation, raised_by=actor, title=title, situation=situation, anonymous=bool(anonymous)
        )
        created = w.obj
        w.on_commit(lambda: tell_coordinators_of_request(organisation.pk, created.pk, base_url))
    return w.obj


def say_concerned(actor: User, request: SupervisionRequest, word: str = "") -> Concern:
    """``actor`` says "je suis concerné·e" by ``request``, with an optional ``word`` (at most
    ``WORD_MAX`` characters, encrypted); saying it again replaces the word. A request
    already proposed as a collective supervision invites the newcomer too. Refused: the raiser
    (it is their own), a closed request, a commissioner. Returns the concern."""
    word = clean_text(word, field="word", max_length=WORD_MAX, required=False)
    with tenant_scope(request.organisation), actions.write(actor, "network.be_concerned", request, "supervision_request.concerned", lock=request, subject=actor) as w:
        concern, _created = Concern.objects.update_or_create(request=w.obj, member=actor, defaults={"word": word or None})
        if w.obj.status == SupervisionRequest.Status.PROPOSED:
            from .supervisions import invite_late

            invite_late(w, w.obj, actor)
    return concern


def withdraw_concern(actor: User, request: SupervisionRequest) -> None:
    """``actor`` is no longer concerned (their word goes with it). Idempotent."""
    with tenant_scope(request.organisation), actions.write(actor, "network.take_part", request.organisation, "supervision_request.unconcerned", lock=request, subject=actor) as w:
        Concern.objects.filter(request=w.obj, member=actor).delete()


def withdraw_request(actor: User, request: SupervisionRequest) -> SupervisionRequest:
    """The raiser (or a coordinator) withdraws the request: closed, no longer listed to the
    members; a collective supervision already proposed for it has its session cancelled
    (still planned only: a session held stays in the group's history). Refused when already
    closed."""
    from entraide.community.models import GroupSession

    from ..models import CollectiveSupervision

    with tenant_scope(request.organisation), actions.write(actor, "network.withdraw_request", request, "supervision_request.withdrawn", lock=request, subject=request.raised_by) as w:
        proposed = CollectiveSupervision.objects.filter(request=w.obj).values_list("session_id", flat=True).first()
        if proposed is not None:
            GroupSession.objects.filter(pk=proposed, status=GroupSession.Status.PLANNED).update(status=GroupSession.Status.CANCELLED)
        w.obj.status = SupervisionRequest.Status.CLOSED
        w.obj.closed_at = timezone.now()
        w.obj.save(update_fields=["status", "closed_at"])
    request.status, request.closed_at = w.obj.status, w.obj.closed_at
    return w.obj


@dataclass(frozen=True)
class RequestView:
    """A request as ``viewer`` may see it: ``raiser`` is None when its name is hidden from them;
    ``concerns`` (names and words) only for the raiser and the coordinators, else None."""

    request: SupervisionRequest
    raiser: User | None
    mine: bool
    concerned_count: int
    i_am_concerned: bool
    my_word: str
    concerns: list[Concern] | None


def view_of(viewer: User, request: SupervisionRequest, concerned_count: int | None = None, my_concern: Concern | None = None, load_concerns: bool = True) -> RequestView:
    """What ``viewer`` sees of ``request`` (inside its tenant scope). Raises ``Http404`` /
    ``PermissionDenied`` when they may not see it at all."""
    access.require(viewer, "network.view_request", request)
    concerns = None
    if load_concerns and access.can(viewer, "network.see_concerns", request):
        concerns = list(Concern.objects.filter(request=request).select_related("member"))
    if my_concern is None:
        my_concern = Concern.objects.filter(request=request, member=viewer).first()
    if concerned_count is None:
        concerned_count = len(concerns) if concerns is not None else Concern.objects.filter(request=request).count()
    return RequestView(
        request=request,
        raiser=request.raised_by if access.can(viewer, "network.see_raiser", request) else None,
        mine=request.raised_by_id == viewer.pk,
        concerned_count=concerned_count,
        i_am_concerned=my_concern is not None,
        my_word=(my_concern.word or "") if my_concern else "",
        concerns=concerns,
    )


def visible_requests(viewer: User, organisation: Organisation, *, open_only: bool = False) -> list[RequestView]:
    """The requests ``viewer`` may read in ``organisation``, newest first: the open and
    proposed ones, and their own (and, for coordinators, every one) when closed. Three queries
    plus one per request whose concerns the viewer may read. Raises ``PermissionDenied`` /
    ``Http404`` for a commissioner or a stranger."""
    access.require(viewer, "network.take_part", organisation)
    with tenant_scope(organisation):
        found = SupervisionRequest.objects.filter(organisation=organisation).select_related("raised_by").annotate(n=Count("concerns"))
        if open_only:
            found = found.exclude(status=SupervisionRequest.Status.CLOSED)
        mine = {c.request_id: c for c in Concern.objects.filter(request__organisation=organisation, member=viewer)}
        return [
            view_of(viewer, request, request.n, mine.get(request.pk), load_concerns=False)
            for request in found
            if access.can(viewer, "network.view_request", request)
        ]


def request_or_404(viewer: User, organisation: Organisation, request_id: int) -> SupervisionRequest:
    """The request ``request_id`` of ``organisation`` (inside its scope), or ``Http404`` (another
    organisation's id, or one the viewer may not read)."""
    from django.http import Http404

    found = SupervisionRequest.objects.select_related("raised_by", "organisation").filter(organisation=organisation, pk=request_id).first()
    if found is None or not access.can(viewer, "network.view_request", found):
        raise Http404
    return found
