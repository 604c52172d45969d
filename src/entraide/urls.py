from django.contrib import admin
from django.urls import include, path

from entraide.api.urls import api

urlpatterns = [
    path("i18n/", include("django.conf.urls.i18n")),
    path("admin/", admin.site.urls),
    path("api/v1/", api.urls),
    path("", include("entraide.events.urls")),
    path("", include("entraide.themes.urls")),
    path("", include("entraide.network.urls")),
    path("", include("entraide.grants.urls")),
    path("", include("entraide.programmes.urls")),
    path("", include("entraide.privacy.urls")),
    path("", include("entraide.mydata.urls")),
    path("", include("entraide.web.urls")),
]

handler400 = "entraide.web.errors.bad_request"
handler403 = "entraide.web.errors.permission_denied"
handler404 = "entraide.web.errors.page_not_found"
handler500 = "entraide.web.errors.server_error"
