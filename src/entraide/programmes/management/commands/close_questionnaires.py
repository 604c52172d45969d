"""Close the evaluation questionnaires whose closing date has passed. For cron: idempotent.

    entraide close_questionnaires

Pages already treat a questionnaire past its date as closed; this records it (status, date).
"""

from django.core.management.base import BaseCommand, no_translations

from entraide.programmes.domain.questionnaires import close_due


class Command(BaseCommand):
    help = "Close the evaluation questionnaires whose closing date has passed."

    @no_translations
    def handle(self, *args, **options) -> None:
        self.stdout.write(f"closed {close_due()} questionnaire(s)")
