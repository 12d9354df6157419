from django.urls import path

from ruche.workshops import views_synthesis

app_name = "workshops_synthesis"

urlpatterns = [
    path("ateliers/<str:workshop_id>/synthese/", views_synthesis.synthesis, name="synthesis"),
    path(
        "ateliers/<str:workshop_id>/synthese/imprimer/",
        views_synthesis.printable,
        name="print",
    ),
    path(
        "ateliers/<str:workshop_id>/synthese/export.<str:fmt>",
        views_synthesis.export,
        name="export",
    ),
]
