"""The topics engine is pure: importing and running it must not import Django."""

import subprocess
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]


def test_topics_engine_does_not_import_django():
    """Run in a fresh interpreter: pytest-django has already imported Django here."""
    code = (
        "import sys\n"
        "import ruche.analysis.engine.topics as topics\n"
        "import ruche.analysis.commands.topics\n"
        "topics.find_topics([('a', 'des pistes cyclables'), ('b', 'des écoles')], seed=0)\n"
        "loaded = sorted(m for m in sys.modules if m == 'django' or m.startswith('django.'))\n"
        "print(loaded)\n"
        "sys.exit(1 if loaded else 0)\n"
    )
    done = subprocess.run(
        [sys.executable, "-c", code], cwd=REPO, capture_output=True, text=True, timeout=120
    )
    assert done.returncode == 0, f"Django modules imported: {done.stdout}{done.stderr}"
