"""The workshop's client state and the patches that change it (pure Python, no Django).

A client holds the workshop as collections of objects keyed by id (`COLLECTIONS`). Every
live event's payload is a *patch*::

    {"upsert": {"notes": [{"id": …, …}]}, "delete": {"notes": ["…"]},
     "_restricted": [{"to": ["<attendee id>"], "facilitators": true,
                      "upsert": {…}, "delete": {…}}]}

Upserts replace whole objects, so applying a patch twice, or an older patch after a
snapshot that already contains a newer version of the object and then the newer patch,
ends in the same state: that is what makes resync and snapshots safe to mix.

`_restricted` parts go only to the listed attendees and/or the facilitators (a note's text
before the reveal, someone's own dots); `for_viewer` resolves them before anything is sent,
and a snapshot is the full patch of the workshop resolved for the viewer and applied to an
empty state, so a page load and a replay are built by the same code.

`static/workshops/state.js` is the same reducer in JavaScript.
"""

from dataclasses import dataclass, field

COLLECTIONS = (
    "workshop",
    "activities",
    "prompts",
    "notes",
    "my_notes",
    "clusters",
    "dot_totals",
    "dot_counts",
    "my_dots",
    "rating_avgs",
    "my_ratings",
    "chantiers",
    "commitments",
    "my_commitments",
)


@dataclass(frozen=True)
class Viewer:
    """Who a patch is resolved for: an attendee id (or None) and whether they facilitate."""

    attendee: str | None = None
    facilitator: bool = False


@dataclass
class Patch:
    upsert: dict[str, dict[str, dict]] = field(default_factory=dict)
    delete: dict[str, set[str]] = field(default_factory=dict)
    restricted: list[tuple[tuple[str, ...], bool, "Patch"]] = field(default_factory=list)
    # What the sender's acknowledgement carries (the id of what was created…); not broadcast.
    result: dict = field(default_factory=dict)

    def put(self, collection: str, obj: dict) -> "Patch":
        assert collection in COLLECTIONS, collection
        self.upsert.setdefault(collection, {})[str(obj["id"])] = obj
        self.delete.get(collection, set()).discard(str(obj["id"]))
        return self

    def remove(self, collection: str, object_id) -> "Patch":
        assert collection in COLLECTIONS, collection
        self.upsert.get(collection, {}).pop(str(object_id), None)
        self.delete.setdefault(collection, set()).add(str(object_id))
        return self

    def only_for(self, attendees=(), facilitators: bool = False) -> "Patch":
        """A part of this patch that only `attendees` (ids) and maybe facilitators receive."""
        part = Patch()
        self.restricted.append((tuple(str(a) for a in attendees if a), facilitators, part))
        return part

    def is_empty(self) -> bool:
        return not (any(self.upsert.values()) or any(self.delete.values()) or self.restricted)

    def as_payload(self) -> dict:
        payload = _plain(self)
        restricted = [
            {"to": list(to), "facilitators": fac, **_plain(part)}
            for to, fac, part in self.restricted
            if not part.is_empty()
        ]
        if restricted:
            payload["_restricted"] = restricted
        return payload


def _plain(patch: Patch) -> dict:
    payload = {}
    upsert = {c: list(objs.values()) for c, objs in patch.upsert.items() if objs}
    delete = {c: sorted(ids) for c, ids in patch.delete.items() if ids}
    if upsert:
        payload["upsert"] = upsert
    if delete:
        payload["delete"] = delete
    return payload


def for_viewer(payload: dict, viewer: Viewer) -> dict:
    """The payload as `viewer` may see it: restricted parts merged in or dropped."""
    restricted = payload.get("_restricted")
    if not restricted:
        return payload
    result = {
        "upsert": {c: list(objs) for c, objs in payload.get("upsert", {}).items()},
        "delete": {c: list(ids) for c, ids in payload.get("delete", {}).items()},
    }
    for part in restricted:
        allowed = (viewer.facilitator and part.get("facilitators")) or (
            viewer.attendee is not None and viewer.attendee in part.get("to", ())
        )
        if not allowed:
            continue
        for collection, objs in part.get("upsert", {}).items():
            result["upsert"].setdefault(collection, []).extend(objs)
        for collection, ids in part.get("delete", {}).items():
            result["delete"].setdefault(collection, []).extend(ids)
    return {key: value for key, value in result.items() if value}


def empty_state() -> dict:
    return {collection: {} for collection in COLLECTIONS}


def apply(state: dict, payload: dict) -> dict:
    """Apply a resolved patch (see `for_viewer`) to `state`, in place; returns `state`.

    Deletes first, then upserts: a patch never deletes what it also upserts.
    """
    for collection, ids in payload.get("delete", {}).items():
        objects = state.setdefault(collection, {})
        for object_id in ids:
            objects.pop(object_id, None)
    for collection, objs in payload.get("upsert", {}).items():
        objects = state.setdefault(collection, {})
        for obj in objs:
            objects[str(obj["id"])] = obj
    return state
