"""`ruche serve` leaves WebSocket compression off unless RUCHE_WS_COMPRESSION asks for it:
compressing each frame for each socket is what a large room's server cannot afford."""

import pytest
import websockets

from tests.infra.aio import run_async
from tests.infra.workshop_client import Server, django_command, prepare_database


@pytest.fixture
def environment(transactional_db, tmp_path):
    env = prepare_database(tmp_path, redis=False)
    django_command(env, "setup", {"participants": 1})  # migrates a SQLite file database
    return env


async def negotiated_extensions(server: Server, path: str) -> str | None:
    async with websockets.connect(
        server.ws_root + path, origin=server.origin, compression="deflate"
    ) as socket:
        return socket.response.headers.get("Sec-WebSocket-Extensions")


@pytest.mark.parametrize(("setting", "expected"), [(None, None), ("true", "permessage-deflate")])
def test_compression_is_off_unless_asked_for(environment, tmp_path, setting, expected):
    """Rule: a browser offering permessage-deflate gets an uncompressed socket by default,
    and a compressed one with RUCHE_WS_COMPRESSION=true."""
    env = dict(environment)
    if setting is not None:
        env["RUCHE_WS_COMPRESSION"] = setting
    server = Server(env, tmp_path / "server.log")
    server.start()
    try:
        # Any workshop path: the socket is accepted before being refused (4403).
        path = "/ws/ateliers/00000000-0000-0000-0000-000000000000/"
        extensions = run_async(negotiated_extensions, server, path)
    finally:
        server.kill()
    if expected is None:
        assert extensions is None
    else:
        assert extensions is not None and extensions.startswith(expected)
