"""The site's URLs plus two views that fail, for tests/web/test_errors.py."""

from django.db import OperationalError
from django.urls import path

from entraide.urls import handler500, urlpatterns as site


def unreachable(request):
    raise OperationalError("connection refused")


def buggy(request):
    raise RuntimeError("a bug")


urlpatterns = [path("test/unreachable/", unreachable), path("test/buggy/", buggy), *site]
__all__ = ["handler500", "urlpatterns"]
