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
