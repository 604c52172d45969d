from django.urls import path

from . import views

app_name = "events"

urlpatterns = [
    path("evenements/<slug:org>/<slug:slug>/", views.public_event, name="public"),
    path("evenements/<slug:org>/<slug:slug>/evenement.ics", views.event_ics, name="ics"),
    path("evenements/<slug:org>/<slug:slug>/annulation/<str:token>/", views.cancel_by_link, name="cancel"),
    path("o/<slug:org>/evenements/", views.event_list, name="list"),
    path("o/<slug:org>/evenements/nouveau/", views.event_create, name="create"),
    path("o/<slug:org>/evenements/a-venir/", views.member_events, name="upcoming"),
    path("o/<slug:org>/evenements/<slug:slug>/", views.event_detail, name="detail"),
    path("o/<slug:org>/evenements/<slug:slug>/modifier/", views.event_edit, name="edit"),
    path("o/<slug:org>/evenements/<slug:slug>/inscriptions.csv", views.registrations_csv, name="csv"),
    path("o/<slug:org>/evenements/<slug:slug>/en-direct/", views.open_live, name="open-live"),
    path("o/<slug:org>/evenements/<slug:slug>/questions/", views.presenter_questions, name="questions"),
    path("o/<slug:org>/evenements/<slug:slug>/inscriptions/<int:pk>/annuler/", views.registration_cancel, name="registration-cancel"),
]
