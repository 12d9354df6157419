"""Run the analysis engine on a consultation's stored votes and answers, and keep the result.

The engine (ruche.analysis.engine) works on indices and plain texts; this module maps the
database's ids to them and back, and stores a JSON document per run (`AnalysisResult.data`)
that the synthesis report and the exports read. Group and theme keys are carried over from
the previous run to the new item sharing most members, so facilitators' names and quotes
(`Label`) follow their group or theme across recomputations.
"""

import hashlib
import time
import uuid
from collections import Counter, defaultdict

import numpy as np
from django.db import transaction
from django.db.models import Count, Max, Min
from django.db.models.functions import TruncDate
from django.utils import timezone

from ruche.analysis.engine.opinions import analyze_opinions
from ruche.analysis.engine.topics import find_topics
from ruche.consultations.models import (
    MIN_BREAKDOWN_GROUP,
    AnalysisResult,
    Answer,
    Participation,
    Statement,
    Vote,
)
from ruche.consultations.privacy import mask_small_cells

MAP_POINTS = 3000  # participants drawn on the opinion map (a sample beyond this)
KEY_OVERLAP = 0.3  # Jaccard overlap above which a new item inherits an old item's key
KEPT_RESULTS = 20  # results kept per consultation and kind (older ones are deleted)


def new_key() -> str:
    return uuid.uuid4().hex[:12]


def carry_keys(previous: list[dict], current: list[list]) -> list[str]:
    """Keys for the `current` items (lists of member ids), reusing `previous` items' keys.

    Greedy by overlap: each old key goes to at most one new item, the one sharing the
    largest Jaccard overlap with it, and only above KEY_OVERLAP.
    """
    old_sets = [(item["key"], set(item["members"])) for item in previous]
    new_sets = [set(members) for members in current]
    pairs = []
    for i, new in enumerate(new_sets):
        for key, old in old_sets:
            union = len(new | old)
            overlap = len(new & old) / union if union else 0.0
            if overlap >= KEY_OVERLAP:
                pairs.append((overlap, i, key))
    keys: list[str | None] = [None] * len(current)
    used = set()
    for _overlap, i, key in sorted(pairs, key=lambda pair: -pair[0]):
        if keys[i] is None and key not in used:
            keys[i] = key
            used.add(key)
    return [key or new_key() for key in keys]


def _previous(consultation, kind) -> dict:
    result = (
        AnalysisResult.objects.filter(consultation=consultation, kind=kind, error="")
        .order_by("-computed_at")
        .values_list("data", flat=True)
        .first()
    )
    return result or {}


def _share(n, seen) -> float | None:
    return round(n / seen, 4) if seen else None


def vote_marker(consultation) -> str:
    """Changes whenever a vote, a statement or a participation (profile answers, used by the
    breakdowns) is added, changed or deleted. Counts catch deletions and rows written with
    old times (an imported Pol.is export)."""
    parts = []
    for queryset in (
        Vote.objects.filter(consultation=consultation),
        Statement.objects.filter(consultation=consultation),
        Participation.objects.filter(consultation=consultation),
        consultation.profile_questions.all(),
    ):
        aggregate = queryset.aggregate(last=Max("updated_at"), n=Count("pk"))
        parts.append(f"{aggregate['last']}/{aggregate['n']}")
    return _digest(parts)


def answer_marker(consultation) -> str:
    last = Answer.objects.filter(question__consultation=consultation).aggregate(
        last=Max("updated_at"), n=Count("id")
    )
    questions = consultation.open_questions.aggregate(last=Max("updated_at"), n=Count("id"))
    return _digest([last["last"], last["n"], questions["last"], questions["n"]])


def _digest(parts) -> str:
    """A short fingerprint of what a run would read (stored in `input_marker`)."""
    return hashlib.sha256("|".join(str(part) for part in parts).encode()).hexdigest()


def compute_opinions(consultation, seed: int = 0) -> AnalysisResult:
    """Opinion groups, consensus and divisive statements from the current votes."""
    started = time.perf_counter()
    marker = vote_marker(consultation)
    statements = list(
        Statement.objects.filter(
            consultation=consultation, status=Statement.Status.ACCEPTED
        ).values_list("pk", flat=True)
    )
    statement_index = {pk: i for i, pk in enumerate(statements)}
    participant_index: dict = {}
    rows_p, rows_s, rows_v = [], [], []
    votes = Vote.objects.filter(consultation=consultation, statement_id__in=statements)
    for participant_id, statement_id, value in votes.values_list(
        "participant_id", "statement_id", "value"
    ).iterator(chunk_size=20000):
        p = participant_index.setdefault(participant_id, len(participant_index))
        rows_p.append(p)
        rows_s.append(statement_index[statement_id])
        rows_v.append(value)
    participants = list(participant_index)
    data: dict = {
        "participants": len(participants),
        "statements": len(statements),
        "votes": len(rows_v),
        "per_day": _per_day(votes),
    }
    if rows_v and statements:
        analysis = analyze_opinions(
            np.asarray(rows_p),
            np.asarray(rows_s),
            np.asarray(rows_v),
            n_participants=len(participants),
            n_statements=len(statements),
            seed=seed,
        )
        votes = (rows_p, rows_s, rows_v)
        data.update(
            _opinions_document(consultation, analysis, participants, statements, votes, seed)
        )
        _store_counts(statements, analysis)
    duration = round((time.perf_counter() - started) * 1000)
    return _store(
        consultation,
        AnalysisResult.Kind.OPINIONS,
        data,
        duration,
        seed,
        marker,
        n_participants=len(participants),
        n_statements=len(statements),
        n_votes=len(rows_v),
    )


def _per_day(votes) -> list[dict]:
    """Votes and first-time voters per local day, counted by the database (not per vote in
    Python: at 2 million votes that loop cost seconds)."""
    per_day = dict(
        votes.annotate(day=TruncDate("created_at"))
        .values("day")
        .annotate(n=Count("pk"))
        .values_list("day", "n")
    )
    firsts = votes.values("participant_id").annotate(first=Min("created_at"))
    newcomers = Counter(
        timezone.localdate(first) for first in firsts.values_list("first", flat=True)
    )
    return [
        {"day": day.isoformat(), "votes": per_day[day], "new_participants": newcomers[day]}
        for day in sorted(per_day)
    ]


def _opinions_document(consultation, analysis, participants, statements, votes, seed) -> dict:
    ids = [str(pk) for pk in statements]
    people = [str(pk) for pk in participants]
    labels = analysis.group_labels
    members = [[people[i] for i in group.participants] for group in analysis.groups]
    previous = _previous(consultation, AnalysisResult.Kind.OPINIONS).get("groups", [])
    keys = carry_keys(previous, members)
    share = analysis.participation
    groups = []
    for group, key, group_members in zip(analysis.groups, keys, members, strict=True):
        groups.append(
            {
                "key": key,
                "index": int(group.id),
                "size": len(group_members),
                "members": group_members,
                "centre": [round(float(c), 4) for c in group.centre],
                "representative": [
                    {
                        "statement": ids[item.statement],
                        "direction": item.direction,
                        "share_in_group": round(float(item.share_in_group), 4),
                        "share_outside": round(float(item.share_outside), 4),
                        "n_success": int(item.n_success),
                        "n_seen": int(item.n_seen),
                    }
                    for item in group.representative
                ],
            }
        )
    group_shares = _group_agree_shares(analysis, votes, len(statements))
    included = np.flatnonzero(analysis.included)
    rng = np.random.default_rng(seed)
    shown = included if len(included) <= MAP_POINTS else rng.choice(included, MAP_POINTS, False)
    positions = analysis.map.positions
    return {
        "included": len(included),
        "groups": groups,
        "consensus": {
            direction: [
                {
                    "statement": ids[item.statement],
                    "share": round(float(item.share), 4),
                    "n_success": int(item.n_success),
                    "n_seen": int(item.n_seen),
                }
                for item in getattr(analysis.consensus, direction)
            ]
            for direction in ("agree", "disagree")
        },
        "divisive": [
            {
                "statement": ids[item.statement],
                "spread": round(float(item.spread), 4),
                "shares": [round(float(s), 4) for s in item.shares],
            }
            for item in analysis.divisive
        ],
        "statement_stats": {
            ids[j]: {
                "agree": int(share.n_agree[j]),
                "disagree": int(share.n_disagree[j]),
                "pass": int(share.n_pass[j]),
                "group_agree": [group_shares[g][j] for g in range(len(groups))],
            }
            for j in range(len(statements))
        },
        "map": {
            "points": [
                [round(float(positions[i, 0]), 3), round(float(positions[i, 1]), 3), int(labels[i])]
                for i in sorted(int(i) for i in shown)
            ],
            "sampled": bool(len(shown) < len(included)),
            "explained_variance": [round(float(v), 4) for v in analysis.map.explained_variance],
        },
        "breakdowns": _breakdowns(consultation, participants, labels, len(groups)),
    }


def _group_agree_shares(analysis, votes, n_statements) -> list[list[float | None]]:
    """Raw agree share of each statement within each group.

    None where fewer than MIN_BREAKDOWN_GROUP of the group voted on it: a share over three
    people would tell how each of them voted.
    """
    rows_p, rows_s, rows_v = (np.asarray(column) for column in votes)
    groups = analysis.group_labels[rows_p]
    keep = groups >= 0
    n_groups = len(analysis.groups)
    seen = np.zeros((n_groups, n_statements))
    agree = np.zeros((n_groups, n_statements))
    np.add.at(seen, (groups[keep], rows_s[keep]), 1)
    np.add.at(agree, (groups[keep], rows_s[keep]), rows_v[keep] == 1)
    return [
        [
            _share(int(agree[g, j]), int(seen[g, j])) if seen[g, j] >= MIN_BREAKDOWN_GROUP else None
            for j in range(n_statements)
        ]
        for g in range(n_groups)
    ]


def _breakdowns(consultation, participants, labels, n_groups) -> list[dict]:
    """Per profile question and answer: people, and their spread over the opinion groups.

    Answers given by fewer than MIN_BREAKDOWN_GROUP people are left out (they could
    identify someone), and so are their counts.
    """
    questions = list(consultation.profile_questions.all())
    if not questions:
        return []
    label_of = {str(pk): int(labels[i]) for i, pk in enumerate(participants)}
    profiles = Participation.objects.filter(consultation=consultation).values_list(
        "participant_id", "profile"
    )
    counts: dict = defaultdict(Counter)
    groups: dict = defaultdict(lambda: defaultdict(Counter))
    for participant_id, profile in profiles.iterator(chunk_size=5000):
        for question in questions:
            choice = (profile or {}).get(str(question.pk))
            if not choice:
                continue
            counts[question.pk][choice] += 1
            group = label_of.get(str(participant_id), -1)
            groups[question.pk][choice][group] += 1
    result = []
    for question in questions:
        shown = []
        for choice in question.choices:
            n = counts[question.pk][choice]
            if n < MIN_BREAKDOWN_GROUP:
                continue
            shown.append(
                {
                    "choice": choice,
                    "participants": n,
                    "groups": mask_small_cells(
                        [groups[question.pk][choice][g] for g in range(n_groups)]
                    ),
                }
            )
        result.append(
            {
                "question": str(question.pk),
                "label": question.label,
                "choices": shown,
                "hidden_choices": sum(
                    1 for c in question.choices if 0 < counts[question.pk][c] < MIN_BREAKDOWN_GROUP
                ),
            }
        )
    return result


def _store_counts(statements, analysis) -> None:
    """Vote counts and extremity on each statement, for the next-statement choice."""
    share = analysis.participation
    components = analysis.map.components
    extremity = np.sqrt((components**2).sum(axis=0)) if components.size else None
    rows = Statement.objects.in_bulk(statements)
    for j, pk in enumerate(statements):
        row = rows[pk]
        row.n_agree = int(share.n_agree[j])
        row.n_disagree = int(share.n_disagree[j])
        row.n_pass = int(share.n_pass[j])
        row.extremity = float(extremity[j]) if extremity is not None else 0.0
    Statement.objects.bulk_update(
        rows.values(), ["n_agree", "n_disagree", "n_pass", "extremity"], batch_size=1000
    )


def compute_themes(consultation, seed: int = 0) -> AnalysisResult:
    """Themes of the visible answers to each open question."""
    started = time.perf_counter()
    marker = answer_marker(consultation)
    previous = {
        item["question"]: item
        for item in _previous(consultation, AnalysisResult.Kind.THEMES).get("questions", [])
    }
    questions = []
    n_answers = 0
    for question in consultation.open_questions.all():
        records = [
            (str(pk), text)
            for pk, text in Answer.objects.filter(question=question, hidden=False)
            .order_by("created_at")
            .values_list("pk", "text")
        ]
        n_answers += len(records)
        entry = {"question": str(question.pk), "text": question.text, "answers": len(records)}
        if len(records) >= 2:
            topics = find_topics(records, seed=seed)
            members = [list(topic.members) for topic in topics.topics]
            keys = carry_keys(previous.get(str(question.pk), {}).get("themes", []), members)
            entry["themes"] = [
                {
                    "key": key,
                    "label": topic.label,
                    "keywords": list(topic.keywords),
                    "members": list(topic.members),
                    "representatives": list(topic.representatives),
                    "size": topic.size,
                }
                for topic, key in zip(topics.topics, keys, strict=True)
            ]
            entry["unassigned"] = list(topics.unassigned)
            entry["near_duplicates"] = [list(group) for group in topics.near_duplicates]
        else:
            entry["themes"], entry["unassigned"], entry["near_duplicates"] = [], [], []
        questions.append(entry)
    duration = round((time.perf_counter() - started) * 1000)
    return _store(
        consultation,
        AnalysisResult.Kind.THEMES,
        {"questions": questions},
        duration,
        seed,
        marker,
        n_answers=n_answers,
    )


@transaction.atomic
def _store(consultation, kind, data, duration, seed, marker, **counts) -> AnalysisResult:
    result = AnalysisResult.objects.create(
        consultation=consultation,
        kind=kind,
        data=data,
        duration_ms=duration,
        seed=seed,
        input_marker=marker,
        **counts,
    )
    old = AnalysisResult.objects.filter(consultation=consultation, kind=kind).order_by(
        "-computed_at"
    )[KEPT_RESULTS:]
    AnalysisResult.objects.filter(pk__in=list(old.values_list("pk", flat=True))).delete()
    return result


def store_failure(consultation, kind: str, error: str) -> AnalysisResult:
    """Record a failed run: pages keep showing the last good result, admins see why."""
    return AnalysisResult.objects.create(consultation=consultation, kind=kind, error=error)
