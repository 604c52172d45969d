"""The privacy page's address (namespace ``privacy``): ``/o/<org>/donnees-et-confidentialite/``."""

from django.urls import path

from . import views

app_name = "privacy"

urlpatterns = [
    path("o/<slug:org>/donnees-et-confidentialite/", views.privacy_page, name="page"),
]
