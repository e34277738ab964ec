"""Gradient cases of the shape, construction, join, diagonal, extra_ops, sort and indexing Ops.

``STRUCTURAL_CASES`` is merged into the table of ``tests/test_grad_ops.py`` (which
checks that every Op class is covered, that each case applies its Ops, and runs
the pullback and pushforward against finite differences);
``tests/test_grad_structural.py`` runs them on their own too. Points avoid the
places where a derivative does not exist: ties for sort/unique, and the
boundaries where arange's length changes.
"""

from __future__ import annotations

from typing import Any

import numpy as np
from _grad_case import GradCase

import pytensor.tensor as pt
from pytensor.tensor.basic import (
    Alloc,
    AllocEmpty,
    ARange,
    ExtractDiag,
    Eye,
    Join,
    MakeVector,
    Nonzero,
    ScalarFromTensor,
    Split,
    TensorFromScalar,
)
from pytensor.tensor.elemwise import DimShuffle, Elemwise
from pytensor.tensor.extra_ops import (
    BinCount,
    BroadcastTo,
    CumOp,
    FillDiagonal,
    RavelMultiIndex,
    Repeat,
    SearchsortedOp,
    Unique,
    UnravelIndex,
)
from pytensor.tensor.shape import Reshape, Shape, Shape_i, SpecifyShape
from pytensor.tensor.sort import ArgSortOp, SortOp
from pytensor.tensor.subtensor import IncSubtensor, Subtensor

__all__ = ["STRUCTURAL_CASES"]


def _r(*shape: int, seed: int = 0, low: float = -2.0, high: float = 2.0) -> np.ndarray:
    """Distinct, well-separated float64 values (no ties for sort/unique)."""
    rng = np.random.default_rng(seed + 11 * len(shape) + sum(shape))
    n = int(np.prod(shape))
    values = np.linspace(low, high, n) if n else np.zeros(0)
    return rng.permutation(values).reshape(shape) + rng.uniform(-0.01, 0.01, shape)


def _s(value: float) -> np.ndarray:
    return np.asarray(value, dtype="float64")


def _case(
    name: str, ops: tuple[type, ...], builder: Any, *points: np.ndarray, **kw: Any
) -> GradCase:
    return GradCase(name=name, op_classes=ops, builder=builder, points=points, **kw)


def _no_test(name: str, ops: tuple[type, ...], reason: str) -> GradCase:
    return GradCase(name=name, op_classes=ops, reason=reason)


def _split_both(a: Any) -> Any:
    p, q = pt.split(a, [1, 2], 2, axis=1)
    return q * pt.sum(p)


SHAPE = [
    _case("specify_shape", (SpecifyShape,), lambda a: pt.specify_shape(a, (None, 3)), _r(2, 3)),
    _case("reshape-neg1", (Reshape,), lambda a: a.reshape((3, -1)), _r(2, 3)),
    _case("reshape-0d", (Reshape,), lambda a: a.reshape(()), _r(1, 1)),
    _case("reshape-symbolic", (Reshape,), lambda a: pt.reshape(a, a.shape[::-1]), _r(2, 3)),
    _case("flatten", (Reshape,), lambda a: pt.flatten(a, 2), _r(2, 3, 2)),
    _no_test("shape", (Shape,), "discrete output: the int64 shape vector"),
    _no_test("shape_i", (Shape_i,), "discrete output: an int64 length"),
    _case(
        "scalar-bridge",
        (TensorFromScalar, ScalarFromTensor),
        lambda a: pt.tensor_from_scalar(pt.scalar_from_tensor(a)),
        _s(0.3),
    ),
]

CONSTRUCTION = [
    _case("alloc-bcast", (Alloc,), lambda a: pt.alloc(a, 4, 2, 3), _r(1, 3)),
    _case("alloc-0d", (Alloc,), lambda a: pt.alloc(a, 2, 3), _s(0.7)),
    _case("full", (Alloc,), lambda a: pt.full((2, 2), a), _s(-1.5)),
    _no_test(
        "alloc_empty", (AllocEmpty,), "no inputs that can be differentiated: integer lengths only"
    ),
    _case("make_vector", (MakeVector,), lambda a, b: pt.stack([a, b, a * b]), _s(0.5), _s(-2.0)),
    _case(
        "arange-float",
        (ARange,),
        lambda a, b, c: pt.arange(a, b, c),
        _s(0.3),
        _s(5.0),
        _s(0.7),
    ),
    _case("linspace", (ARange, Elemwise), lambda a, b: pt.linspace(a, b, 5), _s(-1.0), _s(2.5)),
    _no_test(
        "eye", (Eye,), "no inputs that can be differentiated: integer sizes and diagonal index"
    ),
    _no_test("nonzero", (Nonzero,), "discrete output: int64 indices (grad_undefined)"),
    _case("tril", (Elemwise,), lambda a: pt.tril(a, -1), _r(3, 4)),
    _case("triu", (Elemwise,), lambda a: pt.triu(a, 1), _r(2, 3, 3)),
    _case(
        "where", (Elemwise,), lambda a, b: pt.where(pt.gt(a, 0), a, b), _r(2, 3), _r(2, 3, seed=1)
    ),
]

JOINS = [
    _case(
        "concatenate",
        (Join,),
        lambda a, b, c: pt.concatenate([a, b, c], axis=-1),
        _r(2, 3),
        _r(2, 1),
        _r(2, 2),
    ),
    _case(
        "stack-axis1", (Join,), lambda a, b: pt.stack([a, b], axis=1), _r(2, 3), _r(2, 3, seed=1)
    ),
    _case("vstack", (Join,), lambda a, b: pt.vstack([a, b]), _r(3), _r(2, 3)),
    _case("split-one", (Split,), lambda a: pt.split(a, [1, 2], 2, axis=1)[1], _r(2, 3)),
    _case("split-both", (Split,), _split_both, _r(2, 3)),
    _case("roll", (Split, Join), lambda a: pt.roll(a, 1, axis=0), _r(3, 2)),
    _case("roll-flat", (Split, Join), lambda a: pt.roll(a, -2), _r(2, 3)),
    _case("tile", (Alloc, Reshape), lambda a: pt.tile(a, (2, 3)), _r(2, 2)),
]

DIAGONALS = [
    _case("diagonal", (ExtractDiag,), lambda a: pt.diagonal(a), _r(3, 4)),
    _case("diagonal-offset", (ExtractDiag,), lambda a: pt.diagonal(a, 1), _r(2, 5)),
    _case("diagonal-negative", (ExtractDiag,), lambda a: pt.diagonal(a, -2), _r(5, 2)),
    _case(
        "diagonal-axes", (ExtractDiag,), lambda a: pt.diagonal(a, 1, axis1=2, axis2=0), _r(3, 2, 4)
    ),
    _case("trace", (ExtractDiag,), lambda a: pt.trace(a), _r(3, 3)),
    _case("diag-vector", (Join, Alloc, DimShuffle), lambda v: pt.diag(v, k=1), _r(3)),
    _case("fill_diagonal", (FillDiagonal,), lambda a, v: pt.fill_diagonal(a, v), _r(3, 4), _s(0.5)),
    _case(
        "fill_diagonal-3d",
        (FillDiagonal,),
        lambda a, v: pt.fill_diagonal(a, v),
        _r(2, 2, 2),
        _s(2.0),
    ),
]

EXTRA = [
    _case("cumsum", (CumOp,), lambda a: pt.cumsum(a, axis=1), _r(2, 3)),
    _case("cumprod", (CumOp,), lambda a: pt.cumprod(a, axis=0), _r(3, 2)),
    _case(
        "cumprod-zeros",
        (CumOp,),
        lambda a: pt.cumprod(a),
        np.array([1.5, 0.0, 2.0, 0.0, 3.0, -1.2]),
        note="exact at zeros: one zero moves the derivative onto it, two make it vanish",
    ),
    _case("diff", (Subtensor,), lambda a: pt.diff(a, n=2, axis=0), _r(4, 2)),
    _case("repeat-scalar", (Repeat,), lambda a: pt.repeat(a, 3, axis=1), _r(2, 3)),
    _case("repeat-flat", (Repeat,), lambda a: pt.repeat(a, 2), _r(2, 2)),
    _case(
        "repeat-vector",
        (Repeat,),
        lambda a: pt.repeat(a, np.array([1, 0, 3]), axis=1),
        _r(2, 3),
    ),
    _case("broadcast_to-new", (BroadcastTo,), lambda a: pt.broadcast_to(a, (4, 2, 3)), _r(1, 3)),
    _case(
        "broadcast_to-runtime",
        (BroadcastTo,),
        lambda a: BroadcastTo()(pt.specify_shape(a, (None, None)), 4, 3),
        _r(1, 3),
        note="the length-1 dimension is known only at run time",
    ),
    _case(
        "broadcast_arrays",
        (Elemwise,),
        lambda a, b: pt.broadcast_arrays(a, b)[0] * 2.0,
        _r(1, 3),
        _r(2, 1),
    ),
    _no_test("searchsorted", (SearchsortedOp,), "discrete output: int64 insertion positions"),
    _case("unique-flat", (Unique,), lambda a: pt.unique(a), _r(2, 3)),
    _case(
        "unique-axis",
        (Unique,),
        lambda a: pt.unique(a, return_inverse=True, axis=1)[0],
        _r(2, 3),
    ),
    _case(
        "bincount-weights",
        (BinCount,),
        lambda w: pt.bincount(np.array([0, 3, 3, 1]), weights=w, minlength=6),
        _r(4),
    ),
    _no_test(
        "unravel_index", (UnravelIndex,), "discrete output: integer coordinates of integer indices"
    ),
    _no_test("ravel_multi_index", (RavelMultiIndex,), "discrete output: integer flat indices"),
]

SORTING = [
    _case("sort-last", (SortOp,), lambda a: pt.sort(a), _r(3, 4)),
    _case("sort-axis0", (SortOp,), lambda a: pt.sort(a, axis=0), _r(3, 1, 2)),
    _case("sort-flat", (SortOp,), lambda a: pt.sort(a, axis=None), _r(2, 3)),
    _no_test("argsort", (ArgSortOp,), "discrete output: int64 indices (zero gradient)"),
]

INDEXING = [
    _case("subtensor-int", (Subtensor,), lambda a: a[1, -1], _r(2, 3)),
    _case("subtensor-slices", (Subtensor,), lambda a: a[1:, ::-2], _r(3, 5)),
    _case("subtensor-negative", (Subtensor,), lambda a: a[-3:-1, -1], _r(4, 2)),
    _case("subtensor-symbolic", (Subtensor,), lambda a: a[a.shape[0] // 2 :, 1:], _r(5, 3)),
    _case("flip", (Subtensor,), lambda a: pt.flip(a, axis=1), _r(2, 3)),
    _case(
        "set_subtensor",
        (IncSubtensor,),
        lambda a, b: pt.set_subtensor(a[1:, ::-2], b),
        _r(3, 5),
        _r(2, 3),
    ),
    _case(
        "inc_subtensor-bcast",
        (IncSubtensor,),
        lambda a, b: pt.inc_subtensor(a[:, 1], b),
        _r(3, 2),
        _r(1),
    ),
    _case(
        "set_subtensor-0d",
        (IncSubtensor,),
        lambda a, b: pt.set_subtensor(a[0, 1], b),
        _r(2, 2),
        _s(4.0),
    ),
    _case(
        "inc_subtensor-symbolic",
        (IncSubtensor,),
        lambda a, b: pt.inc_subtensor(a[a.shape[0] - 2 :], b),
        _r(4),
        _r(2),
    ),
]

STRUCTURAL_CASES: list[GradCase] = [
    *SHAPE,
    *CONSTRUCTION,
    *JOINS,
    *DIAGONALS,
    *EXTRA,
    *SORTING,
    *INDEXING,
]
