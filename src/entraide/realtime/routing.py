"""Websocket routes (origin checked in asgi.py against ALLOWED_HOSTS)."""

from django.urls import path

from .consumers import LiveSessionConsumer

websocket_urlpatterns = [
    path("ws/s/<str:code>/", LiveSessionConsumer.as_asgi()),
]
