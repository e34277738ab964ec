"""The contraction path of ``einsum``: which operands to contract, in which order
(layer: pytensor-tensor).

A path is a list of steps in ``numpy.einsum_path``'s format: each step is a
tuple of positions in the current list of operands; those operands are
removed and their contraction is appended at the end. The cost of
contracting two operands is the product of the lengths of all their indices
(one multiply-add per combination); unknown lengths count as
``UNKNOWN_LENGTH``.
"""

from __future__ import annotations

import itertools
import math
from collections.abc import Hashable, Sequence
from typing import Any

__all__ = ["UNKNOWN_LENGTH", "contraction_path"]

Label = Hashable

#: The length assumed for a dimension whose static length is unknown.
UNKNOWN_LENGTH = 8
#: Above this many operands "optimal" falls back to "greedy" (the search is 3**n).
OPTIMAL_LIMIT = 8


def _size(labels: frozenset[Label], sizes: dict[Label, int | None]) -> int:
    return math.prod(UNKNOWN_LENGTH if sizes[lab] is None else sizes[lab] for lab in labels)  # type: ignore[misc]


def _result_labels(
    picked: Sequence[frozenset[Label]], rest: Sequence[frozenset[Label]], output: frozenset[Label]
) -> frozenset[Label]:
    union: frozenset[Label] = frozenset().union(*picked)
    needed = output.union(*rest) if rest else output
    return union & needed


def left_to_right(n: int) -> list[tuple[int, ...]]:
    """Contract the first two operands, then the result with the next, ..."""
    steps: list[tuple[int, ...]] = [(0, 1)] if n > 1 else []
    return steps + [(0, n - k) for k in range(2, n)]


def greedy(
    labels: Sequence[frozenset[Label]], output: frozenset[Label], sizes: dict[Label, int | None]
) -> list[tuple[int, ...]]:
    """At each step, the pair whose result is smallest relative to its inputs.

    Pairs sharing an index come first; ties go to the cheaper contraction,
    then to the earlier pair.
    """
    current = list(labels)
    path: list[tuple[int, ...]] = []
    while len(current) > 1:
        best: tuple[Any, ...] | None = None
        for i, j in itertools.combinations(range(len(current)), 2):
            rest = [lab for k, lab in enumerate(current) if k not in (i, j)]
            result = _result_labels([current[i], current[j]], rest, output)
            shares = bool(current[i] & current[j])
            gain = _size(result, sizes) - _size(current[i], sizes) - _size(current[j], sizes)
            cost = _size(current[i] | current[j], sizes)
            key = (not shares, gain, cost, i, j)
            if best is None or key < best[0]:
                best = (key, i, j, result)
        assert best is not None
        _, i, j, result = best
        path.append((i, j))
        current = [lab for k, lab in enumerate(current) if k not in (i, j)] + [result]
    return path


def optimal(
    labels: Sequence[frozenset[Label]], output: frozenset[Label], sizes: dict[Label, int | None]
) -> list[tuple[int, ...]]:
    """The pairwise order of least total cost, by dynamic programming over subsets of operands."""
    n = len(labels)
    full = (1 << n) - 1

    def members(mask: int) -> list[int]:
        return [k for k in range(n) if mask >> k & 1]

    def labels_of(mask: int) -> frozenset[Label]:
        inside = [labels[k] for k in members(mask)]
        outside = [labels[k] for k in members(full & ~mask)]
        return _result_labels(inside, outside, output)

    best: dict[int, tuple[int, Any]] = {1 << k: (0, k) for k in range(n)}
    for mask in sorted(range(1, full + 1), key=lambda m: bin(m).count("1")):
        if mask in best:
            continue
        low = mask & -mask
        candidates = []
        sub = (mask - 1) & mask
        while sub:
            if sub & low:  # each split once: the part holding the lowest operand goes left
                other = mask ^ sub
                cost = best[sub][0] + best[other][0]
                cost += _size(labels_of(sub) | labels_of(other), sizes)
                candidates.append((cost, sub, other))
            sub = (sub - 1) & mask
        cost, left, right = min(candidates)
        best[mask] = (cost, (left, right))
    return _linearize(best, full, n)


def _linearize(best: dict[int, tuple[int, Any]], full: int, n: int) -> list[tuple[int, ...]]:
    """The tree of ``best`` as a list of steps in ``numpy.einsum_path`` format."""
    current = [1 << k for k in range(n)]
    path: list[tuple[int, ...]] = []

    def visit(mask: int) -> None:
        plan = best[mask][1]
        if isinstance(plan, int):
            return
        left, right = plan
        visit(left)
        visit(right)
        i, j = sorted((current.index(left), current.index(right)))
        path.append((i, j))
        current.remove(left)
        current.remove(right)
        current.append(mask)

    visit(full)
    return path


def _explicit(path: Sequence[Any], n: int, subscripts: str) -> list[tuple[int, ...]]:
    steps = list(path)
    if steps and steps[0] == "einsum_path":
        steps = steps[1:]
    result: list[tuple[int, ...]] = []
    remaining = n
    for step in steps:
        try:
            positions = tuple(int(i) for i in step)
        except (TypeError, ValueError):
            raise ValueError(f"einsum {subscripts!r}: invalid path step {step!r}") from None
        if not positions or len(set(positions)) != len(positions):
            raise ValueError(f"einsum {subscripts!r}: invalid path step {step!r}")
        if any(p < 0 or p >= remaining for p in positions):
            raise ValueError(
                f"einsum {subscripts!r}: path step {step!r} names an operand out of the "
                f"{remaining} remaining"
            )
        result.append(positions)
        remaining -= len(positions) - 1
    if remaining != 1:
        raise ValueError(
            f"einsum {subscripts!r}: the path leaves {remaining} operands instead of one"
        )
    return result


def contraction_path(
    labels: Sequence[Sequence[Label]],
    output: Sequence[Label],
    sizes: dict[Label, int | None],
    optimize: Any,
    subscripts: str = "",
) -> list[tuple[int, ...]]:
    """The steps contracting operands with these labels into one (see the module docstring).

    ``optimize`` is "optimal", "greedy", True (greedy), None/False (left to
    right), or an explicit path.
    """
    n = len(labels)
    sets = [frozenset(lab) for lab in labels]
    out = frozenset(output)
    if isinstance(optimize, list | tuple):
        return _explicit(optimize, n, subscripts)
    if n < 2:
        return []
    if optimize is None or optimize is False:
        return left_to_right(n)
    if optimize == "optimal" and n <= OPTIMAL_LIMIT:
        return optimal(sets, out, sizes)
    if optimize in ("greedy", "optimal") or optimize is True:
        return greedy(sets, out, sizes)
    raise ValueError(
        f"einsum {subscripts!r}: optimize must be 'optimal', 'greedy', True, False, None or a "
        f"path, got {optimize!r}"
    )
