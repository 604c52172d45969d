from django.apps import AppConfig


class GrantsConfig(AppConfig):
    name = "entraide.grants"
    default_auto_field = "django.db.models.BigAutoField"
