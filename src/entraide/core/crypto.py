"""Encryption of sensitive text with rotatable keys (Fernet / MultiFernet).

Keys come from ENTRAIDE_DATA_KEYS (comma-separated, the first encrypts, all decrypt), never
from SECRET_KEY. In development, when the variable is unset, one key is generated once into
``var/data-keys`` so that a restart can still read what was written.
"""

import os
from functools import lru_cache
from pathlib import Path

from cryptography.fernet import Fernet, InvalidToken, MultiFernet
from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.core.signals import setting_changed
from django.dispatch import receiver

__all__ = ["InvalidToken", "cipher", "generate_key", "parse_keys"]


def generate_key() -> str:
    return Fernet.generate_key().decode("ascii")


def parse_keys(keys: list[str]) -> MultiFernet:
    fernets = []
    for position, key in enumerate(k.strip() for k in keys if k.strip()):
        try:
            fernets.append(Fernet(key.encode("ascii")))
        except (ValueError, UnicodeEncodeError) as error:
            # Never echo the key itself.
            raise ImproperlyConfigured(
                f"ENTRAIDE_DATA_KEYS: key number {position + 1} is not a valid Fernet key "
                "(32 url-safe base64-encoded bytes; make one with `entraide generate_data_key`)."
            ) from error
    if not fernets:
        raise ImproperlyConfigured("ENTRAIDE_DATA_KEYS holds no key.")
    return MultiFernet(fernets)


def _development_keys(path: Path) -> list[str]:
    if not path.exists():
        path.parent.mkdir(parents=True, exist_ok=True)
        # O_EXCL: two processes starting at once must not both write a different key.
        try:
            descriptor = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        except FileExistsError:
            pass
        else:
            with os.fdopen(descriptor, "w") as key_file:
                key_file.write(generate_key() + "\n")
    return [line for line in path.read_text().split() if line]


@lru_cache(maxsize=1)
def cipher() -> MultiFernet:
    keys = settings.ENTRAIDE_DATA_KEYS
    if not keys:
        if settings.PRODUCTION:
            raise ImproperlyConfigured("ENTRAIDE_DATA_KEYS is required in production.")
        keys = _development_keys(Path(settings.ENTRAIDE_DATA_KEY_FILE))
    return parse_keys(keys)


@receiver(setting_changed)
def _reset_cipher(setting: str, **kwargs) -> None:
    if setting in ("ENTRAIDE_DATA_KEYS", "ENTRAIDE_DATA_KEY_FILE"):
        cipher.cache_clear()
