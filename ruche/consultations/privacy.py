"""Small-group suppression for profile breakdowns: nothing about fewer than
MIN_BREAKDOWN_GROUP people is stored in an analysis result or shown in a report."""

from ruche.consultations.models import MIN_BREAKDOWN_GROUP


def mask_small_cells(counts: list[int | None]) -> list[int | None]:
    """Per-group counts with every cell under MIN_BREAKDOWN_GROUP replaced by None.

    A lone masked cell could be worked out from the others and the row's total, so the
    smallest shown cell is masked with it (secondary suppression). Zeros are masked too:
    "nobody from this directorate is in group B" tells something about each of them.
    Already masked cells (None) stay masked.
    """
    cells: list[int | None] = [
        n if n is not None and n >= MIN_BREAKDOWN_GROUP else None for n in counts
    ]
    shown = [i for i, n in enumerate(cells) if n is not None]
    if len(cells) - len(shown) == 1 and shown:
        cells[min(shown, key=lambda i: cells[i])] = None
    return cells
