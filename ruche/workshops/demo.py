"""Demo workshops: one live room to try from two browser tabs, one ended with its synthesis.

`load_demo(organisation, facilitator)` is called by `ruche.accounts.demo.load_demo_data`.
Both workshops sit in the phase "Ateliers des solutions" of the demo process "Mobilités du
quotidien". Every contribution is written as the room would write it, through
`actions.run_message` (attendees' and facilitator's live messages), so the demo holds
exactly what a real session leaves behind, live events included.

Idempotent: a workshop found by its title in the demo organisation is left as it is (a
visitor may have played in the live one since: loading again must not undo or redo
their session), and the demo attendees are found by their pseudonym.
"""

from django.db import transaction
from django.urls import NoReverseMatch, reverse

from ruche.accounts import actions as account_actions
from ruche.accounts.models import Participant
from ruche.processes import actions as process_actions
from ruche.processes.models import Process
from ruche.workshops import actions
from ruche.workshops.models import Workshop

PROCESS = {
    "title": "Mobilités du quotidien",
    "question": "Comment mieux se déplacer au quotidien sur notre territoire ?",
    "context": (
        "Élus, agents et partenaires cherchent ensemble des solutions concrètes pour les "
        "trajets de tous les jours : aller au travail, à l’école, au marché.\n\n"
        "Les **ateliers des solutions** se tiennent en salle, chacun participe depuis son "
        "téléphone ; la synthèse de chaque atelier est publiée ici."
    ),
}
PHASE = "Ateliers des solutions"

LIVE_TITLE = "Atelier des solutions — mobilités du quotidien"
ENDED_TITLE = "Atelier des solutions — déplacements domicile-travail"
PROMPTS = ["Ce qui marche aujourd’hui", "Je rêve mon territoire en 2050"]

# (pseudonym of the demo participant, name shown in the workshops; "" = anonymous).
ATTENDEES = [
    ("Démo atelier — Camille", "Camille (mairie)"),
    ("Démo atelier — Yasmine", "Yasmine"),
    ("Démo atelier — Thierry", "Thierry, élu"),
    ("Démo atelier — anonyme", ""),
]

# The live room: (attendee index, prompt index, text, signed).
LIVE_NOTES = [
    (0, 0, "Le transport à la demande du mercredi rend service aux plus âgés.", True),
    (1, 0, "La piste cyclable le long du canal est très utilisée.", False),
    (3, 0, "Le covoiturage spontané devant la gare fonctionne bien.", False),
    (2, 1, "Un car express toutes les 20 minutes vers la métropole.", True),
    (1, 1, "Des rues apaisées autour de chaque école.", True),
    (3, 1, "Des tiers-lieux pour télétravailler près de chez soi.", False),
]

# The ended workshop, played through: notes, then clusters of them, dots, ratings, chantiers.
ENDED_NOTES = [
    (0, 0, "Le parking relais de la gare est plein dès 8 h : il est bien utilisé.", True),
    (1, 0, "Les vélos en libre-service électriques ont trouvé leur public.", True),
    (2, 0, "L’application de covoiturage de la région commence à prendre.", False),
    (3, 0, "Le bus scolaire est ouvert aux adultes sur certaines lignes.", False),
    (0, 1, "Une voie réservée au covoiturage sur la départementale aux heures de pointe.", True),
    (1, 1, "Un réseau cyclable continu entre les bourgs et la gare.", True),
    (2, 1, "Des navettes qui partent des zones d’activité, calées sur les horaires.", True),
    (3, 1, "Des abris vélos sécurisés dans chaque gare et chaque collège.", False),
    (1, 1, "Un numéro unique pour réserver le transport à la demande.", False),
    (2, 1, "Que chaque employeur de plus de 50 personnes ait un plan de mobilité.", True),
]
# Cluster name → indexes of ENDED_NOTES; the last note stays ungrouped.
CLUSTERS = [
    ("Covoiturage", [2, 4]),
    ("Vélo du quotidien", [1, 5, 7]),
    ("Transports collectifs et à la demande", [0, 3, 6, 8]),
]
# Dots per attendee: {cluster index: dots} (5 dots each, at most 2 on one cluster).
DOTS = [
    {0: 2, 1: 2, 2: 1},
    {1: 2, 2: 2},
    {0: 2, 2: 2},
    {0: 1, 1: 2, 2: 2},
]
# (impact, ease) per attendee and cluster.
RATINGS = [
    [(8, 7), (7, 6), (9, 3)],
    [(7, 8), (8, 7), (8, 4)],
    [(9, 6), (6, 8), (7, 2)],
    [(6, 7), (8, 9), (9, 4)],
]
CHANTIERS = [
    {
        "cluster": 0,
        "title": "Voie de covoiturage sur la RD 12",
        "pilot": "Conseil départemental",
        "contributors": "DDT, communauté de communes, grandes entreprises de la zone",
        "first_steps": "Compter les voitures aux heures de pointe ; choisir le tronçon test.",
        "due_on": "2027-06-30",
    },
    {
        "cluster": 1,
        "title": "Schéma cyclable intercommunal",
        "pilot": "Communauté de communes",
        "contributors": "Mairies, association vélo, collèges",
        "first_steps": "Cartographier les coupures du réseau avec les usagers.",
        "due_on": "2027-03-31",
    },
    {
        "cluster": 2,
        "title": "Transport à la demande : un numéro unique",
        "pilot": "Région",
        "contributors": "Transporteurs, CCAS",
        "first_steps": "Recenser les services existants et leurs numéros.",
        "due_on": None,
    },
]
# (attendee index, chantier index, role): "qui peut faire quoi".
COMMITMENTS = [
    (0, 0, "pilot"),
    (2, 0, "contributor"),
    (1, 1, "pilot"),
    (3, 1, "expert"),
    (2, 1, "informed"),
    (0, 2, "contributor"),
    (3, 2, "informed"),
]


def _ensure_phase(organisation, facilitator):
    process = Process.objects.filter(organisation=organisation, title=PROCESS["title"]).first()
    if process is None:
        process = process_actions.do_create_process(
            organisation, visibility=Process.Visibility.PUBLIC, created_by=facilitator, **PROCESS
        )
    process_actions.do_set_status(process, Process.Status.OPEN)
    phase = process.phases.filter(title=PHASE).first()
    return phase or process_actions.do_add_phase(process, title=PHASE, starts_on=None, ends_on=None)


def _participants() -> list[Participant]:
    found = {
        participant.pseudonym: participant
        for participant in Participant.objects.filter(
            pseudonym__in=[pseudonym for pseudonym, _name in ATTENDEES], user=None
        ).order_by("created_at")
    }
    return [
        found.get(pseudonym) or account_actions.do_create_participant(pseudonym=pseudonym)
        for pseudonym, _name in ATTENDEES
    ]


def _chain_activities(workshop, titles: dict):
    """The five activities, chained as a lab runs them: notes → clusters → votes, matrix
    and action plan on the clusters."""
    ideation = actions.do_add_activity(
        workshop,
        kind="ideation",
        title=titles["ideation"],
        instructions="Une idée par post-it. Signez-les si vous le souhaitez.",
        config={"signing": "choice"},
        prompts=PROMPTS,
    )
    grouping = actions.do_add_activity(
        workshop,
        kind="grouping",
        title="Regrouper les idées",
        instructions="Rassemblez les post-its qui vont ensemble et nommez chaque groupe.",
        source=ideation,
        config={"who": "everyone"},
    )
    dotvote = actions.do_add_activity(
        workshop,
        kind="dotvote",
        title="Voter pour les pistes prioritaires",
        instructions="5 gommettes chacun, au plus 2 sur une même piste.",
        source=grouping,
        config={"dots": 5, "cap": 2},
    )
    matrix = actions.do_add_activity(
        workshop,
        kind="matrix",
        title="Impact et facilité",
        instructions="Notez chaque piste de 0 à 10 : son impact, et sa facilité de mise en œuvre.",
        source=grouping,
    )
    plan = actions.do_add_activity(
        workshop,
        kind="actionplan",
        title="Les chantiers : qui peut faire quoi ?",
        instructions="Inscrivez-vous sur un chantier avec le rôle que vous pouvez y tenir.",
        source=grouping,
    )
    return ideation, grouping, dotvote, matrix, plan


class _Room:
    """Sends live messages to one workshop, as its attendees' and facilitator's sockets do."""

    def __init__(self, workshop, participants):
        self.workshop = workshop
        self.attendees = [
            actions.do_join(workshop, participant, name)
            for participant, (_pseudonym, name) in zip(participants, ATTENDEES, strict=True)
        ]

    def send(self, index, message_type, **fields) -> dict:
        message = {"type": message_type, **fields}
        return actions.run_message(self.workshop.pk, self.attendees[index].pk, False, message)

    def facilitate(self, message_type, **fields) -> dict:
        message = {"type": message_type, **fields}
        return actions.run_message(self.workshop.pk, None, True, message)

    def notes(self, ideation, notes) -> list[str]:
        prompts = [str(prompt.pk) for prompt in ideation.prompts.all()]
        return [
            self.send(
                attendee,
                "note.add",
                prompt=prompts[prompt],
                text=text,
                signed=signed,
                key=f"demo-{position}",
            )["note"]
            for position, (attendee, prompt, text, signed) in enumerate(notes)
        ]


def load_live(organisation, facilitator, phase, participants) -> Workshop:
    """The room to try: live, ideation current and not revealed, a few notes already in."""
    workshop = Workshop.objects.filter(organisation=organisation, title=LIVE_TITLE).first()
    if workshop is not None:
        return workshop
    workshop = actions.do_create_workshop(
        organisation=organisation,
        phase=phase,
        title=LIVE_TITLE,
        description="Atelier de démonstration : rejoignez-le avec son code depuis un "
        "téléphone ou une fenêtre de navigation privée.",
        created_by=facilitator,
    )
    ideation, *_rest = _chain_activities(workshop, {"ideation": "Je rêve mon territoire"})
    actions.do_set_state(workshop, Workshop.State.LIVE)
    _Room(workshop, participants).notes(ideation, LIVE_NOTES)
    workshop.refresh_from_db()
    return workshop


def load_ended(organisation, facilitator, phase, participants) -> Workshop:
    """A workshop played through and ended, so its synthesis has something to show."""
    workshop = Workshop.objects.filter(organisation=organisation, title=ENDED_TITLE).first()
    if workshop is not None:
        return workshop
    workshop = actions.do_create_workshop(
        organisation=organisation,
        phase=phase,
        title=ENDED_TITLE,
        description="Premier atelier : les trajets entre le domicile et le travail.",
        created_by=facilitator,
    )
    ideation, grouping, dotvote, matrix, plan = _chain_activities(
        workshop, {"ideation": "Ce qui marche, ce dont on rêve"}
    )
    actions.do_set_state(workshop, Workshop.State.LIVE)
    room = _Room(workshop, participants)
    notes = room.notes(ideation, ENDED_NOTES)
    room.facilitate("activity.reveal", activity=str(ideation.pk), revealed=True)

    room.facilitate("activity.open", activity=str(grouping.pk))
    clusters = [
        room.send(
            index % len(room.attendees),
            "cluster.add",
            name=name,
            notes=[notes[i] for i in members],
            key=f"demo-{index}",
        )["cluster"]
        for index, (name, members) in enumerate(CLUSTERS)
    ]

    room.facilitate("activity.open", activity=str(dotvote.pk))
    for attendee, dots in enumerate(DOTS):
        for cluster, count in dots.items():
            room.send(attendee, "dot.set", item=clusters[cluster], count=count)
    room.facilitate("activity.reveal", activity=str(dotvote.pk), revealed=True)

    room.facilitate("activity.open", activity=str(matrix.pk))
    for attendee, marks in enumerate(RATINGS):
        for cluster, (impact, ease) in enumerate(marks):
            room.send(attendee, "rating.set", item=clusters[cluster], impact=impact, ease=ease)

    room.facilitate("activity.open", activity=str(plan.pk))
    chantiers = [
        room.facilitate(
            "chantier.add",
            item=clusters[fields["cluster"]],
            key=f"demo-{index}",
            **{name: value for name, value in fields.items() if name != "cluster"},
        )["chantier"]
        for index, fields in enumerate(CHANTIERS)
    ]
    for attendee, chantier, role in COMMITMENTS:
        room.send(attendee, "commitment.set", chantier=chantiers[chantier], role=role)
    actions.do_set_state(workshop, Workshop.State.ENDED)
    workshop.refresh_from_db()
    return workshop


@transaction.atomic
def load_demo(organisation, facilitator) -> list[Workshop]:
    """The demo workshops, created if missing (safe to run again)."""
    phase = _ensure_phase(organisation, facilitator)
    participants = _participants()
    return [
        load_live(organisation, facilitator, phase, participants),
        load_ended(organisation, facilitator, phase, participants),
    ]


def _path(name: str, *args) -> str | None:
    """The page's path, or None while its view is not installed."""
    try:
        return reverse(name, args=args)
    except NoReverseMatch:
        return None


def demo_pages(organisation) -> list[tuple[str, str]]:
    """(title, path) of the demo workshops' pages, for `ruche demo` to print: the live one's
    join link (its code), console and projection, and each one's synthesis."""
    pages = []
    for title in (LIVE_TITLE, ENDED_TITLE):
        workshop = Workshop.objects.filter(organisation=organisation, title=title).first()
        if workshop is None:
            continue
        candidates = []
        if workshop.state != Workshop.State.ENDED:
            candidates += [
                (f"{title} — join (code {workshop.code})", ("workshops:join", workshop.code)),
                (f"{title} — facilitator console", ("workshops:console", workshop.pk)),
                (f"{title} — projection", ("workshops:projection", workshop.pk)),
            ]
        candidates.append((f"{title} — synthesis", ("workshops_synthesis:synthesis", workshop.pk)))
        for label, (name, *args) in candidates:
            path = _path(name, *args)
            if path is not None:
                pages.append((label, path))
    return pages
