"""Read a Pol.is export folder into the plain arrays the opinion engine takes.

A Pol.is export holds `comments.csv` (`comment-id`, `moderated`: −1 moderated out, 0 not
yet moderated, 1 accepted) and the votes, either as `votes.csv` (one line per vote:
`voter-id`, `comment-id`, `vote` agree = 1 / disagree = −1 / pass = 0, and `timestamp`)
or, in older or trimmed exports, only as `participants-votes.csv` (one line per
participant, one column per comment id, empty = no vote). votes.csv is preferred when
both exist because it has every vote with its time; the wide file only the last.

Files are streamed with the csv module (no pandas): a few seconds for millions of votes.
Any problem (missing folder, file or column, empty file, malformed line) raises
InputError naming the file and the line.
"""

import csv
import math
import re
from array import array
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from ruche.analysis.engine.opinions_votes import last_vote_indices
from ruche.analysis.errors import InputError

COMMENTS = "comments.csv"
VOTES = "votes.csv"
PARTICIPANTS_VOTES = "participants-votes.csv"
# participants-votes.csv columns that are not comment ids.
PARTICIPANT_FIELDS = frozenset(
    {"participant", "group-id", "n-comments", "n-votes", "n-agree", "n-disagree"}
)
VOTE_VALUES = {"1": 1, "-1": -1, "0": 0}
MODERATION_VALUES = {"1": 1, "0": 0, "-1": -1}
MODERATED_OUT = -1
_CANONICAL_INT = re.compile(r"-?(0|[1-9][0-9]*)")


@dataclass(frozen=True)
class PolisExport:
    """Votes as parallel arrays of indices into `participant_ids` / `statement_ids`.

    One vote per (participant, statement): the latest by timestamp (the later line on a
    tie). Ids are kept as the strings found in the files, sorted (numerically when they
    are all integers), so the arrays do not depend on the order of the lines.
    """

    source: Path
    participant_ids: list[str]
    statement_ids: list[str]
    moderated_out: np.ndarray
    participants: np.ndarray
    statements: np.ndarray
    votes: np.ndarray

    def analyze(self, *, seed: int = 0, polis_scaling: bool = True):
        """Run the opinion engine on these votes.

        `polis_scaling` on by default: groups then match those Pol.is computed for the same
        conversation (docs/adr/0004-opinion-engine-fidelity-to-polis.md).
        """
        # Imported here: scikit-learn takes about a second to import, which reading a file
        # with a typo in its path should not cost.
        from ruche.analysis.engine.opinions import analyze_opinions

        return analyze_opinions(
            self.participants,
            self.statements,
            self.votes,
            n_participants=len(self.participant_ids),
            n_statements=len(self.statement_ids),
            moderated_out=self.moderated_out,
            seed=seed,
            polis_scaling=polis_scaling,
        )


def read_polis_export(folder: str | Path) -> PolisExport:
    folder = Path(folder)
    if not folder.is_dir():
        raise InputError(f"{folder}: no such folder (expected a Pol.is export folder)")
    statement_ids, moderation = _read_comments(folder / COMMENTS)
    statement_index = {cid: i for i, cid in enumerate(statement_ids)}
    votes_path = folder / VOTES
    if votes_path.exists():
        participant_ids, arrays = _read_votes(votes_path, statement_index)
        source = votes_path
    elif (folder / PARTICIPANTS_VOTES).exists():
        source = folder / PARTICIPANTS_VOTES
        participant_ids, arrays = _read_participants_votes(source, statement_index)
    else:
        raise InputError(f"{folder}: neither {VOTES} nor {PARTICIPANTS_VOTES} found")
    order, participant_ids = _sorted_ids(participant_ids)
    participants, statements, votes = arrays
    return PolisExport(
        source=source,
        participant_ids=participant_ids,
        statement_ids=statement_ids,
        moderated_out=moderation == MODERATED_OUT,
        participants=order[participants].astype(np.int32),
        statements=statements,
        votes=votes,
    )


def json_ids(ids: list[str]) -> list[int] | list[str]:
    """Ids for a JSON output, written as they appear in the input: as integers when every
    one is a plain decimal integer (Pol.is's ids are), otherwise all as strings.

    "Plain" excludes "007" or "+7", so two distinct ids never become the same number.
    """
    if all(_CANONICAL_INT.fullmatch(i) for i in ids):
        return [int(i) for i in ids]
    return list(ids)


def _read_comments(path: Path) -> tuple[list[str], np.ndarray]:
    moderation_of: dict[str, int] = {}
    first_line: dict[str, int] = {}
    with _csv_file(path, ("comment-id", "moderated")) as (reader, columns):
        cid_at, moderated_at = columns["comment-id"], columns["moderated"]
        for line, row in _records(path, reader, len(columns)):
            cid = row[cid_at].strip()
            if not cid:
                raise InputError(f"{path} line {line}: empty comment-id")
            if cid in moderation_of:
                raise InputError(
                    f"{path} line {line}: comment-id {cid} appears twice "
                    f"(first on line {first_line[cid]})"
                )
            value = MODERATION_VALUES.get(row[moderated_at].strip())
            if value is None:
                raise InputError(
                    f"{path} line {line}: moderated is {row[moderated_at]!r}, "
                    "expected -1 (moderated out), 0 or 1"
                )
            moderation_of[cid] = value
            first_line[cid] = line
    if not moderation_of:
        raise InputError(f"{path}: no comments (only a header line)")
    _, ids = _sorted_ids(list(moderation_of))
    return ids, np.array([moderation_of[cid] for cid in ids], dtype=np.int8)


def _read_votes(path: Path, statement_index: dict[str, int]):
    """votes.csv → (voter ids, arrays), keeping each voter's latest vote per comment.

    The loop is the reader's hot path (millions of lines): exact-match lookups first,
    stripping and error messages only when one misses.
    """
    voter_index: dict[str, int] = {}
    # Typed arrays: millions of votes as Python int objects would cost ~30 bytes each.
    voters, statements, votes, times = array("i"), array("i"), array("b"), array("d")
    add_voter, add_statement, add_vote, add_time = (
        voters.append,
        statements.append,
        votes.append,
        times.append,
    )
    with _csv_file(path, ("voter-id", "comment-id", "vote")) as (reader, columns):
        voter_at, comment_at, vote_at = columns["voter-id"], columns["comment-id"], columns["vote"]
        time_at = columns.get("timestamp")
        width = len(columns)
        for row in reader:
            if len(row) != width:
                if not row:
                    continue
                raise _width_error(path, reader.line_num, row, width)
            index = voter_index.get(row[voter_at])
            if index is None:
                index = _add_voter(voter_index, row[voter_at], path, reader.line_num)
            statement = statement_index.get(row[comment_at])
            if statement is None:
                statement = statement_index.get(row[comment_at].strip())
                if statement is None:
                    raise InputError(
                        f"{path} line {reader.line_num}: comment-id {row[comment_at]!r} "
                        f"is not in {COMMENTS}"
                    )
            vote = VOTE_VALUES.get(row[vote_at])
            if vote is None:
                vote = VOTE_VALUES.get(row[vote_at].strip())
                if vote is None:
                    raise InputError(
                        f"{path} line {reader.line_num}: vote is {row[vote_at]!r}, "
                        "expected -1, 0 or 1"
                    )
            if time_at is not None:
                try:
                    timestamp = float(row[time_at])
                    if not math.isfinite(timestamp):
                        raise ValueError
                    add_time(timestamp)
                except ValueError:
                    raise InputError(
                        f"{path} line {reader.line_num}: timestamp {row[time_at]!r} is not a number"
                    ) from None
            add_voter(index)
            add_statement(statement)
            add_vote(vote)
    if not votes:
        raise InputError(f"{path}: no votes (only a header line)")
    participant = np.frombuffer(voters, dtype=np.int32)
    statement = np.frombuffer(statements, dtype=np.int32)
    vote = np.frombuffer(votes, dtype=np.int8)
    if time_at is not None:
        by_time = np.argsort(np.frombuffer(times), kind="stable")  # ties keep the line order
        participant, statement, vote = participant[by_time], statement[by_time], vote[by_time]
    keep = np.sort(last_vote_indices(participant, statement, len(statement_index)))
    return list(voter_index), (participant[keep], statement[keep], vote[keep])


def _add_voter(voter_index: dict[str, int], raw: str, path: Path, line: int) -> int:
    voter = raw.strip()
    if not voter:
        raise InputError(f"{path} line {line}: empty voter-id")
    return voter_index.setdefault(voter, len(voter_index))


def _read_participants_votes(path: Path, statement_index: dict[str, int]):
    """participants-votes.csv → (participant ids, arrays); every row is a participant,
    even one without any vote."""
    participant_ids: list[str] = []
    first_line: dict[str, int] = {}
    voters, statements, votes = array("i"), array("i"), array("b")
    with _csv_file(path, ("participant",)) as (reader, columns):
        participant_at = columns["participant"]
        statement_at: dict[int, int] = {}
        for name, position in columns.items():
            if name in PARTICIPANT_FIELDS:
                continue
            if name not in statement_index:
                raise InputError(
                    f"{path} line 1: column {name!r} is neither a Pol.is participant field "
                    f"nor a comment-id of {COMMENTS}"
                )
            statement_at[position] = statement_index[name]
        for line, row in _records(path, reader, len(columns)):
            pid = row[participant_at].strip()
            if not pid:
                raise InputError(f"{path} line {line}: empty participant")
            if pid in first_line:
                raise InputError(
                    f"{path} line {line}: participant {pid} appears twice "
                    f"(first on line {first_line[pid]})"
                )
            first_line[pid] = line
            index = len(participant_ids)
            participant_ids.append(pid)
            for position in [p for p in statement_at if row[p]]:
                vote = VOTE_VALUES.get(row[position].strip())
                if vote is None:
                    raise InputError(
                        f"{path} line {line}: vote on comment {_header(columns, position)} is "
                        f"{row[position]!r}, expected -1, 0, 1 or empty"
                    )
                voters.append(index)
                statements.append(statement_at[position])
                votes.append(vote)
    if not participant_ids:
        raise InputError(f"{path}: no participants (only a header line)")
    return participant_ids, (
        np.frombuffer(voters, dtype=np.int32),
        np.frombuffer(statements, dtype=np.int32),
        np.frombuffer(votes, dtype=np.int8),
    )


@contextmanager
def _csv_file(path: Path, required: tuple[str, ...]):
    """Open a CSV export file, check its header; yield (csv reader, column positions).

    Decoding and CSV errors anywhere in the file become an InputError with their line.
    """
    if not path.is_file():
        raise InputError(f"{path}: file not found")
    try:
        handle = path.open(newline="", encoding="utf-8-sig")
    except OSError as error:
        raise InputError(f"{path}: cannot read ({error.strerror})") from None
    with handle:
        reader = csv.reader(handle)
        try:
            header = next(reader, None)
            if not header:
                raise InputError(f"{path}: empty file (expected a header line)")
            columns: dict[str, int] = {}
            for position, name in enumerate(header):
                columns.setdefault(name.strip(), position)
            if len(columns) != len(header):
                raise InputError(f"{path} line 1: a column name appears twice ({header})")
            missing = [name for name in required if name not in columns]
            if missing:
                raise InputError(
                    f"{path} line 1: missing column{'s' if len(missing) > 1 else ''} "
                    f"{', '.join(missing)} (found: {', '.join(header)})"
                )
            yield reader, columns
        except UnicodeDecodeError:
            # Text files decode ahead, in blocks: find the line by decoding line by line.
            raise InputError(f"{path} line {_undecodable_line(path)}: not UTF-8 text") from None
        except csv.Error as error:
            raise InputError(f"{path} line {reader.line_num}: {error}") from None


def _records(path: Path, reader, width: int) -> Iterator[tuple[int, list[str]]]:
    """(first line, fields) of each record, skipping blank lines; a record may span lines
    (a quoted comment body), and must have the header's number of fields."""
    line = reader.line_num
    for row in reader:
        start, line = line + 1, reader.line_num
        if len(row) != width:
            if not row:
                continue
            raise _width_error(path, start, row, width)
        yield start, row


def _width_error(path: Path, line: int, row: list[str], width: int) -> InputError:
    return InputError(f"{path} line {line}: {len(row)} fields, expected {width} as in the header")


def _undecodable_line(path: Path) -> int:
    with path.open("rb") as handle:
        for number, raw in enumerate(handle, start=1):
            try:
                raw.decode("utf-8")
            except UnicodeDecodeError:
                return number
    return 1


def _header(columns: dict[str, int], position: int) -> str:
    return next(name for name, at in columns.items() if at == position)


def _sorted_ids(ids: list[str]) -> tuple[np.ndarray, list[str]]:
    """Sort ids (numerically if all are integers); return old index → new index and the
    sorted ids."""
    if all(_CANONICAL_INT.fullmatch(i) for i in ids):
        order = sorted(range(len(ids)), key=lambda i: int(ids[i]))
    else:
        order = sorted(range(len(ids)), key=lambda i: ids[i])
    new_index = np.empty(len(ids), dtype=np.int64)
    new_index[order] = np.arange(len(ids))
    return new_index, [ids[i] for i in order]
