from django.urls import path

from ruche.processes import views

app_name = "processes"

urlpatterns = [
    path("demarches/<str:process_id>/", views.detail, name="detail"),
    path("demarches/lien/<str:token>/", views.link, name="link"),
    path("structures/<str:organisation_id>/demarches/nouvelle/", views.create, name="create"),
    path("demarches/<str:process_id>/modifier/", views.edit, name="edit"),
    path("demarches/<str:process_id>/statut/", views.set_status, name="status"),
    path("demarches/<str:process_id>/phases/ajouter/", views.phase_add, name="phase_add"),
    path(
        "demarches/<str:process_id>/phases/<str:phase_id>/modifier/",
        views.phase_edit,
        name="phase_edit",
    ),
    path(
        "demarches/<str:process_id>/phases/<str:phase_id>/monter/",
        views.phase_move,
        {"delta": -1},
        name="phase_up",
    ),
    path(
        "demarches/<str:process_id>/phases/<str:phase_id>/descendre/",
        views.phase_move,
        {"delta": 1},
        name="phase_down",
    ),
    path(
        "demarches/<str:process_id>/phases/<str:phase_id>/supprimer/",
        views.phase_delete,
        name="phase_delete",
    ),
]
