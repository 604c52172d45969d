"""The network's addresses (namespace ``network``): supervision requests (``/o/<org>/demandes/``),
mentoring (``/o/<org>/parrainage/``) and the network page (``/o/<org>/reseau/``)."""

from django.urls import path

from . import views

app_name = "network"

urlpatterns = [
    path("o/<slug:org>/demandes/", views.request_list, name="requests"),
    path("o/<slug:org>/demandes/nouvelle/", views.request_new, name="request-new"),
    path("o/<slug:org>/demandes/<int:pk>/", views.request_detail, name="request"),
    path("o/<slug:org>/demandes/<int:pk>/concerne/", views.request_concern, name="request-concern"),
    path("o/<slug:org>/demandes/<int:pk>/plus-concerne/", views.request_unconcern, name="request-unconcern"),
    path("o/<slug:org>/demandes/<int:pk>/retirer/", views.request_withdraw, name="request-withdraw"),
    path("o/<slug:org>/demandes/<int:pk>/supervision/", views.supervision_propose, name="supervision-propose"),
    path("o/<slug:org>/demandes/<int:pk>/inscription/", views.supervision_register, name="supervision-register"),
    path("o/<slug:org>/demandes/<int:pk>/decliner/", views.supervision_decline, name="supervision-decline"),
    path("o/<slug:org>/demandes/<int:pk>/paf/", views.supervision_paf, name="supervision-paf"),
]
