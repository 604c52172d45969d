"""Retention per kind of content and the "Données et confidentialité" page (issue 14, point 5;
DESIGN.md "Confidentiality model" and "Lifecycle")."""
from django.apps import AppConfig


class PrivacyConfig(AppConfig):
    name = "entraide.privacy"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from . import rules  # noqa: F401  (registers the privacy page's permissions)
