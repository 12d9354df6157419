"""A tiny hand-checkable consultation shared by the repness and consensus tests."""

import numpy as np

# Participants (rows) × statements s0..s4: + agree, - disagree, 0 pass.
# Group A = p0..p3 (4 people), group B = p4..p6 (3 people).
TINY = """
++-+-
++-+-
++-+-
++00-
-++--
-++--
-+0+0
"""


def tiny_votes():
    rows = TINY.split()
    cells = [(i, j, "-0+".index(c) - 1) for i, row in enumerate(rows) for j, c in enumerate(row)]
    return tuple(np.array(column) for column in zip(*cells, strict=True))
