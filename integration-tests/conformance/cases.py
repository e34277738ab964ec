"""All conformance cases, in one list (names are unique)."""

from __future__ import annotations

from collections import Counter

from conformance import cases_elemwise, cases_extra, cases_reduce, cases_shape
from conformance._case import Case

__all__ = ["CASES"]

CASES: list[Case] = (
    cases_elemwise.CASES + cases_reduce.CASES + cases_shape.CASES + cases_extra.CASES
)

_duplicates = sorted(name for name, n in Counter(c.name for c in CASES).items() if n > 1)
if _duplicates:
    raise ValueError(f"conformance case names must be unique; repeated: {_duplicates}")
