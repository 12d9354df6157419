"""Every app's WebSocket routes, gathered in one place."""

from ruche.accounts.routing import websocket_urlpatterns as accounts_ws
from ruche.workshops.routing import websocket_urlpatterns as workshops_ws

websocket_urlpatterns = [*accounts_ws, *workshops_ws]
