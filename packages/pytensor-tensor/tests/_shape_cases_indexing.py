"""Shape-consistency cases for the Ops of subtensor, sort and extra_ops.

``test_shape_consistency.py`` owns the table; it merges these with
``CASES.update(indexing_cases(Case, A, I, Const, Static))``. The builders are
given the table's helpers so this module does not import a test module.
"""

from __future__ import annotations

from typing import Any

from pytensor.tensor.extra_ops import (
    BinCount,
    BroadcastTo,
    Repeat,
    bincount,
    broadcast_to,
    cumprod,
    cumsum,
    fill_diagonal,
    ravel_multi_index,
    repeat,
    searchsorted,
    unique,
    unravel_index,
)
from pytensor.tensor.sort import argsort, sort
from pytensor.tensor.subtensor import inc_subtensor, set_subtensor

STATIC_ONES = ("static", "ones")


def _subtensor_cases(Case: Any, A: Any, I: Any) -> list[Any]:  # noqa: N803, E741
    return [
        Case("int-0d-result", lambda x: x[1], [A(3)]),
        Case("slices", lambda x: x[1:, ::-2], [A(4, 5)]),
        Case("empty-slice", lambda x: x[2:1], [A(4)]),
        Case("empty-input", lambda x: x[:, 1:], [A(0, 3)]),
        Case("len1", lambda x: x[0, ::-1], [A(1, 3)]),
        Case("negative-bounds", lambda x: x[-3:-1, -1], [A(4, 2)]),
        Case("newaxis-ellipsis", lambda x: x[None, ..., 1], [A(2, 3)]),
        Case("symbolic-index", lambda x, i: x[i], [A(4, 2), I(-2)]),
        Case("symbolic-slice", lambda x, a, b, c: x[a:b:c], [A(7), I(5), I(-9), I(-2)]),
        Case("symbolic-start", lambda x, a: x[a:], [A(1, 6), I(3)]),
    ]


def _inc_subtensor_cases(Case: Any, A: Any, I: Any) -> list[Any]:  # noqa: N803, E741
    return [
        Case("set-slices", lambda x, y: set_subtensor(x[1:, ::-2], y), [A(4, 5), A(3, 3)]),
        Case(
            "inc-int-bcast",
            lambda x, y: inc_subtensor(x[0], y),
            [A(2, 3), A(1)],
            variants=STATIC_ONES,
        ),
        Case("set-0d-region", lambda x, y: set_subtensor(x[1, -1], y), [A(2, 3), A()]),
        Case("inc-empty", lambda x, y: inc_subtensor(x[:, 2:1], y), [A(0, 3), A(0, 0)]),
        Case("symbolic-slice", lambda x, y, a: set_subtensor(x[a:], y), [A(6), A(3), I(-3)]),
        Case("whole", lambda x, y: inc_subtensor(x[:], y), [A(2, 1), A(1)], variants=STATIC_ONES),
    ]


def _sort_cases(Case: Any, A: Any, I: Any, fn: Any) -> list[Any]:  # noqa: N803, E741
    return [
        Case("last-axis", lambda x: fn(x), [A(3, 4)]),
        Case("axis0-int", lambda x: fn(x, axis=0), [A(3, 1, dtype="int8")]),
        Case("flat", lambda x: fn(x, axis=None), [A(2, 3)]),
        Case("empty", lambda x: fn(x, axis=1), [A(0, 3)]),
        Case("symbolic-axis", lambda x, a: fn(x, axis=a), [A(2, 3), I(-2)]),
    ]


def _extra_cases(Case: Any, A: Any, I: Any, Const: Any, Static: Any) -> dict[str, list[Any]]:  # noqa: N803, E741
    return {
        "CumOp": [
            Case("axis1", lambda x: cumsum(x, axis=1), [A(2, 3)]),
            Case("flat-int8", lambda x: cumprod(x), [A(2, 1, dtype="int8")]),
            Case("empty", lambda x: cumsum(x, axis=0), [A(0, 2)]),
            Case("0d", lambda x: cumsum(x), [A()]),
        ],
        "Repeat": [
            Case("scalar-axis", lambda x: repeat(x, 2, axis=0), [A(2, 3)]),
            Case("vector-axis", lambda x, r: repeat(x, r, axis=1), [A(2, 3), I([1, 0, 2])]),
            Case("flat-symbolic", lambda x, r: Repeat(None)(x, r), [A(2, 2), I(3)]),
            Case("len1-repeats", lambda x, r: repeat(x, r, axis=0), [A(3, 1), Static(I([2]))]),
            Case("empty", lambda x: repeat(x, 2, axis=1), [A(0, 2)]),
        ],
        "SearchsortedOp": [
            Case("matrix-v", lambda x, v: searchsorted(x, v), [A(5), A(2, 3)]),
            Case(
                "scalar-v-sorter", lambda x, s: searchsorted(x, 0.5, sorter=s), [A(3), I([2, 0, 1])]
            ),
            Case("empty", lambda x, v: searchsorted(x, v, side="right"), [A(0), A(1, 2)]),
        ],
        "BroadcastTo": [
            Case("add-dim", lambda x: broadcast_to(x, (2, 3)), [A(3)]),
            Case("len1", lambda x: broadcast_to(x, (4, 3)), [A(1, 3)]),
            Case("symbolic", lambda x, n: BroadcastTo()(x, n, 3), [A(3), I(2)]),
            Case("shape-of", lambda x, y: broadcast_to(x, y.shape), [A(1), A(2, 0)]),
            Case("0d", lambda x: broadcast_to(x, ()), [A()]),
        ],
        "Unique": [
            Case("flat-all", lambda x: unique(x, True, True, True), [A(2, 3, dtype="int8")]),
            Case("axis", lambda x: unique(x, return_inverse=True, axis=0), [A(3, 2, dtype="int8")]),
            Case("len1", lambda x: unique(x, return_counts=True), [A(1)]),
            Case("empty", lambda x: unique(x, return_index=True), [A(0, 2)]),
        ],
        "BinCount": [
            Case("counts", lambda x: bincount(x), [A(6, dtype="int8", low=0)]),
            Case(
                "weights",
                lambda x, w: bincount(x, weights=w, minlength=9),
                [A(4, dtype="int64", low=0), A(4)],
            ),
            Case("empty", lambda x, m: BinCount()(x, m), [A(0, dtype="int64"), I(2)]),
        ],
        "FillDiagonal": [
            Case("wide", lambda x: fill_diagonal(x, 2.0), [A(2, 3)]),
            Case("len1", lambda x: fill_diagonal(x, 0.0), [A(1, 1)]),
        ],
        "UnravelIndex": [
            Case("matrix", lambda i: unravel_index(i, (2, 3, 4)), [I([[0, 5], [7, 23]])]),
            Case("0d", lambda i: unravel_index(i, (3,)), [I(1)]),
            Case("empty", lambda i: unravel_index(i, (2, 2), order="F"), [I([], "int32")]),
        ],
        "RavelMultiIndex": [
            Case("vectors", lambda a, b: ravel_multi_index((a, b), (3, 4)), [I([0, 2]), I([3, 1])]),
            Case(
                "bcast",
                lambda a, b: ravel_multi_index((a, b), (3, 4)),
                [I([[1]]), I([[0, 3]])],
                variants=STATIC_ONES,
            ),
            Case("0d", lambda a: ravel_multi_index((a,), (5,)), [I(4)]),
        ],
    }


def indexing_cases(Case: Any, A: Any, I: Any, Const: Any, Static: Any) -> dict[str, list[Any]]:  # noqa: N803, E741
    """The cases of Subtensor, IncSubtensor, SortOp, ArgSortOp and the extra_ops Ops, by class name."""
    cases = {
        "Subtensor": _subtensor_cases(Case, A, I),
        "IncSubtensor": _inc_subtensor_cases(Case, A, I),
        "SortOp": _sort_cases(Case, A, I, sort),
        "ArgSortOp": _sort_cases(Case, A, I, argsort),
    }
    cases.update(_extra_cases(Case, A, I, Const, Static))
    return cases
