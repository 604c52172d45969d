from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CoreConfig(AppConfig):
    name = "entraide.core"
    label = "core"
    verbose_name = _("Organisations and people")

    def ready(self) -> None:
        from . import checks  # noqa: F401  (registers the system checks)
