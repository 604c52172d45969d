"""Email the authors of action plans with an action due in N days. For cron: idempotent.

    entraide send_plan_reminders                 # actions due in 2 days
    entraide send_plan_reminders --days-before 1 --dry-run
"""

from django.core.management.base import BaseCommand, CommandError, no_translations
from django.utils import timezone
from django.utils.translation import ngettext

from entraide.followup.domain.reminders import send_plan_reminders


class Command(BaseCommand):
    help = "Remind the authors of action plans of the actions due in N days (a link only, once per plan and date)."

    def add_arguments(self, parser) -> None:
        parser.add_argument("--days-before", type=int, default=2, help="Remind of the actions due this many days ahead (default 2).")
        parser.add_argument("--dry-run", action="store_true", help="List who would be reminded; send and record nothing.")

    @no_translations  # operators' log, in English like the lines above it
    def handle(self, *args, days_before: int, dry_run: bool, **options) -> None:
        if not 0 <= days_before <= 60:
            raise CommandError("--days-before must be between 0 and 60.")
        reminders = send_plan_reminders(timezone.localdate(), days_before=days_before, dry_run=dry_run)
        verb = "would remind" if dry_run else "reminded"
        for reminder in reminders:
            # Identifiers only: no names or content in logs.
            self.stdout.write(f"{verb} user {reminder.plan.author_id} of plan {reminder.plan.pk}")
        count = len(reminders)
        if dry_run:
            summary = ngettext("%(count)d reminder to send.", "%(count)d reminders to send.", count)
        else:
            summary = ngettext("%(count)d reminder sent.", "%(count)d reminders sent.", count)
        self.stdout.write(summary % {"count": count})
