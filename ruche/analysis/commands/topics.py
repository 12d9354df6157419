"""`ruche analyze topics --csv FILE --text-column COL --id-column COL [--k N] --json OUT`.

Reads a UTF-8 CSV (header line first), finds the themes of the texts and writes:

    {"topics": [{"label": str, "keywords": [str, …],
                 "members": [id, …],             # input order
                 "representatives": [id, …]}],   # closest to the theme's centre first
     "unassigned": [id, …],        # blank texts, texts with no content word or none shared
     "seconds": float,             # engine time, reading the file not included
     "near_duplicates": [[id, …], …],  # texts that say the same thing
     "representation": str}        # what texts were compared on (see engine.topics)

Every id of the file appears exactly once, in one topic or in `unassigned`. Ids are
written as strings, as read. Bad input (missing file or column, no rows, duplicate id, a
line with the wrong number of fields or bytes that are not UTF-8) stops with a message
naming the file and the line, never a traceback.
"""

import csv
import io
import json
import sys
from pathlib import Path

from ruche.analysis.errors import InputError


def run(args) -> None:
    if args.k is not None and args.k < 1:
        raise InputError(f"--k must be at least 1 (got {args.k})")
    records = read_text_csv(Path(args.csv), args.text_column, args.id_column)
    path = Path(args.json)
    if not path.parent.is_dir():  # say so before the work, not after
        raise InputError(f"{path}: cannot write the JSON output (no folder {path.parent})")
    # Imported once the input is known good: scikit-learn takes about a second to import,
    # which a typo in a path should not cost.
    from ruche.analysis.engine.topics import find_topics

    analysis = find_topics(records, k=args.k, seed=args.seed)
    document = {
        "topics": [
            {
                "label": topic.label,
                "keywords": list(topic.keywords),
                "members": list(topic.members),
                "representatives": list(topic.representatives),
            }
            for topic in analysis.topics
        ],
        "unassigned": list(analysis.unassigned),
        "seconds": round(analysis.seconds, 3),
        "near_duplicates": [list(group) for group in analysis.near_duplicates],
        "representation": analysis.representation,
    }
    try:
        path.write_text(json.dumps(document, ensure_ascii=False, indent=1) + "\n", "utf-8")
    except OSError as error:
        raise InputError(f"{path}: cannot write the JSON output ({error.strerror})") from None
    print(
        f"{len(analysis.topics)} topic{'s' if len(analysis.topics) != 1 else ''}"
        f"{' (number chosen from the data)' if analysis.k_chosen else ''}, "
        f"{len(analysis.unassigned)} unassigned, "
        f"{len(analysis.near_duplicates)} near-duplicate groups "
        f"in {analysis.seconds:.1f} s → {path}",
        file=sys.stdout,
    )


def read_text_csv(path: Path, text_column: str, id_column: str) -> list[tuple[str, str]]:
    """The (id, text) records of a CSV file in file order, or InputError naming the line."""
    try:
        raw = path.read_bytes()
    except FileNotFoundError:
        raise InputError(f"{path}: no such file") from None
    except IsADirectoryError:
        raise InputError(f"{path}: is a directory, not a CSV file") from None
    except OSError as error:
        raise InputError(f"{path}: cannot read ({error.strerror})") from None
    try:
        content = raw.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        line = raw[: error.start].count(b"\n") + 1
        byte = raw[error.start : error.start + 1].hex()
        raise InputError(
            f"{path}, line {line}: byte 0x{byte} is not UTF-8 (save the file as UTF-8)"
        ) from None
    if not content.strip():
        raise InputError(f"{path}: the file is empty (expected a header line, then rows)")

    reader = csv.reader(io.StringIO(content, newline=""), strict=True)
    try:
        header = next(reader)
        columns = _columns(path, header, text_column, id_column)
        records, seen = [], {}
        line = reader.line_num + 1  # first line of the next record
        for fields in reader:
            if fields:  # a blank line is no record
                record_id, text = _record(path, line, fields, len(header), columns)
                if record_id in seen:
                    raise InputError(
                        f"{path}, line {line}: id {record_id!r} already used on line "
                        f"{seen[record_id]}"
                    )
                seen[record_id] = line
                records.append((record_id, text))
            line = reader.line_num + 1
    except csv.Error as error:
        raise InputError(f"{path}, line {reader.line_num}: malformed CSV ({error})") from None
    if not records:
        raise InputError(f"{path}: no rows after the header line")
    return records


def _columns(path: Path, header: list[str], text_column: str, id_column: str) -> tuple[int, int]:
    names = [name.strip() for name in header]
    indexes = []
    for option, column in (("--id-column", id_column), ("--text-column", text_column)):
        if names.count(column) != 1:
            problem = "appears twice in" if names.count(column) > 1 else "is not in"
            raise InputError(
                f"{path}, line 1: column {column!r} ({option}) {problem} the header; "
                f"columns are: {', '.join(repr(n) for n in names)}"
            )
        indexes.append(names.index(column))
    return indexes[0], indexes[1]


def _record(
    path: Path, line: int, fields: list[str], width: int, columns: tuple[int, int]
) -> tuple[str, str]:
    if len(fields) != width:
        raise InputError(f"{path}, line {line}: {len(fields)} fields where the header has {width}")
    record_id = fields[columns[0]].strip()
    if not record_id:
        raise InputError(f"{path}, line {line}: empty id")
    return record_id, fields[columns[1]]
