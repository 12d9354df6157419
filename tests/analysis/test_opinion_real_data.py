"""On a real Pol.is conversation, Ruche finds the groups Pol.is found.

Data: Scoop HiveMind "Protecting and Restoring NZ's Biodiversity" (2019), gathered with
Pol.is and sub-licensed under CC BY 4.0 with attribution to The Computational Democracy
Project: https://compdemocracy.org/case-studies/2019-scoop-hivemind-biodiversity
"""

import csv
import time

import numpy as np
import pytest
from sklearn.metrics import adjusted_rand_score

from ruche.analysis.polis_export import read_polis_export
from tests.datasets import dataset

POLIS = "polis-scoop-hivemind-biodiversity"


@pytest.fixture(scope="module")
def conversation():
    polis = dataset(POLIS)
    export = read_polis_export(polis)
    with (polis / "participants-votes.csv").open(newline="", encoding="utf-8") as handle:
        polis_group = {row["participant"]: row["group-id"] for row in csv.DictReader(handle)}
    return export, polis_group


def analyse(export, seed=0, polis_scaling=False):
    return export.analyze(seed=seed, polis_scaling=polis_scaling)


def agreement(export, polis_group, analysis):
    """ARI over the participants both Ruche and Pol.is put in a group."""
    ours, theirs = [], []
    for index, pid in enumerate(export.participant_ids):
        if analysis.group_labels[index] >= 0 and polis_group.get(pid, "") != "":
            ours.append(int(analysis.group_labels[index]))
            theirs.append(int(polis_group[pid]))
    assert len(ours) > 400
    return adjusted_rand_score(theirs, ours)


def test_groups_match_polis(conversation):
    """ARI ≥ 0.9 against Pol.is's own group-id, in well under 5 seconds."""
    export, polis_group = conversation
    start = time.perf_counter()
    analysis = analyse(export, seed=0, polis_scaling=True)
    assert time.perf_counter() - start < 5
    assert len(analysis.groups) == 2  # Pol.is showed 2 groups (summary.csv)
    assert agreement(export, polis_group, analysis) >= 0.9


def test_polis_scaling_is_what_reproduces_polis(conversation):
    """Half the statements here are moderated out; Pol.is still counts them in the
    sparsity scaling. Without that quirk the groups differ markedly from Pol.is's."""
    export, polis_group = conversation
    assert export.moderated_out.mean() > 0.4
    plain = agreement(export, polis_group, analyse(export, seed=0))
    polis = agreement(export, polis_group, analyse(export, seed=0, polis_scaling=True))
    assert plain < 0.9 <= polis


def test_moderated_out_comments_are_not_reported(conversation):
    """No moderated-out comment appears among representative or consensus statements."""
    export, _ = conversation
    analysis = analyse(export, seed=0, polis_scaling=True)
    listed = [c.statement for c in analysis.consensus.agree + analysis.consensus.disagree]
    listed += [r.statement for g in analysis.groups for r in g.representative]
    assert listed
    assert not export.moderated_out[np.array(listed)].any()
