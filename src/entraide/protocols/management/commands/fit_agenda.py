"""entraide fit_agenda --protocol atelier-entraide --participants 7 --start 14:00 --end 16:30 --json"""

import json
import sys
from datetime import datetime, time

from django.conf import settings
from django.core.management.base import BaseCommand, CommandParser
from django.utils import translation

from entraide.core.models import Organisation
from entraide.core.tenancy import tenant_scope
from entraide.protocols.domain import library
from entraide.protocols.domain.agenda import AgendaError, fit_agenda, format_minutes
from entraide.protocols.models import Protocol


def parse_time(value: str) -> time:
    try:
        return datetime.strptime(value.strip(), "%H:%M").time()
    except ValueError:
        raise ValueError(value) from None


class Command(BaseCommand):
    help = "Fit a protocol's agenda between a start and an announced end time."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--protocol", required=True, help="protocol key, e.g. atelier-entraide")
        parser.add_argument("--organisation", help="slug of the organisation owning an adapted copy")
        parser.add_argument("--participants", required=True, type=int, help="facilitator included")
        parser.add_argument("--start", required=True, help="HH:MM")
        parser.add_argument("--end", required=True, help="announced end, HH:MM")
        parser.add_argument("--json", action="store_true", help="print JSON")
        parser.add_argument("--lang", choices=[code for code, _name in settings.LANGUAGES], default=settings.LANGUAGE_CODE)

    def fail(self, message: str) -> None:
        self.stderr.write(message)
        sys.exit(1)

    def handle(self, *args, **options) -> None:
        with translation.override(options["lang"]):
            self._handle(options)

    def _handle(self, options: dict) -> None:
        try:
            start, end = parse_time(options["start"]), parse_time(options["end"])
        except ValueError as error:
            self.fail(translation.gettext("“%(value)s” is not a time; write it as HH:MM, e.g. 14:00.") % {"value": error.args[0]})
        protocol = self._protocol(options["protocol"], options.get("organisation"))
        try:
            agenda = fit_agenda(protocol.spec, options["participants"], start, end)
        except AgendaError as error:
            self.fail(error.message)
        if options["json"]:
            self.stdout.write(json.dumps(agenda.as_dict(options["lang"]), ensure_ascii=False))
            return
        self.stdout.write(f"{agenda.spec.title.get()} — {agenda.participants} participants")
        for item in agenda.items:
            self.stdout.write(f"{format_minutes(item.start)}  {item.minutes:3d} min  {item.step.title.get()}")
        self.stdout.write(f"{format_minutes(agenda.end)}  ({translation.gettext('end')})")

    def _protocol(self, key: str, organisation_slug: str | None) -> Protocol:
        unknown = translation.gettext("Unknown protocol “%(key)s”.") % {"key": key}
        if not organisation_slug:
            protocol = library.builtin_protocol(key)
            if protocol is None:
                self.fail(unknown + " " + translation.gettext("Did you run `entraide load_protocols`?"))
            return protocol
        organisation = Organisation.objects.filter(slug=organisation_slug).first()
        if organisation is None:
            self.fail(translation.gettext("Unknown organisation “%(slug)s”.") % {"slug": organisation_slug})
        with tenant_scope(organisation):
            protocol = Protocol.objects.select_related("current").filter(organisation=organisation, key=key).first()
        if protocol is None or protocol.current is None:
            self.fail(unknown)
        return protocol
