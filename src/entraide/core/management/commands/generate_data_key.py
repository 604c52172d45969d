from django.core.management.base import BaseCommand

from entraide.core.crypto import generate_key


class Command(BaseCommand):
    help = "Print a new data key for ENTRAIDE_DATA_KEYS."

    def handle(self, *args, **options) -> None:
        self.stdout.write(generate_key())
