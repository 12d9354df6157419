from django.urls import path

from ruche.workshops.consumers import WorkshopConsumer

websocket_urlpatterns = [
    path("ws/ateliers/<uuid:workshop_id>/", WorkshopConsumer.as_asgi()),
]
