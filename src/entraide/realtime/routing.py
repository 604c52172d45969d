"""Websocket routes of the live sessions (the consumers come with the live-session engine)."""

from django.urls import URLPattern

websocket_urlpatterns: list[URLPattern] = []
