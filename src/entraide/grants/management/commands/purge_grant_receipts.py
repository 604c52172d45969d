"""Delete the files of grant receipts older than the accounting retention. For cron: idempotent.

    entraide purge_grant_receipts             # ENTRAIDE_RECEIPT_RETENTION_YEARS (default 10)
    entraide purge_grant_receipts --years 7
"""

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError, no_translations
from django.utils.translation import ngettext

from entraide.grants.domain.receipts import purge_receipts


class Command(BaseCommand):
    help = "Delete the files of grant receipts uploaded more than N years ago (run daily)."

    def add_arguments(self, parser) -> None:
        parser.add_argument("--years", type=int, default=None, help="Keep receipts this many years (default: ENTRAIDE_RECEIPT_RETENTION_YEARS).")

    @no_translations  # operators' log, in English
    def handle(self, *args, years: int | None, **options) -> None:
        years = settings.ENTRAIDE_RECEIPT_RETENTION_YEARS if years is None else years
        if years < 0:
            raise CommandError("--years must be 0 or more.")
        purged = purge_receipts(years)
        self.stdout.write(ngettext("%(count)d receipt file purged.", "%(count)d receipt files purged.", purged) % {"count": purged})
