"""A client that reconnects and replays what it missed ends in the same state as a fresh load.

For each viewer (a participant author, another participant, an anonymous participant, the
facilitator, a member following without having joined) the test keeps the state of a page
loaded at some point, runs a sequence of live messages from several actors, applies the
events that followed (resolved for that viewer, as the socket sends them) to the old state
with `live.apply`, and compares it with a fresh `workshop_state` for the same viewer. The
"seq" key is compared too: the replayed state moves to each applied event's seq, as
`client.js` does.

The clock is frozen: a running timer's "remaining" is read from the clock when the
workshop is serialised (browsers draw the timer from "ends_at" and the clock message), so an
event and a later snapshot would differ by the seconds between them without any bug.
"""

import random

import pytest
from freezegun import freeze_time

from ruche.workshops import actions
from ruche.workshops.models import Chantier, Cluster, Note
from tests.workshops.helpers import (
    Client,
    async_join,
    async_make_workshop,
    first_prompt,
    join,
    last_seq,
    make_workshop,
    replay,
    run,
    state_of,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def frozen():
    with freeze_time("2026-11-22 10:00:00"):
        yield


def room():
    """A live workshop, three attendees (one without a name), and activities working on the
    ideation's notes directly besides the ones working on the grouping's clusters."""
    w = make_workshop(who_groups="everyone")
    workshop = w["workshop"]
    w["on_notes_vote"] = actions.do_add_activity(
        workshop,
        kind="dotvote",
        title="Voter sur les idées",
        source=w["ideation"],
        config={"dots": 4, "cap": 2},
    )
    w["on_notes_matrix"] = actions.do_add_activity(
        workshop, kind="matrix", title="Impact des idées", source=w["ideation"]
    )
    w["on_notes_plan"] = actions.do_add_activity(
        workshop, kind="actionplan", title="Chantiers des idées", source=w["ideation"]
    )
    w["a"] = join(workshop, "Camille")[1]
    w["b"] = join(workshop, "Dominique")[1]
    w["c"] = join(workshop, "")[1]
    w["prompts"] = [str(p.pk) for p in w["ideation"].prompts.order_by("position")]
    return w


def viewers(w):
    return {
        "author": w["a"],
        "other participant": w["b"],
        "anonymous participant": w["c"],
        "facilitator": "facilitator",
        "member": None,
    }


def snapshot_all(w):
    return {name: state_of(w["workshop"], actor) for name, actor in viewers(w).items()}


def assert_replay_matches(w, before):
    """Every viewer's old state plus the events since equals their fresh state."""
    mismatches = []
    for name, actor in viewers(w).items():
        replayed = replay(before[name], w["workshop"], actor)
        fresh = state_of(w["workshop"], actor)
        if replayed != fresh:
            mismatches.append(f"{name}: {describe_difference(replayed, fresh)}")
    assert not mismatches, "\n".join(mismatches)


def describe_difference(replayed, fresh) -> str:
    lines = []
    for collection in sorted(set(replayed) | set(fresh)):
        a, b = replayed.get(collection), fresh.get(collection)
        if a == b:
            continue
        if not isinstance(a, dict) or not isinstance(b, dict):
            lines.append(f"{collection}: replayed {a!r} != fresh {b!r}")
            continue
        for key in sorted(set(a) | set(b)):
            if a.get(key) != b.get(key):
                lines.append(f"{collection}[{key}]: replayed {a.get(key)} != fresh {b.get(key)}")
    return "; ".join(lines)


def ok(reply):
    assert reply["type"] == "ack", reply
    return reply


# --- A long scripted run -------------------------------------------------------------------


def scripted_run(w):
    """Every message type, in the order a workshop runs, with reveals, hides, deletes,
    merges, splits, moves and role changes. Returns nothing; asserts each step is acked."""
    workshop, a, b, c, fac = w["workshop"], w["a"], w["b"], w["c"], "facilitator"
    p1, p2 = w["prompts"]
    ideation, grouping, dotvote = w["ideation"], w["grouping"], w["dotvote"]
    matrix, plan = w["matrix"], w["plan"]

    def send(actor, message_type, **fields):
        return ok(run(workshop, actor, message_type, **fields))

    # Ideation, before the reveal.
    n1 = send(a, "note.add", prompt=p1, text="Des pistes cyclables", signed=True, key="a1")["note"]
    n2 = send(a, "note.add", prompt=p2, text="Plus de bancs", signed=False, key="a2")["note"]
    n3 = send(b, "note.add", prompt=p1, text="Un marché couvert", signed=True, key="b1")["note"]
    n4 = send(b, "note.add", prompt=p2, text="Une navette", key="b2")["note"]
    n5 = send(c, "note.add", prompt=p1, text="Des arbres", signed=True, key="c1")["note"]
    assert send(a, "note.add", prompt=p1, text="Des pistes cyclables", key="a1")["note"] == n1
    send(a, "note.edit", note=n1, text="Des pistes cyclables protégées")
    send(b, "note.delete", note=n4)
    send(fac, "note.hide", note=n2, hidden=True)
    send(fac, "timer.start", seconds=300)
    send(fac, "timer.pause")
    send(fac, "timer.add", seconds=60)
    send(fac, "timer.resume")
    send(fac, "workshop.lock", locked=True)
    send(fac, "workshop.lock", locked=False)
    # The reveal, a hide after it and an unhide.
    send(fac, "activity.reveal", activity=str(ideation.pk), revealed=True)
    send(fac, "note.hide", note=n3, hidden=True)
    send(fac, "note.hide", note=n2, hidden=False)
    n6 = send(c, "note.add", prompt=p2, text="Une ludothèque", key="c2")["note"]
    send(fac, "note.edit", note=n6, text="Une ludothèque municipale")

    # Grouping, by everyone.
    send(fac, "activity.open", activity=str(grouping.pk))
    k1 = send(a, "cluster.add", name="Mobilités", notes=[n1], key="ka")["cluster"]
    k2 = send(b, "cluster.add", name="Vie locale", notes=[n2, n3, n6], key="kb")["cluster"]
    send(c, "cluster.rename", cluster=k2, name="Vie de quartier")
    k3 = send(a, "cluster.split", cluster=k2, notes=[n6], name="Loisirs", key="ks")["cluster"]
    send(b, "note.move", note=n5, cluster=k3)
    send(a, "cluster.merge", cluster=k3, into=k2)
    k4 = send(fac, "cluster.add", name="Divers", notes=[], key="kf")["cluster"]
    send(fac, "note.move", note=n5, cluster=k4)
    send(b, "note.move", note=n5, cluster=None)
    send(c, "cluster.delete", cluster=k4)

    # Dot voting on the clusters: hidden, revealed, hidden again.
    send(fac, "activity.open", activity=str(dotvote.pk))
    send(a, "dot.set", item=k1, count=2)
    send(b, "dot.set", item=k2, count=1)
    send(c, "dot.set", item=k1, count=1)
    send(a, "dot.set", item=k1, count=1)
    send(a, "dot.set", item=k2, count=2)
    send(fac, "activity.reveal", activity=str(dotvote.pk), revealed=True)
    send(b, "dot.set", item=k1, count=2)
    send(c, "dot.set", item=k1, count=0)
    send(a, "dot.set", item=k2, count=1)
    send(fac, "activity.reveal", activity=str(dotvote.pk), revealed=False)  # hidden again

    # Matrix.
    send(fac, "activity.open", activity=str(matrix.pk))
    send(a, "rating.set", item=k1, impact=8, ease=3)
    send(b, "rating.set", item=k1, impact=6, ease=7)
    send(a, "rating.set", item=k1, impact=9, ease=4)
    send(c, "rating.set", item=k2, impact=0, ease=10)

    # Action plan: chantiers, sign-ups, role changes, withdrawals, a deleted chantier.
    send(fac, "activity.open", activity=str(plan.pk))
    h1 = send(fac, "chantier.add", title="Plan vélo", item=k1, pilot="DDT", key="h1")["chantier"]
    h2 = send(
        fac,
        "chantier.add",
        title="Halles",
        pilot="Mairie",
        contributors="Asso",
        first_steps="Réunir les commerçants",
        due_on="2027-03-01",
        key="h2",
    )["chantier"]
    send(fac, "chantier.edit", chantier=h1, pilot="Métropole", due_on="2027-06-30")
    send(a, "commitment.set", chantier=h1, role="pilot")
    send(b, "commitment.set", chantier=h1, role="contributor")
    send(c, "commitment.set", chantier=h2, role="informed")
    send(a, "commitment.set", chantier=h1, role="expert")
    send(b, "commitment.set", chantier=h1, role="")
    send(a, "commitment.set", chantier=h2, role="pilot")
    send(fac, "chantier.delete", chantier=h2)
    send(fac, "timer.reset")
    send(fac, "timer.start", seconds=120)

    # Back to the ideation, and back again.
    send(fac, "activity.open", activity=str(ideation.pk))
    send(a, "note.add", prompt=p1, text="Une idée de retour", key="a3")
    send(fac, "activity.reveal", activity=str(ideation.pk), revealed=False)
    send(fac, "activity.open", activity=str(plan.pk))


def test_scripted_run_replays_to_the_fresh_state(frozen):
    """Rule: old state + events since its seq == fresh state, for every viewer, after a run
    that uses every message type (with reveals, hides, deletes, merges, role changes)."""
    w = room()
    run(w["workshop"], w["a"], "note.add", prompt=w["prompts"][0], text="Avant", key="a0")
    before = snapshot_all(w)
    scripted_run(w)
    assert last_seq(w["workshop"]) > before["author"]["seq"] + 60
    # The run ends with the dot vote hidden again: only the facilitator holds its counts.
    assert state_of(w["workshop"], "facilitator")["dot_counts"]
    assert not state_of(w["workshop"], w["b"])["dot_counts"]
    assert_replay_matches(w, before)


def test_replay_from_the_very_beginning_matches(frozen):
    """Rule: the empty state at seq 0 plus every event of the workshop is the fresh state
    (what a client that never loaded the page would rebuild)."""
    from ruche.workshops.live import empty_state

    w = room()
    scripted_run(w)
    before = {name: {**empty_state(), "seq": 0} for name in viewers(w)}
    assert_replay_matches(w, before)


def test_replay_is_idempotent(frozen):
    """Rule: replaying events a client already applied (a resync overlapping a snapshot)
    changes nothing: upserts replace whole objects."""
    w = room()
    before = snapshot_all(w)
    scripted_run(w)
    for name, actor in viewers(w).items():
        once = replay({**before[name]}, w["workshop"], actor)
        again = replay({**once, "seq": before[name]["seq"]}, w["workshop"], actor)
        assert again == state_of(w["workshop"], actor), name


def test_every_message_type_is_covered_by_the_scripted_run(frozen):
    """Rule (of this test file): the scripted run sends every live message type there is."""
    from ruche.core.broadcast import events_since
    from ruche.workshops.actions import MESSAGE_TYPE_NAMES

    w = room()
    scripted_run(w)
    sent = {event["type"] for event in events_since(w["workshop"].group_name, 0, 100_000)}
    assert sent >= MESSAGE_TYPE_NAMES, MESSAGE_TYPE_NAMES - sent


# --- A seeded random run -------------------------------------------------------------------


def ids(queryset) -> list[str]:
    return [str(pk) for pk in queryset.values_list("pk", flat=True)]


def random_message(w, rng, activity_key, *, anywhere: bool):
    """One plausible message (actor, type, fields) for the activity `activity_key`; with
    `anywhere`, the facilitator may also act on any activity and reopen earlier ones."""
    a, b, c, fac = w["a"], w["b"], w["c"], "facilitator"
    people = [a, b, c]
    anyone = [a, b, c, fac]
    activity = w[activity_key]
    workshop_moves = [
        (fac, "timer.start", {"seconds": rng.randint(1, 600)}),
        (fac, "timer.pause", {}),
        (fac, "timer.resume", {}),
        (fac, "timer.add", {"seconds": rng.choice([-30, 30, 60])}),
        (fac, "timer.reset", {}),
        (fac, "workshop.lock", {"locked": rng.random() < 0.3}),
        (fac, "activity.reveal", {"activity": str(activity.pk), "revealed": rng.random() < 0.6}),
    ]
    if anywhere:
        target = rng.choice(["ideation", "grouping", "dotvote", "on_notes_vote", "plan"])
        workshop_moves.append((fac, "activity.open", {"activity": str(w[target].pk)}))
    if rng.random() < 0.15:
        return rng.choice(workshop_moves)
    notes = list(Note.objects.filter(activity=w["ideation"]).values_list("pk", "author_id"))
    clusters = ids(Cluster.objects.filter(activity=w["grouping"]))
    kind = activity.kind
    if kind == "ideation":
        actor = rng.choice(people)
        mine = [str(pk) for pk, author in notes if author == actor.pk]
        choice = rng.random()
        if choice < 0.5 or not mine:
            return (
                actor,
                "note.add",
                {
                    "prompt": rng.choice(w["prompts"]),
                    "text": f"idée {rng.randint(0, 999)}",
                    "signed": rng.random() < 0.5,
                    "key": f"k{rng.randint(0, 40)}",
                },
            )
        if choice < 0.65:
            return actor, "note.edit", {"note": rng.choice(mine), "text": "modifiée"}
        if choice < 0.8:
            return (
                fac,
                "note.hide",
                {"note": str(rng.choice(notes)[0]), "hidden": rng.random() < 0.5},
            )
        return actor, "note.delete", {"note": rng.choice(mine)}
    if kind == "grouping":
        actor = rng.choice(anyone)
        note_ids = [str(pk) for pk, _author in notes]
        choice = rng.random()
        if choice < 0.3 or not clusters:
            picked = rng.sample(note_ids, min(len(note_ids), rng.randint(0, 3)))
            return (
                actor,
                "cluster.add",
                {"name": "groupe", "notes": picked, "key": f"g{rng.random()}"},
            )
        if choice < 0.45:
            return actor, "cluster.rename", {"cluster": rng.choice(clusters), "name": "renommé"}
        if choice < 0.6 and note_ids:
            target = rng.choice([*clusters, None])
            return actor, "note.move", {"note": rng.choice(note_ids), "cluster": target}
        if choice < 0.7 and len(clusters) > 1:
            one, other = rng.sample(clusters, 2)
            return actor, "cluster.merge", {"cluster": one, "into": other}
        if choice < 0.85:
            cluster = rng.choice(clusters)
            inside = ids(Note.objects.filter(cluster_id=cluster))
            if inside:
                return (
                    actor,
                    "cluster.split",
                    {
                        "cluster": cluster,
                        "notes": inside[:1],
                        "name": "scindé",
                        "key": f"s{rng.random()}",
                    },
                )
        return actor, "cluster.delete", {"cluster": rng.choice(clusters)}
    if kind in ("dotvote", "matrix"):
        visible = ids(Note.objects.filter(activity=w["ideation"], hidden=False))
        items = clusters if activity.source.kind == "grouping" else visible
        if not items:
            return fac, "timer.reset", {}
        actor = rng.choice(people)
        if kind == "dotvote":
            return actor, "dot.set", {"item": rng.choice(items), "count": rng.randint(0, 2)}
        impact, ease = rng.randint(0, 10), rng.randint(0, 10)
        return actor, "rating.set", {"item": rng.choice(items), "impact": impact, "ease": ease}
    chantiers = ids(Chantier.objects.filter(activity=activity))
    choice = rng.random()
    if choice < 0.25 or not chantiers:
        item = rng.choice([*clusters, None]) if activity.source.kind == "grouping" else None
        return (
            fac,
            "chantier.add",
            {"title": f"chantier {rng.randint(0, 99)}", "item": item, "pilot": "DDT"},
        )
    if choice < 0.35:
        return fac, "chantier.edit", {"chantier": rng.choice(chantiers), "first_steps": "Commencer"}
    if choice < 0.42:
        return fac, "chantier.delete", {"chantier": rng.choice(chantiers)}
    role = rng.choice(["pilot", "contributor", "expert", "informed", ""])
    return rng.choice(people), "commitment.set", {"chantier": rng.choice(chantiers), "role": role}


PHASES = ("ideation", "grouping", "dotvote", "on_notes_vote", "matrix", "on_notes_matrix", "plan")


def random_run(w, seed: int, steps: int, *, anywhere: bool) -> int:
    """Run the activities in order (or, `anywhere`, jumping back and forth), `steps` random
    messages each; returns how many were acknowledged."""
    rng = random.Random(seed)
    acked = 0
    phases = list(PHASES)
    if anywhere:
        phases = phases + [rng.choice(PHASES) for _ in range(6)]
    for phase in phases:
        run(w["workshop"], "facilitator", "activity.open", activity=str(w[phase].pk))
        run(w["workshop"], "facilitator", "workshop.lock", locked=False)
        for _ in range(steps):
            current = phase
            if anywhere and rng.random() < 0.2:
                current = rng.choice(PHASES)  # the facilitator acts on another activity
            actor, message_type, fields = random_message(w, rng, current, anywhere=anywhere)
            if current != phase:
                actor, fields = "facilitator", {**fields, "activity": str(w[current].pk)}
            reply = run(w["workshop"], actor, message_type, **fields)
            acked += reply["type"] == "ack"
    return acked


@pytest.mark.parametrize("seed", [1, 2, 3])
def test_random_run_in_order_replays_to_the_fresh_state(frozen, seed):
    """Rule: old state + events == fresh state after a seeded random run of every activity
    in order (random notes, hides, reveals, clusters, merges, splits, dots, ratings,
    chantiers, commitments, timer and lock moves from several actors)."""
    w = room()
    run(w["workshop"], w["b"], "note.add", prompt=w["prompts"][1], text="Avant", key="b0")
    before = snapshot_all(w)
    acked = random_run(w, seed, 40, anywhere=False)
    assert acked > 150
    assert_replay_matches(w, before)


@pytest.mark.parametrize("seed", [1, 3])
def test_random_run_back_and_forth_replays_to_the_fresh_state(frozen, seed):
    """Rule: the same, when the facilitator reopens earlier activities and acts on any
    activity at any time (so items get deleted after people voted on them: seed 1 deletes
    notes with dots, ratings or chantiers, seed 3 clusters)."""
    w = room()
    before = snapshot_all(w)
    random_run(w, seed, 40, anywhere=True)
    assert_replay_matches(w, before)


# --- Item deletions and other writes whose side effects must reach clients -----------------


def voted_cluster(w):
    """A cluster with a note, 2 dots, a rating and a chantier with a commitment on it."""
    workshop, a, fac = w["workshop"], w["a"], "facilitator"
    note = ok(run(workshop, a, "note.add", prompt=w["prompts"][0], text="Vélo", key="v"))["note"]
    ok(run(workshop, fac, "activity.open", activity=str(w["grouping"].pk)))
    cluster = ok(run(workshop, fac, "cluster.add", name="Mobilités", notes=[note]))["cluster"]
    ok(run(workshop, fac, "activity.open", activity=str(w["dotvote"].pk)))
    ok(run(workshop, a, "dot.set", item=cluster, count=2))
    ok(run(workshop, fac, "activity.open", activity=str(w["matrix"].pk)))
    ok(run(workshop, a, "rating.set", item=cluster, impact=7, ease=7))
    ok(run(workshop, fac, "activity.open", activity=str(w["plan"].pk)))
    chantier = ok(run(workshop, fac, "chantier.add", title="Vélo", item=cluster))["chantier"]
    ok(run(workshop, a, "commitment.set", chantier=chantier, role="pilot"))
    return note, cluster


def test_deleting_a_voted_cluster_replays_to_the_fresh_state(frozen):
    """Rule: deleting a cluster that has dots, ratings and a chantier reaches every client:
    the totals, counts, own dots, averages, own ratings and the chantier's item."""
    w = room()
    _note, cluster = voted_cluster(w)
    before = snapshot_all(w)
    ok(
        run(
            w["workshop"],
            "facilitator",
            "cluster.delete",
            cluster=cluster,
            activity=str(w["grouping"].pk),
        )
    )
    assert_replay_matches(w, before)


def test_merging_a_voted_cluster_replays_to_the_fresh_state(frozen):
    """Rule: merging a cluster that has dots into another reaches every client."""
    w = room()
    _note, cluster = voted_cluster(w)
    grouping = str(w["grouping"].pk)
    other = ok(run(w["workshop"], "facilitator", "cluster.add", name="Autre", activity=grouping))
    before = snapshot_all(w)
    ok(
        run(
            w["workshop"],
            "facilitator",
            "cluster.merge",
            cluster=cluster,
            into=other["cluster"],
            activity=grouping,
        )
    )
    assert_replay_matches(w, before)


def test_deleting_a_voted_note_replays_to_the_fresh_state(frozen):
    """Rule: deleting a note that has dots, ratings and a chantier (activities working on
    the ideation's notes) reaches every client."""
    w = room()
    workshop, a, fac = w["workshop"], w["a"], "facilitator"
    note = ok(run(workshop, a, "note.add", prompt=w["prompts"][0], text="Vélo", key="v"))["note"]
    ok(run(workshop, fac, "activity.open", activity=str(w["on_notes_vote"].pk)))
    ok(run(workshop, a, "dot.set", item=note, count=2))
    ok(run(workshop, fac, "activity.open", activity=str(w["on_notes_matrix"].pk)))
    ok(run(workshop, a, "rating.set", item=note, impact=3, ease=9))
    ok(run(workshop, fac, "activity.open", activity=str(w["on_notes_plan"].pk)))
    ok(run(workshop, fac, "chantier.add", title="Vélo", item=note))
    ok(run(workshop, fac, "activity.open", activity=str(w["ideation"].pk)))
    before = snapshot_all(w)
    ok(run(workshop, a, "note.delete", note=note))
    assert_replay_matches(w, before)


def test_hiding_the_dot_counts_again_replays_to_the_fresh_state(frozen):
    """Rule: after the facilitator reveals a dot vote and hides it again, participants no
    longer hold the per-item counts, as on a fresh load (the facilitator still does)."""
    w = room()
    voted_cluster(w)
    dotvote = str(w["dotvote"].pk)
    ok(run(w["workshop"], "facilitator", "activity.reveal", activity=dotvote, revealed=True))
    before = snapshot_all(w)
    assert before["other participant"]["dot_counts"]
    ok(run(w["workshop"], "facilitator", "activity.reveal", activity=dotvote, revealed=False))
    assert_replay_matches(w, before)
    assert not state_of(w["workshop"], w["b"])["dot_counts"]


def test_adding_an_activity_while_live_replays_to_the_fresh_state(frozen):
    """Rule: an activity added during the workshop reaches clients with everything a fresh
    load shows of it (its prompts, a dot vote's empty totals)."""
    w = room()
    before = snapshot_all(w)
    actions.do_add_activity(
        w["workshop"], kind="ideation", title="Encore", prompts=["Une question"]
    )
    actions.do_add_activity(
        w["workshop"], kind="dotvote", title="Revoter", source=w["grouping"], config={"dots": 2}
    )
    actions.do_add_activity(w["workshop"], kind="matrix", title="Encore", source=w["grouping"])
    assert_replay_matches(w, before)


def test_deleting_an_activity_replays_to_the_fresh_state(frozen):
    """Rule: deleting activities during the workshop (a dot vote with dots, an action plan
    with commitments, the ideation others draw from) reaches every client."""
    w = room()
    voted_cluster(w)
    before = snapshot_all(w)
    actions.do_delete_activity(w["dotvote"])
    actions.do_delete_activity(w["plan"])
    actions.do_delete_activity(w["ideation"])
    assert_replay_matches(w, before)


def test_coming_back_under_another_name_replays_to_the_fresh_state(frozen):
    """Rule: a participant who joins again with another name (allowed by do_join) is shown
    under the new name on every client, as on a fresh load."""
    w = room()
    workshop, a = w["workshop"], w["a"]
    ok(run(workshop, a, "note.add", prompt=w["prompts"][0], text="Signée", signed=True))
    ok(
        run(
            workshop,
            "facilitator",
            "activity.reveal",
            activity=str(w["ideation"].pk),
            revealed=True,
        )
    )
    ok(run(workshop, "facilitator", "activity.open", activity=str(w["plan"].pk)))
    chantier = ok(run(workshop, "facilitator", "chantier.add", title="Vélo"))["chantier"]
    ok(run(workshop, a, "commitment.set", chantier=chantier, role="pilot"))
    before = snapshot_all(w)
    actions.do_join(workshop, a.participant, "Camille D.")
    assert_replay_matches(w, before)


# --- Through a real socket -----------------------------------------------------------------


@pytest.mark.asyncio
@pytest.mark.django_db(transaction=True)
async def test_a_late_socket_resyncs_from_an_old_seq_to_the_fresh_state(settings):
    """Rule: a socket that connects late and sends `resync` from the seq of an old page load
    receives events that, applied to that old state, give the fresh state (for the author,
    another participant and the facilitator)."""
    from channels.db import database_sync_to_async

    from ruche.workshops.live import apply

    settings.RUCHE_WORKSHOP_MESSAGES_PER_SECOND = 1000
    settings.RUCHE_WORKSHOP_MESSAGE_BURST = 1000
    w = await async_make_workshop(who_groups="everyone")
    workshop = w["workshop"]
    (pa, a), (pb, b) = await async_join(workshop, "Camille"), await async_join(workshop, "Dom")
    prompt = await database_sync_to_async(first_prompt)(w)
    snapshot = database_sync_to_async(state_of)
    old = {"author": await snapshot(workshop, a), "other": await snapshot(workshop, b)}
    old["facilitator"] = await snapshot(workshop, "facilitator")
    assert old["author"]["seq"] == old["facilitator"]["seq"]

    # Everything happens while nobody is connected except the senders' own sockets.
    me, fac = Client(workshop, participant=pa), Client(workshop, user=w["facilitator"])
    await me.connect()
    await fac.connect()
    n1 = (await me.send("note.add", prompt=prompt, text="Vélo", signed=True, key="1"))["note"]
    await me.send("note.add", prompt=prompt, text="Bancs", key="2")
    await fac.send("activity.reveal", activity=str(w["ideation"].pk), revealed=True)
    await fac.send("activity.open", activity=str(w["grouping"].pk))
    cluster = (await me.send("cluster.add", name="Mobilités", notes=[n1], key="c"))["cluster"]
    await fac.send("activity.open", activity=str(w["dotvote"].pk))
    await me.send("dot.set", item=cluster, count=2)
    await fac.send("activity.open", activity=str(w["plan"].pk))
    chantier = (await fac.send("chantier.add", title="Plan vélo", item=cluster))["chantier"]
    reply = await me.send("commitment.set", chantier=chantier, role="pilot")
    assert reply["type"] == "ack", reply
    await me.close()
    await fac.close()

    late = {
        "author": Client(workshop, participant=pa),
        "other": Client(workshop, participant=pb),
        "facilitator": Client(workshop, user=w["facilitator"]),
    }
    actors = {"author": a, "other": b, "facilitator": "facilitator"}
    for name, client in late.items():
        hello = await client.connect()
        await client.communicator.send_json_to({"type": "resync", "since": old[name]["seq"]})
        state = old[name]
        while state["seq"] < hello["seq"]:
            event = await client.receive("event")
            assert event["seq"] == state["seq"] + 1
            apply(state, event["payload"])
            state["seq"] = event["seq"]
        assert state == await snapshot(workshop, actors[name]), name
        # The snapshot message gives the same state as a page load.
        await client.communicator.send_json_to({"type": "snapshot", "id": "s"})
        assert (await client.receive("snapshot"))["state"] == state
        await client.close()


def test_preparation_changes_while_live_replay_to_the_fresh_state(frozen):
    """Rule: changes made from the preparation page while the room is open (the title, an
    activity's texts, settings and prompts, ending and reopening the room with a running
    timer) reach clients as a page load shows them."""
    w = room()
    workshop = w["workshop"]
    ok(run(workshop, w["a"], "note.add", prompt=w["prompts"][0], text="Vélo"))
    ok(run(workshop, "facilitator", "timer.start", seconds=300))
    before = snapshot_all(w)
    actions.do_update_workshop(workshop, title="Atelier renommé")
    actions.do_update_activity(
        w["ideation"], title="Nouveau titre", instructions="Une idée par post-it",
        config={"signing": "anonymous"}, prompts=["Ce qui marche bien", "Ce qui manque", "Et ?"],
    )  # fmt: skip
    actions.do_update_activity(
        w["dotvote"], title="Voter", source=w["grouping"], config={"dots": 5, "cap": 1}
    )
    actions.do_set_state(workshop, "ended")
    actions.do_set_state(workshop, "live")
    assert_replay_matches(w, before)
