"""A workshop played through, for the synthesis and export tests: every contribution is
made by `actions.run_message`, as the socket would, by a facilitator and three attendees
(two who show a name, one anonymous)."""

from ruche.workshops import actions
from tests.workshops.helpers import join, make_workshop

FORMULA_NOTE = '=HYPERLINK("http://evil.example","clic")'
HIDDEN_NOTE = "Une note hors sujet"
MARKUP_NOTE = "Voir [le plan](http://evil.example) <b>vite</b>"


def played_workshop(*, end: bool = True) -> dict:
    w = make_workshop()
    workshop = w["workshop"]
    _, camille = join(workshop, "Camille")
    _, dominique = join(workshop, "Dominique")
    _, anonymous = join(workshop, "")

    def send(attendee, message_type, **fields):
        return actions.run_message(
            workshop.pk, attendee.pk, False, {"type": message_type, **fields}
        )

    def facilitate(message_type, **fields):
        return actions.run_message(workshop.pk, None, True, {"type": message_type, **fields})

    works, missing = list(w["ideation"].prompts.all())
    bikes = send(
        camille, "note.add", prompt=str(works.pk), text="Des pistes cyclables", signed=True
    )["note"]
    formula = send(dominique, "note.add", prompt=str(works.pk), text=FORMULA_NOTE)["note"]
    bus = send(anonymous, "note.add", prompt=str(works.pk), text="Un bus toutes les 10 minutes")[
        "note"
    ]
    send(
        camille, "note.add", prompt=str(missing.pk), text="Du covoiturage entre agents", signed=True
    )
    send(anonymous, "note.add", prompt=str(missing.pk), text=MARKUP_NOTE)
    hidden = send(dominique, "note.add", prompt=str(missing.pk), text=HIDDEN_NOTE)["note"]
    facilitate("note.hide", note=hidden, hidden=True)
    facilitate("activity.reveal", activity=str(w["ideation"].pk), revealed=True)

    facilitate("activity.open", activity=str(w["grouping"].pk))
    bike_cluster = send(camille, "cluster.add", name="Vélo", notes=[bikes])["cluster"]
    transit = send(dominique, "cluster.add", name="Transports en commun", notes=[bus, formula])[
        "cluster"
    ]
    empty = send(dominique, "cluster.add", name="Marche à pied", notes=[])["cluster"]

    facilitate("activity.open", activity=str(w["dotvote"].pk))
    send(camille, "dot.set", item=bike_cluster, count=2)
    send(camille, "dot.set", item=transit, count=1)
    send(dominique, "dot.set", item=transit, count=2)
    send(anonymous, "dot.set", item=bike_cluster, count=1)
    facilitate("activity.reveal", activity=str(w["dotvote"].pk), revealed=True)

    facilitate("activity.open", activity=str(w["matrix"].pk))
    send(camille, "rating.set", item=bike_cluster, impact=8, ease=9)
    send(dominique, "rating.set", item=bike_cluster, impact=7, ease=8)
    send(camille, "rating.set", item=transit, impact=9, ease=2)

    facilitate("activity.open", activity=str(w["plan"].pk))
    plan_bikes = facilitate(
        "chantier.add",
        title="Plan vélo intercommunal",
        item=bike_cluster,
        pilot="DDT",
        contributors="Mairies, association vélo",
        first_steps="Cartographier les coupures",
        due_on="2027-03-01",
    )["chantier"]
    shuttle = facilitate(
        "chantier.add", title="-Navette du marché", pilot="@Communauté de communes"
    )["chantier"]
    send(camille, "commitment.set", chantier=plan_bikes, role="pilot")
    send(dominique, "commitment.set", chantier=plan_bikes, role="contributor")
    send(anonymous, "commitment.set", chantier=shuttle, role="expert")
    if end:
        actions.do_set_state(workshop, "ended")
    workshop.refresh_from_db()
    return {
        **w,
        "workshop": workshop,
        "attendees": [camille, dominique, anonymous],
        "clusters": [bike_cluster, transit, empty],
        "chantiers": [plan_bikes, shuttle],
    }
