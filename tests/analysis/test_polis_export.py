"""Reading a Pol.is export folder into the engine's arrays."""

import numpy as np

from ruche.analysis.polis_export import json_ids, read_polis_export

COMMENTS = """timestamp,datetime,comment-id,author-id,agrees,disagrees,moderated,comment-body
1,d,10,0,0,0,1,"A statement, with a comma"
2,d,2,0,0,0,-1,"Moderated out,
over two lines"
3,d,7,0,0,0,0,Not yet moderated
"""


def write(folder, files):
    for name, text in files.items():
        (folder / name).write_text(text, encoding="utf-8")
    return folder


def test_votes_csv(tmp_path):
    """Ids are sorted (numerically: 2 < 7 < 10), arrays index them, −1 = moderated out."""
    votes = "timestamp,datetime,comment-id,voter-id,vote\n5,d,10,31,1\n6,d,7,4,-1\n7,d,2,31,0\n"
    export = read_polis_export(write(tmp_path, {"comments.csv": COMMENTS, "votes.csv": votes}))
    assert export.source.name == "votes.csv"
    assert export.statement_ids == ["2", "7", "10"]
    assert export.participant_ids == ["4", "31"]
    assert export.moderated_out.tolist() == [True, False, False]
    got = sorted(zip(export.participants, export.statements, export.votes, strict=True))
    assert [tuple(int(x) for x in row) for row in got] == [(0, 1, -1), (1, 0, 0), (1, 2, 1)]


def test_latest_vote_by_timestamp_wins(tmp_path):
    """A changed vote counts once, with its latest value, whatever the line order; on
    equal timestamps the later line wins."""
    votes = (
        "timestamp,datetime,comment-id,voter-id,vote\n"
        "300,d,10,1,-1\n"  # latest for (1, 10), though not last in the file
        "100,d,10,1,1\n"
        "200,d,10,1,0\n"
        "50,d,7,1,1\n"
        "50,d,7,1,-1\n"  # same time: the later line wins
    )
    export = read_polis_export(write(tmp_path, {"comments.csv": COMMENTS, "votes.csv": votes}))
    got = {
        export.statement_ids[s]: int(v)
        for s, v in zip(export.statements, export.votes, strict=True)
    }
    assert got == {"10": -1, "7": -1}


def test_without_timestamp_the_last_line_wins(tmp_path):
    """A votes.csv without timestamps is taken in file order."""
    votes = "voter-id,comment-id,vote\n1,10,1\n1,10,0\n"
    export = read_polis_export(write(tmp_path, {"comments.csv": COMMENTS, "votes.csv": votes}))
    assert export.votes.tolist() == [0]


def test_participants_votes_fallback(tmp_path):
    """Without votes.csv, the wide file: one row per participant, empty = no vote, and a
    participant without any vote still counts."""
    wide = (
        "participant,group-id,n-comments,n-votes,n-agree,n-disagree,10,2,7\n"
        "8,0,0,2,1,0,1,,0\n"
        "3,,0,0,0,0,,,\n"
        "5,1,0,1,0,1,,-1,\n"
    )
    export = read_polis_export(
        write(tmp_path, {"comments.csv": COMMENTS, "participants-votes.csv": wide})
    )
    assert export.source.name == "participants-votes.csv"
    assert export.participant_ids == ["3", "5", "8"]
    got = sorted(
        (export.participant_ids[p], export.statement_ids[s], int(v))
        for p, s, v in zip(export.participants, export.statements, export.votes, strict=True)
    )
    assert got == [("5", "2", -1), ("8", "10", 1), ("8", "7", 0)]


def test_votes_csv_is_preferred(tmp_path):
    """When both files exist, votes.csv (every vote, with its time) is read."""
    wide = "participant,10\n1,1\n"
    votes = "voter-id,comment-id,vote\n1,10,-1\n"
    folder = write(
        tmp_path, {"comments.csv": COMMENTS, "participants-votes.csv": wide, "votes.csv": votes}
    )
    assert read_polis_export(folder).votes.tolist() == [-1]


def test_string_ids_are_kept(tmp_path):
    """Ids need not be numbers: non-numeric ids are kept as strings, sorted."""
    comments = "comment-id,moderated\nb,1\na,1\n"
    votes = "voter-id,comment-id,vote\nzoé,a,1\nali,b,-1\n"
    export = read_polis_export(write(tmp_path, {"comments.csv": comments, "votes.csv": votes}))
    assert export.statement_ids == ["a", "b"]
    assert export.participant_ids == ["ali", "zoé"]


def test_json_ids():
    """Integers if every id is a plain integer, otherwise every id as a string."""
    assert json_ids(["3", "10", "-1"]) == [3, 10, -1]
    assert json_ids(["3", "x"]) == ["3", "x"]
    assert json_ids(["007", "7"]) == ["007", "7"]  # would collide as numbers


def test_many_votes_are_read_quickly(tmp_path):
    """200,000 votes in well under the engine's own budget (streaming csv, typed arrays)."""
    import time

    rng = np.random.default_rng(0)
    comments = "comment-id,moderated\n" + "".join(f"{i},1\n" for i in range(500))
    voters, statements = rng.integers(0, 10_000, 200_000), rng.integers(0, 500, 200_000)
    votes = rng.integers(-1, 2, 200_000)
    lines = "".join(
        f"{t},d,{s},{v},{x}\n"
        for t, (v, s, x) in enumerate(zip(voters, statements, votes, strict=True))
    )
    header = "timestamp,datetime,comment-id,voter-id,vote\n"
    folder = write(tmp_path, {"comments.csv": comments, "votes.csv": header})
    with (folder / "votes.csv").open("a") as handle:
        handle.write(lines)
    start = time.perf_counter()
    export = read_polis_export(folder)
    assert time.perf_counter() - start < 3.0
    assert len(export.votes) == len(set(zip(voters.tolist(), statements.tolist(), strict=True)))
