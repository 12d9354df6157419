"""Opinion engine: speed, memory and fidelity to Pol.is, each figure with its command.

    .venv/bin/python benchmarks/bench_opinions.py [--skip-red-dwarf] [--seed N]

1. Synthetic consultation: 75,000 participants × 2,000 statements × 2,250,000 votes with
   four planted opinion groups, generated here from the seed straight into int32/int8
   arrays. Targets: engine ≤ 3 s, peak RSS of this whole process ≤ 1 GB
   (resource.getrusage(RUSAGE_SELF).ru_maxrss, generation included). ARI against the
   planted groups is printed.
2. red-dwarf (the Python re-implementation of Pol.is, `pip install -e '.[bench]'`) on the
   same votes, in a separate process so its memory is its own (it densifies the matrix),
   with a timeout; its time, peak RSS, and the ratio to ours.
3. Real data, Pol.is's "Protecting and Restoring NZ's Biodiversity" conversation: ARI
   between Ruche's groups and Pol.is's own `group-id` (target ≥ 0.95), and the overlap of
   the top consensus statements with red-dwarf's.

Data for part 3 was gathered using the Polis software (compdemocracy.org/polis) and is
sub-licensed under CC BY 4.0 with Attribution to The Computational Democracy Project:
https://compdemocracy.org/case-studies/2019-scoop-hivemind-biodiversity
"""

import argparse
import csv
import json
import resource
import shlex
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import numpy as np

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

from ruche.analysis.engine.opinions import analyze_opinions  # noqa: E402
from ruche.analysis.polis_export import read_polis_export  # noqa: E402

POLIS = REPO.parent / "shared" / "datasets" / "polis-scoop-hivemind-biodiversity"
N_PARTICIPANTS, N_STATEMENTS, N_VOTES = 75_000, 2_000, 2_250_000
GROUP_SHARES = (0.35, 0.30, 0.20, 0.15)
TARGET_SECONDS, TARGET_RSS_MB, TARGET_REAL_ARI = 3.0, 1024, 0.95
RED_DWARF_TIMEOUT = 1800


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--skip-red-dwarf", action="store_true")
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--red-dwarf-timeout", type=int, default=RED_DWARF_TIMEOUT)
    parser.add_argument("--red-dwarf-worker", nargs=2, metavar=("VOTES_NPZ", "OUT_JSON"))
    options = parser.parse_args()
    if options.red_dwarf_worker:
        return red_dwarf_worker(*options.red_dwarf_worker, options.seed)

    command = shlex.join([_relative(sys.executable), *sys.argv])
    print(f"command: {command}  (cwd {Path.cwd()})")
    print(f"machine: {_cpu_count()} cores; numpy {np.__version__}\n")
    missed = []
    with tempfile.TemporaryDirectory() as scratch:
        missed += synthetic(options, Path(scratch))
        missed += real_data(options, Path(scratch))
    print(f"\npeak RSS of this process, whole run: {peak_rss_mb():.0f} MB")
    print("all targets met" if not missed else f"MISSED: {', '.join(missed)}")
    return 0


def synthetic(options, scratch: Path) -> list[str]:
    print("== 1. Synthetic consultation ==")
    start = time.perf_counter()
    participants, statements, votes, planted = synthetic_consultation(options.seed)
    print(
        f"generated {N_PARTICIPANTS:,} participants × {N_STATEMENTS:,} statements × "
        f"{len(votes):,} votes, 4 planted groups {GROUP_SHARES}, seed {options.seed}: "
        f"{time.perf_counter() - start:.1f} s, peak RSS so far {peak_rss_mb():.0f} MB"
    )
    timings = []
    for _ in range(3):
        start = time.perf_counter()
        analysis = analyze_opinions(
            participants,
            statements,
            votes,
            n_participants=N_PARTICIPANTS,
            n_statements=N_STATEMENTS,
            seed=options.seed,
        )
        timings.append(time.perf_counter() - start)
    seconds, rss = timings[0], peak_rss_mb()
    ari = _ari(planted[analysis.included], analysis.group_labels[analysis.included])
    missed = []
    print(
        f"Ruche engine time: {seconds:.2f} s (first run; runs 2–3: "
        f"{timings[1]:.2f}, {timings[2]:.2f} s)  target ≤ {TARGET_SECONDS:.0f} s "
        f"{_verdict(seconds <= TARGET_SECONDS, 'engine time', missed)}"
    )
    print(
        f"Ruche peak RSS (ru_maxrss, whole process incl. generation): {rss:.0f} MB  "
        f"target ≤ {TARGET_RSS_MB} MB {_verdict(rss <= TARGET_RSS_MB, 'peak RSS', missed)}"
    )
    print(
        f"Ruche groups: {len(analysis.groups)} "
        f"(sizes {[len(g.participants) for g in analysis.groups]}), "
        f"{analysis.participation.participants_included:,} participants included; "
        f"ARI vs planted groups: {ari:.4f}"
    )
    reading = time_reader(participants, statements, votes, scratch)
    print(
        f"reader (not in engine time): the votes written as a Pol.is export "
        f"({reading['megabytes']:.0f} MB votes.csv), read_polis_export: "
        f"{reading['seconds']:.1f} s for {reading['votes']:,} votes"
    )
    print("\n== 2. red-dwarf on the same synthetic votes ==")
    if options.skip_red_dwarf:
        print("skipped (--skip-red-dwarf)")
        return missed
    data = scratch / "synthetic.npz"
    np.savez(data, participant=participants, statement=statements, vote=votes)
    del participants, statements, votes
    result = run_red_dwarf(data, scratch / "synthetic-red-dwarf.json", options)
    if result is None:
        return missed
    labels = np.full(N_PARTICIPANTS, -1)
    labels[result["participant_ids"]] = result["labels"]
    clustered = labels >= 0
    both = clustered & analysis.included
    print(
        f"red-dwarf time: {result['seconds']:.1f} s, its peak RSS {result['rss_mb']:.0f} MB; "
        f"time ratio red-dwarf / Ruche: {result['seconds'] / seconds:.0f}×"
    )
    print(
        f"red-dwarf groups: {len(set(labels[clustered].tolist()))}; ARI vs planted: "
        f"{_ari(planted[clustered], labels[clustered]):.4f}; ARI Ruche vs red-dwarf: "
        f"{_ari(analysis.group_labels[both], labels[both]):.4f}"
    )
    return missed


def synthetic_consultation(seed: int):
    """Four groups at the corners of a square in opinion space.

    40% of the statements split the groups along one axis (groups 0, 1 against 2, 3), 40%
    along the other (0, 2 against 1, 3), 20% are consensual. On a divisive statement a
    participant votes with their group's side 75% of the time, against it 10%, passes
    15%; on a consensual one agrees 70%, disagrees 10%, passes 20%. Each participant
    votes on a random subset of 10–50 statements (5% on only 1–6, under Pol.is's
    threshold). Everything is generated as int32/int8 arrays (~20 MB of votes).
    """
    rng = np.random.default_rng(seed)
    planted = rng.choice(len(GROUP_SHARES), size=N_PARTICIPANTS, p=GROUP_SHARES).astype(np.int8)
    counts = rng.integers(10, 51, N_PARTICIPANTS)
    sparse = rng.random(N_PARTICIPANTS) < 0.05
    counts[sparse] = rng.integers(1, 7, int(sparse.sum()))
    regular = np.flatnonzero(~sparse)
    while (gap := N_VOTES - int(counts.sum())) != 0:  # nudge regular voters to the total
        chosen = rng.choice(regular, size=min(abs(gap), len(regular)), replace=False)
        counts[chosen] += np.sign(gap)
    participant = np.repeat(np.arange(N_PARTICIPANTS, dtype=np.int32), counts)
    statement = rng.integers(0, N_STATEMENTS, N_VOTES, dtype=np.int32)
    while True:  # redraw the few statements a participant drew twice
        keys = participant.astype(np.int64) * N_STATEMENTS + statement
        order = np.argsort(keys)
        repeated = order[1:][keys[order[1:]] == keys[order[:-1]]]
        del keys, order
        if not len(repeated):
            break
        statement[repeated] = rng.integers(0, N_STATEMENTS, len(repeated), dtype=np.int32)
    kind = rng.choice(3, size=N_STATEMENTS, p=[0.4, 0.4, 0.2])
    sign = rng.choice(np.array([-1, 1], dtype=np.int8), size=N_STATEMENTS)
    axis_a = np.array([1, 1, -1, -1], dtype=np.int8)[:, None] * sign
    axis_b = np.array([1, -1, 1, -1], dtype=np.int8)[:, None] * sign
    side = np.where(kind == 0, axis_a, np.where(kind == 1, axis_b, 0)).astype(np.int8)
    lean = side[planted[participant], statement]  # ±1, or 0 on a consensual statement
    draw = rng.random(N_VOTES, dtype=np.float32)
    vote = np.zeros(N_VOTES, dtype=np.int8)
    divisive = lean != 0
    vote[divisive & (draw < 0.75)] = lean[divisive & (draw < 0.75)]
    against = divisive & (draw >= 0.75) & (draw < 0.85)
    vote[against] = -lean[against]
    vote[~divisive & (draw < 0.7)] = 1
    vote[~divisive & (draw >= 0.7) & (draw < 0.8)] = -1
    del lean, draw, divisive, against
    shuffle = rng.permutation(N_VOTES)  # votes arrive in no particular order
    return participant[shuffle], statement[shuffle], vote[shuffle], planted


def time_reader(participants, statements, votes, scratch: Path) -> dict:
    """Write the votes as comments.csv + votes.csv, time reading them back."""
    folder = scratch / "export"
    folder.mkdir()
    comments = "".join(f"{s},{s},1\n" for s in range(N_STATEMENTS))
    (folder / "comments.csv").write_text(f"comment-id,comment-body,moderated\n{comments}")
    with (folder / "votes.csv").open("w") as handle:
        handle.write("timestamp,datetime,comment-id,voter-id,vote\n")
        for start in range(0, len(votes), 200_000):
            chunk = slice(start, start + 200_000)
            rows = zip(
                statements[chunk].tolist(),
                participants[chunk].tolist(),
                votes[chunk].tolist(),
                strict=True,
            )
            handle.write(
                "".join(
                    f"{1_600_000_000_000 + start + i},d,{s},{p},{v}\n"
                    for i, (s, p, v) in enumerate(rows)
                )
            )
    start = time.perf_counter()
    export = read_polis_export(folder)
    seconds = time.perf_counter() - start
    megabytes = (folder / "votes.csv").stat().st_size / 2**20
    return {"seconds": seconds, "votes": len(export.votes), "megabytes": megabytes}


def real_data(options, scratch: Path) -> list[str]:
    print("\n== 3. Real data: Pol.is 'Protecting and Restoring NZ's Biodiversity' ==")
    print("(The Computational Democracy Project, CC BY 4.0)")
    if not POLIS.is_dir():
        print(f"skipped: {POLIS} not found")
        return []
    export = read_polis_export(POLIS)
    with (POLIS / "participants-votes.csv").open(newline="", encoding="utf-8") as handle:
        polis_group = {row["participant"]: row["group-id"] for row in csv.DictReader(handle)}

    def run(seed, polis_scaling=True):
        return export.analyze(seed=seed, polis_scaling=polis_scaling)

    def ari_vs_polis(labels):
        pairs = [
            (int(polis_group[pid]), int(labels[i]))
            for i, pid in enumerate(export.participant_ids)
            if labels[i] >= 0 and polis_group.get(pid, "") != ""
        ]
        theirs, ours = zip(*pairs, strict=True)
        return _ari(np.array(theirs), np.array(ours)), len(pairs)

    start = time.perf_counter()
    analysis = run(options.seed)
    seconds = time.perf_counter() - start
    ari, n_compared = ari_vs_polis(analysis.group_labels)
    missed = []
    print(
        f"{len(export.participant_ids)} participants, {len(export.statement_ids)} comments "
        f"({int(export.moderated_out.sum())} moderated out), {len(export.votes):,} votes; "
        f"engine {seconds:.3f} s"
    )
    print(
        f"Ruche groups {[len(g.participants) for g in analysis.groups]}, Pol.is groups "
        f"{_sizes(polis_group)}; ARI Ruche vs Pol.is group-id (seed {options.seed}, "
        f"{n_compared} participants in both): {ari:.4f}  target ≥ {TARGET_REAL_ARI} "
        f"{_verdict(ari >= TARGET_REAL_ARI, 'real-data ARI', missed)}"
    )
    seeds = [ari_vs_polis(run(seed).group_labels)[0] for seed in range(20)]
    print(
        f"ARI over seeds 0–19: min {min(seeds):.4f}, median {np.median(seeds):.4f}, "
        f"max {max(seeds):.4f}; ≥ {TARGET_REAL_ARI} for "
        f"{sum(a >= TARGET_REAL_ARI for a in seeds)}/20"
    )
    plain, _ = ari_vs_polis(run(options.seed, polis_scaling=False).group_labels)
    print(
        f"without polis_scaling (moderated-out comments left out of the √(n/votes) "
        f"scaling): ARI {plain:.4f}"
    )
    ours = {
        "agree": [int(export.statement_ids[c.statement]) for c in analysis.consensus.agree],
        "disagree": [int(export.statement_ids[c.statement]) for c in analysis.consensus.disagree],
    }
    if options.skip_red_dwarf:
        print(f"Ruche consensus {ours}; red-dwarf: skipped (--skip-red-dwarf)")
        return missed
    data = scratch / "polis.npz"
    np.savez(
        data,
        participant=np.array([int(p) for p in export.participant_ids])[export.participants],
        statement=np.array([int(s) for s in export.statement_ids])[export.statements],
        vote=export.votes,
        moderated=np.array([int(s) for s in export.statement_ids])[export.moderated_out],
    )
    result = run_red_dwarf(data, scratch / "polis-red-dwarf.json", options)
    if result is None:
        return missed
    for direction in ("agree", "disagree"):
        theirs = result["consensus"][direction]
        common = len(set(ours[direction]) & set(theirs))
        print(
            f"top consensus ({direction}): Ruche {ours[direction]}, red-dwarf {theirs}; "
            f"overlap {common}/{max(len(ours[direction]), len(theirs))}"
        )
    labels = {str(p): g for p, g in zip(result["participant_ids"], result["labels"], strict=True)}
    rd_labels = np.array([labels.get(pid, -1) for pid in export.participant_ids])
    rd_ari, rd_n = ari_vs_polis(rd_labels)
    print(f"(for reference) red-dwarf ARI vs Pol.is group-id: {rd_ari:.4f} over {rd_n}")
    return missed


def run_red_dwarf(data: Path, out: Path, options) -> dict | None:
    """red-dwarf in its own process: its peak memory is its own, and a timeout holds."""
    worker = [
        sys.executable,
        str(Path(__file__).resolve()),
        "--red-dwarf-worker",
        str(data),
        str(out),
        "--seed",
        str(options.seed),
    ]
    print(f"red-dwarf command: {shlex.join(worker)}  (timeout {options.red_dwarf_timeout} s)")
    try:
        done = subprocess.run(
            worker, capture_output=True, text=True, timeout=options.red_dwarf_timeout
        )
    except subprocess.TimeoutExpired:
        print(f"red-dwarf: did not finish within {options.red_dwarf_timeout} s")
        return None
    if done.returncode != 0:
        print(f"red-dwarf failed (status {done.returncode}):\n{done.stderr[-2000:]}")
        return None
    return json.loads(out.read_text())


def red_dwarf_worker(data: str, out: str, seed: int) -> int:
    """Run red-dwarf's Pol.is pipeline on saved votes; write time, peak RSS and results."""
    import warnings

    warnings.filterwarnings("ignore")
    from reddwarf.implementations.polis import run_pipeline

    arrays = np.load(data)
    votes = {  # red-dwarf builds a pandas DataFrame from these columns, then pivots it
        "participant_id": arrays["participant"].astype(np.int64),
        "statement_id": arrays["statement"].astype(np.int64),
        "vote": arrays["vote"].astype(np.int64),
    }
    moderated = arrays["moderated"].tolist() if "moderated" in arrays else []
    start = time.perf_counter()
    result = run_pipeline(votes=votes, mod_out_statement_ids=moderated, random_state=seed)
    seconds = time.perf_counter() - start
    clusters = result.participants_df["cluster_id"]
    Path(out).write_text(
        json.dumps(
            {
                "seconds": seconds,
                "rss_mb": peak_rss_mb(),
                "participant_ids": [int(p) for p in clusters.index],
                "labels": [int(g) for g in clusters.fillna(-1).astype(int)],
                "consensus": {
                    direction: [int(s["tid"]) for s in result.consensus[direction]]
                    for direction in ("agree", "disagree")
                },
            }
        )
    )
    return 0


def peak_rss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # KiB on Linux


def _ari(truth, labels) -> float:
    from sklearn.metrics import adjusted_rand_score

    return float(adjusted_rand_score(truth, labels))


def _sizes(polis_group: dict) -> list[int]:
    groups = [g for g in polis_group.values() if g != ""]
    return sorted((groups.count(g) for g in set(groups)), reverse=True)


def _verdict(ok: bool, name: str, missed: list) -> str:
    if not ok:
        missed.append(name)
    return "OK" if ok else "MISSED"


def _relative(path: str) -> str:
    resolved = Path(path).absolute()
    return str(resolved.relative_to(Path.cwd())) if resolved.is_relative_to(Path.cwd()) else path


def _cpu_count() -> int:
    import os

    return os.cpu_count() or 1


if __name__ == "__main__":
    sys.exit(main())
