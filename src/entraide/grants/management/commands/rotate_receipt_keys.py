"""Re-encrypt the grant receipts' files with the first key of ENTRAIDE_DATA_KEYS: run it next
to ``entraide rotate_data_keys`` (step 3 of a key rotation), before dropping the old key."""

from django.core.management.base import BaseCommand, CommandError, no_translations

from entraide.core.crypto import InvalidToken
from entraide.grants.domain.receipts import rotate_receipt_keys


class Command(BaseCommand):
    help = "Re-encrypt every grant receipt file with the first (newest) data key."

    @no_translations  # operators' log, in English
    def handle(self, *args, **options) -> None:
        try:
            rotated = rotate_receipt_keys()
        except InvalidToken as error:
            raise CommandError("A receipt file is not decrypted by any key in ENTRAIDE_DATA_KEYS: keep the old key in the list.") from error
        self.stdout.write(f"{rotated} receipt files re-encrypted.")
