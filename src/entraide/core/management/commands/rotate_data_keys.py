"""Re-encrypt every encrypted column with the first key of ENTRAIDE_DATA_KEYS.

Key rotation, step by step:
  1. generate a key:           entraide generate_data_key
  2. put it first:             ENTRAIDE_DATA_KEYS=<new>,<old>   (restart the workers)
  3. re-encrypt:               entraide rotate_data_keys
  4. drop the old key:         ENTRAIDE_DATA_KEYS=<new>          (restart the workers)

Each batch is one transaction; the command can be interrupted and run again.
"""

from django.core.management.base import BaseCommand, CommandError
from django.db import connections, router, transaction

from entraide.core.crypto import InvalidToken, cipher
from entraide.core.fields import encrypted_fields

BATCH = 500


class Command(BaseCommand):
    help = "Re-encrypt every encrypted column with the first (newest) data key."

    def handle(self, *args, **options) -> None:
        fernet = cipher()
        total = 0
        for model, fields in encrypted_fields():
            alias = router.db_for_write(model)
            connection = connections[alias]
            quote = connection.ops.quote_name
            table = quote(model._meta.db_table)
            pk_column = quote(model._meta.pk.column)
            columns = [quote(field.column) for field in fields]
            rotated = 0
            last_pk = None
            while True:
                with transaction.atomic(using=alias), connection.cursor() as cursor:
                    where = f"WHERE {pk_column} > %s " if last_pk is not None else ""
                    cursor.execute(
                        f"SELECT {pk_column}, {', '.join(columns)} FROM {table} {where}"
                        f"ORDER BY {pk_column} LIMIT {BATCH}",
                        [last_pk] if last_pk is not None else [],
                    )
                    rows = cursor.fetchall()
                    if not rows:
                        break
                    for pk, *tokens in rows:
                        try:
                            new_tokens = [
                                None if token is None else fernet.rotate(token.encode("ascii")).decode("ascii")
                                for token in tokens
                            ]
                        except InvalidToken as error:
                            raise CommandError(
                                f"{model._meta.label} #{pk}: no key in ENTRAIDE_DATA_KEYS decrypts it; "
                                "nothing of this batch was changed. Keep the old key in the list."
                            ) from error
                        assignments = ", ".join(f"{column} = %s" for column in columns)
                        cursor.execute(
                            f"UPDATE {table} SET {assignments} WHERE {pk_column} = %s", [*new_tokens, pk]
                        )
                    last_pk = rows[-1][0]
                    rotated += len(rows)
            total += rotated
            self.stdout.write(f"{model._meta.label}: {rotated} rows re-encrypted")
        self.stdout.write(self.style.SUCCESS(f"Done: {total} rows re-encrypted with the first key."))
