"""The analysis engine and its commands are pure: using them must not import Django."""

import subprocess
import sys
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[2]

OPINIONS = """
import ruche.analysis.engine.opinions
import ruche.analysis.polis_export
import ruche.analysis.commands.opinions
"""
TOPICS = """
import ruche.analysis.engine.topics as topics
import ruche.analysis.commands.topics
topics.find_topics([('a', 'des pistes cyclables'), ('b', 'des écoles')], seed=0)
"""


@pytest.mark.parametrize("code", [OPINIONS, TOPICS], ids=["opinions", "topics"])
def test_engine_does_not_import_django(code):
    """Run in a fresh interpreter: pytest-django has already imported Django here."""
    check = (
        "import sys\n" + code + "loaded = sorted(m for m in sys.modules "
        "if m == 'django' or m.startswith('django.'))\nprint(loaded)\n"
        "sys.exit(1 if loaded else 0)\n"
    )
    done = subprocess.run(
        [sys.executable, "-c", check], cwd=REPO, capture_output=True, text=True, timeout=120
    )
    assert done.returncode == 0, f"Django modules imported: {done.stdout}{done.stderr}"
