from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class KitConfig(AppConfig):
    name = "entraide.kit"
    label = "kit"
    verbose_name = _("Printable kit")
