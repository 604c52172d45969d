"""Community URLs, included in the ``web`` namespace (names start with ``community-``)."""

from django.urls import path

from . import views

urlpatterns = [
    path("invitation/<str:token>/", views.invitation, name="community-invitation"),
    path("calendrier/<str:token>.ics", views.calendar_feed, name="community-calendar-feed"),
    path("o/<slug:org>/groupes/", views.group_list, name="community-groups"),
    path("o/<slug:org>/groupes/nouveau/", views.group_create, name="community-group-create"),
    path("o/<slug:org>/groupes/<int:group>/", views.group_detail, name="community-group"),
    path("o/<slug:org>/groupes/<int:group>/modifier/", views.group_edit, name="community-group-edit"),
    path("o/<slug:org>/groupes/<int:group>/planifier/", views.group_plan, name="community-group-plan"),
    path("o/<slug:org>/groupes/<int:group>/inscription/", views.group_join, name="community-group-join"),
    path("o/<slug:org>/groupes/<int:group>/depart/", views.group_leave, name="community-group-leave"),
    path("o/<slug:org>/groupes/<int:group>/charte/", views.group_charter, name="community-group-charter"),
    path("o/<slug:org>/groupes/<int:group>/rotation/", views.group_rotation, name="community-group-rotation"),
    path("o/<slug:org>/groupes/<int:group>/calendrier/", views.group_calendar, name="community-group-calendar"),
    path("o/<slug:org>/groupes/<int:group>/seances/<int:session>/presences/", views.session_attendance, name="community-attendance"),
    path("o/<slug:org>/groupes/<int:group>/seances/<int:session>/excuse/", views.session_excuse, name="community-excuse"),
    path("o/<slug:org>/groupes/<int:group>/seances/<int:session>/disponibilite/", views.session_unavailable, name="community-unavailable"),
    path("o/<slug:org>/groupes/<int:group>/seances/<int:session>/statut/", views.session_status, name="community-session-status"),
    path("o/<slug:org>/groupes/<int:group>/seances/<int:session>/direct/", views.session_live, name="community-live"),
    path("o/<slug:org>/membres/", views.member_list, name="community-members"),
    path("o/<slug:org>/membres/<int:user>/role/", views.member_role, name="community-member-role"),
    path("o/<slug:org>/mon-espace/", views.me, name="community-me"),
    path("o/<slug:org>/mon-espace/profil/", views.me_profile, name="community-me-profile"),
    path("o/<slug:org>/mon-espace/calendrier/", views.me_calendar, name="community-me-calendar"),
]
