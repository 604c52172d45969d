"""A member's own data (issue 14, point 5): the export of everything that is theirs, the
erasure of their account or of a live seat, and the reads of their sensitive records."""
from django.apps import AppConfig


class MyDataConfig(AppConfig):
    name = "entraide.mydata"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from . import rules  # noqa: F401  (registers the permissions of a member's own data)
