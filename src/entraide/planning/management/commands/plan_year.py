"""entraide plan_year --country FR --zone A --from 2025-09-08 --to 2026-07-03 --sessions 5 --length half-day --json

Prints {"sessions": [{"date": "YYYY-MM-DD", "start": "HH:MM", "end": "HH:MM", "why": "..."}]}, or a
table without --json. Bad input: a clear message on stderr, a non-zero exit, nothing on stdout.
"""

import json

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils import formats, translation

from entraide.planning.domain.planner import (
    MONDAY_TO_FRIDAY,
    Length,
    PlanError,
    PlanRequest,
    SchoolHolidays,
    describe_closures,
    parse_date,
    parse_length,
    parse_time,
    parse_weekdays,
    plan_year,
)


class Command(BaseCommand):
    help = "Plan a year of sessions between two dates, outside school and public holidays, evenly spread."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--country", default="FR", help="two-letter country code (FR, BE, CH, DE, ...)")
        parser.add_argument("--zone", help="French school zone: A, B or C")
        parser.add_argument("--subdivision", help="canton, Land, département code or Belgian community")
        parser.add_argument("--from", dest="start", required=True, help="first possible day, YYYY-MM-DD")
        parser.add_argument("--to", dest="end", required=True, help="last possible day, YYYY-MM-DD")
        parser.add_argument("--sessions", required=True, help="number of sessions")
        parser.add_argument("--length", required=True, help=", ".join(length.value for length in Length))
        parser.add_argument("--weekdays", help="allowed days, e.g. mon,tue,thu (default: Monday to Friday)")
        parser.add_argument("--start-time", help="HH:MM, instead of the length's usual start")
        parser.add_argument("--end-time", help="HH:MM, instead of the length's usual end")
        parser.add_argument(
            "--closed", action="append", default=[], metavar="FIRST:LAST[:label]",
            help="a period to avoid (e.g. school holidays outside France), repeatable",
        )
        parser.add_argument(
            "--taken", action="append", default=[], metavar="YYYY-MM-DD",
            help="a day the group already has a session on, repeatable",
        )
        parser.add_argument(
            "--school-holidays", choices=[choice.value for choice in SchoolHolidays], default=SchoolHolidays.OFFICIAL.value,
            help="official data (default; the --closed periods where there is none), only the --closed periods, or ignored",
        )
        parser.add_argument("--json", action="store_true", help="print JSON")
        parser.add_argument("--lang", choices=[code for code, _name in settings.LANGUAGES], default=settings.LANGUAGE_CODE)

    def handle(self, *args, **options) -> None:
        with translation.override(options["lang"]):
            try:
                request = self._request(options)
                sessions = plan_year(request)
                closures = describe_closures(request) if not options["json"] else []
            except PlanError as error:
                raise CommandError(error.message) from None
            if options["json"]:
                self.stdout.write(json.dumps({"sessions": [s.as_dict() for s in sessions]}, ensure_ascii=False))
                return
            self._print_table(request, sessions, closures)

    def _request(self, options: dict) -> PlanRequest:
        _ = translation.gettext
        try:
            count = int(options["sessions"])
        except ValueError:
            raise PlanError(_("“%(value)s” is not a number of sessions.") % {"value": options["sessions"]}) from None
        closed = []
        for text in options["closed"]:
            parts = text.split(":", 2)
            if len(parts) < 2:
                raise PlanError(
                    _("“%(value)s” is not a closed period; write FIRST:LAST or FIRST:LAST:label, e.g. 2025-10-20:2025-10-31:Autumn.")
                    % {"value": text}
                )
            closed.append((parse_date(parts[0]), parse_date(parts[1]), parts[2].strip() if len(parts) == 3 else ""))
        return PlanRequest(
            start=parse_date(options["start"]),
            end=parse_date(options["end"]),
            sessions=count,
            length=parse_length(options["length"]),
            country=options["country"],
            subdivision=options.get("subdivision"),
            zone=options.get("zone"),
            weekdays=parse_weekdays(options["weekdays"]) if options.get("weekdays") is not None else MONDAY_TO_FRIDAY,
            closed_periods=tuple(closed),
            taken=tuple(parse_date(text) for text in options["taken"]),
            start_time=parse_time(options["start_time"]) if options.get("start_time") else None,
            end_time=parse_time(options["end_time"]) if options.get("end_time") else None,
            school_holidays=SchoolHolidays(options["school_holidays"]),
        )

    def _print_table(self, request: PlanRequest, sessions: list, closures: list) -> None:
        _ = translation.gettext
        self.stdout.write(
            translation.ngettext(
                "%(count)d session, %(length)s, from %(start)s to %(end)s",
                "%(count)d sessions, %(length)s, from %(start)s to %(end)s",
                len(sessions),
            )
            % {
                "count": len(sessions),
                "length": parse_length(request.length).label,
                "start": request.start.isoformat(),
                "end": request.end.isoformat(),
            }
        )
        for session in sessions:
            weekday = formats.date_format(session.date, "D")
            self.stdout.write(
                f"{session.date.isoformat()}  {weekday:<5} {session.start:%H:%M}–{session.end:%H:%M}  {session.why}"
            )
        if closures:
            self.stdout.write("")
            self.stdout.write(_("Holidays and closed periods considered:"))
            for first, last, label in closures:
                span = first.isoformat() if first == last else f"{first.isoformat()} – {last.isoformat()}"
                self.stdout.write(f"  {span}  {label}")
