"""Delete what is past its organisation's retention (issue 14, point 5). For cron: idempotent.

    entraide purge_expired                        # every organisation
    entraide purge_expired --dry-run --json       # {"live_content": 3, ...}: due, nothing deleted
    entraide purge_expired --organisation demo
"""

import json

from django.core.management.base import BaseCommand, CommandError, no_translations

from entraide.core.models import Organisation
from entraide.privacy.retention import purge_expired


class Command(BaseCommand):
    help = "Delete the content past its retention period, per kind and organisation (run daily)."

    def add_arguments(self, parser) -> None:
        parser.add_argument("--dry-run", action="store_true", help="Count what is due; delete nothing.")
        parser.add_argument("--json", action="store_true", help='Print {"kind": count, ...} as JSON.')
        parser.add_argument("--organisation", metavar="SLUG", help="Only this organisation.")

    @no_translations  # operators' log, in English
    def handle(self, *args, dry_run: bool, json: bool, organisation: str | None, **options) -> None:
        organisations = None
        if organisation is not None:
            found = Organisation.objects.filter(slug=organisation).first()
            if found is None:
                raise CommandError(f"No organisation with the slug {organisation!r}.")
            organisations = [found]
        counts = purge_expired(organisations, dry_run=dry_run)
        if json:
            self.stdout.write(_dumps(counts))
            return
        verb = "due" if dry_run else "purged"
        for key, count in counts.items():
            self.stdout.write(f"{key}: {count} {verb}")


def _dumps(counts: dict) -> str:
    return json.dumps(counts, sort_keys=False)
