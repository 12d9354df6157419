from django.urls import path

from ruche.accounts import consumers

websocket_urlpatterns = [
    path("ws/structures/<str:organisation_id>/", consumers.OrganisationConsumer.as_asgi()),
]
