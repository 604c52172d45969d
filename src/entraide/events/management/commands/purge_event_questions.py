from django.core.management.base import BaseCommand, no_translations
from django.utils.translation import ngettext

from entraide.events.domain.retention import QUESTION_RETENTION_DAYS, purge_presenter_questions


class Command(BaseCommand):
    help = "Erase the questions presenters brought to events that took place more than N days ago (run daily)."

    def add_arguments(self, parser) -> None:
        parser.add_argument("--days", type=int, default=QUESTION_RETENTION_DAYS)

    @no_translations  # operators' log, in English
    def handle(self, *args, days: int, **options) -> None:
        erased = purge_presenter_questions(days)
        self.stdout.write(ngettext("%(count)d question erased.", "%(count)d questions erased.", erased) % {"count": erased})
