from django.urls import path

from ruche.consultations import views_report

app_name = "consultation_report"

urlpatterns = [
    path("consultations/<str:consultation_id>/synthese/", views_report.report, name="report"),
    path(
        "consultations/<str:consultation_id>/synthese/imprimer/",
        views_report.printable,
        name="print",
    ),
    path(
        "consultations/<str:consultation_id>/synthese/export.<str:fmt>",
        views_report.export,
        name="export",
    ),
    path(
        "consultations/<str:consultation_id>/synthese/nommer/",
        views_report.name_item,
        name="name",
    ),
    path(
        "consultations/<str:consultation_id>/synthese/citations/",
        views_report.pick_quotes,
        name="quotes",
    ),
    path(
        "consultations/<str:consultation_id>/synthese/recalculer/",
        views_report.recompute,
        name="recompute",
    ),
]
