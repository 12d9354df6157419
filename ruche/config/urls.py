from django.conf import settings
from django.contrib import admin
from django.urls import include, path

urlpatterns = [
    path("", include("ruche.core.urls")),
    path("", include("ruche.accounts.urls")),
    path("", include("ruche.processes.urls")),
    path("", include("ruche.consultations.urls_data")),
    path("", include("ruche.consultations.urls")),
    path("", include("ruche.consultations.urls_report")),
    path("", include("ruche.workshops.urls")),
    path("", include("ruche.workshops.urls_chantiers")),
    path("", include("ruche.workshops.urls_synthesis")),
    path("i18n/", include("django.conf.urls.i18n")),
    path("admin/", admin.site.urls),
]
if settings.OIDC_ENABLED:
    urlpatterns.append(path("oidc/", include("mozilla_django_oidc.urls")))

handler400 = "ruche.core.views.bad_request"
handler403 = "ruche.core.views.permission_denied"
handler404 = "ruche.core.views.page_not_found"
handler500 = "ruche.core.views.server_error"
