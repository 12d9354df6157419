from django.urls import path

from ruche.workshops import views

app_name = "workshops"

urlpatterns = [
    # Joining: short addresses, typed from a phone ("/a/" as in "atelier").
    path("a/", views.join_code, name="join_code"),
    path("a/<str:code>/", views.join, name="join"),
    # Lists and creation.
    path("ateliers/", views.workshop_list, name="list"),
    path(
        "structures/<str:organisation_id>/ateliers/",
        views.workshop_list,
        name="organisation_list",
    ),
    path("structures/<str:organisation_id>/ateliers/nouveau/", views.create, name="create"),
    path(
        "demarches/<str:process_id>/phases/<str:phase_id>/ateliers/nouveau/",
        views.create_in_phase,
        name="create_in_phase",
    ),
    # Preparing (facilitators).
    path("ateliers/<str:workshop_id>/preparer/", views.prepare, name="prepare"),
    path("ateliers/<str:workshop_id>/etat/", views.set_state, name="set_state"),
    path(
        "ateliers/<str:workshop_id>/activites/nouvelle/<str:kind>/",
        views.activity_add,
        name="activity_add",
    ),
    path(
        "ateliers/<str:workshop_id>/activites/<str:activity_id>/modifier/",
        views.activity_edit,
        name="activity_edit",
    ),
    path(
        "ateliers/<str:workshop_id>/activites/<str:activity_id>/supprimer/",
        views.activity_delete,
        name="activity_delete",
    ),
    # The live pages and the state they start from.
    path("ateliers/<str:workshop_id>/", views.participant_view, name="participant"),
    path("ateliers/<str:workshop_id>/animer/", views.console, name="console"),
    path("ateliers/<str:workshop_id>/projection/", views.projection, name="projection"),
    path("ateliers/<str:workshop_id>/etat.json", views.state_json, name="state_json"),
]
