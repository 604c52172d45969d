from django.urls import path

from . import views

app_name = "themes"

urlpatterns = [
    path("o/<slug:org>/thematiques/", views.theme_library, name="library"),
    path("o/<slug:org>/thematiques/nouvelle/", views.theme_create, name="create"),
    path("o/<slug:org>/thematiques/<int:pk>/", views.theme_detail, name="detail"),
    path("o/<slug:org>/thematiques/<int:pk>/copier/", views.theme_copy, name="copy"),
    path("o/<slug:org>/thematiques/<int:pk>/modifier/", views.theme_edit, name="edit"),
    path("s/<str:code>/thematique/", views.session_theme, name="session"),
    path("o/<slug:org>/seances/<int:session>/thematique/", views.plan_session_theme, name="plan"),
]
