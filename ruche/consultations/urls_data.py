from django.urls import path

from ruche.consultations import views_data

app_name = "consultation_data"

urlpatterns = [
    path("consultations/<str:consultation_id>/importer/", views_data.importer, name="importer"),
    path(
        "consultations/<str:consultation_id>/donnees/polis.zip",
        views_data.polis_zip,
        name="polis_zip",
    ),
    path(
        "consultations/<str:consultation_id>/donnees/donnees.xlsx",
        views_data.data_xlsx,
        name="data_xlsx",
    ),
]
