from django.urls import path

from ruche.accounts import views

app_name = "accounts"

urlpatterns = [
    path("connexion/", views.LoginView.as_view(), name="login"),
    path("deconnexion/", views.LogoutView.as_view(), name="logout"),
    path("mot-de-passe/oubli/", views.PasswordResetView.as_view(), name="password_reset"),
    path(
        "mot-de-passe/oubli/envoye/",
        views.PasswordResetDoneView.as_view(),
        name="password_reset_done",
    ),
    path(
        "mot-de-passe/nouveau/<uidb64>/<token>/",
        views.PasswordResetConfirmView.as_view(),
        name="password_reset_confirm",
    ),
    path(
        "mot-de-passe/nouveau/termine/",
        views.PasswordResetCompleteView.as_view(),
        name="password_reset_complete",
    ),
    path("tableau-de-bord/", views.dashboard, name="dashboard"),
    path("structures/<str:organisation_id>/", views.organisation_detail, name="organisation"),
    path("structures/<str:organisation_id>/inviter/", views.invite, name="invite"),
    path("invitation/<str:token>/", views.invitation, name="invitation"),
    path("participant/", views.participant, name="participant"),
]
