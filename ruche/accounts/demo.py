"""Demo data: an organisation and three accounts. Idempotent: running it twice changes nothing."""

from dataclasses import dataclass

from django.db import transaction

from ruche.accounts import actions
from ruche.accounts.models import Organisation, Role, User

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
    organisation, _created = Organisation.objects.get_or_create(
        slug=DEMO_ORGANISATION["slug"],
        defaults={k: v for k, v in DEMO_ORGANISATION.items() if k != "slug"},
    )
    for account in DEMO_ACCOUNTS:
        user = User.objects.filter(email=account.email).first()
        if user is None:
            user = User.objects.create_user(
                account.email,
                account.password,
                full_name=account.full_name,
                is_staff=account.is_staff,
                is_superuser=account.is_staff,
            )
        actions.do_set_membership(user=user, organisation=organisation, role=account.role)
    return DEMO_ACCOUNTS
