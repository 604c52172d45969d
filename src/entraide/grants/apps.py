from django.apps import AppConfig


class GrantsConfig(AppConfig):
    name = "entraide.grants"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from entraide.network.domain.overview import register_section

        from .overview import grants_section

        register_section(grants_section)
