from django.urls import path

from ruche.core import views

app_name = "core"

urlpatterns = [
    path("", views.home, name="home"),
    path("healthz", views.healthz, name="healthz"),
    path("styleguide/", views.styleguide, name="styleguide"),
]
