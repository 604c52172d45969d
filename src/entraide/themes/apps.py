from django.apps import AppConfig
from django.db.models.signals import post_migrate
from django.utils.translation import gettext_lazy as _


def _load_builtins(sender, **kwargs) -> None:
    from .domain.library import load_builtin_themes

    load_builtin_themes(using=kwargs.get("using", "default"))


class ThemesConfig(AppConfig):
    name = "entraide.themes"
    label = "themes"
    verbose_name = _("Themes and tools")

    def ready(self) -> None:
        # The built-in themes ship with the package: every migrate creates or updates them.
        post_migrate.connect(_load_builtins, sender=self, dispatch_uid="entraide.themes.builtins")
        from . import live_parts  # noqa: F401 - registers the theme part of the live view
