from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class GroupingConfig(AppConfig):
    """Forming tables and re-mixing them across rounds: pure functions (no models), plus the
    `form_groups` management command."""

    name = "entraide.grouping"
    label = "grouping"
    verbose_name = _("Forming tables")
