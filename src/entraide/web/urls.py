from django.contrib.auth import views as auth_views
from django.urls import path, reverse_lazy

from entraide.api.web_urls import urlpatterns as api_token_urlpatterns
from entraide.community.urls import urlpatterns as community_urlpatterns
from entraide.followup.urls import urlpatterns as followup_urlpatterns

from . import journal_views, kit_views, live_views, views
from .forms import PasswordResetForm

app_name = "web"

urlpatterns = [
    path("", views.home, name="home"),
    path("healthz", views.healthz, name="healthz"),
    path("connexion/", auth_views.LoginView.as_view(template_name="web/login.html", redirect_authenticated_user=True), name="login"),
    path("deconnexion/", auth_views.LogoutView.as_view(), name="logout"),
    # Password change and reset: Django's views, in the site's layout (web/templates/web/registration).
    path("mot-de-passe/", auth_views.PasswordChangeView.as_view(template_name="web/registration/password_change_form.html", success_url=reverse_lazy("web:password-change-done")), name="password-change"),
    path("mot-de-passe/modifie/", auth_views.PasswordChangeDoneView.as_view(template_name="web/registration/password_change_done.html"), name="password-change-done"),
    path("mot-de-passe/oublie/", auth_views.PasswordResetView.as_view(
        form_class=PasswordResetForm,
        template_name="web/registration/password_reset_form.html",
        email_template_name="web/email/password_reset.txt",
        subject_template_name="web/email/password_reset_subject.txt",
        success_url=reverse_lazy("web:password-reset-done"),
    ), name="password-reset"),
    path("mot-de-passe/oublie/envoye/", auth_views.PasswordResetDoneView.as_view(template_name="web/registration/password_reset_done.html"), name="password-reset-done"),
    path("mot-de-passe/nouveau/<uidb64>/<token>/", auth_views.PasswordResetConfirmView.as_view(template_name="web/registration/password_reset_confirm.html", success_url=reverse_lazy("web:password-reset-complete")), name="password-reset-confirm"),
    path("mot-de-passe/nouveau/fait/", auth_views.PasswordResetCompleteView.as_view(template_name="web/registration/password_reset_complete.html"), name="password-reset-complete"),
    path("accessibilite/", views.accessibility_statement, name="accessibility"),
    path("protocoles/", views.protocol_library, name="protocol-library"),
    path("protocoles/<slug:key>/", views.protocol_detail, name="protocol"),
    path("protocoles/<slug:key>/preparer/", views.protocol_prepare, name="protocol-prepare"),
    path("protocoles/<slug:key>/copier/", views.protocol_copy, name="protocol-copy"),
    path("protocoles/<slug:key>/kit/", kit_views.protocol_kit, name="protocol-kit"),
    path("protocoles/<slug:key>/ouvrir/", live_views.open_live_session, name="live-open"),
    path("rejoindre/", live_views.join_view, name="live-join"),
    path("s/<str:code>/", live_views.participant_view, name="live"),
    path("s/<str:code>/console/", live_views.console_view, name="live-console"),
    path("s/<str:code>/projecteur/", live_views.projector_view, name="live-projector"),
    path("s/<str:code>/action/", live_views.command_view, name="live-command"),
    path("s/<str:code>/etat.json", live_views.state_json, name="live-state"),
    path("s/<str:code>/qr.svg", live_views.qr_code, name="live-qr"),
    path("s/<str:code>/mon-lien.svg", live_views.personal_qr, name="live-personal-qr"),
    path("s/<str:code>/places/", live_views.seats_view, name="live-seats"),
    path("s/<str:code>/kit.pdf", kit_views.session_kit, name="live-kit"),
    path("s/<str:code>/retour/<str:secret>/", live_views.rejoin, name="live-rejoin"),
    path("o/<slug:org>/", views.organisation_home, name="organisation"),
    path("o/<slug:org>/journal/", journal_views.organisation_journal, name="core-org-log"),
    path("o/<slug:org>/mon-espace/journal/", journal_views.my_journal, name="core-my-log"),
    path("o/<slug:org>/protocoles/<slug:key>/ouvrir/", live_views.open_live_session, name="org-live-open"),
    path("o/<slug:org>/protocoles/<slug:key>/", views.org_protocol_detail, name="org-protocol"),
    path("o/<slug:org>/protocoles/<slug:key>/preparer/", views.org_protocol_prepare, name="org-protocol-prepare"),
    path("o/<slug:org>/protocoles/<slug:key>/copier/", views.org_protocol_copy, name="org-protocol-copy"),
    path("o/<slug:org>/protocoles/<slug:key>/modifier/", views.org_protocol_edit, name="org-protocol-edit"),
    path("o/<slug:org>/protocoles/<slug:key>/kit/", kit_views.org_protocol_kit, name="org-protocol-kit"),
]

urlpatterns += community_urlpatterns
urlpatterns += followup_urlpatterns
urlpatterns += api_token_urlpatterns
