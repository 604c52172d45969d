"""Pages of the ``web`` namespace that belong to the API app (included by ``web/urls.py``)."""

from django.urls import path

from . import views

urlpatterns = [
    path("o/<slug:org>/mon-espace/api/", views.token_list, name="api-tokens"),
    path("o/<slug:org>/mon-espace/api/<int:token>/revoquer/", views.token_revoke, name="api-token-revoke"),
]
