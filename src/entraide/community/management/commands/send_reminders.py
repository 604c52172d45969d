"""Email the members of the sessions coming in N days. For cron: idempotent, safe to run often.

    entraide send_reminders                 # sessions in 2 days
    entraide send_reminders --days-before 7 --dry-run
"""

from django.core.management.base import BaseCommand, CommandError, no_translations
from django.utils import timezone
from django.utils.translation import ngettext

from entraide.community.domain.mail import send_reminders


class Command(BaseCommand):
    help = "Send the reminders of the group sessions coming in N days (each person at most once per session)."

    def add_arguments(self, parser) -> None:
        parser.add_argument("--days-before", type=int, default=2, help="Remind of the sessions this many days ahead (default 2).")
        parser.add_argument("--dry-run", action="store_true", help="List who would be reminded; send and record nothing.")

    @no_translations  # operators' log, in English like the lines above it
    def handle(self, *args, days_before: int, dry_run: bool, **options) -> None:
        if not 0 <= days_before <= 60:
            raise CommandError("--days-before must be between 0 and 60.")
        reminders = send_reminders(timezone.localdate(), days_before=days_before, dry_run=dry_run)
        verb = "would remind" if dry_run else "reminded"
        for reminder in reminders:
            # Identifiers only: no names or content in logs.
            self.stdout.write(f"{verb} user {reminder.user.pk} of group session {reminder.session.pk}")
        count = len(reminders)
        if dry_run:
            summary = ngettext("%(count)d reminder to send.", "%(count)d reminders to send.", count)
        else:
            summary = ngettext("%(count)d reminder sent.", "%(count)d reminders sent.", count)
        self.stdout.write(summary % {"count": count})
