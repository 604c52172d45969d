"""Programme pages (namespace ``programmes``): under the organisation, and the answer page
reached through a single-use link (no account needed; the link is the right to answer)."""

from django.urls import path

from . import views

app_name = "programmes"

urlpatterns = [
    path("evaluation/<str:token>/", views.answer, name="answer"),
    path("o/<slug:org>/programmes/", views.programme_list, name="list"),
    path("o/<slug:org>/programmes/nouveau/", views.programme_create, name="create"),
    path("o/<slug:org>/programmes/<int:pk>/", views.programme_detail, name="detail"),
    path("o/<slug:org>/programmes/<int:pk>/modifier/", views.programme_edit, name="edit"),
    path("o/<slug:org>/programmes/<int:pk>/reunions/nouvelle/", views.meeting_create, name="meeting-create"),
    path("o/<slug:org>/programmes/<int:pk>/reunions/<int:meeting>/modifier/", views.meeting_edit, name="meeting-edit"),
    path("o/<slug:org>/programmes/<int:pk>/reunions/<int:meeting>/compte-rendu/", views.meeting_minutes, name="minutes"),
    path("o/<slug:org>/programmes/<int:pk>/questionnaires/nouveau/", views.questionnaire_create, name="questionnaire-create"),
    path("o/<slug:org>/programmes/<int:pk>/questionnaires/<int:questionnaire>/", views.questionnaire_detail, name="questionnaire"),
    path("o/<slug:org>/programmes/<int:pk>/questionnaires/<int:questionnaire>/cloturer/", views.questionnaire_close, name="questionnaire-close"),
    path("o/<slug:org>/programmes/<int:pk>/documents/<slug:kind>/", views.provider_document, name="document"),
    path("o/<slug:org>/programmes/<int:pk>/documents/<slug:kind>/pdf/", views.provider_document_pdf, name="document-pdf"),
    path("o/<slug:org>/programmes/<int:pk>/rapport/", views.report, name="report"),
    path("o/<slug:org>/programmes/<int:pk>/rapport.csv", views.report_csv, name="report-csv"),
    path("o/<slug:org>/programmes/<int:pk>/rapport.pdf", views.report_pdf, name="report-pdf"),
]
