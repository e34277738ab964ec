"""Pullbacks of the extra_ops and sort Ops, and the gather/scatter they need (layer: pytensor-tensor).

The gather ``source[index]`` and the scatter-add ``out[index[i]] += values[i]``
are the advanced indexing Ops ``AdvancedSubtensor1`` and
``AdvancedIncSubtensor1``; each is the other's pullback, so derivatives of any
order stay in this set.
"""

from __future__ import annotations

import functools
import operator
from collections.abc import Sequence
from typing import Any

from pytensor.graph.basic import Variable

__all__ = ["scatter_add_flat", "take_flat"]


def _prod(dims: Sequence[Any]) -> Any:
    """The product of lengths (Python ints and int64 scalars), an int when all are ints."""
    return functools.reduce(operator.mul, dims, 1)


def _arange(n: Any) -> Variable:
    from pytensor.tensor._ranges import arange

    return arange(n, dtype="int64")


def scatter_add_flat(values: Variable, index: Variable, size: Any) -> Variable:
    """A vector of length ``size`` with ``values[i]`` added at ``index[i]`` (both 1-d)."""
    from pytensor.tensor._advanced_inc_subtensor import AdvancedIncSubtensor1
    from pytensor.tensor._alloc import zeros

    out = zeros((size,), dtype=values.type.dtype)  # type: ignore[attr-defined]
    return AdvancedIncSubtensor1()(out, values, index)  # type: ignore[no-any-return]


def take_flat(source: Variable, index: Variable) -> Variable:
    """``source[index]`` for a vector ``source`` and a 1-d integer ``index`` (within bounds)."""
    from pytensor.tensor._advanced_subtensor import AdvancedSubtensor1

    return AdvancedSubtensor1()(source, index)  # type: ignore[no-any-return]


def _lane_index(before: Any, along: Variable, length: Any, after: Any) -> Variable:
    """Flat indices into a C-ordered ``(before, length, after)`` array for ``(a, along[j], b)``.

    The result is a vector over the ``(before, len(along), after)`` positions.
    """
    a = _arange(before).dimshuffle(0, "x", "x")
    b = _arange(after).dimshuffle("x", "x", 0)
    j = along.dimshuffle("x", 0, "x")  # type: ignore[attr-defined]
    return (a * (length * after) + j * after + b).flatten()  # type: ignore[no-any-return]


# ---------------------------------------------------------------------------
# CumOp
# ---------------------------------------------------------------------------


def _reverse(x: Variable, axis: int) -> Variable:
    return x[(slice(None),) * axis + (slice(None, None, -1),)]  # type: ignore[index]


def _reverse_cumsum(g: Variable, axis: int) -> Variable:
    from pytensor.tensor.extra_ops import CumOp

    return _reverse(CumOp(axis, "add")(_reverse(g, axis)), axis)


def cumop_pullback(op: Any, x: Variable, y: Variable, g: Variable) -> Variable:
    """Cumsum: the reversed cumulative sum. Cumprod: a formula that is exact with zeros.

    With ``z`` the first zero along the axis (if any): before ``z`` the
    derivative is ``revcumsum(g * y) / x``; at ``z`` it is ``revcumsum(g * y1)``
    where ``y1`` is the cumprod with that zero replaced by one; after ``z`` it is
    zero (every later product keeps the factor ``x[z] = 0``).
    """
    from pytensor.tensor._alloc import switch
    from pytensor.tensor.basic import cast
    from pytensor.tensor.extra_ops import CumOp
    from pytensor.tensor.math import and_, eq

    if op.mode == "add":
        return _reverse_cumsum(g, op.axis)
    is_zero = eq(x, 0)
    zeros_so_far = CumOp(op.axis, "add")(cast(is_zero, "int64"))
    before = eq(zeros_so_far, 0)
    first = and_(is_zero, eq(zeros_so_far, 1))
    y1 = CumOp(op.axis, "mul")(switch(first, 1, x))
    safe_x = switch(before, x, 1)
    at_first = switch(first, _reverse_cumsum(g * y1, op.axis), 0)
    return switch(before, _reverse_cumsum(g * y, op.axis) / safe_x, at_first)  # type: ignore[no-any-return]


# ---------------------------------------------------------------------------
# Repeat
# ---------------------------------------------------------------------------


def repeat_pullback(op: Any, x: Variable, repeats: Variable, g: Variable) -> Variable:
    """Each input element gets the sum of the cotangents of its copies."""
    from pytensor.tensor.extra_ops import repeat
    from pytensor.tensor.math import sum as pt_sum
    from pytensor.tensor.shape import reshape, shape_tuple

    dims = list(shape_tuple(x))
    axis = op.axis
    before = _prod(dims[:axis]) if axis is not None else 1
    n = dims[axis] if axis is not None else _prod(dims)
    after = _prod(dims[axis + 1 :]) if axis is not None else 1
    if repeats.type.ndim == 0 or repeats.type.shape[0] == 1:
        r = repeats if repeats.type.ndim == 0 else repeats[0]  # type: ignore[index]
        summed = pt_sum(reshape(g, (before, n, r, after), ndim=4), axis=2)
        return reshape(summed, dims, ndim=x.type.ndim)
    owner = repeat(_arange(n), repeats, axis=0)
    index = _lane_index(before, owner, n, after)
    gx = scatter_add_flat(g.flatten(), index, before * n * after)  # type: ignore[attr-defined]
    return reshape(gx, dims, ndim=x.type.ndim)


# ---------------------------------------------------------------------------
# BroadcastTo, FillDiagonal
# ---------------------------------------------------------------------------


def broadcast_to_pullback(x: Variable, g: Variable) -> Variable:
    """The cotangent summed over the new leading dimensions and wherever ``x`` was broadcast.

    A dimension of ``x`` whose length is unknown statically may still be 1 at
    run time (BroadcastTo broadcasts explicitly), so it is summed with a
    reshape that works in both cases: ``(x_len, out_len // x_len)`` summed
    over the second axis.
    """
    from pytensor.tensor.math import maximum
    from pytensor.tensor.math import sum as pt_sum
    from pytensor.tensor.shape import reshape, shape_tuple

    lead = g.type.ndim - x.type.ndim
    if lead:
        g = pt_sum(g, axis=tuple(range(lead)))
    ones = tuple(
        d
        for d, (xs, gs) in enumerate(zip(x.type.shape, g.type.shape, strict=True))
        if xs == 1 and gs != 1
    )
    if ones:
        g = pt_sum(g, axis=ones, keepdims=True)
    unknown = [d for d, xs in enumerate(x.type.shape) if xs is None]
    if not unknown:
        return g
    xdims, gdims = shape_tuple(x), shape_tuple(g)
    split: list[Any] = []
    for d in range(x.type.ndim):
        split.extend([xdims[d], gdims[d] // maximum(xdims[d], 1)] if d in unknown else [gdims[d]])
    inner = tuple(d + k + 1 for k, d in enumerate(unknown))
    return pt_sum(reshape(g, split, ndim=len(split)), axis=inner)  # type: ignore[no-any-return]


def fill_diagonal_pullback(g: Variable) -> tuple[Variable, Variable]:
    """To the array: the cotangent with its diagonal zeroed; to the value: the diagonal's sum."""
    from pytensor.tensor._alloc import zeros_like
    from pytensor.tensor.extra_ops import fill_diagonal
    from pytensor.tensor.math import sum as pt_sum

    on_diagonal = fill_diagonal(zeros_like(g), 1)
    return fill_diagonal(g, 0), pt_sum(g * on_diagonal)


# ---------------------------------------------------------------------------
# SortOp, Unique, BinCount
# ---------------------------------------------------------------------------


def _axis_layout(x: Variable, axis: Variable) -> tuple[Any, Any]:
    """(length of ``axis``, product of the lengths after it) for a static or symbolic axis."""
    from pytensor.tensor._alloc import switch
    from pytensor.tensor.basic import cast
    from pytensor.tensor.math import gt, lt
    from pytensor.tensor.shape import shape, shape_tuple
    from pytensor.tensor.utils import _static_int

    dims = shape_tuple(x)
    ndim = x.type.ndim
    a = _static_int(axis)
    if a is not None:
        a %= ndim
        return dims[a], _prod(dims[a + 1 :])
    sym = cast(axis, "int64")
    sym = switch(lt(sym, 0), sym + ndim, sym)
    stride = _prod([switch(gt(d, sym), dims[d], 1) for d in range(ndim)])
    return shape(x)[sym], stride  # type: ignore[index]


def sort_pullback(op: Any, x: Variable, axis: Variable, g: Variable) -> Variable:
    """The cotangent scattered back through the sorting permutation ``argsort(x)``.

    Output element at flat position ``f`` (position ``pos`` along the axis)
    came from the input at ``f + (perm - pos) * stride``.
    """
    from pytensor.tensor.math import maximum
    from pytensor.tensor.shape import reshape, shape_tuple
    from pytensor.tensor.sort import ArgSortOp

    dims = shape_tuple(x)
    size = _prod(dims)
    n, stride = _axis_layout(x, axis)
    perm = ArgSortOp(op.kind)(x, axis)
    flat = reshape(_arange(size), dims, ndim=x.type.ndim)
    pos = (flat // maximum(stride, 1)) % maximum(n, 1)
    source = (flat + (perm - pos) * stride).flatten()
    gx = scatter_add_flat(g.flatten(), source, size)  # type: ignore[attr-defined]
    return reshape(gx, dims, ndim=x.type.ndim)


def unique_pullback(op: Any, x: Variable, outputs: Sequence[Variable], g: Variable) -> Variable:
    """Each element (or slice along the axis) gets the cotangent of its unique value.

    Where values repeat, the derivative does not exist; this is the derivative
    along moving all copies together.
    """
    from pytensor.tensor._extra_unique import Unique
    from pytensor.tensor.shape import reshape, shape_tuple

    if op.return_inverse:
        inverse = outputs[1 + int(op.return_index)]
    else:
        inverse = Unique(return_inverse=True, axis=op.axis)(x)[1]
    dims = list(shape_tuple(x))
    if op.axis is None:
        return reshape(take_flat(g, inverse), dims, ndim=x.type.ndim)
    before, after = _prod(dims[: op.axis]), _prod(dims[op.axis + 1 :])
    k = shape_tuple(g)[op.axis]
    index = _lane_index(before, inverse, k, after)
    return reshape(take_flat(g.flatten(), index), dims, ndim=x.type.ndim)  # type: ignore[attr-defined]


def bincount_pullback(x: Variable, g: Variable) -> Variable:
    """The derivative of the weighted counts with respect to ``weights[i]`` is ``g[x[i]]``."""
    return take_flat(g, x)
