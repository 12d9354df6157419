"""The project's URLs with ProConnect's `oidc/` routes, as when the OIDC_* variables are set.

ruche.config.urls adds them only if OIDC was configured at import; tests switch ROOT_URLCONF
to this module instead.
"""

from django.urls import include, path

from ruche.config import urls as project_urls

urlpatterns = [
    path("oidc/", include("mozilla_django_oidc.urls")),
    *project_urls.urlpatterns,
]

handler400 = project_urls.handler400
handler403 = project_urls.handler403
handler404 = project_urls.handler404
handler500 = project_urls.handler500
