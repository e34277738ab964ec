"""Gradient cases of the fused Ops (``ElemwiseReduce``), merged into ``test_grad_ops.py``."""

from __future__ import annotations

import numpy as np
from _grad_case import GradCase

import pytensor.tensor as pt
from pytensor.tensor._elemwise_reduce import ElemwiseReduce
from pytensor.tensor.math import Max, Prod, Sum

__all__ = ["CASES"]


def _exp_mul():  # type: ignore[no-untyped-def]
    """``Elemwise(Composite{exp(a) * b})``."""
    import pytensor.scalar as ps
    from pytensor.tensor.elemwise import Elemwise

    a, b = ps.float64("a"), ps.float64("b")
    return Elemwise(ps.Composite([a, b], [ps.exp(a) * b]))


def _r(*shape: int, seed: int = 0) -> np.ndarray:
    return np.random.default_rng(seed + 11 * len(shape) + sum(shape)).uniform(0.5, 1.5, shape)


def _sum(x, y):  # type: ignore[no-untyped-def]
    return ElemwiseReduce(_exp_mul(), Sum(axis=(1,)))(x, y)


def _prod(x):  # type: ignore[no-untyped-def]
    return ElemwiseReduce(pt.sqr(x).owner.op, Prod(axis=None))(x)


def _max(x):  # type: ignore[no-untyped-def]
    return ElemwiseReduce(pt.log(x).owner.op, Max(axis=(0,)))(x)


CASES = [
    GradCase("elemwise_reduce_sum", (ElemwiseReduce,), _sum, (_r(2, 3), _r(2, 3, seed=1))),
    GradCase("elemwise_reduce_prod", (ElemwiseReduce,), _prod, (_r(2, 2),)),
    GradCase("elemwise_reduce_max", (ElemwiseReduce,), _max, (np.array([[0.5, 1.2], [1.0, 0.7]]),)),
]
