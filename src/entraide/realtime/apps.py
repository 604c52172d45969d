from django.apps import AppConfig


class RealtimeConfig(AppConfig):
    name = "entraide.realtime"
    label = "realtime"
