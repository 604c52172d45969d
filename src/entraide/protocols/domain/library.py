"""The protocol library: built-ins, copies and versions. Every change to protocols goes here."""

import re
from dataclasses import dataclass
from importlib import resources

from django.db import transaction

from entraide.core import access, actions
from entraide.core.models import Organisation
from entraide.core.tenancy import all_tenants
from entraide.core.text import has_control_characters

from ..models import Protocol, ProtocolVersion
from .spec import ProtocolSpec, SpecError, SpecIssue, parse_spec
from django.utils.translation import gettext as _

BUILTIN_PACKAGE = "entraide.protocols"
BUILTIN_FOLDER = "builtin"


@dataclass(frozen=True)
class BuiltinSource:
    filename: str
    text: str


def builtin_sources() -> list[BuiltinSource]:
    folder = resources.files(BUILTIN_PACKAGE).joinpath(BUILTIN_FOLDER)
    return [
        BuiltinSource(entry.name, entry.read_text(encoding="utf-8"))
        for entry in sorted(folder.iterdir(), key=lambda e: e.name)
        if entry.name.endswith(".yaml")
    ]


def load_builtins() -> dict[str, str]:
    """Create or update the built-in protocols from the package. Idempotent.

    Returns {key: "created" | "updated" | "unchanged"}. Every file is validated (all three
    languages required) before anything is written: one invalid file changes nothing.
    """
    parsed = [(source, parse_spec(source.text, source.filename, strict=True)) for source in builtin_sources()]
    status = {}
    with all_tenants(), transaction.atomic():
        for source, spec in parsed:
            protocol, created = Protocol.objects.get_or_create(organisation=None, key=spec.key)
            if not created and protocol.current and protocol.current.source == source.text:
                status[spec.key] = "unchanged"
                continue
            _add_version(protocol, source.text, spec, actor=None)
            status[spec.key] = "created" if created else "updated"
    return status


def copy_protocol(protocol: Protocol, organisation: Organisation, actor) -> Protocol:
    """Copy a protocol into an organisation, where its coordinators can adapt it."""
    access.require(actor, "protocols.view_protocol", protocol)
    # The one rule for every write (core.actions): the organisation row is locked, so that two
    # copies at once take two keys; one action-log row.
    with all_tenants(), actions.write(actor, "protocols.copy_protocol_into", organisation, "protocol.copied", lock=organisation) as w:
        taken = set(Protocol.objects.filter(organisation=organisation).values_list("key", flat=True))
        key = protocol.key
        number = 2
        while key in taken:
            key = f"{protocol.key}-{number}"
            number += 1
        source = _with_key(protocol.current.source, key)
        spec = parse_spec(source, f"{key}.yaml")
        copy = Protocol.objects.create(organisation=organisation, key=key, based_on=protocol)
        _add_version(copy, source, spec, actor=actor)
        w.obj = copy
    return copy


def save_protocol_version(protocol: Protocol, source: str, actor) -> ProtocolVersion:
    """Validate an edited spec and make it the current version.

    Raises ``SpecError`` (nothing saved, the current version stays) when the spec is invalid
    or changes the protocol's key.
    """
    access.require(actor, "protocols.change_protocol", protocol)
    filename = f"{protocol.key}.yaml"
    spec = parse_spec(source, filename)
    _check_title(spec, filename)
    if spec.key != protocol.key:
        raise SpecError(
            [SpecIssue(filename, None, "key", _("the key cannot change (it is “%(key)s”).") % {"key": protocol.key})]
        )
    with all_tenants(), actions.write(actor, "protocols.change_protocol", protocol, "protocol.version_saved", lock=protocol) as w:
        locked = w.obj
        if locked.current and locked.current.source == source:
            w.unchanged()
            return locked.current
        version = _add_version(locked, source, spec, actor=actor)
    protocol.current = version
    return version


def _check_title(spec: ProtocolSpec, filename: str) -> None:
    """A copy's title is a single line in every language (it ends up in page headings, PDFs,
    calendar files): raises ``SpecError`` on a control character (``entraide.core.text``)."""
    for language, title in spec.title.values.items():
        if isinstance(title, str) and has_control_characters(title):
            message = _("This field must fit on one line, without line breaks or control characters.")
            raise SpecError([SpecIssue(filename, None, f"title.{language}", message)])


def _add_version(protocol: Protocol, source: str, spec: ProtocolSpec, actor) -> ProtocolVersion:
    last = protocol.versions.order_by("-number").values_list("number", flat=True).first() or 0
    version = ProtocolVersion.objects.create(
        protocol=protocol, number=last + 1, source=source, data=dict(spec.data), created_by=actor
    )
    protocol.current = version
    protocol.save(update_fields=["current"])
    return version


KEY_LINE = re.compile(r"^key:.*$", re.MULTILINE)


def _with_key(source: str, key: str) -> str:
    """The same YAML with another top-level key, comments and layout kept."""
    replaced, count = KEY_LINE.subn(f"key: {key}", source, count=1)
    return replaced if count else f"key: {key}\n{source}"


def visible_protocols(user) -> list[Protocol]:
    """The built-ins, then the copies of every organisation the user belongs to."""
    organisation_ids = list(access.roles_of(user))
    with all_tenants():
        query = Protocol.objects.filter(current__isnull=False).select_related("current", "organisation")
        builtins = list(query.filter(organisation__isnull=True))
        own = list(query.filter(organisation_id__in=organisation_ids).order_by("organisation__name", "key"))
    builtins.sort(key=lambda p: BUILTIN_ORDER.index(p.key) if p.key in BUILTIN_ORDER else len(BUILTIN_ORDER))
    return builtins + own


BUILTIN_ORDER = [
    "atelier-entraide",
    "analyse-des-pratiques",
    "echange-de-pratiques",
    "atelier-pratique",
    "supervision-collective",
    "brouillon-atelier",
]


def protocol_in(organisation: Organisation, key: str) -> Protocol | None:
    """The protocol ``key`` as a group of ``organisation`` runs it: the organisation's own copy
    when it has one, otherwise the built-in; ``None`` when neither has a current version."""
    from django.db.models import F, Q

    with all_tenants():
        return (
            Protocol.objects.filter(Q(organisation=organisation) | Q(organisation__isnull=True), key=key, current__isnull=False)
            .select_related("current")
            .order_by(F("organisation").asc(nulls_last=True))
            .first()
        )


def builtin_protocol(key: str) -> Protocol | None:
    with all_tenants():
        protocol = Protocol.objects.select_related("current").filter(organisation__isnull=True, key=key).first()
    return protocol if protocol and protocol.current_id else None
