"""The socket's event text for each viewer is the event resolved by `live.for_viewer`."""

import json

from ruche.workshops.consumers import EventText
from ruche.workshops.live import Patch, Viewer, for_viewer

VIEWERS = [
    Viewer(),
    Viewer(attendee="a1"),
    Viewer(attendee="a2"),
    Viewer(attendee="a3"),
    Viewer(facilitator=True),
    Viewer(attendee="a1", facilitator=True),
]


def _patch() -> Patch:
    patch = Patch().put("notes", {"id": "n1", "text": None, "masked": True})
    patch.remove("clusters", "c9")
    patch.only_for(["a1"], facilitators=True).put("notes", {"id": "n1", "text": "vélo"})
    patch.only_for(["a1"]).put("my_notes", {"id": "n1"})
    patch.only_for(["a2"]).remove("my_dots", "d1")
    patch.only_for((), facilitators=True).put("dot_counts", {"id": "k", "count": 2})
    patch.change("notes", {"id": "n2", "text": "covoiturage", "masked": False})
    patch.only_for(["a2"]).change("notes", {"id": "n3", "text": "à pied"})
    return patch


def test_each_viewer_gets_the_payload_for_viewer_resolves():
    """Shared parts, then the viewer's own restricted parts in order; others' are absent."""
    payload = _patch().as_payload()
    event = {"seq": 7, "type": "note.add", "payload": payload}
    text = EventText(event)
    for viewer in VIEWERS:
        sent = json.loads(text.for_viewer(viewer))
        assert sent == {
            "type": "event",
            "seq": 7,
            "event": "note.add",
            "payload": for_viewer(payload, viewer),
        }, viewer


def test_an_unrestricted_event_is_one_text_for_everyone():
    """Without restricted parts every viewer gets the same, unchanged payload."""
    payload = Patch().put("clusters", {"id": "c1", "name": "Mobilités"}).as_payload()
    text = EventText({"seq": 3, "type": "cluster.add", "payload": payload})
    texts = {text.for_viewer(viewer) for viewer in VIEWERS}
    assert len(texts) == 1
    assert json.loads(texts.pop())["payload"] == payload


def test_a_restricted_part_alone_reaches_only_its_viewer():
    """A payload with only a restricted part is empty for everyone else."""
    payload = Patch()
    payload.only_for(["a1"]).put("my_dots", {"id": "d", "count": 1})
    payload = payload.as_payload()
    text = EventText({"seq": 4, "type": "dot.set", "payload": payload})
    assert json.loads(text.for_viewer(Viewer(attendee="a2")))["payload"] == {}
    assert json.loads(text.for_viewer(Viewer(attendee="a1")))["payload"] == {
        "upsert": {"my_dots": [{"id": "d", "count": 1}]}
    }
