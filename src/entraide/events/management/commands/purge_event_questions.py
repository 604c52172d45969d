from django.core.management.base import BaseCommand

from entraide.events.domain.retention import QUESTION_RETENTION_DAYS, purge_presenter_questions


class Command(BaseCommand):
    help = "Erase the questions presenters brought to events that took place more than N days ago (run daily)."

    def add_arguments(self, parser) -> None:
        parser.add_argument("--days", type=int, default=QUESTION_RETENTION_DAYS)

    def handle(self, *args, days: int, **options) -> None:
        erased = purge_presenter_questions(days)
        self.stdout.write(f"{erased} question(s) erased.")
