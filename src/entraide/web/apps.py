from django.apps import AppConfig


class WebConfig(AppConfig):
    name = "entraide.web"
    label = "web"
