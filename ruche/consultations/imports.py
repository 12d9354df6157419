"""Bring data into a consultation: a Pol.is export, or statements from a CSV file.

Both importers read everything first and collect every problem as a `LineError` (file,
line, message) in the returned `ImportReport`; when there is any, nothing is written.
Otherwise they write in one transaction with bulk inserts. Importing the same file again
adds nothing (safe to retry after a timeout).

Files are read with the conventions of `ruche.analysis.polis_export` (UTF-8, with or
without a byte-order mark; a record may span lines; line numbers are those of the file).
Each file is capped at MAX_FILE_BYTES (20 MB: about 400,000 Pol.is votes) and at
MAX_STATEMENTS statements, so an upload cannot tie a server process up for minutes.

Pol.is export (`import_polis`):

- comments.csv (`comment-id`, `moderated`, `comment-body`; `author-id` and `timestamp`
  used when present): each comment becomes a statement numbered with its comment-id.
  `moderated` −1 (moderated out) → rejected, 1 → published, 0 (not yet moderated in
  Pol.is) → waiting in the moderation queue when the consultation moderates before
  publication, published when it moderates after (as Pol.is shows unmoderated comments
  unless its strict moderation is on). A comment-id already used in the consultation by
  the same text is the same statement (left as it is: a facilitator may have moderated it
  since); by another text it is an error.
- votes.csv (`comment-id`, `voter-id`, `vote` agree 1 / disagree −1 / pass 0;
  `timestamp` in milliseconds used when present): one vote per voter and comment, the
  latest by timestamp (the later line on a tie). Votes on unpublished statements are kept,
  as in Pol.is: they were cast before moderation.
- Each voter-id (and author-id) becomes one participant, "Participant·e <voter-id>",
  entered into the consultation. The voter-id is kept in the participation's profile
  under POLIS_VOTER_KEY, which is how a second import finds the same people again and how
  the Pol.is export gives them back their ids. (A dedicated `Participation.source_id`
  field would be cleaner; the key is never a profile question id, which are UUIDs.)

Statements from CSV (`import_statements`): one statement per non-empty cell of the chosen
column (by default the first column named like STATEMENT_COLUMNS), added as facilitators'
seeds with the rules of `actions.do_add_statement`: spaces collapsed, at most 280
characters, published at once, a text already seeded is not added again.

Exports guard text cells against formula injection with a leading apostrophe
(`exports_data.guard`); both importers take that apostrophe off again, so an export
imports back to the same texts.
"""

import csv
import datetime
import io
import math
import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

from django.db import transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from ruche.accounts.models import Participant
from ruche.analysis.polis_export import COMMENTS, MODERATION_VALUES, VOTE_VALUES, VOTES
from ruche.consultations.models import (
    STATEMENT_MAX_LENGTH,
    Consultation,
    Participation,
    Statement,
    Vote,
)

MAX_FILE_BYTES = 20 * 1024 * 1024
MAX_STATEMENTS = 10_000
MAX_LISTED_ERRORS = 100  # beyond this, errors are counted, not listed
MAX_VOTER_ID_LENGTH = 40
POLIS_VOTER_KEY = "polis-voter-id"
PSEUDONYM = "Participant·e {}"
STATEMENT_COLUMNS = (
    "text",
    "content",
    "proposal",
    "statement",
    "comment-body",
    "body",
    "texte",
    "contenu",
    "proposition",
    "énoncé",
)
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
WHOLE_NUMBER = re.compile(r"0|[1-9][0-9]*")
BATCH = 2000


@dataclass(frozen=True)
class LineError:
    file: str
    line: int | None  # None: about the whole file
    message: str

    def __str__(self):
        if self.line is None:
            return f"{self.file}: {self.message}"
        return _("%(file)s line %(line)s: %(message)s") % {
            "file": self.file,
            "line": self.line,
            "message": self.message,
        }


@dataclass
class ImportReport:
    """What an import found: errors (nothing written then) or counts of what it wrote."""

    errors: list[LineError] = field(default_factory=list)
    unlisted_errors: int = 0
    counts: dict[str, int] = field(default_factory=dict)

    @property
    def ok(self) -> bool:
        return not self.errors

    def sort(self, files: list[str]) -> None:
        """Errors by file (in this order) then line, whatever order they were found in."""
        rank = {name: position for position, name in enumerate(files)}
        self.errors.sort(key=lambda error: (rank.get(error.file, len(rank)), error.line or 0))

    def error(self, file: str, line: int | None, message: str) -> None:
        if len(self.errors) < MAX_LISTED_ERRORS:
            self.errors.append(LineError(file, line, message))
        else:
            self.unlisted_errors += 1


@dataclass
class CsvTable:
    name: str
    columns: dict[str, int]  # stripped header name → position
    rows: list[tuple[int, list[str]]]  # (first line of the record, fields)


def unguard(text: str) -> str:
    """Take off the apostrophe an export puts before a formula-like text."""
    if len(text) > 1 and text[0] == "'" and text[1] in FORMULA_STARTS:
        return text[1:]
    return text


def clean_text(text: str) -> str:
    """Spaces collapsed as `actions.do_add_statement` does."""
    return " ".join(unguard(text.strip()).split())


def _source_name(source, default: str) -> str:
    name = source if isinstance(source, str | Path) else getattr(source, "name", None)
    name = name or default
    return Path(str(name)).name or default


def _read_bytes(source, name: str, report: ImportReport) -> bytes | None:
    """The file's bytes, or None (error reported) when missing or over MAX_FILE_BYTES."""
    limit_mb = MAX_FILE_BYTES // (1024 * 1024)
    too_big = _("the file is larger than %(size)s MB; split it or import it in parts") % {
        "size": limit_mb
    }
    if isinstance(source, str | Path):
        path = Path(source)
        if not path.is_file():
            report.error(name, None, _("file not found"))
            return None
        if path.stat().st_size > MAX_FILE_BYTES:
            report.error(name, None, too_big)
            return None
        return path.read_bytes()
    size = getattr(source, "size", None)
    if size is not None and size > MAX_FILE_BYTES:
        report.error(name, None, too_big)
        return None
    if hasattr(source, "seek"):
        source.seek(0)
    data = source.read(MAX_FILE_BYTES + 1)
    if len(data) > MAX_FILE_BYTES:
        report.error(name, None, too_big)
        return None
    return data


def read_csv(source, default_name: str, report: ImportReport, required: Iterable[str] = ()):
    """Read a CSV file into a CsvTable, or None with the problems in `report`.

    The delimiter is the comma, or the semicolon or tab when the header line has one and
    no comma (spreadsheets saved in French). Records with a wrong number of fields are
    reported and left out.
    """
    name = _source_name(source, default_name)
    data = _read_bytes(source, name, report)
    if data is None:
        return None
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        line = data[: error.start].count(b"\n") + 1
        report.error(name, line, _("not UTF-8 text (save the file as CSV UTF-8)"))
        return None
    if not text.strip():
        report.error(name, None, _("empty file (expected a header line)"))
        return None
    first_line = text.split("\n", 1)[0]
    delimiter = ","
    if "," not in first_line:
        delimiter = ";" if ";" in first_line else "\t" if "\t" in first_line else ","
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    rows: list[tuple[int, list[str]]] = []
    try:
        header = next(reader)
        columns: dict[str, int] = {}
        for position, column in enumerate(header):
            if column.strip() in columns:
                report.error(name, 1, _("the column %(name)s appears twice") % {"name": column})
                return None
            columns[column.strip()] = position
        missing = [column for column in required if column not in columns]
        if missing:
            report.error(
                name,
                1,
                ngettext(
                    "missing column %(names)s (found: %(found)s)",
                    "missing columns %(names)s (found: %(found)s)",
                    len(missing),
                )
                % {"names": ", ".join(missing), "found": ", ".join(header)},
            )
            return None
        line = reader.line_num
        for row in reader:
            start, line = line + 1, reader.line_num
            if not row or (len(row) == 1 and not row[0].strip() and len(header) > 1):
                continue
            if len(row) != len(header):
                report.error(
                    name,
                    start,
                    _("%(found)s fields, expected %(expected)s as in the header")
                    % {"found": len(row), "expected": len(header)},
                )
                continue
            rows.append((start, row))
    except csv.Error as error:
        report.error(name, reader.line_num, str(error))
        return None
    return CsvTable(name=name, columns=columns, rows=rows)


def _timestamp(raw: str) -> datetime.datetime | bool | None:
    """Pol.is timestamp (milliseconds since 1970) → aware datetime; None if empty; False if
    not a valid time."""
    raw = raw.strip()
    if not raw:
        return None
    try:
        milliseconds = float(raw)
        if not math.isfinite(milliseconds):
            return False
        return datetime.datetime.fromtimestamp(milliseconds / 1000, tz=datetime.UTC)
    except (ValueError, OverflowError, OSError):
        return False


def _length_error(text: str) -> str:
    return _("the statement is %(length)s characters long, at most %(max)s") % {
        "length": len(text),
        "max": STATEMENT_MAX_LENGTH,
    }


# ---------------------------------------------------------------------------------------
# Pol.is export


@dataclass
class _Comment:
    line: int
    text: str
    moderated: int
    author: str
    created: datetime.datetime | None


def _read_comments(table: CsvTable, report: ImportReport, seen: set[int]) -> dict[int, _Comment]:
    """{comment-id: comment} for the valid lines; `seen` gets every whole-number comment-id,
    so that votes on a comment with an error are not reported again."""
    at = table.columns
    comments: dict[int, _Comment] = {}
    time_at, author_at = at.get("timestamp"), at.get("author-id")
    for line, row in table.rows:
        raw_id = row[at["comment-id"]].strip()
        if not WHOLE_NUMBER.fullmatch(raw_id):
            report.error(
                table.name,
                line,
                _("comment-id “%(value)s” is not a whole number") % {"value": raw_id},
            )
            continue
        number = int(raw_id)
        seen.add(number)
        if number in comments:
            report.error(
                table.name,
                line,
                _("comment-id %(id)s appears twice (first on line %(first)s)")
                % {"id": number, "first": comments[number].line},
            )
            continue
        moderated = MODERATION_VALUES.get(row[at["moderated"]].strip())
        if moderated is None:
            report.error(
                table.name,
                line,
                _("moderated is “%(value)s”, expected -1, 0 or 1")
                % {"value": row[at["moderated"]]},
            )
            continue
        text = clean_text(row[at["comment-body"]])
        if not text:
            report.error(table.name, line, _("empty comment-body"))
            continue
        if len(text) > STATEMENT_MAX_LENGTH:
            report.error(table.name, line, _length_error(text))
            continue
        author = row[author_at].strip() if author_at is not None else ""
        if len(author) > MAX_VOTER_ID_LENGTH:
            report.error(table.name, line, _("author-id is too long"))
            continue
        created = _timestamp(row[time_at]) if time_at is not None else None
        if created is False:
            report.error(
                table.name,
                line,
                _("timestamp “%(value)s” is not a time in milliseconds") % {"value": row[time_at]},
            )
            continue
        comments[number] = _Comment(line, text, moderated, author, created)
    if not comments and not report.errors:
        report.error(table.name, None, _("no comments (only a header line)"))
    if len(comments) > MAX_STATEMENTS:
        report.error(
            table.name,
            None,
            _("more than %(max)s comments: import them in parts") % {"max": MAX_STATEMENTS},
        )
    return comments


@dataclass
class _Vote:
    value: int
    first: datetime.datetime | None
    last: datetime.datetime | None


def _read_votes(table: CsvTable, comment_ids: set[int] | None, comments_name: str, report):
    """{(voter-id, comment-id): latest vote}; `comment_ids` None when comments.csv could
    not be read (then comment-ids are not checked against it)."""
    at = table.columns
    time_at = at.get("timestamp")
    # Sort key per pair: (time, line), so the latest time wins and the later line on a tie.
    votes: dict[tuple[str, int], _Vote] = {}
    latest: dict[tuple[str, int], tuple[float, int]] = {}
    for line, row in table.rows:
        voter = row[at["voter-id"]].strip()
        if not voter:
            report.error(table.name, line, _("empty voter-id"))
            continue
        if len(voter) > MAX_VOTER_ID_LENGTH:
            report.error(table.name, line, _("voter-id is too long"))
            continue
        raw_id = row[at["comment-id"]].strip()
        number = int(raw_id) if WHOLE_NUMBER.fullmatch(raw_id) else None
        if number is None or (comment_ids is not None and number not in comment_ids):
            report.error(
                table.name,
                line,
                _("comment-id “%(value)s” is not in %(comments)s")
                % {"value": raw_id, "comments": comments_name},
            )
            continue
        value = VOTE_VALUES.get(row[at["vote"]].strip())
        if value is None:
            report.error(
                table.name,
                line,
                _("vote is “%(value)s”, expected -1, 0 or 1") % {"value": row[at["vote"]]},
            )
            continue
        when = _timestamp(row[time_at]) if time_at is not None else None
        if when is False:
            report.error(
                table.name,
                line,
                _("timestamp “%(value)s” is not a time in milliseconds") % {"value": row[time_at]},
            )
            continue
        key = (voter, number)
        order = (when.timestamp() if when else -math.inf, line)
        previous = votes.get(key)
        if previous is None:
            votes[key] = _Vote(value, when, when)
            latest[key] = order
            continue
        if when and (previous.first is None or when < previous.first):
            previous.first = when
        if order >= latest[key]:
            latest[key] = order
            previous.value = value
            previous.last = when or previous.last
    return votes


def import_polis(consultation: Consultation, comments, votes) -> ImportReport:
    """Import a Pol.is export's comments.csv and votes.csv (paths or open binary files)."""
    report = ImportReport()
    comment_table = read_csv(
        comments, COMMENTS, report, ("comment-id", "moderated", "comment-body")
    )
    vote_table = read_csv(votes, VOTES, report, ("comment-id", "voter-id", "vote"))
    seen: set[int] = set()
    parsed_comments = _read_comments(comment_table, report, seen) if comment_table else {}
    comments_name = comment_table.name if comment_table else COMMENTS
    parsed_votes = {}
    if vote_table:
        known = seen if comment_table else None
        parsed_votes = _read_votes(vote_table, known, comments_name, report)
    if not report.ok:
        report.sort([comments_name, vote_table.name if vote_table else VOTES])
        return report
    with transaction.atomic():
        # Lock the consultation: statements added meanwhile must not take these numbers.
        Consultation.objects.select_for_update().filter(pk=consultation.pk).first()
        existing = {
            statement.number: statement
            for statement in Statement.objects.filter(consultation=consultation).only(
                "number", "text"
            )
            if statement.number in parsed_comments
        }
        for number, comment in parsed_comments.items():
            found = existing.get(number)
            if found is not None and found.text != comment.text:
                report.error(
                    comments_name,
                    comment.line,
                    _(
                        "comment-id %(id)s is already the number of another statement of this "
                        "consultation (“%(text)s”)"
                    )
                    % {"id": number, "text": found.text[:60]},
                )
        if not report.ok:
            return report
        participants, new_participants = _ensure_participants(
            consultation,
            {voter for voter, _number in parsed_votes}
            | {comment.author for comment in parsed_comments.values() if comment.author},
        )
        statements, new_statements = _ensure_statements(
            consultation, parsed_comments, existing, participants
        )
        before = Vote.objects.filter(consultation=consultation).count()
        now = timezone.now()
        Vote.objects.bulk_create(
            (
                Vote(
                    consultation=consultation,
                    statement_id=statements[number],
                    participant_id=participants[voter],
                    value=vote.value,
                    created_at=vote.first or now,
                    updated_at=vote.last or now,
                )
                for (voter, number), vote in parsed_votes.items()
            ),
            batch_size=BATCH,
            update_conflicts=True,
            unique_fields=["statement", "participant"],
            update_fields=["value", "updated_at"],
        )
        after = Vote.objects.filter(consultation=consultation).count()
    report.counts = {
        "statements": len(parsed_comments),
        "statements_created": new_statements,
        "participants": len(participants),
        "participants_created": new_participants,
        "votes": len(parsed_votes),
        "votes_created": after - before,
    }
    return report


def _ensure_participants(consultation, voter_ids: set[str]) -> tuple[dict[str, object], int]:
    """{voter-id: participant id}, creating participants and participations as needed."""
    known: dict[str, object] = {}
    for participant_id, profile in Participation.objects.filter(
        consultation=consultation
    ).values_list("participant_id", "profile"):
        voter = (profile or {}).get(POLIS_VOTER_KEY)
        if voter is not None:
            known[str(voter)] = participant_id
    missing = sorted(voter_ids - set(known), key=lambda v: (len(v), v))
    people = [Participant(pseudonym=PSEUDONYM.format(voter)[:60]) for voter in missing]
    Participant.objects.bulk_create(people, batch_size=BATCH)
    Participation.objects.bulk_create(
        [
            Participation(
                consultation=consultation,
                participant=person,
                profile={POLIS_VOTER_KEY: voter},
                profile_done=True,
            )
            for voter, person in zip(missing, people, strict=True)
        ],
        batch_size=BATCH,
    )
    known.update({voter: person.pk for voter, person in zip(missing, people, strict=True)})
    return {voter: known[voter] for voter in voter_ids}, len(missing)


def _ensure_statements(consultation, comments, existing, participants) -> tuple[dict, int]:
    """{comment-id: statement id}, creating the statements not there yet."""
    pending = (
        Statement.Status.PENDING
        if consultation.moderation == Consultation.Moderation.BEFORE
        else Statement.Status.ACCEPTED
    )
    status_of = {-1: Statement.Status.REJECTED, 0: pending, 1: Statement.Status.ACCEPTED}
    created = [
        Statement(
            consultation=consultation,
            number=number,
            text=comment.text,
            status=status_of[comment.moderated],
            author_id=participants.get(comment.author) if comment.author else None,
        )
        for number, comment in sorted(comments.items())
        if number not in existing
    ]
    Statement.objects.bulk_create(created, batch_size=BATCH)
    # created_at is set by the database on insert (auto_now_add): give it Pol.is's time.
    dated = []
    for statement in created:
        when = comments[statement.number].created
        if when is not None:
            statement.created_at = when
            dated.append(statement)
    Statement.objects.bulk_update(dated, ["created_at"], batch_size=500)
    ids = {number: statement.pk for number, statement in existing.items()}
    ids.update({statement.number: statement.pk for statement in created})
    return ids, len(created)


# ---------------------------------------------------------------------------------------
# Statements from a CSV file


def _statement_column(table: CsvTable, column: str, report: ImportReport) -> int | None:
    by_name = {name.casefold(): position for name, position in table.columns.items()}
    if column:
        position = by_name.get(column.strip().casefold())
        if position is None:
            report.error(
                table.name,
                1,
                _("no column named %(name)s (found: %(found)s)")
                % {"name": column, "found": ", ".join(table.columns)},
            )
        return position
    for name in STATEMENT_COLUMNS:
        if name in by_name:
            return by_name[name]
    if len(table.columns) == 1:
        return 0
    report.error(
        table.name,
        1,
        _("no column named %(names)s: give the name of the column to import (found: %(found)s)")
        % {"names": ", ".join(STATEMENT_COLUMNS[:3]), "found": ", ".join(table.columns)},
    )
    return None


def import_statements(consultation: Consultation, source, *, column: str = "", by=None):
    """Add the texts of one column of a CSV file as seeded statements."""
    report = ImportReport()
    table = read_csv(source, "statements.csv", report)
    if table is None:
        return report
    position = _statement_column(table, column, report)
    if position is None:
        return report
    texts: dict[str, int] = {}  # text → first line
    skipped = 0
    for line, row in table.rows:
        text = clean_text(row[position])
        if not text:
            skipped += 1
            continue
        if len(text) > STATEMENT_MAX_LENGTH:
            report.error(table.name, line, _length_error(text))
            continue
        texts.setdefault(text, line)
    if len(texts) > MAX_STATEMENTS:
        report.error(
            table.name,
            None,
            _("more than %(max)s statements: import them in parts") % {"max": MAX_STATEMENTS},
        )
    if not texts and report.ok:
        report.error(table.name, None, _("no statement to import (the column is empty)"))
    if not report.ok:
        report.sort([table.name])
        return report
    with transaction.atomic():
        Consultation.objects.select_for_update().filter(pk=consultation.pk).first()
        seeded = set(
            Statement.objects.filter(consultation=consultation, author__isnull=True).values_list(
                "text", flat=True
            )
        )
        last = Statement.objects.filter(consultation=consultation).aggregate(last=Max("number"))
        number = last["last"] or 0
        now = timezone.now()
        new = []
        for text in texts:
            if text in seeded:
                continue
            number += 1
            new.append(
                Statement(
                    consultation=consultation,
                    number=number,
                    text=text,
                    is_seed=True,
                    status=Statement.Status.ACCEPTED,
                    moderated_by=by,
                    moderated_at=now,
                )
            )
        Statement.objects.bulk_create(new, batch_size=BATCH)
    report.counts = {
        "statements": len(texts),
        "statements_created": len(new),
        "skipped_empty": skipped,
    }
    return report
