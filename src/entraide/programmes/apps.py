from django.apps import AppConfig


class ProgrammesConfig(AppConfig):
    name = "entraide.programmes"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        # The permissions of commissioned programmes (rules.add_perm) register on import.
        from . import rules  # noqa: F401
