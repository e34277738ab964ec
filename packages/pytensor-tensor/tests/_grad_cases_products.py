"""Gradient cases of the products (tensordot, batched products, einsum), pad, and the
softmax family of ``OpFromGraph`` composites.

Merged into the table of ``tests/test_grad_ops.py``, which checks that each
case applies its Op classes and runs the pullback and pushforward against
finite differences. The composites' cases check their closed-form
derivatives; the others check the graphs of Dot, Matmul, reshapes and
gathers these functions build.
"""

from __future__ import annotations

from typing import Any

import numpy as np
from _grad_case import GradCase

import pytensor.tensor as pt
from pytensor.tensor._softmax import LogAddExp, LogSoftmax, LogSumExp, Softmax, _Composite
from pytensor.tensor.math import Dot, Matmul
from pytensor.tensor.special import log_softmax, softmax

__all__ = ["CASES"]


def _r(*shape: int, seed: int = 0) -> np.ndarray:
    return np.random.default_rng(seed + 7 * len(shape) + sum(shape)).uniform(-1.5, 1.5, shape)


def _case(
    name: str, ops: tuple[type, ...], builder: Any, *points: np.ndarray, **kw: Any
) -> GradCase:
    return GradCase(name=name, op_classes=ops, builder=builder, points=points, **kw)


M34 = _r(3, 4)

COMPOSITES = [
    _case("softmax_axis1", (Softmax,), lambda x: softmax(x, axis=1), M34),
    _case("softmax_all", (Softmax,), softmax, M34),
    _case("softmax_axis0_large", (Softmax,), lambda x: softmax(x * 50.0, axis=0), M34 * 0.1),
    _case("log_softmax_axis1", (LogSoftmax,), lambda x: log_softmax(x, axis=1), M34),
    _case("log_softmax_axes", (LogSoftmax,), lambda x: log_softmax(x, axis=(0, 1)), M34),
    _case("logsumexp_keepdims", (LogSumExp,), lambda x: pt.logsumexp(x, 0, keepdims=True), M34),
    _case("logsumexp_all", (LogSumExp,), pt.logsumexp, M34),
    _case("logaddexp_broadcast", (LogAddExp,), pt.logaddexp, M34, _r(4, seed=1)),
    _case("logaddexp_three", (LogAddExp,), pt.logaddexp, _r(3), _r(3, seed=1), _r(1, seed=2)),
    GradCase("composite_base", (_Composite,), reason="abstract: the base of the composites"),
]

PRODUCTS = [
    _case("tensordot_2", (Dot,), lambda a, b: pt.tensordot(a, b), _r(2, 3, 4), _r(3, 4, 2)),
    _case(
        "tensordot_pairs",
        (Dot,),
        lambda a, b: pt.tensordot(a, b, [[1, 0], [0, 2]]),
        _r(2, 3, 4),
        _r(3, 2, 2),
    ),
    _case("inner", (Dot,), pt.inner, _r(2, 3), _r(4, 3)),
    _case("batched_dot_matrices", (Matmul,), pt.batched_dot, _r(3, 2, 4), _r(3, 4, 2)),
    _case("batched_dot_vectors", (pt.elemwise.Elemwise,), pt.batched_dot, _r(3, 4), _r(3)),
    _case(
        "batched_tensordot",
        (Matmul,),
        lambda a, b: pt.batched_tensordot(a, b, [[2, 3], [1, 2]]),
        _r(2, 3, 2, 4),
        _r(2, 2, 4, 3),
    ),
    _case("matvec", (Matmul,), pt.matvec, _r(2, 3, 4), _r(4)),
    _case("vecmat", (Matmul,), pt.vecmat, _r(3), _r(2, 3, 4)),
    _case(
        "einsum_chain",
        (Dot,),
        lambda a, b, c: pt.einsum("ij,jk,kl->il", a, b, c),
        _r(2, 3),
        _r(3, 4),
        _r(4, 2),
    ),
    _case(
        "einsum_batched_trace",
        (Matmul,),
        lambda a, b: pt.einsum("...ij,...jk,...kk->...i", a, b, b),
        _r(2, 3, 3),
        _r(2, 3, 3, seed=1),
    ),
    _case(
        "pad_reflect_odd",
        (pt.elemwise.Elemwise,),
        lambda x: pt.pad(x, ((1, 2), (3, 0)), mode="reflect", reflect_type="odd"),
        M34,
    ),
    _case("pad_mean", (pt.elemwise.Elemwise,), lambda x: pt.pad(x, 2, mode="mean"), M34),
    _case(
        "pad_linear_ramp",
        (pt.elemwise.Elemwise,),
        lambda x: pt.pad(x, (2, 1), mode="linear_ramp", end_values=0.5),
        M34,
    ),
]

CASES: list[GradCase] = [*COMPOSITES, *PRODUCTS]
