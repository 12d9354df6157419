"""`ruche analyze opinions`: bad input exits with status 2 and a clear message, never a
traceback; good input gives exactly the documented JSON."""

import csv
import json
import subprocess
import sys
from pathlib import Path

import pytest

from tests.datasets import dataset

REPO = Path(__file__).resolve().parents[2]
POLIS = "polis-scoop-hivemind-biodiversity"

COMMENTS = "comment-id,moderated,comment-body\n1,1,One\n2,1,Two\n3,-1,Three\n"
VOTES = "timestamp,datetime,comment-id,voter-id,vote\n1,d,1,10,1\n2,d,2,10,-1\n3,d,1,11,0\n"


def command(folder, out, *extra):
    analyze_opinions = [sys.executable, "-m", "ruche.cli", "analyze", "opinions"]
    return [*analyze_opinions, "--polis-export", str(folder), "--json", str(out), *extra]


def run_together(commands):
    """Run the commands as concurrent subprocesses (each pays ~0.3 s of interpreter and
    numpy start-up) and return their CompletedProcess, in order."""
    started = [
        subprocess.Popen(c, cwd=REPO, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
        for c in commands
    ]
    done = []
    for process, arguments in zip(started, commands, strict=True):
        stdout, stderr = process.communicate(timeout=120)
        done.append(subprocess.CompletedProcess(arguments, process.returncode, stdout, stderr))
    return done


def analyze(folder, out, *extra):
    return run_together([command(folder, out, *extra)])[0]


def export(tmp_path, files):
    folder = tmp_path / "export"
    folder.mkdir()
    for name, content in files.items():
        path = folder / name
        if isinstance(content, bytes):
            path.write_bytes(content)
        else:
            path.write_text(content, encoding="utf-8")
    return folder


BAD_EXPORTS = {
    "missing comments.csv": ({"votes.csv": VOTES}, ["comments.csv", "not found"]),
    "no votes file": ({"comments.csv": COMMENTS}, ["votes.csv", "participants-votes.csv"]),
    "empty votes.csv": ({"comments.csv": COMMENTS, "votes.csv": ""}, ["votes.csv", "empty"]),
    "header only": (
        {"comments.csv": COMMENTS, "votes.csv": "comment-id,voter-id,vote\n"},
        ["votes.csv", "no votes"],
    ),
    "missing column": (
        {"comments.csv": COMMENTS, "votes.csv": "comment-id,voter,vote\n1,10,1\n"},
        ["votes.csv line 1", "missing column voter-id"],
    ),
    "comments without moderated": (
        {"comments.csv": "comment-id,body\n1,x\n", "votes.csv": VOTES},
        ["comments.csv line 1", "missing column moderated"],
    ),
    "vote not -1/0/1": (
        {"comments.csv": COMMENTS, "votes.csv": VOTES + "4,d,2,11,2\n"},
        ["votes.csv line 5", "vote is '2'"],
    ),
    "wrong number of fields": (
        {"comments.csv": COMMENTS, "votes.csv": VOTES.replace("3,d,1,11,0", "3,d,1,11")},
        ["votes.csv line 4", "4 fields, expected 5"],
    ),
    "unknown comment": (
        {"comments.csv": COMMENTS, "votes.csv": VOTES + "4,d,99,11,1\n"},
        ["votes.csv line 5", "comment-id '99' is not in comments.csv"],
    ),
    "non-numeric timestamp": (
        {"comments.csv": COMMENTS, "votes.csv": VOTES + "soon,d,2,11,1\n"},
        ["votes.csv line 5", "timestamp 'soon' is not a number"],
    ),
    "non-finite timestamp": (
        {"comments.csv": COMMENTS, "votes.csv": VOTES + "nan,d,2,11,1\n"},
        ["votes.csv line 5", "timestamp 'nan' is not a number"],
    ),
    "bad moderation value": (
        {"comments.csv": COMMENTS + "4,yes,Four\n", "votes.csv": VOTES},
        ["comments.csv line 5", "moderated is 'yes'"],
    ),
    "duplicate comment id": (
        {"comments.csv": COMMENTS + "2,1,Again\n", "votes.csv": VOTES},
        ["comments.csv line 5", "comment-id 2 appears twice (first on line 3)"],
    ),
    "empty voter id": (
        {"comments.csv": COMMENTS, "votes.csv": VOTES + "4,d,2,,1\n"},
        ["votes.csv line 5", "empty voter-id"],
    ),
    "bad cell in participants-votes.csv": (
        {"comments.csv": COMMENTS, "participants-votes.csv": "participant,1,2\n7,1,\n8,,x\n"},
        ["participants-votes.csv line 3", "vote on comment 2 is 'x'"],
    ),
    "unknown column in participants-votes.csv": (
        {"comments.csv": COMMENTS, "participants-votes.csv": "participant,1,age\n7,1,33\n"},
        ["participants-votes.csv line 1", "column 'age'"],
    ),
    "not UTF-8": (
        {"comments.csv": COMMENTS, "votes.csv": VOTES.encode() + "4,d,2,é,1\n".encode("latin-1")},
        ["votes.csv line 5", "not UTF-8"],
    ),
}


@pytest.fixture(scope="module")
def bad_runs(tmp_path_factory):
    """Every bad export, run through the command line at once."""
    runs = {}
    for case, (files, _) in BAD_EXPORTS.items():
        folder = export(tmp_path_factory.mktemp("bad"), files)
        runs[case] = (folder.parent / "out.json", command(folder, folder.parent / "out.json"))
    base = tmp_path_factory.mktemp("bad")
    runs["missing folder"] = (base / "out.json", command(base / "nowhere", base / "out.json"))
    good = export(tmp_path_factory.mktemp("bad"), {"comments.csv": COMMENTS, "votes.csv": VOTES})
    unwritable = good.parent / "no" / "out.json"
    runs["unwritable output"] = (unwritable, command(good, unwritable))
    results = run_together([arguments for _, arguments in runs.values()])
    return {case: (out, done) for (case, (out, _)), done in zip(runs.items(), results, strict=True)}


@pytest.mark.parametrize("case", list(BAD_EXPORTS))
def test_bad_export_exits_2_with_file_and_line(bad_runs, case):
    """Each problem names the file (and the line), exits 2, shows no traceback."""
    out, done = bad_runs[case]
    assert done.returncode == 2, done.stderr
    assert "Traceback" not in done.stderr
    assert done.stderr.startswith("ruche analyze opinions: ")
    for fragment in BAD_EXPORTS[case][1]:
        assert fragment in done.stderr
    assert not out.exists()


@pytest.mark.parametrize("seed", ["-1", "4294967296", "x"])
def test_bad_seed_is_a_usage_error(tmp_path, seed):
    """A seed numpy or scikit-learn would refuse is a usage error (exit 2), not a traceback."""
    folder = export(tmp_path, {"comments.csv": COMMENTS, "votes.csv": VOTES})
    done = subprocess.run(
        [*command(folder, tmp_path / "out.json"), "--seed", seed],
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert done.returncode == 2
    assert "--seed" in done.stderr
    assert "Traceback" not in done.stderr


def test_missing_folder(bad_runs):
    """A folder that does not exist is named in the message."""
    _, done = bad_runs["missing folder"]
    assert done.returncode == 2
    assert "nowhere: no such folder" in done.stderr
    assert "Traceback" not in done.stderr


def test_unwritable_output(bad_runs):
    """An output in a missing folder is refused before the analysis, without traceback."""
    _, done = bad_runs["unwritable output"]
    assert done.returncode == 2
    assert "out.json: cannot write the JSON output" in done.stderr
    assert "Traceback" not in done.stderr


@pytest.fixture(scope="module")
def polis_sample(tmp_path_factory):
    """A slice of the real Pol.is conversation: 14 comments (2 moderated out) and the
    votes of the first 80 voters on them."""
    polis = dataset(POLIS)
    folder = tmp_path_factory.mktemp("polis-sample")
    with (polis / "comments.csv").open(newline="", encoding="utf-8") as handle:
        comments = list(csv.DictReader(handle))
    kept = [c for c in comments if c["moderated"] == "1"][:12]
    kept += [c for c in comments if c["moderated"] == "-1"][:2]
    ids = {c["comment-id"] for c in kept}
    with (folder / "comments.csv").open("w", newline="", encoding="utf-8") as handle:
        writer = csv.DictWriter(handle, fieldnames=list(comments[0]))
        writer.writeheader()
        writer.writerows(kept)
    with (polis / "votes.csv").open(newline="", encoding="utf-8") as handle:
        reader = csv.DictReader(handle)
        votes = [v for v in reader if v["comment-id"] in ids and int(v["voter-id"]) < 80]
    with (folder / "votes.csv").open("w", newline="", encoding="utf-8") as handle:
        writer = csv.DictWriter(handle, fieldnames=reader.fieldnames)
        writer.writeheader()
        writer.writerows(votes)
    moderated = {c["comment-id"] for c in kept if c["moderated"] == "-1"}
    return folder, votes, moderated


@pytest.fixture(scope="module")
def sample_runs(polis_sample, tmp_path_factory):
    """Three runs on the sample at once: seed 3, and seed 5 twice."""
    folder = polis_sample[0]
    base = tmp_path_factory.mktemp("runs")
    outs = [base / "seed3.json", base / "seed5a.json", base / "seed5b.json"]
    seeds = ["3", "5", "5"]
    done = run_together(
        [command(folder, out, "--seed", seed) for out, seed in zip(outs, seeds, strict=True)]
    )
    for run in done:
        assert run.returncode == 0, run.stderr
    return [json.loads(out.read_text()) for out in outs]


def test_real_polis_sample(polis_sample, sample_runs):
    """The JSON has exactly the documented keys and types, ids as in the CSV (integers),
    and nothing moderated out in it. Data: The Computational Democracy Project, CC BY 4.0."""
    _, votes, moderated = polis_sample
    result = sample_runs[0]
    assert list(result) == [
        "participants",
        "participants_included",
        "statements",
        "votes",
        "groups",
        "consensus",
        "divisive",
        "seconds",
    ]
    voters = {int(v["voter-id"]) for v in votes}
    assert result["participants"] == len(voters)
    assert result["statements"] == 12
    assert 0 < result["participants_included"] <= result["participants"]
    assert result["votes"] <= len([v for v in votes if v["comment-id"] not in moderated])
    assert 2 <= len(result["groups"]) <= 5
    grouped = [p for g in result["groups"] for p in g["participants"]]
    assert len(grouped) == result["participants_included"] == len(set(grouped))
    assert set(grouped) <= voters
    listed = result["consensus"]["agree"] + result["consensus"]["disagree"] + result["divisive"]
    for group in result["groups"]:
        assert isinstance(group["id"], int)
        for item in group["representative"]:
            assert list(item) == ["statement", "direction", "share_in_group", "share_outside"]
            assert item["direction"] in ("agree", "disagree")
            assert 0 < item["share_outside"] < item["share_in_group"] < 1
            listed.append(item["statement"])
    assert all(isinstance(s, int) for s in listed)
    assert not {str(s) for s in listed} & moderated
    assert isinstance(result["seconds"], float)


def test_same_seed_same_output(sample_runs):
    """Deterministic for a seed: two runs write the same groups and lists."""
    first, second = ({k: v for k, v in run.items() if k != "seconds"} for run in sample_runs[1:])
    assert first == second
