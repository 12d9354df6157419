"""`ruche analyze opinions --polis-export DIR --json OUT [--seed N]`.

Reads a Pol.is export (see ruche.analysis.polis_export), runs the opinion engine and
writes exactly:

    {"participants": int,            # everyone with a vote (or a row in participants-votes.csv)
     "participants_included": int,   # those with ≥ min(7, statements) votes: the clustered
     "statements": int,              # comments not moderated out (moderated ≠ −1)
     "votes": int,                   # votes on those, one per participant and comment
     "groups": [{"id": int, "participants": [voter-id, …],
                 "representative": [{"statement": comment-id,
                                     "direction": "agree" | "disagree",
                                     "share_in_group": float, "share_outside": float}]}],
     "consensus": {"agree": [comment-id, …], "disagree": […]},
     "divisive": [comment-id, …],
     "seconds": float}               # engine time, files not included

Ids are written as they appear in the export: integers when every id of that kind
(participant, comment) is a plain decimal integer, as in every Pol.is export; otherwise
all of that kind as strings. Shares are smoothed as in Pol.is, (n + 1) / (n_seen + 2),
over the grouped participants outside the group for `share_outside`. `consensus` is
Pol.is's, over every participant; `divisive` ranks statements by the spread of the
groups' agree shares. Lists are best first, at most 5 each.

Pol.is exports are analysed with `polis_scaling` (see engine.opinions): Pol.is keeps
moderated-out comments in its sparsity scaling, and without that its groups are not
reproduced (ARI 0.78 instead of 0.99 against Pol.is's groups on a real conversation;
benchmarks/bench_opinions.py).
"""

import json
import time
from pathlib import Path

from ruche.analysis.engine.opinions_results import OpinionAnalysis
from ruche.analysis.errors import InputError
from ruche.analysis.polis_export import PolisExport, json_ids, read_polis_export


def run(args) -> None:
    path = Path(args.json)
    if not path.parent.is_dir():  # say so before the analysis, not after
        raise InputError(f"{path}: cannot write the JSON output (no folder {path.parent})")
    export = read_polis_export(args.polis_export)
    # Import the engine (and scikit-learn, ~1 s) only once the input is known good, and
    # before the clock starts: `seconds` is the engine's time.
    import ruche.analysis.engine.opinions  # noqa: F401

    start = time.perf_counter()
    analysis = export.analyze(seed=args.seed)
    seconds = time.perf_counter() - start
    document = to_json(export, analysis, seconds)
    try:
        path.write_text(json.dumps(document, indent=1) + "\n", encoding="utf-8")
    except OSError as error:
        raise InputError(f"{path}: cannot write the JSON output ({error.strerror})") from None


def to_json(export: PolisExport, analysis: OpinionAnalysis, seconds: float) -> dict:
    participant_id = json_ids(export.participant_ids)
    statement_id = json_ids(export.statement_ids)
    participation = analysis.participation
    return {
        "participants": participation.participants,
        "participants_included": participation.participants_included,
        "statements": participation.statements,
        "votes": participation.votes,
        "groups": [
            {
                "id": group.id,
                "participants": [participant_id[i] for i in group.participants],
                "representative": [
                    {
                        "statement": statement_id[item.statement],
                        "direction": item.direction,
                        "share_in_group": round(item.share_in_group, 6),
                        "share_outside": round(item.share_outside, 6),
                    }
                    for item in group.representative
                ],
            }
            for group in analysis.groups
        ],
        "consensus": {
            "agree": [statement_id[item.statement] for item in analysis.consensus.agree],
            "disagree": [statement_id[item.statement] for item in analysis.consensus.disagree],
        },
        "divisive": [statement_id[item.statement] for item in analysis.divisive],
        "seconds": round(seconds, 4),
    }
