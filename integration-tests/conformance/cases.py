"""All conformance cases, in one list (names are unique)."""

from __future__ import annotations

import importlib
import pathlib
from collections import Counter

from conformance._case import Case

__all__ = ["CASES"]

# Every ``cases_*.py`` module of this package contributes its ``CASES``: a new Op adds
# its cases in a module of its own, and every backend's suite picks them up.
CASES: list[Case] = [
    case
    for path in sorted(pathlib.Path(__file__).parent.glob("cases_*.py"))
    for case in importlib.import_module(f"conformance.{path.stem}").CASES
]

_duplicates = sorted(name for name, n in Counter(c.name for c in CASES).items() if n > 1)
if _duplicates:
    raise ValueError(f"conformance case names must be unique; repeated: {_duplicates}")
