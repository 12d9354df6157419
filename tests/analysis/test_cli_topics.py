"""`ruche analyze topics`: JSON on good input; exit status 2 and a clear message on bad input."""

import csv
import json
import subprocess
import sys
from pathlib import Path

from tests.datasets import dataset

REPO = Path(__file__).resolve().parents[2]
CIVOCRACY = "civocracy-construisons-demain/civocracy_construisons_demain_proposals.csv"
TOPIC_KEYS = {"label", "keywords", "members", "representatives"}


def _run(tmp_path, csv_path, *extra, text="text", id_="id", out="out.json"):
    command = [
        sys.executable, "-m", "ruche.cli", "analyze", "topics",
        "--csv", str(csv_path), "--text-column", text, "--id-column", id_,
        "--json", str(tmp_path / out), *extra,
    ]  # fmt: skip
    return subprocess.run(command, cwd=REPO, capture_output=True, text=True, timeout=180)


def _write(tmp_path, content, name="in.csv"):
    path = tmp_path / name
    path.write_bytes(content if isinstance(content, bytes) else content.encode("utf-8"))
    return path


def _assert_refused(done, *fragments):
    assert done.returncode == 2, done.stderr
    assert "Traceback" not in done.stderr
    message = done.stderr.strip()
    assert message.startswith("ruche analyze topics: ")
    for fragment in fragments:
        assert fragment in message, message


GOOD = (
    "id,text,votes\n"
    "p1,Il faut plus de pistes cyclables en ville,3\n"
    "p2,Il faut sécuriser les pistes cyclables pour les cyclistes,1\n"
    'p3,"Il faut des parkings à vélos, et des pistes cyclables",0\n'
    "p4,Il faut plus d'enseignants dans les écoles,5\n"
    "p5,Il faut rénover les écoles et payer les enseignants,2\n"
    "p6,Les élèves ont besoin d'enseignants et d'écoles,2\n"
    "p7,   ,0\n"
    "p8,Il faut !,0\n"
)


def test_writes_the_specified_json_with_every_id_once(tmp_path):
    """Topics, unassigned and seconds as specified; each id once; blank texts unassigned."""
    done = _run(tmp_path, _write(tmp_path, GOOD), "--k", "2", "--seed", "3")
    assert done.returncode == 0, done.stderr
    result = json.loads((tmp_path / "out.json").read_text(encoding="utf-8"))
    assert {"topics", "unassigned", "seconds"} <= set(result)
    assert isinstance(result["seconds"], float) and result["seconds"] >= 0
    assert isinstance(result["near_duplicates"], list)
    members = [m for topic in result["topics"] for m in topic["members"]]
    assert sorted(members + result["unassigned"]) == [f"p{i}" for i in range(1, 9)]
    assert result["unassigned"] == ["p7", "p8"]
    groups = sorted(sorted(topic["members"]) for topic in result["topics"])
    assert groups == [["p1", "p2", "p3"], ["p4", "p5", "p6"]]
    for topic in result["topics"]:
        assert set(topic) == TOPIC_KEYS
        assert isinstance(topic["label"], str) and topic["label"]
        assert all(isinstance(word, str) for word in topic["keywords"])
        assert set(topic["representatives"]) <= set(topic["members"])


def test_missing_file(tmp_path):
    """A file that does not exist is named in the message."""
    _assert_refused(_run(tmp_path, tmp_path / "nope.csv"), "nope.csv", "no such file")


def test_missing_text_column(tmp_path):
    """A --text-column absent from the header is named, with the columns that exist."""
    done = _run(tmp_path, _write(tmp_path, GOOD), text="body")
    _assert_refused(done, "in.csv, line 1", "'body'", "--text-column", "'text'")


def test_missing_id_column(tmp_path):
    """A --id-column absent from the header is named."""
    _assert_refused(_run(tmp_path, _write(tmp_path, GOOD), id_="ref"), "in.csv", "'ref'")


def test_empty_file(tmp_path):
    """A file with nothing in it is an empty input."""
    _assert_refused(_run(tmp_path, _write(tmp_path, "")), "in.csv", "empty")


def test_header_without_rows(tmp_path):
    """A header and no row is an empty input."""
    _assert_refused(_run(tmp_path, _write(tmp_path, "id,text\n")), "in.csv", "no rows")


def test_wrong_number_of_fields_names_the_line(tmp_path):
    """A row with more or fewer fields than the header is refused with its line number."""
    lines = GOOD.splitlines()
    lines[4] = "p4,Il faut des écoles,5,extra"
    done = _run(tmp_path, _write(tmp_path, "\n".join(lines) + "\n"))
    _assert_refused(done, "in.csv, line 5", "4 fields", "header has 3")


def test_line_numbers_count_multi_line_texts(tmp_path):
    """A quoted text spanning lines counts as its lines: the bad row's physical line is named."""
    content = 'id,text\na,"première ligne\nseconde ligne"\nb,fine\nc\n'
    _assert_refused(_run(tmp_path, _write(tmp_path, content)), "in.csv, line 5", "1 fields")


def test_undecodable_bytes_name_the_line(tmp_path):
    """Bytes that are not UTF-8 (a Latin-1 file) are refused with their line number."""
    content = "id,text\na,des vélos\nb,des écoles\n".encode()
    content += "c,une crèche\n".encode("latin-1")
    _assert_refused(_run(tmp_path, _write(tmp_path, content)), "in.csv, line 4", "UTF-8")


def test_unterminated_quote(tmp_path):
    """A quote never closed is malformed CSV, reported with a line number."""
    content = 'id,text\na,des vélos\nb,"des écoles\n'
    _assert_refused(_run(tmp_path, _write(tmp_path, content)), "in.csv, line", "malformed")


def test_duplicate_id_names_both_lines(tmp_path):
    """An id used twice is an input error naming the line and the first use."""
    content = "id,text\na,des vélos\nb,des écoles\na,des hôpitaux\n"
    _assert_refused(_run(tmp_path, _write(tmp_path, content)), "in.csv, line 4", "'a'", "line 2")


def test_empty_id(tmp_path):
    """A row without an id cannot be reported back, so it is refused."""
    content = "id,text\na,des vélos\n ,des écoles\n"
    _assert_refused(_run(tmp_path, _write(tmp_path, content)), "in.csv, line 3", "empty id")


def test_k_below_one(tmp_path):
    """--k 0 is refused before any work."""
    _assert_refused(_run(tmp_path, _write(tmp_path, GOOD), "--k", "0"), "--k")


def test_unwritable_output(tmp_path):
    """An output in a folder that does not exist is named, without a traceback."""
    done = _run(tmp_path, _write(tmp_path, GOOD), out="missing/out.json")
    _assert_refused(done, "out.json", "cannot write")


def test_real_civocracy_sample(tmp_path):
    """60 real Civocracy proposals: every id once, themes chosen, labels of written words."""
    with dataset(CIVOCRACY).open(encoding="utf-8", newline="") as source:
        rows = list(csv.DictReader(source))[:60]
    sample = tmp_path / "civocracy.csv"
    with sample.open("w", encoding="utf-8", newline="") as target:
        writer = csv.DictWriter(target, fieldnames=list(rows[0]))
        writer.writeheader()
        writer.writerows(rows)
    done = _run(tmp_path, sample)
    assert done.returncode == 0, done.stderr
    result = json.loads((tmp_path / "out.json").read_text(encoding="utf-8"))
    members = [m for topic in result["topics"] for m in topic["members"]]
    assert sorted(members + result["unassigned"]) == sorted(row["id"] for row in rows)
    assert 2 <= len(result["topics"]) <= 7  # chosen in 2..√60
    written = " ".join(row["text"] for row in rows).lower()
    for topic in result["topics"]:
        assert set(topic) == TOPIC_KEYS and topic["representatives"]
        for keyword in topic["keywords"]:
            assert keyword.lower() in written
