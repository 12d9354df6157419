"""Data for bench_votes.py, written through Django in a subprocess (the bench itself
never imports Django: it only talks HTTP to `ruche serve` and SQL to check the votes).

    python benchmarks/bench_votes_data.py setup --statements 200
    python benchmarks/bench_votes_data.py bulk --consultation ID --statements 2000 \
        --participants-from 0 --participants-to 75000 --votes-per 30

Both print one JSON object on stdout. The environment (DJANGO_SETTINGS_MODULE,
DATABASE_URL, SECRET_KEY…) is the server's, so the cookies signed here are valid there.

`setup` goes through the actions layer (organisation, open public process, phase,
anonymous consultation, seeded statements), as a facilitator would. `bulk` writes
participants and votes with PostgreSQL COPY: 2.25 M votes one upsert at a time would
take longer than the benchmark itself.
"""

import argparse
import io
import json
import os
import sys
import time
import uuid
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "ruche.config.settings.production")

import django  # noqa: E402

django.setup()

import numpy as np  # noqa: E402
from django.conf import settings  # noqa: E402
from django.core.signing import get_cookie_signer  # noqa: E402
from django.db import connection, transaction  # noqa: E402
from django.utils import timezone  # noqa: E402

from ruche.accounts.actions import do_ensure_organisation  # noqa: E402
from ruche.accounts.middleware import PARTICIPANT_SALT  # noqa: E402
from ruche.accounts.models import Organisation, Participant  # noqa: E402
from ruche.consultations import actions  # noqa: E402
from ruche.consultations.models import Consultation, Statement, Vote  # noqa: E402
from ruche.processes import actions as process_actions  # noqa: E402
from ruche.processes.models import Process  # noqa: E402

# Participant ids of the bulk load are derived from their index, so two `bulk` calls (200
# participants, then the 74,800 others) agree on who is who.
NAMESPACE = uuid.UUID("6f1c2d1e-7d0e-4c3b-9b1a-5e0f3c2a9b10")
SAMPLE = 200  # participants (from index 0) whose signed cookies `bulk` hands back


def main() -> int:
    parser = argparse.ArgumentParser()
    sub = parser.add_subparsers(dest="command", required=True)
    setup = sub.add_parser("setup")
    setup.add_argument("--statements", type=int, default=200)
    setup.add_argument("--title", default="Banc d'essai des votes")
    setup.add_argument("--bulk-statements", action="store_true", help="bulk_create them")
    bulk = sub.add_parser("bulk")
    bulk.add_argument("--consultation", required=True)
    bulk.add_argument("--participants-from", type=int, required=True)
    bulk.add_argument("--participants-to", type=int, required=True)
    bulk.add_argument("--votes-per", type=int, default=30)
    bulk.add_argument("--seed", type=int, default=0)
    options = parser.parse_args()
    result = do_setup(options) if options.command == "setup" else do_bulk(options)
    print(json.dumps(result))
    return 0


def do_setup(options) -> dict:
    start = time.perf_counter()
    organisation = do_ensure_organisation(
        slug="banc-essai", name="Labo du banc d'essai", kind=Organisation.Kind.LAB
    )
    process = process_actions.do_create_process(
        organisation,
        title=options.title,
        question="Comment voter vite ?",
        context="",
        visibility=Process.Visibility.PUBLIC,
        created_by=None,
    )
    process_actions.do_set_status(process, Process.Status.OPEN)
    phase = process_actions.do_add_phase(process, title="Phase 1", starts_on=None, ends_on=None)
    consultation = actions.do_create_consultation(
        phase,
        title=options.title,
        moderation=Consultation.Moderation.AFTER,
        access=Consultation.Access.ANONYMOUS,
    )
    texts = [
        f"Proposition numéro {n} : il faudrait essayer ceci." for n in range(options.statements)
    ]
    if options.bulk_statements:
        now = timezone.now()
        Statement.objects.bulk_create(
            Statement(
                consultation=consultation,
                number=n + 1,
                text=text,
                status=Statement.Status.ACCEPTED,
                is_seed=True,
                moderated_at=now,
            )
            for n, text in enumerate(texts)
        )
    else:
        for text in texts:
            actions.do_add_statement(consultation, text, seed=True)
    ids = list(
        Statement.objects.filter(consultation=consultation)
        .order_by("number")
        .values_list("pk", flat=True)
    )
    return {
        "consultation": str(consultation.pk),
        "statements": [str(pk) for pk in ids],
        "seconds": time.perf_counter() - start,
    }


def participant_id(index: int) -> uuid.UUID:
    return uuid.uuid5(NAMESPACE, str(index))


def cookie_for(pk) -> str:
    signer = get_cookie_signer(salt=settings.PARTICIPANT_COOKIE_NAME + PARTICIPANT_SALT)
    return signer.sign(str(pk))


def do_bulk(options) -> dict:
    """Participants [from, to) with `votes_per` votes each on distinct random statements."""
    start = time.perf_counter()
    consultation = Consultation.objects.get(pk=options.consultation)
    statements = np.array(
        [
            str(pk)
            for pk in Statement.objects.filter(consultation=consultation)
            .order_by("number")
            .values_list("pk", flat=True)
        ]
    )
    first, last, per = options.participants_from, options.participants_to, options.votes_per
    rng = np.random.default_rng([options.seed, first])
    now = timezone.now().isoformat()
    participant_table = Participant._meta.db_table
    vote_table = Vote._meta.db_table
    chosen_for_sample: dict[int, set[int]] = {}
    n_votes = 0
    chunk = 5000
    with transaction.atomic(), connection.cursor() as cursor:
        raw = cursor.cursor  # the psycopg cursor, for COPY
        for lo in range(first, last, chunk):
            hi = min(lo + chunk, last)
            ids = [str(participant_id(i)) for i in range(lo, hi)]
            people = "".join(f"{pk}\t{now}\t{now}\tBanc {lo + k}\n" for k, pk in enumerate(ids))
            with raw.copy(
                f"COPY {participant_table} (id, created_at, updated_at, pseudonym) FROM STDIN"
            ) as copy:
                copy.write(people)
            # `per` distinct statements per participant: the smallest of random keys.
            keys = rng.random((hi - lo, len(statements)), dtype=np.float32)
            picked = np.argpartition(keys, per, axis=1)[:, :per]
            values = rng.choice(
                np.array([1, -1, 0], dtype=np.int8), size=picked.shape, p=[0.45, 0.35, 0.2]
            )
            for k in range(hi - lo):
                if lo + k < SAMPLE:
                    chosen_for_sample[lo + k] = set(picked[k].tolist())
            buffer = io.StringIO()
            for k, pk in enumerate(ids):
                prefix = f"{consultation.pk}\t"
                suffix = f"\t{pk}\t"
                buffer.writelines(
                    f"{prefix}{s}{suffix}{v}\t{now}\t{now}\n"
                    for s, v in zip(statements[picked[k]].tolist(), values[k].tolist(), strict=True)
                )
            with raw.copy(
                f"COPY {vote_table} (consultation_id, statement_id, participant_id, value, "
                "created_at, updated_at) FROM STDIN"
            ) as copy:
                copy.write(buffer.getvalue())
            n_votes += (hi - lo) * per
        copied = time.perf_counter() - start
        # The counts an analysis run would have stored (the card's draw reads them).
        cursor.execute(
            f"""
            UPDATE {Statement._meta.db_table} AS s SET
                n_agree = c.agree, n_disagree = c.disagree, n_pass = c.pass
            FROM (
                SELECT statement_id,
                    count(*) FILTER (WHERE value = 1) AS agree,
                    count(*) FILTER (WHERE value = -1) AS disagree,
                    count(*) FILTER (WHERE value = 0) AS pass
                FROM {vote_table} WHERE consultation_id = %s GROUP BY statement_id
            ) AS c
            WHERE s.id = c.statement_id
            """,  # noqa: S608 (table names from the models, the value is a parameter)
            [consultation.pk],
        )
    counted = time.perf_counter() - start
    with connection.cursor() as cursor:
        # What autovacuum would soon do after such a load: done now, so that it does not
        # run during the timings (and the statement counts' old row versions are gone).
        cursor.execute(
            f"VACUUM ANALYZE {participant_table}, {vote_table}, {Statement._meta.db_table}"
        )
    sample = []
    for index in sorted(chosen_for_sample):
        unvoted = next(i for i in range(len(statements)) if i not in chosen_for_sample[index])
        sample.append({"cookie": cookie_for(participant_id(index)), "unvoted": statements[unvoted]})
    return {
        "participants": last - first,
        "votes": n_votes,
        "copy_seconds": copied,
        "counts_seconds": counted - copied,
        "vacuum_seconds": time.perf_counter() - start - counted,
        "seconds": time.perf_counter() - start,
        "sample": sample,
    }


if __name__ == "__main__":
    sys.exit(main())
