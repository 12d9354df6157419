from django.core.management.base import BaseCommand

from ruche.accounts.demo import load_demo_data


class Command(BaseCommand):
    help = "Load the demo organisation and accounts (safe to run again)."

    def handle(self, *args, **options):
        accounts = load_demo_data()
        self.stdout.write(self.style.SUCCESS("Demo data loaded."))
        for account in accounts:
            self.stdout.write(f"  {account.role:<12} {account.email:<28} {account.password}")
