"""Gradient cases of the advanced indexing Ops (merged by tests/test_grad_ops.py).

Index arrays are constants closed over by the builders. Repeated indices
appear in the getters and the increments (their cotangents accumulate); a
set never repeats an index, since only one of the repeated values would be
written and the derivative with respect to the others is zero.
"""

from __future__ import annotations

from typing import Any

import numpy as np
from _grad_case import GradCase

import pytensor.tensor as pt
from pytensor.tensor.subtensor import (
    AdvancedIncSubtensor,
    AdvancedIncSubtensor1,
    AdvancedSubtensor,
    AdvancedSubtensor1,
)

__all__ = ["CASES"]


def _r(*shape: int, seed: int = 0) -> np.ndarray:
    rng = np.random.default_rng(seed + 13 * len(shape) + sum(shape))
    return rng.uniform(-2.0, 2.0, size=shape)


def _case(name: str, ops: tuple[type, ...], builder: Any, *points: np.ndarray) -> GradCase:
    return GradCase(name=name, op_classes=ops, builder=builder, points=points)


MASK = np.array([[True, False], [True, True]])


def _sorted_rows(a: Any) -> Any:
    """Rows in the order of the first column: a symbolic (integer) index."""
    return a[pt.argsort(a[:, 0])]


GETTERS = [
    _case("adv1-repeat", (AdvancedSubtensor1,), lambda a: a[[0, 2, 0]] * 2.0, _r(3, 2)),
    _case("adv1-symbolic", (AdvancedSubtensor1,), _sorted_rows, _r(4, 2)),
    _case(
        "adv1-take-wrap", (AdvancedSubtensor1,), lambda a: pt.take(a, [4, -1], mode="wrap"), _r(3)
    ),
    _case("adv-two-vectors", (AdvancedSubtensor,), lambda a: a[[0, 1, 1], [2, 0, 2]], _r(3, 3)),
    _case("adv-separated", (AdvancedSubtensor,), lambda a: a[[1, 0], :, [2, 2]], _r(2, 3, 3)),
    _case("adv-mask", (AdvancedSubtensor,), lambda a: a[MASK], _r(2, 2)),
    _case(
        "adv-newaxis-mask-slice",
        (AdvancedSubtensor,),
        lambda a: a[None, np.array([True, False, True]), 1:],
        _r(3, 3),
    ),
    _case("adv-matrix-index", (AdvancedSubtensor,), lambda a: a[[[0, 1], [1, 1]]], _r(2, 3)),
    _case(
        "take_along_axis",
        (AdvancedSubtensor,),
        lambda a: pt.take_along_axis(a, np.array([[2, 0, 2], [1, 1, 0]]), axis=1),
        _r(2, 3),
    ),
]

SETTERS = [
    _case(
        "inc1-repeat",
        (AdvancedIncSubtensor1,),
        lambda a, b: pt.inc_subtensor(a[[0, 0, 2]], b),
        _r(3, 2),
        _r(3, 2, seed=1),
    ),
    _case(
        "set1-bcast",
        (AdvancedIncSubtensor1,),
        lambda a, b: pt.set_subtensor(a[[2, 0]], b),
        _r(3, 2),
        _r(1, 2, seed=1),
    ),
    _case(
        "inc-two-vectors-repeat",
        (AdvancedIncSubtensor,),
        lambda a, b: pt.inc_subtensor(a[[0, 0, 1], [1, 1, 0]], b),
        _r(2, 2),
        _r(3, seed=1),
    ),
    _case(
        "set-mask",
        (AdvancedIncSubtensor,),
        lambda a, b: pt.set_subtensor(a[MASK], b),
        _r(2, 2),
        _r(3, seed=1),
    ),
    _case(
        "set-separated-0d-value",
        (AdvancedIncSubtensor,),
        lambda a, b: pt.set_subtensor(a[[1, 0], :, [0, 0]], b),
        _r(2, 3, 2),
        np.asarray(0.7),
    ),
    _case(
        "inc-method-bcast",
        (AdvancedIncSubtensor,),
        lambda a, b: a[:, [1, 1]].inc(b) * a,
        _r(3, 2),
        _r(3, 1, seed=2),
    ),
]

CASES: list[GradCase] = [*GETTERS, *SETTERS]
