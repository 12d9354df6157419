"""The real datasets in ../shared/datasets, beside the checkout.

Locally a missing dataset skips the test that needs it; in CI (CI set) it fails it, so a
green CI always includes the real-data checks.
"""

import os
from pathlib import Path

import pytest

DATASETS = Path(__file__).resolve().parents[1].parent / "shared" / "datasets"


def dataset(relative: str) -> Path:
    path = DATASETS / relative
    if not path.exists():
        message = f"real data not found at {path}"
        if os.environ.get("CI"):
            pytest.fail(message + " (CI must have ../shared/datasets)")
        pytest.skip(message)
    return path
