"""Take a consultation's raw data out: a Pol.is export (ZIP) and a spreadsheet (XLSX).

The Pol.is export has the four files Pol.is itself publishes (comments.csv, votes.csv,
participants-votes.csv, summary.csv), so tools written for Pol.is open data read it, and
`imports.import_polis` imports it back to the same statements and votes. Participants are
numbered: a participant imported from Pol.is keeps their voter-id, the others are numbered
after them in the order they arrived. `group-id` comes from the latest opinion analysis
(empty for participants outside every group, or when none was run). Only the latest vote
of each participant on each statement is kept, with the time it was last changed.

The spreadsheet has a sheet per kind of raw data: statements, votes, answers.

Text written by people (statements, answers, titles) may start like a spreadsheet formula
(`=HYPERLINK(…)`): such cells get a leading apostrophe (`guard`), which the importers take
off again. Exports are built in memory; their size follows the consultation's (about 50
bytes per vote in the ZIP before compression).
"""

import csv
import datetime
import io
import zipfile
from collections import defaultdict

from django.db.models import Min
from django.utils import timezone

from ruche.consultations import queries
from ruche.consultations.imports import FORMULA_STARTS, POLIS_VOTER_KEY, WHOLE_NUMBER
from ruche.consultations.models import (
    AnalysisResult,
    Answer,
    Consultation,
    Participation,
    Statement,
    Vote,
)

MODERATED = {
    Statement.Status.ACCEPTED: 1,
    Statement.Status.PENDING: 0,
    Statement.Status.REJECTED: -1,
}
EXCEL_MAX_ROWS = 1_048_576
_DAYS = ("Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun")
_MONTHS = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")


def guard(text: str) -> str:
    """A text cell that a spreadsheet will not run as a formula."""
    if text and text.startswith(FORMULA_STARTS):
        return "'" + text
    return text


_EPOCH = datetime.datetime(1970, 1, 1, tzinfo=datetime.UTC)


def _milliseconds(moment: datetime.datetime) -> int:
    # Integer arithmetic: a float product could turn …999 ms into …998.
    return (moment - _EPOCH) // datetime.timedelta(milliseconds=1)


def _polis_datetime(moment: datetime.datetime) -> str:
    """Pol.is's `datetime` column ("Tue Sep 10 00:47:02 PDT 2019"), in UTC."""
    moment = moment.astimezone(datetime.UTC)
    return (
        f"{_DAYS[moment.weekday()]} {_MONTHS[moment.month - 1]} {moment:%d %H:%M:%S} UTC "
        f"{moment.year}"
    )


def voter_ids(consultation: Consultation) -> dict:
    """{participant id: number} for everyone who voted, wrote a statement, answered or
    entered the consultation."""
    imported: dict = {}
    arrived: dict = {}
    for participant_id, profile, created_at in Participation.objects.filter(
        consultation=consultation
    ).values_list("participant_id", "profile", "created_at"):
        voter = str((profile or {}).get(POLIS_VOTER_KEY, ""))
        if WHOLE_NUMBER.fullmatch(voter):
            imported[participant_id] = int(voter)
        else:
            arrived[participant_id] = created_at
    first_votes = (
        Vote.objects.filter(consultation=consultation)
        .values("participant_id")
        .annotate(first=Min("created_at"))
        .values_list("participant_id", "first")
    )
    others = [
        *first_votes,
        *Statement.objects.filter(consultation=consultation, author__isnull=False)
        .values("author_id")
        .annotate(first=Min("created_at"))
        .values_list("author_id", "first"),
        *Answer.objects.filter(question__consultation=consultation)
        .values("participant_id")
        .annotate(first=Min("created_at"))
        .values_list("participant_id", "first"),
    ]
    for participant_id, first in others:
        if participant_id in imported:
            continue
        if participant_id not in arrived or first < arrived[participant_id]:
            arrived[participant_id] = first
    ids = dict(imported)
    next_id = max(imported.values(), default=-1) + 1
    for participant_id, _first in sorted(arrived.items(), key=lambda item: (item[1], item[0])):
        ids[participant_id] = next_id
        next_id += 1
    return ids


def _csv_bytes(rows) -> bytes:
    buffer = io.StringIO(newline="")
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerows(rows)
    return buffer.getvalue().encode("utf-8")


def _statements(consultation):
    return list(
        Statement.objects.filter(consultation=consultation)
        .order_by("number")
        .values_list("pk", "number", "text", "status", "author_id", "created_at", "is_seed")
    )


def _votes(consultation):
    return (
        Vote.objects.filter(consultation=consultation)
        .values_list("statement_id", "participant_id", "value", "created_at", "updated_at")
        .iterator(chunk_size=20000)
    )


def _groups(consultation) -> tuple[dict, int]:
    """{participant id (str): group index} from the latest opinion analysis, and the count."""
    result = queries.latest_result(consultation, AnalysisResult.Kind.OPINIONS)
    if result is None:
        return {}, 0
    groups = result.data.get("groups", [])
    return {
        member: index for index, group in enumerate(groups) for member in group["members"]
    }, len(groups)


def polis_zip(consultation: Consultation, *, url: str = "") -> bytes:
    """The consultation as a Pol.is export, zipped; `url`: where the consultation is."""
    ids = voter_ids(consultation)
    statements = _statements(consultation)
    number_of = {pk: number for pk, number, *_rest in statements}
    counts: dict = defaultdict(lambda: [0, 0])  # statement → [agrees, disagrees]
    by_participant: dict = defaultdict(dict)  # participant → {number: value}
    vote_rows = []
    for statement_id, participant_id, value, _created, updated in _votes(consultation):
        number = number_of[statement_id]
        voter = ids[participant_id]
        if value == 1:
            counts[statement_id][0] += 1
        elif value == -1:
            counts[statement_id][1] += 1
        by_participant[voter][number] = value
        vote_rows.append((_milliseconds(updated), _polis_datetime(updated), number, voter, value))
    vote_rows.sort(key=lambda row: (row[2], row[3]))
    comments = [_COMMENTS_HEADER]
    authored: dict = defaultdict(int)
    for pk, number, text, status, author_id, created_at, _seed in statements:
        author = ids.get(author_id, "") if author_id else ""
        if author != "":
            authored[author] += 1
        comments.append(
            [
                _milliseconds(created_at),
                _polis_datetime(created_at),
                number,
                author,
                counts[pk][0],
                counts[pk][1],
                MODERATED[status],
                guard(text),
            ]
        )
    group_of, n_groups = _groups(consultation)
    numbers = [number for _pk, number, *_rest in statements]
    participants = [
        [
            "participant",
            "group-id",
            "n-comments",
            "n-votes",
            "n-agree",
            "n-disagree",
            *numbers,
        ]
    ]
    voter_pk = {voter: pk for pk, voter in ids.items()}
    for voter in sorted(set(by_participant) | set(authored)):
        votes = by_participant.get(voter, {})
        values = list(votes.values())
        group = group_of.get(str(voter_pk[voter]), "")
        participants.append(
            [
                voter,
                group,
                authored.get(voter, 0),
                len(values),
                values.count(1),
                values.count(-1),
                *(votes.get(number, "") for number in numbers),
            ]
        )
    summary = [
        ["topic", guard(consultation.title)],
        ["url", url],
        ["views", len(ids)],
        ["voters", len(by_participant)],
        ["voters-in-conv", len(by_participant)],
        ["commenters", len(authored)],
        ["comments", len(statements)],
        ["groups", n_groups],
        ["conversation-description", guard(consultation.description)],
    ]
    if consultation.attribution:
        summary.append(["attribution", guard(consultation.attribution)])
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("comments.csv", _csv_bytes(comments))
        archive.writestr("votes.csv", _csv_bytes([_VOTES_HEADER, *vote_rows]))
        archive.writestr("participants-votes.csv", _csv_bytes(participants))
        archive.writestr("summary.csv", _csv_bytes(summary))
        if consultation.attribution:
            archive.writestr("SOURCE.txt", consultation.attribution.encode("utf-8") + b"\n")
    return buffer.getvalue()


_VOTES_HEADER = ["timestamp", "datetime", "comment-id", "voter-id", "vote"]
_COMMENTS_HEADER = [
    "timestamp",
    "datetime",
    "comment-id",
    "author-id",
    "agrees",
    "disagrees",
    "moderated",
    "comment-body",
]


def _cell(value):
    """A value openpyxl writes as it is: text guarded and without control characters,
    times as naive local times (Excel has no time zones)."""
    from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE

    if isinstance(value, str):
        return guard(ILLEGAL_CHARACTERS_RE.sub("", value))
    if isinstance(value, datetime.datetime):
        return timezone.localtime(value).replace(tzinfo=None)
    return value


def _sheet(workbook, title: str, header: list[str], rows) -> None:
    """Write rows, continuing on "<title> 2", "<title> 3"… past Excel's row limit."""
    part, sheet, count = 1, None, 0
    for row in rows:
        if sheet is None or count >= EXCEL_MAX_ROWS - 1:
            sheet = workbook.create_sheet(title if part == 1 else f"{title} {part}")
            sheet.append(header)
            part, count = part + 1, 0
        sheet.append([_cell(value) for value in row])
        count += 1
    if sheet is None:
        workbook.create_sheet(title).append(header)


def data_xlsx(consultation: Consultation) -> bytes:
    """Statements, votes and answers, one sheet each (times in the server's time zone)."""
    # Imported here: openpyxl is only needed by this download.
    from openpyxl import Workbook

    ids = voter_ids(consultation)
    statements = list(
        Statement.objects.filter(consultation=consultation)
        .order_by("number")
        .values_list(
            "pk",
            "number",
            "text",
            "status",
            "is_seed",
            "author_id",
            "moderation_reason",
            "created_at",
        )
    )
    number_of = {row[0]: row[1] for row in statements}
    tally: dict = defaultdict(lambda: {1: 0, -1: 0, 0: 0})
    votes = []
    for statement_id, participant_id, value, created, updated in _votes(consultation):
        tally[statement_id][value] += 1
        votes.append((number_of[statement_id], ids[participant_id], value, created, updated))
    votes.sort(key=lambda row: (row[0], row[1]))
    workbook = Workbook(write_only=True)
    _sheet(
        workbook,
        "statements",
        [
            "number",
            "text",
            "status",
            "seed",
            "author",
            "moderation_reason",
            "created_at",
            "agree",
            "disagree",
            "pass",
        ],
        (
            [
                number,
                text,
                status,
                seed,
                ids.get(author_id, "") if author_id else "",
                reason,
                created_at,
                tally[pk][1],
                tally[pk][-1],
                tally[pk][0],
            ]
            for pk, number, text, status, seed, author_id, reason, created_at in statements
        ),
    )
    _sheet(
        workbook,
        "votes",
        ["statement", "participant", "vote", "created_at", "updated_at"],
        votes,
    )
    answers = (
        Answer.objects.filter(question__consultation=consultation)
        .order_by("question__position", "question__created_at", "created_at")
        .values_list("question__text", "participant_id", "text", "hidden", "created_at")
    )
    _sheet(
        workbook,
        "answers",
        ["question", "participant", "answer", "hidden", "created_at"],
        (
            [question, ids.get(participant_id, ""), text, hidden, created_at]
            for question, participant_id, text, hidden, created_at in answers.iterator()
        ),
    )
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()
