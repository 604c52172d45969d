"""EncryptedTextField: the model field for everything people write about their work.

The database column holds a Fernet token (AES-128-CBC + HMAC-SHA256, with a timestamp);
Python code sees plain text. Such a column can be neither searched nor ordered, which is the
point. ``entraide rotate_data_keys`` re-encrypts every such column with the newest key.
"""

from django.db import models

from .crypto import cipher


class EncryptedTextField(models.TextField):
    description = "Text encrypted at rest with the data keys (ENTRAIDE_DATA_KEYS)"

    def get_prep_value(self, value):
        value = super().get_prep_value(value)
        if value is None:
            return None
        return cipher().encrypt(str(value).encode("utf-8")).decode("ascii")

    def from_db_value(self, value, expression, connection):
        if value is None:
            return None
        return cipher().decrypt(value.encode("ascii")).decode("utf-8")

    def get_lookup(self, lookup_name):
        # Ciphertext is randomised: any lookup but isnull would silently match nothing.
        if lookup_name != "isnull":
            return None
        return super().get_lookup(lookup_name)


def encrypted_fields() -> list[tuple[type[models.Model], list[EncryptedTextField]]]:
    """Every concrete model with encrypted columns, for key rotation and erasure."""
    from django.apps import apps

    found = []
    for model in apps.get_models():
        if model._meta.proxy or not model._meta.managed:
            continue
        fields = [f for f in model._meta.local_concrete_fields if isinstance(f, EncryptedTextField)]
        if fields:
            found.append((model, fields))
    return found
