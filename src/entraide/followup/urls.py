"""Follow-up URLs, included in the ``web`` namespace (names start with ``followup-``)."""

from django.urls import path

from . import views

urlpatterns = [
    path("o/<slug:org>/suivi/", views.plan_list, name="followup-plans"),
    path("o/<slug:org>/suivi/plans/<int:plan>/", views.plan_detail, name="followup-plan"),
    path("o/<slug:org>/suivi/plans/<int:plan>/actions/", views.plan_add_action, name="followup-add-action"),
    path("o/<slug:org>/suivi/plans/<int:plan>/actions/<int:action>/", views.plan_action, name="followup-action"),
    path("o/<slug:org>/suivi/plans/<int:plan>/partage/", views.plan_share, name="followup-share"),
    path("o/<slug:org>/suivi/comptes-rendus/<int:session>/", views.record_page, name="followup-record"),
    path("o/<slug:org>/suivi/comptes-rendus/<int:session>/compte-rendu.md", views.record_markdown, name="followup-record-md"),
    path("o/<slug:org>/suivi/comptes-rendus/<int:session>/compte-rendu.pdf", views.record_pdf, name="followup-record-pdf"),
    path("s/<str:code>/garder-mon-plan/", views.keep_plan, name="followup-keep"),
]
