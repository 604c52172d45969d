"""entraide print_kit --protocol atelier-entraide --participants 7 --lang fr --out kit.pdf

Writes the printable kit of a built-in protocol. On bad input it says why, exits non-zero and
writes nothing: the PDF goes to a temporary file next to ``--out``, renamed only when complete.
"""

import os
import tempfile
from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils import translation
from django.utils.translation import gettext as _

from entraide.kit.domain.kit import KitError, build_kit, check_language, render_kit_pdf
from entraide.protocols.domain import library
from entraide.protocols.labels import WORKSHEETS
from entraide.protocols.management.commands.fit_agenda import parse_time


class Command(BaseCommand):
    help = "Write the printable kit (agenda, posters, worksheets, role cards) of a protocol as a PDF."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--protocol", required=True, help="built-in protocol key, e.g. atelier-entraide")
        parser.add_argument("--participants", required=True, help="how many people, the facilitator included")
        parser.add_argument("--lang", default=settings.LANGUAGE_CODE, help="fr, de or en")
        parser.add_argument("--out", required=True, help="the PDF file to write")
        parser.add_argument("--start", help="start of the session, HH:MM (default 14:00)")
        parser.add_argument("--end", help="announced end, HH:MM (default: the indicative length)")

    def handle(self, *args, **options) -> None:
        try:
            language = check_language(options["lang"])
        except KitError as error:
            raise CommandError(error.message, returncode=1) from None
        with translation.override(language):
            self._handle(options, language)

    def _handle(self, options: dict, language: str) -> None:
        times = {}
        for name in ("start", "end"):
            if options[name]:
                try:
                    times[name] = parse_time(options[name])
                except ValueError:
                    raise CommandError(
                        _("“%(value)s” is not a time; write it as HH:MM, e.g. 14:00.") % {"value": options[name]}, returncode=1
                    ) from None
        protocol = library.builtin_protocol(options["protocol"])
        if protocol is None:
            raise CommandError(
                _("Unknown protocol “%(key)s”.") % {"key": options["protocol"]}
                + " "
                + _("Did you run `entraide load_protocols`?"),
                returncode=1,
            )
        out = Path(options["out"])
        if not out.parent.is_dir():
            raise CommandError(_("The folder “%(folder)s” does not exist.") % {"folder": out.parent}, returncode=1)
        try:
            kit = build_kit(protocol.current, options["participants"], language, **times)
        except KitError as error:
            raise CommandError(error.message, returncode=1) from None
        pdf = render_kit_pdf(kit)
        write_atomically(out, pdf)
        contents = [f"{WORKSHEETS['roles']} ×{len(kit.cards)}"]
        contents += [f"{WORKSHEETS[sheet.kind]} ×{sheet.copies}" for sheet in kit.sheets]
        self.stdout.write(
            _("%(file)s: %(protocol)s, %(count)d participants (%(language)s); %(contents)s.")
            % {
                "file": out,
                "protocol": kit.spec.title.get(language),
                "count": kit.participants,
                "language": language,
                "contents": ", ".join(contents),
            }
        )


def write_atomically(path: Path, content: bytes) -> None:
    """Write next to ``path``, then rename: an interrupted write never leaves half a PDF."""
    handle, temporary = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".part")
    try:
        with os.fdopen(handle, "wb") as file:
            file.write(content)
        os.replace(temporary, path)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise
