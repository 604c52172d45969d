"""The network's addresses (namespace ``network``): supervision requests (``/o/<org>/demandes/``),
mentoring (``/o/<org>/parrainage/``) and the network page (``/o/<org>/reseau/``)."""

from django.urls import path

from . import views

app_name = "network"

urlpatterns = [
    path("o/<slug:org>/reseau/", views.network_home, name="home"),
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
    path("o/<slug:org>/demandes/<int:pk>/paf/dues/", views.supervision_paf_due, name="supervision-paf-due"),
    path("o/<slug:org>/parrainage/", views.mentoring_home, name="mentoring"),
    path("o/<slug:org>/parrainage/proposer/", views.mentor_offer, name="mentor-offer"),
    path("o/<slug:org>/parrainage/demande/", views.mentoring_new, name="mentoring-new"),
    path("o/<slug:org>/parrainage/<int:pk>/", views.mentoring_request, name="mentoring-request"),
    path("o/<slug:org>/parrainage/<int:pk>/jumelage/", views.mentoring_match, name="mentoring-match"),
    path("o/<slug:org>/parrainage/<int:pk>/rencontres/", views.mentoring_meeting, name="mentoring-meeting"),
    path("o/<slug:org>/parrainage/<int:pk>/rencontres/<int:meeting>/note/", views.meeting_note, name="meeting-note"),
    path("o/<slug:org>/parrainage/<int:pk>/cloturer/", views.mentoring_end, name="mentoring-end"),
    path("o/<slug:org>/parrainage/<int:pk>/paf/", views.mentoring_paf, name="mentoring-paf"),
]
