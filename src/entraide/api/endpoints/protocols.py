"""Protocols: the built-in formats and the organisation's own versions, and agenda fitting."""

from datetime import time

from django.http import Http404, HttpRequest
from django.utils.translation import get_language
from ninja import Router

from entraide.protocols.domain import library
from entraide.protocols.domain.agenda import fit_agenda

from .. import schemas
from .common import limit_param, offset_param, organisation_of, page, responses

router = Router(tags=["protocols"])


def _summary(protocol) -> dict:
    spec = protocol.spec
    return {
        "key": protocol.key, "title": spec.title.get(),
        "organisation": protocol.organisation.slug if protocol.organisation_id else None,
        "participants_min": spec.participants_min, "participants_max": spec.participants_max, "languages": list(spec.languages),
    }


@router.get("/protocols", response=responses(schemas.ProtocolPage), summary="Protocols visible to the caller")
def list_protocols(request: HttpRequest, limit: int = limit_param(), offset: int = offset_param()):
    """The built-in protocols and the token's organisation's own versions, in the library's
    order (``library.visible_protocols``, as the protocol library page)."""
    organisation = organisation_of(request)
    protocols = [p for p in library.visible_protocols(request.user) if p.organisation_id in (None, organisation.pk)]
    return page([_summary(p) for p in protocols], limit, offset)


@router.get("/protocols/{key}/agenda", response=responses(schemas.AgendaOut), summary="Fit a built-in protocol's agenda to a window")
def protocol_agenda(request: HttpRequest, key: str, participants: int, start: time, end: time):
    """Every step's start and length fitted between ``start`` and ``end`` for ``participants``
    people; a window that cannot hold the protocol answers 400 with its reason
    (``protocols.domain.agenda.fit_agenda``, as the prepare page)."""
    protocol = library.builtin_protocol(key)
    if protocol is None:
        raise Http404
    # An AgendaError is a DomainError: the API's handler answers 400 {code, detail, field}.
    return fit_agenda(protocol.spec, participants, start, end).as_dict(get_language())
