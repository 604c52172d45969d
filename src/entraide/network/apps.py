"""The network's services to its members: supervision and intervision requests, mentoring
(parrainage), the network page (issue 13, field document 000)."""
from django.apps import AppConfig


class NetworkConfig(AppConfig):
    name = "entraide.network"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from . import rules  # noqa: F401  (registers the network's permissions)
