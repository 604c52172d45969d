"""A member's own data (namespace ``mydata``): ``/o/<org>/mon-espace/mes-donnees/`` and the
erasure of a live seat from its personal link."""

from django.urls import path

from . import views

app_name = "mydata"

urlpatterns = [
    path("o/<slug:org>/mon-espace/mes-donnees/", views.my_data, name="home"),
    path("o/<slug:org>/mon-espace/mes-donnees/export.json", views.my_data_json, name="export-json"),
    path("o/<slug:org>/mon-espace/mes-donnees/export.pdf", views.my_data_pdf, name="export-pdf"),
    path("o/<slug:org>/mon-espace/mes-donnees/supprimer/", views.erase_account, name="erase"),
    path("s/<str:code>/retour/<str:secret>/effacer/", views.erase_seat, name="erase-seat"),
]
