from django.urls import path

from ruche.consultations import views

app_name = "consultations"

urlpatterns = [
    path(
        "demarches/<str:process_id>/phases/<str:phase_id>/consultations/nouvelle/",
        views.create,
        name="create",
    ),
    path("consultations/<str:consultation_id>/", views.detail, name="detail"),
    path("consultations/<str:consultation_id>/participer/", views.enter, name="enter"),
    path(
        "consultations/<str:consultation_id>/acces/<str:token>/",
        views.access_link,
        name="access_link",
    ),
    path("consultations/<str:consultation_id>/voter/", views.vote_card, name="vote_card"),
    path("consultations/<str:consultation_id>/votes/", views.vote, name="vote"),
    path("consultations/<str:consultation_id>/mes-votes/", views.my_votes, name="my_votes"),
    path("consultations/<str:consultation_id>/proposer/", views.propose, name="propose"),
    path(
        "consultations/<str:consultation_id>/questions/<str:question_id>/repondre/",
        views.answer,
        name="answer",
    ),
    path("consultations/<str:consultation_id>/gerer/", views.manage, name="manage"),
    path(
        "consultations/<str:consultation_id>/gerer/propositions/",
        views.add_statements,
        name="add_statements",
    ),
    path(
        "consultations/<str:consultation_id>/gerer/questions/",
        views.add_open_question,
        name="add_open_question",
    ),
    path(
        "consultations/<str:consultation_id>/gerer/questions/<str:question_id>/supprimer/",
        views.delete_open_question,
        name="delete_open_question",
    ),
    path(
        "consultations/<str:consultation_id>/gerer/profil/",
        views.add_profile_question,
        name="add_profile_question",
    ),
    path(
        "consultations/<str:consultation_id>/gerer/profil/<str:question_id>/supprimer/",
        views.delete_profile_question,
        name="delete_profile_question",
    ),
    path("consultations/<str:consultation_id>/moderation/", views.moderation, name="moderation"),
    path(
        "consultations/<str:consultation_id>/reponses/<str:answer_id>/masquer/",
        views.hide_answer,
        name="hide_answer",
    ),
]
