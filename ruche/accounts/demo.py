"""Demo data: an organisation, three accounts, and (consultations/demo.py) its processes and
consultations. Idempotent: running it twice changes nothing."""

from dataclasses import dataclass

from django.db import transaction

from ruche.accounts import actions
from ruche.accounts.models import Organisation, Role
from ruche.consultations.demo import load_demo as load_consultations_demo
from ruche.workshops.demo import load_demo as load_workshops_demo

DEMO_ORGANISATION = {
    "slug": "drelab-demo",
    "name": "Dre'Lab (démo)",
    "kind": Organisation.Kind.LAB,
    "description": "Laboratoire d'innovation d'une direction régionale — données de démonstration.",
}


@dataclass(frozen=True)
class DemoAccount:
    email: str
    password: str
    full_name: str
    role: str
    is_staff: bool = False


DEMO_ACCOUNTS = [
    DemoAccount("admin@ruche.localhost", "ruche-admin-demo", "Alice Admin", Role.ADMIN, True),
    DemoAccount(
        "animation@ruche.localhost", "ruche-animation-demo", "Fanny Facilitatrice", Role.FACILITATOR
    ),
    DemoAccount("membre@ruche.localhost", "ruche-membre-demo", "Marc Membre", Role.MEMBER),
]


@transaction.atomic
def load_demo_data() -> list[DemoAccount]:
    organisation = actions.do_ensure_organisation(**DEMO_ORGANISATION)
    for account in DEMO_ACCOUNTS:
        user = actions.do_ensure_user(
            account.email, account.password, full_name=account.full_name, is_staff=account.is_staff
        )
        actions.do_set_membership(user=user, organisation=organisation, role=account.role)
        if account.role == Role.FACILITATOR:
            facilitator = user
    load_consultations_demo(organisation, facilitator)
    load_workshops_demo(organisation, facilitator)
    return DEMO_ACCOUNTS
