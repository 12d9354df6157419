"""Demo consultations: a real Pol.is conversation with its report, and an open one to try.

`load_demo(organisation, facilitator)` is called by `ruche.accounts.demo.load_demo_data`.
Like it, it is idempotent: processes, phases and consultations are found by title before
being created, the Pol.is import adds nothing the second time, demo participants are found
by pseudonym in their consultation, and an analysis is only recomputed when its inputs
changed.

The Pol.is conversation comes from the shared datasets folder beside the checkout
(`../shared/datasets`, or the folder named by RUCHE_DATASETS_DIR); without it a notice is
printed and that consultation is skipped.
"""

import datetime
import os
import random
from pathlib import Path

from django.conf import settings
from django.db import transaction

from ruche.accounts import actions as account_actions
from ruche.analysis.polis_export import COMMENTS, VOTES
from ruche.consultations import actions, analysis, imports
from ruche.consultations.models import AnalysisResult, Consultation, Participation
from ruche.processes import actions as process_actions
from ruche.processes.models import Phase, Process

POLIS_FOLDER = "polis-scoop-hivemind-biodiversity"

BIODIVERSITY_PROCESS = {
    "title": "Biodiversité : ce que pensent les participants",
    "question": "Comment protéger et restaurer la biodiversité ?",
    "context": (
        "Une démarche de démonstration construite sur une **vraie consultation** : la "
        "conversation Pol.is *Protecting and Restoring NZ’s Biodiversity*, menée en 2019 par "
        "Scoop et le Public Engagement Projects (PEP) en Nouvelle-Zélande.\n\n"
        "536 personnes y ont voté près de 30 000 fois sur 316 propositions (en anglais). "
        "La synthèse montre les groupes d’opinion calculés par Ruche sur ces votes."
    ),
}
BIODIVERSITY_CONSULTATION = {
    "title": "Protéger et restaurer la biodiversité (Pol.is, 2019)",
    "description": (
        "Conversation importée d’un export Pol.is public, sans modification : les "
        "propositions sont en anglais, les participants sont anonymes "
        "(« Participant·e » suivi de leur numéro Pol.is)."
    ),
    "attribution": (
        "Données : conversation Pol.is « Protecting and Restoring NZ’s Biodiversity » "
        "(Scoop HiveMind et PEP, Nouvelle-Zélande, 2019), "
        "https://compdemocracy.org/case-studies/2019-scoop-hivemind-biodiversity. "
        "Data was gathered using the Polis software (compdemocracy.org/polis) and is "
        "sub-licensed under CC BY 4.0 with Attribution to The Computational Democracy "
        "Project. Licence : https://creativecommons.org/licenses/by/4.0/"
    ),
    "opens_at": datetime.datetime(2019, 8, 4, tzinfo=datetime.UTC),
    "closes_at": datetime.datetime(2019, 9, 22, 12, tzinfo=datetime.UTC),
    "moderation": Consultation.Moderation.AFTER,
    "results_public": True,
    "allow_statements": False,
}

TELEWORK_PROCESS = {
    "title": "Télétravail : et après la crise sanitaire ?",
    "question": "Comment organiser durablement le télétravail au ministère ?",
    "context": (
        "Trois ans après la crise sanitaire, le secrétariat général veut revoir l’accord "
        "sur le télétravail. Avant d’écrire quoi que ce soit, le laboratoire d’innovation "
        "demande aux agents ce qu’ils en pensent.\n\n"
        "- Votez sur les propositions, une à une ;\n"
        "- proposez les vôtres ;\n"
        "- racontez ce que la crise vous a appris."
    ),
}
TELEWORK_CONSULTATION = {
    "title": "Le télétravail au ministère",
    "description": (
        "Êtes-vous d’accord avec ces propositions ? Votez « D’accord », « Pas d’accord » ou "
        "« Je passe ». Vos propositions sont publiées après relecture par l’équipe."
    ),
    "moderation": Consultation.Moderation.BEFORE,
    "allow_statements": True,
}
TELEWORK_SEEDS = [
    "Le télétravail deux jours par semaine devrait devenir la règle pour tous les postes "
    "qui le permettent.",
    "Les réunions hybrides sont moins efficaces que les réunions entièrement sur site.",
    "Le ministère devrait fournir un second écran et un siège adapté aux agents en télétravail.",
    "Depuis la crise sanitaire, je me sens plus isolé·e de mon équipe.",
    "Les encadrants ont besoin d’une formation au management à distance.",
    "Le droit à la déconnexion n’est pas respecté en pratique.",
    "Le télétravail a amélioré ma qualité de vie : moins de transport, plus de concentration.",
    "Les jours sur site devraient être fixés par équipe, pas par chaque agent.",
    "Nos outils de visioconférence et de partage de documents ne sont pas à la hauteur.",
    "Les nouveaux arrivants devraient passer leurs premières semaines sur site.",
    "Le bureau partagé est acceptable si chacun garde un casier personnel.",
    "Les agents des services déconcentrés n’ont pas le même accès au télétravail que ceux "
    "de l’administration centrale.",
]
# Each demo participant leans to one side: (statements agreed with, disagreed with).
TELEWORK_CAMPS = [
    ({0, 2, 4, 5, 6, 8, 11}, {1, 7, 9}),
    ({1, 3, 7, 9, 10}, {0, 6}),
]
TELEWORK_PROPOSALS = [
    "Il faudrait des casques de bonne qualité pour toutes les réunions hybrides.",
    "Chaque service devrait écrire sa charte du télétravail en équipe.",
    "Les titres-restaurant devraient aussi être attribués les jours de télétravail.",
]
OPEN_QUESTION = "Qu’avez-vous appris de la crise sanitaire dans votre travail ?"
ANSWERS = [
    "Qu’on peut travailler à distance sans perdre en efficacité, à condition d’avoir les "
    "bons outils.",
    "L’importance des moments informels : les échanges à la machine à café m’ont manqué.",
    "Nos procédures papier étaient fragiles ; la signature électronique nous a sauvés.",
    "À mieux organiser mes journées et à poser des limites entre vie professionnelle et "
    "vie personnelle.",
    "Que l’équipe peut s’entraider à distance, grâce à un point quotidien en visio.",
    "Les visioconférences fatiguent plus que les réunions en salle : il faut des pauses.",
    "Les agents d’accueil n’ont pas pu télétravailler, ce qui a créé un sentiment d’injustice.",
    "Le matériel manquait au début : beaucoup ont travaillé sur leur ordinateur personnel.",
    "La confiance de l’encadrement est essentielle : piloter par les résultats, pas par "
    "la présence.",
    "J’ai découvert des outils collaboratifs que j’utilise encore aujourd’hui.",
    "L’isolement a été dur pour les nouveaux arrivants, qui ne connaissaient pas leurs collègues.",
    "Qu’un plan de continuité d’activité doit être à jour et connu de tous.",
    "La messagerie instantanée a remplacé beaucoup de courriels, c’est plus rapide.",
    "Le télétravail à temps plein ne me convient pas : j’ai besoin de voir mes collègues.",
    "Nous avons gagné en autonomie et en capacité d’adaptation.",
]
DIRECTIONS = [
    "Secrétariat général",
    "Direction des affaires juridiques",
    "Direction du numérique",
    "Direction des ressources humaines",
    "Services déconcentrés",
]
REGIONS = [
    "Île-de-France",
    "Auvergne-Rhône-Alpes",
    "Hauts-de-France",
    "Nouvelle-Aquitaine",
    "Occitanie",
    "Grand Est",
    "Autre région ou outre-mer",
]
DEMO_PSEUDONYMS = [
    "Abeille curieuse 11",
    "Bourdon attentif 23",
    "Castor créatif 35",
    "Colibri joyeux 47",
    "Hérisson patient 59",
    "Libellule rapide 61",
    "Loutre sage 73",
    "Mésange curieuse 85",
    "Renard attentif 97",
    "Salamandre créative 12",
    "Chouette joyeuse 24",
    "Écureuil patient 36",
    "Grenouille rapide 48",
    "Lynx sage 50",
    "Abeille attentive 62",
]


def datasets_dir() -> Path:
    configured = os.environ.get("RUCHE_DATASETS_DIR")
    if configured:
        return Path(configured)
    return Path(settings.BASE_DIR).parent / "shared" / "datasets"


def _ensure_process(organisation, facilitator, fields: dict) -> Process:
    process = Process.objects.filter(organisation=organisation, title=fields["title"]).first()
    if process is None:
        process = process_actions.do_create_process(
            organisation, visibility=Process.Visibility.PUBLIC, created_by=facilitator, **fields
        )
    process_actions.do_set_status(process, Process.Status.OPEN)
    return process


def _ensure_phase(process, title: str, **dates) -> Phase:
    phase = process.phases.filter(title=title).first()
    return phase or process_actions.do_add_phase(process, title=title, **dates)


def _ensure_consultation(phase, facilitator, fields: dict) -> Consultation:
    consultation = Consultation.objects.filter(phase=phase, title=fields["title"]).first()
    if consultation is None:
        consultation = actions.do_create_consultation(phase, created_by=facilitator, **fields)
    return consultation


def _analyse_if_changed(consultation, *, themes: bool = False) -> None:
    """Compute now (the report is full at once), unless nothing changed since the last run."""
    latest = {
        kind: AnalysisResult.objects.filter(consultation=consultation, kind=kind, error="")
        .order_by("-computed_at")
        .values_list("input_marker", flat=True)
        .first()
        for kind in AnalysisResult.Kind.values
    }
    if latest[AnalysisResult.Kind.OPINIONS] != analysis.vote_marker(consultation):
        analysis.compute_opinions(consultation)
    if themes and latest[AnalysisResult.Kind.THEMES] != analysis.answer_marker(consultation):
        analysis.compute_themes(consultation)


def load_biodiversity(organisation, facilitator) -> Consultation | None:
    folder = datasets_dir() / POLIS_FOLDER
    if not (folder / COMMENTS).is_file() or not (folder / VOTES).is_file():
        print(
            f"Notice: the Pol.is demo consultation is skipped: no {COMMENTS} and {VOTES} in "
            f"{folder} (set RUCHE_DATASETS_DIR to the folder holding {POLIS_FOLDER}/)."
        )
        return None
    process = _ensure_process(organisation, facilitator, BIODIVERSITY_PROCESS)
    phase = _ensure_phase(
        process,
        "Consultation en ligne",
        starts_on=datetime.date(2019, 8, 4),
        ends_on=datetime.date(2019, 9, 22),
    )
    consultation = _ensure_consultation(phase, facilitator, BIODIVERSITY_CONSULTATION)
    report = imports.import_polis(consultation, folder / COMMENTS, folder / VOTES)
    if not report.ok:
        raise RuntimeError("the demo Pol.is data does not import: " + str(report.errors[0]))
    _analyse_if_changed(consultation)
    return consultation


def load_telework(organisation, facilitator) -> Consultation:
    process = _ensure_process(organisation, facilitator, TELEWORK_PROCESS)
    phase = _ensure_phase(process, "Consultation des agents", starts_on=None, ends_on=None)
    consultation = _ensure_consultation(phase, facilitator, TELEWORK_CONSULTATION)
    seeds = [
        actions.do_add_statement(consultation, text, seed=True, by=facilitator)[0]
        for text in TELEWORK_SEEDS
    ]
    question = actions.do_add_open_question(consultation, OPEN_QUESTION)
    direction = actions.do_add_profile_question(consultation, "Direction", DIRECTIONS)
    region = actions.do_add_profile_question(consultation, "Région", REGIONS)
    entered = {
        participation.participant.pseudonym: participation
        for participation in Participation.objects.filter(
            consultation=consultation, participant__pseudonym__in=DEMO_PSEUDONYMS
        ).select_related("participant")
    }
    draw = random.Random(2020)  # noqa: S311 (demo data, the same on every run)
    for index, pseudonym in enumerate(DEMO_PSEUDONYMS):
        participation = entered.get(pseudonym)
        if participation is None:
            participant = account_actions.do_create_participant(pseudonym=pseudonym)
            participation = actions.do_enter(consultation, participant)
            actions.do_save_profile(
                participation,
                {
                    str(direction.pk): DIRECTIONS[index % len(DIRECTIONS)],
                    str(region.pk): REGIONS[(index * 3) % len(REGIONS)],
                },
            )
        participant = participation.participant
        agree, disagree = TELEWORK_CAMPS[index % 2]
        for position, statement in enumerate(seeds):
            # Most participants vote on most statements; a few stop early, as in life.
            if position >= len(seeds) - index % 4 or draw.random() < 0.1:
                continue
            value = 1 if position in agree else -1 if position in disagree else 0
            if draw.random() < 0.15:
                value = draw.choice([-1, 0, 1])
            existing = statement.votes.filter(participant=participant).exists()
            if not existing:
                actions.do_vote(consultation, participant, statement, value)
        actions.do_answer(question, participant, ANSWERS[index])
        if index < len(TELEWORK_PROPOSALS):
            actions.do_add_statement(consultation, TELEWORK_PROPOSALS[index], author=participant)
    _analyse_if_changed(consultation, themes=True)
    return consultation


@transaction.atomic
def load_demo(organisation, facilitator) -> list[Consultation]:
    """The demo consultations, created if missing (safe to run again)."""
    consultations = [load_telework(organisation, facilitator)]
    biodiversity = load_biodiversity(organisation, facilitator)
    if biodiversity is not None:
        consultations.append(biodiversity)
    return consultations


def demo_pages(organisation) -> list[tuple[str, str]]:
    """(title, path) of each demo consultation's page and synthesis, for `ruche demo` to print."""
    from django.urls import reverse

    pages = []
    for consultation in Consultation.objects.filter(
        phase__process__organisation=organisation
    ).order_by("created_at"):
        pages.append((consultation.title, reverse("consultations:detail", args=[consultation.pk])))
        pages.append(
            (
                f"{consultation.title} — synthesis",
                reverse("consultation_report:report", args=[consultation.pk]),
            )
        )
    return pages
