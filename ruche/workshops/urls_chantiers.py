from django.urls import path

from ruche.workshops import views_chantiers

app_name = "workshops_chantiers"

urlpatterns = [
    path(
        "structures/<str:organisation_id>/chantiers/",
        views_chantiers.chantier_list,
        name="list",
    ),
    path("chantiers/<str:chantier_id>/suivi/", views_chantiers.chantier_edit, name="edit"),
]
