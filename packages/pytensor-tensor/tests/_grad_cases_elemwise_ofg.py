"""Gradient cases of ``ElemwiseOpFromGraph``, merged into ``test_grad_ops.py``."""

from __future__ import annotations

from typing import Any

import numpy as np
from _grad_case import GradCase

import pytensor.tensor as pt
from pytensor.tensor._elemwise_ofg import ElemwiseOpFromGraph

__all__ = ["CASES"]


def _r(*shape: int, seed: int = 0) -> np.ndarray:
    return np.random.default_rng(seed + 5 * len(shape) + sum(shape)).uniform(0.5, 1.5, shape)


def _op() -> ElemwiseOpFromGraph:
    a, b = pt.dscalar("a"), pt.dscalar("b")
    return ElemwiseOpFromGraph([a, b], [pt.exp(a) * b + pt.log(b)], name="exp_mul_log")


def _two(x: Any, y: Any) -> Any:
    op = ElemwiseOpFromGraph.from_function(lambda a, b: [a * b, pt.sin(a) - b], 2)
    s, d = op(x, y)
    return s + 2.0 * d


CASES = [
    GradCase(
        "elemwise_ofg",
        (ElemwiseOpFromGraph,),
        lambda x, y: _op()(x, y),
        (_r(2, 3), _r(2, 3, seed=1)),
    ),
    GradCase(
        "elemwise_ofg_broadcast",
        (ElemwiseOpFromGraph,),
        lambda x, y: _op()(x, pt.specify_broadcastable(y, 0)),
        (_r(2, 3), _r(1, 3, seed=1)),
    ),
    GradCase("elemwise_ofg_two_outputs", (ElemwiseOpFromGraph,), _two, (_r(3), _r(3, seed=2))),
]
