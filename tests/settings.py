"""Test settings: the real settings, plus a model that exercises the encrypted field."""

import tempfile
from pathlib import Path

from cryptography.fernet import Fernet

from entraide.settings import *  # noqa: F403
from entraide.settings import INSTALLED_APPS

INSTALLED_APPS = [*INSTALLED_APPS, "tests.testapp"]
# A fresh key per run: tests never read or write var/data-keys.
ENTRAIDE_DATA_KEYS = [Fernet.generate_key().decode()]
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
# Receipts (grants) written by a test run go to a folder of the run, never var/private.
ENTRAIDE_PRIVATE_DIR = Path(tempfile.mkdtemp(prefix="entraide-test-private-"))

# On PostgreSQL, each test that opens websockets runs its own event loop, and the thread-pool
# threads of those loops keep the connections they borrowed: over a whole run, the per-process
# pool of 12 ran dry and the later websocket tests waited out its 10 s timeout (connect timed
# out). The tests get a larger pool; the servers the tests start keep the production default.
if "pool" in DATABASES["default"].get("OPTIONS", {}):  # noqa: F405
    DATABASES["default"]["OPTIONS"]["pool"]["max_size"] = max(DATABASES["default"]["OPTIONS"]["pool"]["max_size"], 40)  # noqa: F405
