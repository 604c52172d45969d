from django.core.management.base import BaseCommand, CommandError

from entraide.protocols.domain.library import load_builtins
from entraide.protocols.domain.spec import SpecError


class Command(BaseCommand):
    help = "Create or update the built-in protocols shipped with the package (idempotent)."

    def handle(self, *args, **options) -> None:
        try:
            status = load_builtins()
        except SpecError as error:
            raise CommandError("\n".join(error.messages)) from None
        for key, state in status.items():
            self.stdout.write(f"{key}: {state}")
