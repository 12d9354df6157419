"""What the opinion engine returns: plain dataclasses holding numbers and numpy arrays.

Statements and participants are referred to by their index in the caller's arrays, so the
caller (a Pol.is export reader, a Django service) maps them back to its own ids.
"""

from dataclasses import dataclass

import numpy as np

AGREE = "agree"
DISAGREE = "disagree"


@dataclass(frozen=True)
class Participation:
    """Who voted on what, over every participant and every statement not moderated out.

    Shares are raw (n / votes on the statement), NaN where a statement has no vote or is
    moderated out.
    """

    participants: int
    participants_included: int
    statements: int
    votes: int
    votes_per_participant: np.ndarray
    n_agree: np.ndarray
    n_disagree: np.ndarray
    n_pass: np.ndarray
    agree_share: np.ndarray
    disagree_share: np.ndarray
    pass_share: np.ndarray


@dataclass(frozen=True)
class OpinionMap:
    """The 2-D PCA of the vote matrix (Pol.is's opinion map).

    `components` has one row per axis and one column per statement (0 for statements
    moderated out); `positions` has one row per participant, scaled by
    √(statements / votes cast) so that sparse voters are not pulled to the centre.
    """

    components: np.ndarray
    explained_variance: np.ndarray
    statement_means: np.ndarray
    positions: np.ndarray


@dataclass(frozen=True)
class RepresentativeStatement:
    """A statement on which a group votes significantly differently from everyone else.

    Shares are smoothed as Pol.is does: (n + 1) / (n_seen + 2); `ratio` is the share in the
    group over the share outside; `z_in_group` tests share > ½ in the group, `z_vs_outside`
    tests in-group > out-group (both one-sided, significant above 1.2816 = 90%).
    """

    statement: int
    direction: str
    share_in_group: float
    share_outside: float
    ratio: float
    z_in_group: float
    z_vs_outside: float
    n_success: int
    n_seen: int

    @property
    def metric(self) -> float:
        """Pol.is's ranking: ratio × probability, each weighted by its z-score."""
        return self.ratio * self.z_vs_outside * self.share_in_group * self.z_in_group


@dataclass(frozen=True)
class OpinionGroup:
    """An opinion group: its members (participant indices) and what sets it apart."""

    id: int
    participants: np.ndarray
    centre: tuple[float, float]
    representative: list[RepresentativeStatement]


@dataclass(frozen=True)
class ConsensusStatement:
    """A statement most participants agree (or disagree) with, significantly above ½."""

    statement: int
    direction: str
    share: float
    z: float
    n_success: int
    n_seen: int


@dataclass(frozen=True)
class Consensus:
    agree: list[ConsensusStatement]
    disagree: list[ConsensusStatement]


@dataclass(frozen=True)
class GroupInformedConsensus:
    """Per statement, the product over groups of the smoothed agree (disagree) share.

    High only when every group leans the same way, whatever the groups' sizes; NaN for
    statements moderated out. `top_*` list the best statements, best first.
    """

    agree: np.ndarray
    disagree: np.ndarray
    top_agree: list[int]
    top_disagree: list[int]


@dataclass(frozen=True)
class DivisiveStatement:
    """A statement the groups disagree about: spread = max − min smoothed agree share."""

    statement: int
    spread: float
    shares: tuple[float, ...]
    z: float


@dataclass(frozen=True)
class OpinionAnalysis:
    """Everything the engine computes for one consultation.

    `group_labels` / `base_labels` give each participant's group / base cluster, −1 for
    participants under the vote threshold (not `included`).
    """

    participation: Participation
    included: np.ndarray
    map: OpinionMap
    base_labels: np.ndarray
    group_labels: np.ndarray
    silhouettes: dict[int, float]
    groups: list[OpinionGroup]
    consensus: Consensus
    group_consensus: GroupInformedConsensus
    divisive: list[DivisiveStatement]
