"""Data for bench_workshop.py, written through Django in a subprocess.

    python benchmarks/bench_workshop_data.py setup --participants 300

Prints one JSON object on stdout: the workshop, its activities and prompts, the
facilitator's session cookie and, for each simulated participant, their attendee id and
signed participant cookie. The environment (DJANGO_SETTINGS_MODULE, DATABASE_URL,
SECRET_KEY…) is the server's, so the cookies signed here are valid there.

Everything goes through the actions layer as a facilitator would prepare a workshop: an
ideation with two prompts, a grouping of its notes (by the facilitator), a dot vote on
the clusters (3 dots, at most 2 on one). The participants join with `actions.do_join`
(the join form's action) and their cookie is signed as the join view's response sets it:
the HTTP join views did not exist yet when this was written.
"""

import argparse
import json
import os
import sys
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "ruche.config.settings.production")

import django  # noqa: E402

django.setup()

from django.conf import settings  # noqa: E402
from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY  # noqa: E402
from django.contrib.sessions.backends.db import SessionStore  # noqa: E402
from django.core.signing import get_cookie_signer  # noqa: E402

from ruche.accounts.actions import do_ensure_organisation, do_ensure_user  # noqa: E402
from ruche.accounts.middleware import PARTICIPANT_SALT  # noqa: E402
from ruche.accounts.models import Membership, Organisation, Participant, Role  # noqa: E402
from ruche.workshops import actions  # noqa: E402


def main() -> int:
    parser = argparse.ArgumentParser()
    sub = parser.add_subparsers(dest="command", required=True)
    setup = sub.add_parser("setup")
    setup.add_argument("--participants", type=int, required=True)
    options = parser.parse_args()
    print(json.dumps(do_setup(options)))
    return 0


def cookie_for(pk) -> str:
    signer = get_cookie_signer(salt=settings.PARTICIPANT_COOKIE_NAME + PARTICIPANT_SALT)
    return signer.sign(str(pk))


def session_for(user) -> str:
    """A signed-in session, as the login view leaves it."""
    session = SessionStore()
    session[SESSION_KEY] = str(user.pk)
    session[BACKEND_SESSION_KEY] = "django.contrib.auth.backends.ModelBackend"
    session[HASH_SESSION_KEY] = user.get_session_auth_hash()
    session.create()
    return session.session_key


def do_setup(options) -> dict:
    start = time.perf_counter()
    organisation = do_ensure_organisation(
        slug="banc-essai-atelier", name="Labo du banc d'essai", kind=Organisation.Kind.LAB
    )
    facilitator = do_ensure_user(
        "animation@banc-essai.example", "mot de passe du banc", full_name="Animatrice du banc"
    )
    Membership.objects.get_or_create(
        user=facilitator, organisation=organisation, defaults={"role": Role.FACILITATOR}
    )
    workshop = actions.do_create_workshop(
        organisation=organisation, title="Atelier du banc d'essai", created_by=facilitator
    )
    ideation = actions.do_add_activity(
        workshop,
        kind="ideation",
        title="Ce que nous voulons pour 2030",
        config={"signing": "choice"},
        prompts=["Ce qui marche", "Ce qui manque"],
    )
    grouping = actions.do_add_activity(
        workshop, kind="grouping", title="Regrouper", source=ideation, config={"who": "facilitator"}
    )
    dotvote = actions.do_add_activity(
        workshop, kind="dotvote", title="Prioriser", source=grouping, config={"dots": 3, "cap": 2}
    )
    actions.do_set_state(workshop, "live")
    people = []
    for index in range(options.participants):
        participant = Participant.objects.create(pseudonym=f"Abeille {index}")
        attendee = actions.do_join(workshop, participant, f"Personne {index}")
        people.append({"attendee": str(attendee.pk), "cookie": cookie_for(participant.pk)})
    return {
        "workshop": str(workshop.pk),
        "code": workshop.code,
        "group": workshop.group_name,
        "activities": {
            "ideation": str(ideation.pk),
            "grouping": str(grouping.pk),
            "dotvote": str(dotvote.pk),
        },
        "prompts": [str(pk) for pk in ideation.prompts.values_list("pk", flat=True)],
        "facilitator_session": session_for(facilitator),
        "session_cookie_name": settings.SESSION_COOKIE_NAME,
        "participant_cookie_name": settings.PARTICIPANT_COOKIE_NAME,
        "participants": people,
        "seconds": time.perf_counter() - start,
    }


if __name__ == "__main__":
    sys.exit(main())
