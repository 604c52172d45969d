"""Remind the members whose article on a paid grant is overdue. For cron: idempotent (each
author at most once every 14 days per article).

    entraide send_article_reminders
    entraide send_article_reminders --dry-run
"""

from django.core.management.base import BaseCommand, no_translations
from django.utils import timezone
from django.utils.translation import ngettext

from entraide.grants.domain.articles import send_article_reminders


class Command(BaseCommand):
    help = "Remind the authors of overdue grant articles (a link and the due date only)."

    def add_arguments(self, parser) -> None:
        parser.add_argument("--dry-run", action="store_true", help="List who would be reminded; send and record nothing.")

    @no_translations  # operators' log, in English
    def handle(self, *args, dry_run: bool, **options) -> None:
        reminders = send_article_reminders(timezone.localdate(), dry_run=dry_run)
        verb = "would remind" if dry_run else "reminded"
        for reminder in reminders:
            # Identifiers only: no names or content in logs.
            self.stdout.write(f"{verb} user {reminder.article.author_id} of article {reminder.article.pk}")
        count = len(reminders)
        self.stdout.write(ngettext("%(count)d reminder sent.", "%(count)d reminders sent.", count) % {"count": count})
