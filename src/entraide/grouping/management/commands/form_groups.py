"""entraide form_groups --participants 15 --size 3 --rounds 7 --json
entraide form_groups --csv-in event.csv --csv-out tables.csv --min-size 3 --max-size 5

Re-mixing: prints {"rounds": [[[1, 2, 3], ...], ...], "repeats": n, "seconds": s} with --json, a
table per round otherwise. Prepared events (--csv-in, columns in entraide.grouping.csvio): writes
key,table to --csv-out (or stdout) and a summary on stderr. Bad input: a clear message on stderr,
a non-zero exit, nothing written.
"""

import json
from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils import translation

from entraide.grouping import GroupingImpossible, form_tables, remix
from entraide.grouping.csvio import read_event, write_tables


class Command(BaseCommand):
    help = "Form tables: re-mix N people over rounds (few repeated meetings), or seat a prepared event from CSV."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--participants", type=int, help="number of people to re-mix (numbered 1..N)")
        parser.add_argument("--size", type=int, help="people per table (re-mixing)")
        parser.add_argument("--rounds", type=int, default=1, help="number of rounds (re-mixing)")
        parser.add_argument("--csv-in", help="prepared event: key,role,case,preferences,languages,community,avoid")
        parser.add_argument("--csv-out", help="where to write key,table (default: stdout)")
        parser.add_argument("--min-size", type=int, default=3, help="smallest table, presenter included (default 3)")
        parser.add_argument("--max-size", type=int, default=5, help="largest table, presenter included (default 5)")
        parser.add_argument("--seed", type=int, default=0)
        parser.add_argument("--time-limit", type=float, default=None, help="seconds (default: 10 re-mixing, 2 tables)")
        parser.add_argument("--json", action="store_true", help="print JSON")
        parser.add_argument("--lang", choices=[code for code, _name in settings.LANGUAGES], default=settings.LANGUAGE_CODE)

    def handle(self, *args, **options) -> None:
        with translation.override(options["lang"]):
            _ = translation.gettext
            if options["time_limit"] is not None and not 0 < options["time_limit"] <= 3600:
                raise CommandError(_("The time limit must be between 0 and 3600 seconds."))
            try:
                if options["csv_in"]:
                    self._event(options)
                elif options["participants"] is not None and options["size"] is not None:
                    self._remix(options)
                else:
                    raise CommandError(_("Give --participants and --size, or --csv-in."))
            except GroupingImpossible as error:
                raise CommandError(str(error)) from None

    def _remix(self, options: dict) -> None:
        schedule = remix(options["participants"], options["size"], options["rounds"], seed=options["seed"],
                         time_limit_s=options["time_limit"] or 10.0)
        if options["json"]:
            self.stdout.write(json.dumps({"rounds": schedule.rounds, "repeats": schedule.repeats, "seconds": schedule.seconds}))
            return
        for number, tables in enumerate(schedule.rounds, start=1):
            self.stdout.write(translation.gettext("Round %(number)d") % {"number": number} + ": " + "  ".join(
                " ".join(str(p) for p in table) for table in tables))
        self.stdout.write(translation.gettext("Repeated meetings: %(repeats)d") % {"repeats": schedule.repeats})

    def _event(self, options: dict) -> None:
        _ = translation.gettext
        path = Path(options["csv_in"])
        try:
            text = path.read_text(encoding="utf-8-sig")
        except (OSError, UnicodeDecodeError) as error:
            raise CommandError(_("Cannot read “%(path)s”: %(reason)s") % {"path": path, "reason": getattr(error, "strerror", None) or error}) from None
        people, cases = read_event(text)
        tables = form_tables(people, cases, min_size=options["min_size"], max_size=options["max_size"], seed=options["seed"],
                             time_limit_s=options["time_limit"] or 2.0)
        output = write_tables(tables)
        if options["csv_out"]:
            try:
                Path(options["csv_out"]).write_text(output, encoding="utf-8")
            except OSError as error:
                raise CommandError(_("Cannot write “%(path)s”: %(reason)s") % {"path": options["csv_out"], "reason": error.strerror}) from None
        else:
            self.stdout.write(output, ending="")
        if options["json"]:
            self.stderr.write(json.dumps(tables.score))
