from django.apps import AppConfig


class LiveConfig(AppConfig):
    name = "entraide.live"
    label = "live"
