from django.apps import AppConfig


class ApiConfig(AppConfig):
    name = "entraide.api"
    label = "api"
