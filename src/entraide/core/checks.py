"""System checks that `entraide check` (and so `check --deploy`) runs."""

from django.conf import settings
from django.core.checks import Error, Tags, register


@register(Tags.security, deploy=True)
def data_keys_check(app_configs, **kwargs):
    from .crypto import cipher

    errors = []
    if settings.PRODUCTION and not settings.ENTRAIDE_DATA_KEYS:
        errors.append(Error("ENTRAIDE_DATA_KEYS is not set.", id="entraide.E001"))
    else:
        try:
            cipher()
        except Exception as error:  # the message never contains a key
            errors.append(Error(str(error), id="entraide.E002"))
    return errors


def _sqlite_file() -> "Path | None":
    from pathlib import Path

    database = settings.DATABASES.get("default", {})
    if "sqlite" not in database.get("ENGINE", "") or not database.get("NAME") or str(database["NAME"]).startswith(":memory:"):
        return None
    return Path(database["NAME"]).resolve()


@register(Tags.security)  # not deploy-only: every command, `serve` first, refuses to start
def data_key_location_check(app_configs, **kwargs):
    """In production, a data key file must not live next to the database (issue 14, point 5):
    whoever copies the directory of the SQLite file (a backup, a stolen disk) would carry the
    key that decrypts it. An error (``entraide.E003``) when ``ENTRAIDE_DATA_KEY_FILE`` exists
    in the database file's directory, or anywhere inside ``ENTRAIDE_VAR_DIR`` when the database
    file is there too."""
    from pathlib import Path

    if not settings.PRODUCTION:
        return []
    database = _sqlite_file()
    key_file = getattr(settings, "ENTRAIDE_DATA_KEY_FILE", None)
    if database is None or not key_file:
        return []
    key = Path(key_file).resolve()
    if not key.exists():
        return []
    var_dir = Path(settings.VAR_DIR).resolve()
    beside = key.parent == database.parent
    both_in_var = database.is_relative_to(var_dir) and key.is_relative_to(var_dir)
    if beside or both_in_var:
        return [Error(
            f"A data key file ({key}) lives next to the database ({database}): move the keys out of "
            "that directory and give them through ENTRAIDE_DATA_KEYS.",
            id="entraide.E003",
        )]
    return []
