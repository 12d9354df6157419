"""`ruche import_polis FOLDER --consultation ID`: import a Pol.is export folder.

Problems (unknown consultation, missing file, malformed lines) are printed on stderr, one
per line with the file and line number, and the command exits with status 2, importing
nothing.
"""

from pathlib import Path

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError

from ruche.analysis.polis_export import COMMENTS, VOTES
from ruche.consultations.imports import import_polis
from ruche.consultations.models import Consultation

EXIT_BAD_INPUT = 2


class Command(BaseCommand):
    help = (
        "Import a Pol.is export folder (comments.csv, votes.csv) into a consultation. "
        "Safe to run again: what is already there is not added twice."
    )

    def add_arguments(self, parser):
        parser.add_argument("folder", help="folder holding comments.csv and votes.csv")
        parser.add_argument("--consultation", required=True, help="the consultation's id")

    def handle(self, *args, folder, consultation, **options):
        try:
            target = Consultation.objects.get(pk=consultation)
        except (Consultation.DoesNotExist, ValidationError, ValueError):
            raise CommandError(
                f"no consultation with id {consultation!r}", returncode=EXIT_BAD_INPUT
            ) from None
        path = Path(folder)
        if not path.is_dir():
            raise CommandError(
                f"{path}: no such folder (expected a Pol.is export folder)",
                returncode=EXIT_BAD_INPUT,
            )
        report = import_polis(target, path / COMMENTS, path / VOTES)
        if not report.ok:
            for error in report.errors:
                self.stderr.write(str(error))
            if report.unlisted_errors:
                self.stderr.write(f"… and {report.unlisted_errors} more errors")
            raise CommandError(
                f"nothing imported: {len(report.errors) + report.unlisted_errors} errors",
                returncode=EXIT_BAD_INPUT,
            )
        counts = report.counts
        self.stdout.write(
            self.style.SUCCESS(
                f"Imported into “{target.title}”: {counts['statements']} statements "
                f"({counts['statements_created']} new), {counts['participants']} participants "
                f"({counts['participants_created']} new), {counts['votes']} votes "
                f"({counts['votes_created']} new)."
            )
        )
