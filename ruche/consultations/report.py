"""The synthesis report of a consultation, as plain data for the page, the print and exports.

`build_report(consultation)` reads the latest successful analysis of each kind
(`AnalysisResult.data`, see analysis.py for its layout) and joins it with the database:
statement texts, answer texts, and the facilitators' `Label` rows (names of groups and
themes, picked quotes). Nothing here writes, and nothing here runs the engine.

Rules the report keeps, whatever the stored document says:
- a hidden answer is never quoted (an answer hidden after the analysis included);
- profile breakdowns only show answers chosen by at least MIN_BREAKDOWN_GROUP people
  (analysis.py already leaves the others out; they are filtered again here), and their
  spread over the opinion groups only in cells of at least that many people;
- a statement deleted since the analysis is left out rather than shown without text.
"""

import datetime
import string
import uuid
from dataclasses import dataclass, field

from django.db.models import Count
from django.utils.dateparse import parse_date
from django.utils.translation import gettext as _

from ruche.consultations.models import (
    MIN_BREAKDOWN_GROUP,
    AnalysisResult,
    Answer,
    Label,
    Statement,
    Vote,
)
from ruche.consultations.privacy import mask_small_cells
from ruche.consultations.queries import latest_result

MAX_QUOTES = 3  # quotes shown per theme


@dataclass(frozen=True)
class Computation:
    """When and on what an analysis was computed ("calculé le … sur N votes")."""

    computed_at: datetime.datetime
    n_votes: int
    n_participants: int
    n_answers: int
    duration_ms: int


@dataclass(frozen=True)
class KeyFigures:
    participants: int
    votes: int
    statements: int
    answers: int


@dataclass(frozen=True)
class DayCount:
    day: datetime.date
    votes: int
    new_participants: int


@dataclass(frozen=True)
class StatementInfo:
    id: str
    number: int
    text: str


@dataclass(frozen=True)
class StatementStats:
    """One published statement's votes, and each group's raw agree share (None: unseen)."""

    statement: StatementInfo
    agree: int
    disagree: int
    passed: int
    group_agree: list[float | None]

    @property
    def votes(self) -> int:
        return self.agree + self.disagree + self.passed

    @property
    def agree_share(self) -> float | None:
        return self.agree / self.votes if self.votes else None


@dataclass(frozen=True)
class RepresentativeItem:
    """A statement that sets a group apart; shares are of `direction` (agree or disagree)."""

    statement: StatementInfo
    direction: str
    share_in_group: float
    share_outside: float
    n_seen: int


@dataclass(frozen=True)
class Group:
    key: str
    index: int  # the engine's group id, as on the map points
    position: int  # 0-based order in the report: letter, colour and marker shape
    name: str
    named: bool  # True when a facilitator gave the name
    size: int
    centre: tuple[float, float]
    representative: list[RepresentativeItem]


@dataclass(frozen=True)
class ConsensusItem:
    statement: StatementInfo
    direction: str
    share: float
    n_seen: int


@dataclass(frozen=True)
class DivisiveItem:
    statement: StatementInfo
    spread: float
    shares: list[float]  # smoothed agree share per group, in report order


@dataclass(frozen=True)
class MapPoint:
    x: float
    y: float
    group: int  # position of the group in the report


@dataclass(frozen=True)
class OpinionMap:
    points: list[MapPoint]
    sampled: bool
    explained_variance: list[float]


@dataclass(frozen=True)
class Quote:
    answer_id: str
    text: str


@dataclass(frozen=True)
class Theme:
    key: str
    name: str
    named: bool
    engine_label: str
    keywords: list[str]
    size: int
    quotes: list[Quote]
    picked: bool  # True when the quotes are the facilitators' choice
    members: list[str]  # answer ids, for the quote picker


@dataclass(frozen=True)
class QuestionThemes:
    question_id: str
    text: str
    answers: int
    themes: list[Theme]
    unassigned: int


@dataclass(frozen=True)
class BreakdownChoice:
    choice: str
    participants: int
    groups: list[int | None]  # people per opinion group, in report order; None: too few


@dataclass(frozen=True)
class Breakdown:
    question_id: str
    label: str
    choices: list[BreakdownChoice]
    hidden_choices: int


@dataclass
class Report:
    consultation: object
    figures: KeyFigures
    opinions: Computation | None = None
    themes_computation: Computation | None = None
    per_day: list[DayCount] = field(default_factory=list)
    groups: list[Group] = field(default_factory=list)
    map: OpinionMap | None = None
    consensus_agree: list[ConsensusItem] = field(default_factory=list)
    consensus_disagree: list[ConsensusItem] = field(default_factory=list)
    divisive: list[DivisiveItem] = field(default_factory=list)
    statements: list[StatementStats] = field(default_factory=list)
    questions: list[QuestionThemes] = field(default_factory=list)
    breakdowns: list[Breakdown] = field(default_factory=list)
    included: int = 0

    @property
    def computed(self) -> bool:
        return self.opinions is not None or self.themes_computation is not None

    @property
    def has_groups(self) -> bool:
        return bool(self.groups)

    @property
    def themes_count(self) -> int:
        return sum(len(question.themes) for question in self.questions)


def group_letter(position: int) -> str:
    letters = string.ascii_uppercase
    if position < len(letters):
        return letters[position]
    return letters[position // len(letters) - 1] + letters[position % len(letters)]


def default_group_name(position: int) -> str:
    return _("Group %(letter)s") % {"letter": group_letter(position)}


def _computation(result: AnalysisResult) -> Computation:
    return Computation(
        computed_at=result.computed_at,
        n_votes=result.n_votes,
        n_participants=result.n_participants,
        n_answers=result.n_answers,
        duration_ms=result.duration_ms,
    )


def _labels(consultation, kind) -> dict[str, Label]:
    return {
        label.key: label for label in Label.objects.filter(consultation=consultation, kind=kind)
    }


def _statement_infos(consultation, ids) -> dict[str, StatementInfo]:
    rows = Statement.objects.filter(consultation=consultation, pk__in=list(ids)).values_list(
        "pk", "number", "text"
    )
    return {str(pk): StatementInfo(str(pk), number, text) for pk, number, text in rows}


def _answers_count(consultation) -> int:
    return Answer.objects.filter(question__consultation=consultation, hidden=False).count()


def _live_figures(consultation) -> KeyFigures:
    """Counted from the tables: only used before the first analysis (small consultations)."""
    published = Statement.objects.filter(
        consultation=consultation, status=Statement.Status.ACCEPTED
    )
    votes = Vote.objects.filter(consultation=consultation, statement__in=published)
    counts = votes.aggregate(n=Count("id"), people=Count("participant", distinct=True))
    return KeyFigures(
        participants=counts["people"],
        votes=counts["n"],
        statements=published.count(),
        answers=_answers_count(consultation),
    )


def build_report(consultation) -> Report:
    """The report of `consultation` from its latest analyses (see the module docstring)."""
    opinions = latest_result(consultation, AnalysisResult.Kind.OPINIONS)
    themes = latest_result(consultation, AnalysisResult.Kind.THEMES)
    if opinions is not None:
        data = opinions.data
        # Votes and participants are counted by the analysis: counting the vote table on
        # every page view would cost as much as the analysis itself at scale.
        figures = KeyFigures(
            participants=data.get("participants", opinions.n_participants),
            votes=data.get("votes", opinions.n_votes),
            statements=Statement.objects.filter(
                consultation=consultation, status=Statement.Status.ACCEPTED
            ).count(),
            answers=_answers_count(consultation),
        )
    else:
        figures = _live_figures(consultation)
    report = Report(consultation=consultation, figures=figures)
    if opinions is not None:
        report.opinions = _computation(opinions)
        _fill_opinions(report, consultation, opinions.data)
    if themes is not None:
        report.themes_computation = _computation(themes)
        report.questions = _themes(consultation, themes.data)
    return report


def _fill_opinions(report: Report, consultation, data: dict) -> None:
    report.per_day = [
        DayCount(
            day=parse_date(item["day"]),
            votes=item.get("votes", 0),
            new_participants=item.get("new_participants", 0),
        )
        for item in data.get("per_day", [])
        if parse_date(item.get("day", ""))
    ]
    report.included = data.get("included", 0)
    groups_data = data.get("groups", [])
    referenced = set(data.get("statement_stats", {}))
    for group in groups_data:
        referenced.update(item["statement"] for item in group.get("representative", []))
    for direction in ("agree", "disagree"):
        referenced.update(
            item["statement"] for item in data.get("consensus", {}).get(direction, [])
        )
    referenced.update(item["statement"] for item in data.get("divisive", []))
    infos = _statement_infos(consultation, referenced)
    names = _labels(consultation, AnalysisResult.Kind.OPINIONS)

    position_of_index = {}
    for position, group in enumerate(groups_data):
        position_of_index[group["index"]] = position
        label = names.get(group["key"])
        named = bool(label and label.name.strip())
        report.groups.append(
            Group(
                key=group["key"],
                index=group["index"],
                position=position,
                name=label.name.strip() if named else default_group_name(position),
                named=named,
                size=group["size"],
                centre=tuple(group.get("centre", (0.0, 0.0))),
                representative=[
                    RepresentativeItem(
                        statement=infos[item["statement"]],
                        direction=item["direction"],
                        share_in_group=item["share_in_group"],
                        share_outside=item["share_outside"],
                        n_seen=item.get("n_seen", 0),
                    )
                    for item in group.get("representative", [])
                    if item["statement"] in infos
                ],
            )
        )
    consensus = data.get("consensus", {})
    for direction, target in (
        ("agree", report.consensus_agree),
        ("disagree", report.consensus_disagree),
    ):
        target.extend(
            ConsensusItem(infos[item["statement"]], direction, item["share"], item.get("n_seen", 0))
            for item in consensus.get(direction, [])
            if item["statement"] in infos
        )
    report.divisive = [
        DivisiveItem(infos[item["statement"]], item["spread"], list(item["shares"]))
        for item in data.get("divisive", [])
        if item["statement"] in infos
    ]
    stats = data.get("statement_stats", {})
    report.statements = sorted(
        (
            StatementStats(
                statement=infos[statement_id],
                agree=item["agree"],
                disagree=item["disagree"],
                passed=item["pass"],
                group_agree=list(item.get("group_agree", [])),
            )
            for statement_id, item in stats.items()
            if statement_id in infos
        ),
        key=lambda row: row.statement.number,
    )
    map_data = data.get("map")
    if map_data:
        report.map = OpinionMap(
            points=[
                MapPoint(x, y, position_of_index[label])
                for x, y, label in map_data.get("points", [])
                if label in position_of_index
            ],
            sampled=bool(map_data.get("sampled")),
            explained_variance=list(map_data.get("explained_variance", [])),
        )
    report.breakdowns = [
        Breakdown(
            question_id=item["question"],
            label=item["label"],
            # Filtered again: a document from an older analysis must not leak small groups.
            choices=[
                BreakdownChoice(
                    choice["choice"], choice["participants"], mask_small_cells(choice["groups"])
                )
                for choice in item.get("choices", [])
                if choice["participants"] >= MIN_BREAKDOWN_GROUP
            ],
            hidden_choices=item.get("hidden_choices", 0),
        )
        for item in data.get("breakdowns", [])
    ]


def _themes(consultation, data: dict) -> list[QuestionThemes]:
    questions = data.get("questions", [])
    labels = _labels(consultation, AnalysisResult.Kind.THEMES)
    wanted = set()
    for question in questions:
        for theme in question.get("themes", []):
            wanted.update(theme.get("representatives", []))
            label = labels.get(theme["key"])
            if label:
                wanted.update(str(answer_id) for answer_id in label.quotes)
    quotable = _quotable_answers(consultation, wanted)
    result = []
    for question in questions:
        themes = []
        for theme in question.get("themes", []):
            label = labels.get(theme["key"])
            named = bool(label and label.name.strip())
            picked = [
                Quote(str(answer_id), quotable[str(answer_id)])
                for answer_id in (label.quotes if label else [])
                if str(answer_id) in quotable
            ]
            engine = [
                Quote(answer_id, quotable[answer_id])
                for answer_id in theme.get("representatives", [])
                if answer_id in quotable
            ]
            themes.append(
                Theme(
                    key=theme["key"],
                    name=label.name.strip() if named else theme.get("label", ""),
                    named=named,
                    engine_label=theme.get("label", ""),
                    keywords=list(theme.get("keywords", [])),
                    size=theme.get("size", len(theme.get("members", []))),
                    quotes=(picked or engine)[:MAX_QUOTES],
                    picked=bool(picked),
                    members=list(theme.get("members", [])),
                )
            )
        result.append(
            QuestionThemes(
                question_id=question["question"],
                text=question.get("text", ""),
                answers=question.get("answers", 0),
                themes=themes,
                unassigned=len(question.get("unassigned", [])),
            )
        )
    return result


def _quotable_answers(consultation, ids) -> dict[str, str]:
    """{answer id: text} for those of `ids` that still exist here and are not hidden."""
    valid = []
    for answer_id in ids:
        try:
            valid.append(uuid.UUID(str(answer_id)))
        except ValueError:
            continue
    rows = Answer.objects.filter(
        question__consultation=consultation, hidden=False, pk__in=valid
    ).values_list("pk", "text")
    return {str(pk): text for pk, text in rows}


def quote_candidates(consultation, theme: Theme, limit: int = 30) -> list[Quote]:
    """Answers of a theme a facilitator may pick as quotes (visible ones, first `limit`)."""
    quotable = _quotable_answers(consultation, theme.members)
    return [
        Quote(answer_id, quotable[answer_id])
        for answer_id in theme.members
        if answer_id in quotable
    ][:limit]
