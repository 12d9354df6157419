from django.urls import path
from django.views.i18n import JavaScriptCatalog

from ruche.core import views

app_name = "core"

urlpatterns = [
    path("", views.home, name="home"),
    path("healthz", views.healthz, name="healthz"),
    path("styleguide/", views.styleguide, name="styleguide"),
    # Interface strings of the JavaScript clients (domain "djangojs"), as window.gettext.
    path("jsi18n/", JavaScriptCatalog.as_view(), name="javascript-catalog"),
]
