"""The workshop's client state and the patches that change it (pure Python, no Django).

A client holds the workshop as collections of objects keyed by id (`COLLECTIONS`). Every
live event's payload is a *patch*::

    {"upsert": {"notes": [{"id": …, …}]}, "delete": {"notes": ["…"]},
     "update": {"notes": [{"id": …, "text": …}]},
     "_restricted": [{"to": ["<attendee id>"], "facilitators": true,
                      "upsert": {…}, "delete": {…}}]}

Upserts replace whole objects, so applying a patch twice, or an older patch after a
snapshot that already contains a newer version of the object and then the newer patch,
ends in the same state: that is what makes resync and snapshots safe to mix. Updates set
some fields of objects every viewer already holds (a reveal sends the notes' texts, not
whole notes again: less than half the bytes, for every socket of the room).

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
    update: dict[str, dict[str, dict]] = field(default_factory=dict)
    restricted: list[tuple[tuple[str, ...], bool, "Patch"]] = field(default_factory=list)
    # What the sender's acknowledgement carries (the id of what was created…); not broadcast.
    result: dict = field(default_factory=dict)

    def put(self, collection: str, obj: dict) -> "Patch":
        assert collection in COLLECTIONS, collection
        self.upsert.setdefault(collection, {})[str(obj["id"])] = obj
        self.delete.get(collection, set()).discard(str(obj["id"]))
        self.update.get(collection, {}).pop(str(obj["id"]), None)
        return self

    def remove(self, collection: str, object_id) -> "Patch":
        assert collection in COLLECTIONS, collection
        self.upsert.get(collection, {}).pop(str(object_id), None)
        self.update.get(collection, {}).pop(str(object_id), None)
        self.delete.setdefault(collection, set()).add(str(object_id))
        return self

    def change(self, collection: str, fields: dict) -> "Patch":
        """Set `fields` (with the "id") of an object every viewer of this part holds."""
        assert collection in COLLECTIONS, collection
        object_id = str(fields["id"])
        if object_id in self.delete.get(collection, ()):
            return self  # deleted by this patch: nothing left to change
        upserted = self.upsert.get(collection, {}).get(object_id)
        if upserted is not None:
            self.upsert[collection][object_id] = {**upserted, **fields}
            return self
        changes = self.update.setdefault(collection, {})
        changes[object_id] = {**changes.get(object_id, {}), **fields}
        return self

    def only_for(self, attendees=(), facilitators: bool = False) -> "Patch":
        """The part of this patch that only `attendees` (ids) and maybe facilitators receive
        (one part per audience: changes to it compose in order, like the public part's)."""
        to = tuple(sorted({str(a) for a in attendees if a}))
        for existing_to, existing_facilitators, part in self.restricted:
            if existing_to == to and existing_facilitators == facilitators:
                return part
        part = Patch()
        self.restricted.append((to, facilitators, part))
        return part

    def touched(self) -> set[tuple[str, str]]:
        """(collection, id) of every object this part upserts or deletes."""
        keys = {(c, i) for c, objs in self.upsert.items() for i in objs}
        keys |= {(c, i) for c, objs in self.update.items() for i in objs}
        return keys | {(c, i) for c, ids in self.delete.items() for i in ids}

    def absorb(self, later: "Patch") -> bool:
        """Compose `later` after this patch, so one event carries both; False (and nothing
        changed) when some viewer could not get the same result from the one event.

        Within one audience (everyone, or the same restricted part) changes compose in
        order: the later upsert or delete of an object wins. An object changed through two
        audiences that a viewer may share (the public part and a restricted one, or two
        parts naming the same attendee, or facilitators) cannot be composed, because
        `for_viewer` merges the audiences without their order: the caller sends `later` as
        an event of its own.
        """
        mine = {PUBLIC: self, **{(to, fac): part for to, fac, part in self.restricted}}
        theirs = {PUBLIC: later, **{(to, fac): part for to, fac, part in later.restricted}}
        touched = {audience: part.touched() for audience, part in mine.items()}
        later_touched = {audience: part.touched() for audience, part in theirs.items()}
        for audience, keys in later_touched.items():
            for other, other_keys in touched.items():
                if other != audience and _may_share(other, audience) and keys & other_keys:
                    return False
            # Parts of `later` that one viewer receives both, changing one object: their
            # order matters, and composed they would take this patch's order of parts.
            for other, other_keys in later_touched.items():
                if (
                    PUBLIC not in (other, audience)
                    and other != audience
                    and _may_share(other, audience)
                    and keys & other_keys
                ):
                    return False
        for audience, part in theirs.items():
            target = self if audience == PUBLIC else self.only_for(*audience)
            for collection, ids in part.delete.items():
                for object_id in ids:
                    target.remove(collection, object_id)
            for collection, objs in part.upsert.items():
                for obj in objs.values():
                    target.put(collection, obj)
            for collection, changes in part.update.items():
                for fields in changes.values():
                    target.change(collection, fields)
        return True

    def is_empty(self) -> bool:
        return not (
            any(self.upsert.values())
            or any(self.delete.values())
            or any(self.update.values())
            or self.restricted
        )

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


SECTIONS = ("upsert", "delete", "update")  # of a patch's payload, and of each restricted part
PUBLIC = ("*", None)  # the audience of a patch's unrestricted part


def _may_share(first: tuple, second: tuple) -> bool:
    """Whether one viewer may receive both audiences. A facilitator may also have joined as
    an attendee, so a facilitators' part may meet any attendee's."""
    if PUBLIC in (first, second):
        return True
    (first_to, first_facilitators), (second_to, second_facilitators) = first, second
    return first_facilitators or second_facilitators or bool(set(first_to) & set(second_to))


def _plain(patch: Patch) -> dict:
    payload = {}
    upsert = {c: list(objs.values()) for c, objs in patch.upsert.items() if objs}
    delete = {c: sorted(ids) for c, ids in patch.delete.items() if ids}
    update = {c: list(objs.values()) for c, objs in patch.update.items() if objs}
    if upsert:
        payload["upsert"] = upsert
    if delete:
        payload["delete"] = delete
    if update:
        payload["update"] = update
    return payload


def for_viewer(payload: dict, viewer: Viewer) -> dict:
    """The payload as `viewer` may see it: restricted parts merged in or dropped."""
    restricted = payload.get("_restricted")
    if not restricted:
        return payload
    result = {
        section: {c: list(items) for c, items in payload.get(section, {}).items()}
        for section in SECTIONS
    }
    for part in restricted:
        allowed = (viewer.facilitator and part.get("facilitators")) or (
            viewer.attendee is not None and viewer.attendee in part.get("to", ())
        )
        if not allowed:
            continue
        for section in SECTIONS:
            for collection, items in part.get(section, {}).items():
                result[section].setdefault(collection, []).extend(items)
    return {key: value for key, value in result.items() if value}


def empty_state() -> dict:
    return {collection: {} for collection in COLLECTIONS}


def apply(state: dict, payload: dict) -> dict:
    """Apply a resolved patch (see `for_viewer`) to `state`, in place; returns `state`.

    Deletes first, then upserts (a patch never deletes what it also upserts), then updates
    of objects held (an update of an object the state lacks changes nothing).
    """
    for collection, ids in payload.get("delete", {}).items():
        objects = state.setdefault(collection, {})
        for object_id in ids:
            objects.pop(object_id, None)
    for collection, objs in payload.get("upsert", {}).items():
        objects = state.setdefault(collection, {})
        for obj in objs:
            objects[str(obj["id"])] = obj
    for collection, changes in payload.get("update", {}).items():
        objects = state.setdefault(collection, {})
        for fields in changes:
            held = objects.get(str(fields["id"]))
            if held is not None:
                objects[str(fields["id"])] = {**held, **fields}
    return state
