"""Test settings: the real settings, plus a model that exercises the encrypted field."""

from cryptography.fernet import Fernet

from entraide.settings import *  # noqa: F403
from entraide.settings import INSTALLED_APPS

INSTALLED_APPS = [*INSTALLED_APPS, "tests.testapp"]
# A fresh key per run: tests never read or write var/data-keys.
ENTRAIDE_DATA_KEYS = [Fernet.generate_key().decode()]
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
