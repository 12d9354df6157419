"""Topics engine: speed and memory on Make.org, fidelity to human themes on Civocracy.

Run by `make bench-analysis`, or alone:

    .venv/bin/python benchmarks/bench_topics.py [--seeds 5] [--datasets ../shared/datasets]
                                                [--spacy-pipeline]

1. Speed: `ruche analyze topics` on the 18,690 Make.org proposals "Il faut…", run as a
   subprocess; prints engine time (the JSON's `seconds`, file reading excluded; budget
   15 s), the command's wall time and its peak RSS (getrusage of the child), the number of
   topics and their labels.
2. Fidelity: NMI (sklearn normalized_mutual_info_score) against the human labels of the
   Civocracy proposals (`theme`; rows without one left out) and discussion replies
   (`issue`), mean ± sd over seeds, side by side:
   - plain: TfidfVectorizer() with default settings on the raw text + KMeans, k = number of
     human labels, same seed;
   - ruche, k given (= number of human labels) and k chosen automatically;
   - the same with LSA alone, to show what the spaCy word vectors add (when installed).
   Ids ruche leaves unassigned count as one extra cluster, so they are not hidden.
3. With --spacy-pipeline: the time spaCy's own tagger + lemmatiser would take on Make.org
   (why only its vector table is used).

Every figure is printed with the command that produced it.
"""

import argparse
import csv
import json
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

MAKEORG = "makeorg-monde-dapres/proposals.csv"
CIVOCRACY = {
    "proposals": (
        "civocracy-construisons-demain/civocracy_construisons_demain_proposals.csv",
        "theme",
    ),
    "replies": (
        "civocracy-construisons-demain/civocracy_construisons_demain_discussion_comments.csv",
        "issue",
    ),
}
BUDGET_SECONDS = 15.0


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seeds", type=int, default=5)
    parser.add_argument("--datasets", type=Path, default=REPO.parent / "shared" / "datasets")
    parser.add_argument("--spacy-pipeline", action="store_true")
    options = parser.parse_args()
    print(f"$ {' '.join([sys.executable, *sys.argv])}")
    ok = speed(options.datasets / MAKEORG)
    fidelity(options.datasets, options.seeds)
    if options.spacy_pipeline:
        spacy_pipeline(options.datasets / MAKEORG)
    return 0 if ok else 1


def speed(path: Path) -> bool:
    print("\n== Speed and memory: Make.org, 'Le monde d'après' ==")
    if not path.exists():
        print(f"skipped: {path} is absent")
        return True
    with tempfile.TemporaryDirectory() as folder:
        out = Path(folder) / "topics.json"
        command = [
            sys.executable, "-m", "ruche.cli", "analyze", "topics", "--csv", str(path),
            "--text-column", "text", "--id-column", "id", "--json", str(out), "--seed", "0",
        ]  # fmt: skip
        started = time.perf_counter()
        done = subprocess.run(command, cwd=REPO, capture_output=True, text=True)
        wall = time.perf_counter() - started
        if done.returncode != 0:
            print(done.stderr)
            return False
        result = json.loads(out.read_text(encoding="utf-8"))
    peak_mib = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
    ids = [m for topic in result["topics"] for m in topic["members"]] + result["unassigned"]
    print(f"$ {' '.join(command)}")
    print(f"texts {len(ids)} (each id once: {len(ids) == len(set(ids))})")
    print(f"representation {result.get('representation')}")
    verdict = "within" if result["seconds"] <= BUDGET_SECONDS else "OVER"
    print(f"engine time {result['seconds']:.2f} s ({verdict} the {BUDGET_SECONDS:.0f} s budget)")
    print(f"wall time {wall:.2f} s (interpreter start, imports, reading, engine, writing)")
    print(f"peak RSS {peak_mib:.0f} MiB")
    print(
        f"topics {len(result['topics'])}, unassigned {len(result['unassigned'])}, "
        f"near-duplicate groups {len(result['near_duplicates'])} "
        f"({sum(map(len, result['near_duplicates']))} texts)"
    )
    for topic in result["topics"]:
        print(f"  {len(topic['members']):5d}  {topic['label']}")
    il_faut = sum("faut" in k.lower().split() for t in result["topics"] for k in t["keywords"])
    print(f"keywords containing 'faut': {il_faut}")
    return result["seconds"] <= BUDGET_SECONDS


def fidelity(datasets: Path, seeds: int) -> None:
    from sklearn.cluster import KMeans
    from sklearn.feature_extraction.text import TfidfVectorizer
    from sklearn.metrics import normalized_mutual_info_score

    from ruche.analysis.engine import text_vectors
    from ruche.analysis.engine.topics import TopicOptions, find_topics

    print(f"\n== Fidelity: NMI against human labels, mean ± sd over seeds 0..{seeds - 1} ==")
    print("plain = TfidfVectorizer() defaults on raw text + KMeans(k, random_state=seed)")
    variants = [("ruche", TopicOptions())]
    if text_vectors.load() is not None:
        variants.append(("ruche, LSA alone (no word vectors)", TopicOptions(word_vectors=None)))
    else:
        print(f"({text_vectors.DEFAULT_MODEL} not installed: ruche runs on LSA alone)")
    for name, (relative, label_column) in CIVOCRACY.items():
        path = datasets / relative
        if not path.exists():
            print(f"{name}: skipped, {path} is absent")
            continue
        with path.open(encoding="utf-8", newline="") as source:
            rows = [row for row in csv.DictReader(source) if row[label_column].strip()]
        records = [(row["id"], row["text"]) for row in rows]
        truth = [row[label_column] for row in rows]
        k = len(set(truth))
        print(f"\n{name}: {path.name}, {len(rows)} texts with a '{label_column}', k = {k}")

        matrix = TfidfVectorizer().fit_transform([text for _, text in records])
        scores = [
            normalized_mutual_info_score(
                truth, KMeans(n_clusters=k, random_state=seed).fit_predict(matrix)
            )
            for seed in range(seeds)
        ]
        print(f"  {'plain TF-IDF + k-means, k given':48s} {_mean_sd(scores)}")
        for variant, topic_options in variants:
            for given in (True, False):
                scores, ks, seconds = [], [], []
                for seed in range(seeds):
                    analysis = find_topics(
                        records, k=k if given else None, seed=seed, options=topic_options
                    )
                    scores.append(normalized_mutual_info_score(truth, _labels(analysis, records)))
                    ks.append(len(analysis.topics))
                    seconds.append(analysis.seconds)
                how = "k given" if given else "k chosen"
                chosen = "" if given else f"  chosen k: {ks}"
                print(
                    f"  {variant + ', ' + how:48s} {_mean_sd(scores)}"
                    f"  ({statistics.mean(seconds):.1f} s per run; {analysis.representation})"
                    f"{chosen}"
                )


def _labels(analysis, records) -> list[int]:
    cluster = {m: i for i, topic in enumerate(analysis.topics) for m in topic.members}
    return [cluster.get(record_id, -1) for record_id, _ in records]


def _mean_sd(values: list[float]) -> str:
    sd = statistics.stdev(values) if len(values) > 1 else 0.0
    return f"NMI {statistics.mean(values):.3f} ± {sd:.3f}"


def spacy_pipeline(path: Path, sample: int = 2000) -> None:
    print("\n== spaCy's own pipeline (tagger + lemmatiser) on Make.org, for comparison ==")
    try:
        import spacy
    except ImportError:
        print("skipped: spaCy is not installed")
        return
    with path.open(encoding="utf-8", newline="") as source:
        rows = [row["text"] for row in csv.DictReader(source)]
    for model in ("fr_core_news_sm", "fr_core_news_md"):
        try:
            started = time.perf_counter()
            nlp = spacy.load(model, disable=["parser", "ner"])
        except OSError:
            print(f"{model}: not installed")
            continue
        loaded = time.perf_counter() - started
        started = time.perf_counter()
        for _ in nlp.pipe(rows[:sample], batch_size=256):
            pass
        spent = time.perf_counter() - started
        print(
            f"{model}: load {loaded:.1f} s; {sample} texts in {spent:.1f} s, so about "
            f"{spent * len(rows) / sample:.0f} s for all {len(rows)}"
        )


if __name__ == "__main__":
    sys.exit(main())
