"""The JSON API (OpenAPI schema at /api/v1/openapi.json). A door like the others: it parses,
asks ``core.access`` and calls the domain."""

from datetime import time

from django.http import HttpRequest
from django.utils.translation import get_language
from ninja import NinjaAPI, Schema
from ninja.errors import HttpError

from entraide.core.actions import DomainError
from entraide.protocols.domain import library
from entraide.protocols.domain.agenda import fit_agenda

api = NinjaAPI(title="Entraide API", version="1", docs_url=None, urls_namespace="api")


class ProtocolSummary(Schema):
    key: str
    title: str
    organisation: str | None
    participants_min: int
    participants_max: int
    languages: list[str]


class AgendaStep(Schema):
    key: str
    title: str
    start: str
    minutes: int


class AgendaOut(Schema):
    protocol: str
    participants: int
    start: str
    end: str
    steps: list[AgendaStep]


class ErrorOut(Schema):
    """A refusal: ``detail`` in the caller's language; for a domain refusal (400) also its
    stable ``code`` and the ``field`` concerned (``core.actions.DomainError.as_json``)."""

    detail: str
    code: str | None = None
    field: str | None = None


@api.exception_handler(DomainError)
def domain_error(request: HttpRequest, error: DomainError):
    """The API door's one mapping of a domain refusal: 400 with ``{code, detail, field}``."""
    return api.create_response(request, error.as_json(), status=400)


def _summary(protocol) -> ProtocolSummary:
    spec = protocol.spec
    return ProtocolSummary(
        key=protocol.key,
        title=spec.title.get(),
        organisation=protocol.organisation.slug if protocol.organisation_id else None,
        participants_min=spec.participants_min,
        participants_max=spec.participants_max,
        languages=list(spec.languages),
    )


@api.get("/protocols", response=list[ProtocolSummary], summary="Protocols visible to the caller")
def list_protocols(request: HttpRequest):
    return [_summary(protocol) for protocol in library.visible_protocols(request.user)]


@api.get(
    "/protocols/{key}/agenda",
    response={200: AgendaOut, 400: ErrorOut, 404: ErrorOut},
    summary="Fit a built-in protocol's agenda to a window",
)
def protocol_agenda(request: HttpRequest, key: str, participants: int, start: time, end: time):
    protocol = library.builtin_protocol(key)
    if protocol is None:
        raise HttpError(404, "Not found")
    # An AgendaError is a DomainError: the handler above answers 400 {code, detail, field}.
    agenda = fit_agenda(protocol.spec, participants, start, end)
    return agenda.as_dict(get_language())
