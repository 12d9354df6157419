"""The analysis engine: plain Python + numpy/scipy/scikit-learn, no Django import.

Inputs are arrays or plain records, outputs are dataclasses, and every result is
deterministic for a given seed, so it can be tested and benchmarked on its own.
"""
