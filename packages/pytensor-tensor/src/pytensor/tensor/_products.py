"""Tensor contractions built from ``Dot``, ``Matmul``, transposes, reshapes and
broadcasting products: tensordot, inner, batched_dot, batched_tensordot,
vecdot, matvec and vecmat (layer: pytensor-tensor).

No new primitive: every function here is a graph of existing Ops.
``contract_pair`` is the one pairwise contraction that tensordot, the
batched products and :func:`pytensor.tensor.einsum` share. Re-exported by
:mod:`pytensor.tensor.math`.
"""

from __future__ import annotations

import math
from collections.abc import Hashable, Sequence
from typing import Any

from pytensor.tensor.basic import as_tensor_variable

__all__ = [
    "batched_dot",
    "batched_tensordot",
    "inner",
    "matvec",
    "tensordot",
    "vecdot",
    "vecmat",
]

Label = Hashable


def _fmt(shape: Sequence[Any]) -> str:
    inner = ", ".join("?" if s is None else str(s) for s in shape)
    return f"({inner},)" if len(shape) == 1 else f"({inner})"


def _dim(x: Any, d: int) -> Any:
    """Length ``d`` of ``x``: a Python int when static, else a symbolic scalar."""
    static = x.type.shape[d]
    return int(static) if static is not None else x.shape[d]


def _pack(x: Any, labels: Sequence[Label], groups: Sequence[Sequence[Label]]) -> Any:
    """``x`` transposed to the order of ``groups`` and reshaped so each group is one dimension.

    A group of one label keeps its dimension; an empty group becomes a new
    length-1 dimension; a longer group is merged (C order).
    """
    order = [labels.index(lab) for group in groups for lab in group]
    if all(len(g) <= 1 for g in groups):
        pattern: list[Any] = []
        it = iter(order)
        for g in groups:
            pattern.append(next(it) if g else "x")
        return x.dimshuffle(pattern) if pattern != list(range(x.type.ndim)) else x
    moved = x.dimshuffle(order) if order != list(range(x.type.ndim)) else x
    shape: list[Any] = []
    for g in groups:
        dims = [_dim(x, labels.index(lab)) for lab in g]
        shape.append(_product(dims))
    return moved.reshape(shape)


def _product(dims: Sequence[Any]) -> Any:
    static = math.prod(d for d in dims if isinstance(d, int))
    symbolic = [d for d in dims if not isinstance(d, int)]
    if not symbolic:
        return static
    total = symbolic[0]
    for d in symbolic[1:]:
        total = total * d
    return total if static == 1 else total * static


def _check_equal_dims(
    what: str, a: Any, pa: Sequence[int], b: Any, pb: Sequence[int], names: Sequence[Any]
) -> Any:
    """Raise when contracted lengths differ statically; else ``b`` with a run-time check added
    for the lengths that are not both known (needed when several are merged into one)."""
    from pytensor.tensor.shape import specify_shape

    spec: list[Any] = [None] * b.type.ndim
    for i, j, name in zip(pa, pb, names, strict=True):
        sa, sb = a.type.shape[i], b.type.shape[j]
        if sa is not None and sb is not None:
            if sa != sb:
                raise ValueError(
                    f"{what}: the contracted dimension {name} has length {sa} in the first input "
                    f"(shape {_fmt(a.type.shape)}) and {sb} in the second (shape {_fmt(b.type.shape)})"
                )
            continue
        spec[j] = _dim(a, i)
    if len(pa) > 1 and any(s is not None for s in spec):
        b = specify_shape(b, spec)
    return b


def _split(
    la: Sequence[Label], lb: Sequence[Label], keep: set[Label] | frozenset[Label]
) -> tuple[list[Label], list[Label], list[Label], list[Label]]:
    """(batch, summed, free in a, free in b) labels, each in the order of ``la`` or ``lb``."""
    batch = [lab for lab in la if lab in lb and lab in keep]
    summed = [lab for lab in la if lab in lb and lab not in keep]
    return batch, summed, [lab for lab in la if lab not in lb], [lab for lab in lb if lab not in la]


def _transposes(
    la: Sequence[Label],
    lb: Sequence[Label],
    keep: set[Label] | frozenset[Label],
    hint: Sequence[Label],
) -> int:
    """How many of the two operands and the result would need a transpose in this orientation."""
    batch, summed, free_a, free_b = _split(la, lb, keep)
    count = 0
    if summed:
        count += list(la) != [*batch, *free_a, *summed]
        count += list(lb) != [*batch, *summed, *free_b]
    result = [lab for lab in (*batch, *free_a, *free_b) if lab in hint]
    return count + (result != [lab for lab in hint if lab in result])


def contract_pair(
    a: Any,
    la: Sequence[Label],
    b: Any,
    lb: Sequence[Label],
    keep: set[Label] | frozenset[Label],
    what: str = "einsum",
    hint: Sequence[Label] | None = None,
) -> tuple[Any, tuple[Label, ...]]:
    """Sum ``a * b`` over their shared labels that are not in ``keep``.

    ``la``/``lb`` name each dimension of ``a``/``b`` (no repeats). Shared labels
    in ``keep`` are batch dimensions (they broadcast where a static length is
    1). Returns the result and its labels: batch labels, then ``a``'s other
    labels, then ``b``'s, each in input order. With nothing to sum this is a
    broadcasting product; otherwise one ``Dot`` (no batch labels) or one
    ``Matmul`` between transposed/reshaped operands.

    With a ``hint`` (the order the caller wants the labels in eventually),
    the operands may be swapped when that needs fewer transposes; the labels
    returned say which order the result has.
    """
    from pytensor.tensor._dot import _dot, _matmul
    from pytensor.tensor.math import mul

    la, lb = list(la), list(lb)
    if hint is not None and _transposes(lb, la, keep, hint) < _transposes(la, lb, keep, hint):
        a, la, b, lb = b, lb, a, la
    batch, summed, free_a, free_b = _split(la, lb, keep)
    labels = (*batch, *free_a, *free_b)
    if not summed:
        pa = [la.index(lab) if lab in la else "x" for lab in labels]
        pb = [lb.index(lab) if lab in lb else "x" for lab in labels]
        return mul(a.dimshuffle(pa), b.dimshuffle(pb)), labels
    b = _check_equal_dims(
        what, a, [la.index(s) for s in summed], b, [lb.index(s) for s in summed], summed
    )
    if not batch:
        a2 = _pack(a, la, [free_a, summed] if free_a else [summed])
        b2 = _pack(b, lb, [summed, free_b] if free_b else [summed])
        out = _dot(a2, b2)
    else:
        a3 = _pack(a, la, [*([lab] for lab in batch), free_a, summed])
        b3 = _pack(b, lb, [*([lab] for lab in batch), summed, free_b])
        out = _matmul(a3, b3)
    if len(free_a) <= 1 and len(free_b) <= 1:
        if batch:  # drop the length-1 dimensions that stood in for empty groups
            nb = len(batch)
            kept = [*range(nb), *([nb] if free_a else []), *([nb + 1] if free_b else [])]
            if len(kept) != out.type.ndim:
                out = out.dimshuffle(kept)
        return out, labels
    dims = [_dim(out, d) for d in range(len(batch))]
    dims += [_dim(a, la.index(lab)) for lab in free_a]
    dims += [_dim(b, lb.index(lab)) for lab in free_b]
    return out.reshape(dims), labels


def _normalize_axes(what: str, axes: Any, x: Any, name: str) -> list[int]:
    from pytensor.tensor._layout import normalize_axes

    axes = [axes] if isinstance(axes, int) else list(axes)
    return list(normalize_axes(axes, x.type.ndim, f"{what}: axes of {name} ({x}, type {x.type})"))


def _tensordot_axes(what: str, a: Any, b: Any, axes: Any, offset: int = 0) -> tuple[list, list]:
    if isinstance(axes, int):
        n = axes
        if n < 0 or n > a.type.ndim - offset or n > b.type.ndim - offset:
            raise ValueError(
                f"{what}: cannot sum over {n} axes of inputs of types {a.type} and {b.type}"
            )
        return list(range(a.type.ndim - n, a.type.ndim)), list(range(offset, offset + n))
    try:
        axes_a, axes_b = axes
    except (TypeError, ValueError):
        raise ValueError(
            f"{what}: axes must be an int or a pair of axis lists, got {axes!r}"
        ) from None
    axes_a = _normalize_axes(what, axes_a, a, "a")
    axes_b = _normalize_axes(what, axes_b, b, "b")
    if len(axes_a) != len(axes_b):
        raise ValueError(f"{what}: the axis lists {axes_a} and {axes_b} have different lengths")
    return axes_a, axes_b


def tensordot(a: Any, b: Any, axes: Any = 2) -> Any:
    """Sum of products over the given axes of ``a`` and ``b``, as ``numpy.tensordot``.

    ``axes`` is an int ``n`` (the last ``n`` axes of ``a`` with the first ``n``
    of ``b``) or a pair of axis lists of equal length. The result has ``a``'s
    remaining axes followed by ``b``'s. Computed as one ``Dot`` of reshaped
    operands (or a broadcasting product when nothing is summed).

    Examples
    --------
    >>> import numpy as np, pytensor.tensor as pt
    >>> a, b = np.arange(24.0).reshape(2, 3, 4), np.ones((4, 3))
    >>> pt.tensordot(a, b, axes=[[1, 2], [1, 0]]).eval()
    array([ 66., 210.])
    """
    a, b = as_tensor_variable(a), as_tensor_variable(b)
    axes_a, axes_b = _tensordot_axes("tensordot", a, b, axes)
    la: list[Label] = [("a", d) for d in range(a.type.ndim)]
    lb: list[Label] = [("b", d) for d in range(b.type.ndim)]
    for i, j in zip(axes_a, axes_b, strict=True):
        lb[j] = la[i]
    out, _ = contract_pair(a, la, b, lb, frozenset(), what="tensordot")
    return out


def inner(a: Any, b: Any) -> Any:
    """Sum of products over the last axes, as ``numpy.inner`` (0-d inputs multiply).

    Examples
    --------
    >>> import numpy as np, pytensor.tensor as pt
    >>> pt.inner(np.array([1.0, 2.0]), np.array([[1.0, 0.0], [0.0, 3.0]])).eval()
    array([1., 6.])
    """
    from pytensor.tensor.math import mul

    a, b = as_tensor_variable(a), as_tensor_variable(b)
    if a.type.ndim == 0 or b.type.ndim == 0:
        return mul(a, b)
    return tensordot(a, b, axes=[[a.type.ndim - 1], [b.type.ndim - 1]])


def batched_tensordot(x: Any, y: Any, axes: Any = 2) -> Any:
    """``tensordot(x[i], y[i], axes)`` for every ``i`` of the first (batch) axis, stacked.

    ``axes`` is an int ``n`` (the last ``n`` axes of ``x`` with axes ``1..n``
    of ``y``) or a pair of axis lists counted on the full inputs (so they
    cannot name axis 0). The batch axis broadcasts where its static length is
    1. Computed as one ``Matmul`` of reshaped operands.

    Examples
    --------
    >>> import numpy as np, pytensor.tensor as pt
    >>> x, y = np.ones((5, 2, 3)), np.ones((5, 3, 4))
    >>> pt.batched_tensordot(x, y, axes=[[2], [1]]).type.shape
    (5, 2, 4)
    """
    x, y = as_tensor_variable(x), as_tensor_variable(y)
    for name, v in (("x", x), ("y", y)):
        if v.type.ndim < 1:
            raise TypeError(f"batched_tensordot: {name} ({v}, type {v.type}) has no batch axis")
    axes_x, axes_y = _tensordot_axes("batched_tensordot", x, y, axes, offset=1)
    if 0 in axes_x or 0 in axes_y:
        raise ValueError(
            f"batched_tensordot: axis 0 is the batch axis and cannot be summed (axes {axes!r})"
        )
    return _batched(x, y, axes_x, axes_y, "batched_tensordot")


def _batched(x: Any, y: Any, axes_x: Sequence[int], axes_y: Sequence[int], what: str) -> Any:
    lx: list[Label] = [("x", d) for d in range(x.type.ndim)]
    ly: list[Label] = [("y", d) for d in range(y.type.ndim)]
    batch = ("batch",)
    lx[0] = ly[0] = batch
    for i, j in zip(axes_x, axes_y, strict=True):
        ly[j] = lx[i]
    sx, sy = x.type.shape[0], y.type.shape[0]
    if sx is not None and sy is not None and sx != sy and 1 not in (sx, sy):
        raise ValueError(
            f"{what}: the batch axes of x (shape {_fmt(x.type.shape)}) and y "
            f"(shape {_fmt(y.type.shape)}) differ"
        )
    out, _ = contract_pair(x, lx, y, ly, frozenset([batch]), what=what)
    return out


def batched_dot(a: Any, b: Any) -> Any:
    """``dot(a[i], b[i])`` for every ``i`` of the first (batch) axis, stacked.

    The product of each pair follows :func:`pytensor.tensor.dot`: the last
    axis of ``a[i]`` is summed with the only axis of a vector ``b[i]``, or
    with the second-to-last axis otherwise; a 0-d ``a[i]`` or ``b[i]``
    multiplies. The batch axis broadcasts where its static length is 1.

    Examples
    --------
    >>> import numpy as np, pytensor.tensor as pt
    >>> a = np.arange(6.0).reshape(2, 3); b = np.ones((2, 3, 4))
    >>> pt.batched_dot(a, b).eval()
    array([[ 3.,  3.,  3.,  3.],
           [12., 12., 12., 12.]])
    """
    from pytensor.tensor.math import mul

    a, b = as_tensor_variable(a), as_tensor_variable(b)
    for name, v in (("a", a), ("b", b)):
        if v.type.ndim < 1:
            raise TypeError(f"batched_dot: {name} ({v}, type {v.type}) has no batch axis")
    if a.type.ndim == 1 or b.type.ndim == 1:
        pa = [0, *range(1, a.type.ndim), *["x"] * (b.type.ndim - 1)]
        pb = [0, *["x"] * (a.type.ndim - 1), *range(1, b.type.ndim)]
        return mul(a.dimshuffle(pa), b.dimshuffle(pb))
    axis_b = 1 if b.type.ndim == 2 else b.type.ndim - 2
    return _batched(a, b, [a.type.ndim - 1], [axis_b], "batched_dot")


def _cast_to(out: Any, dtype: str | None) -> Any:
    return out if dtype is None or out.dtype == dtype else out.astype(dtype)


def vecdot(x1: Any, x2: Any, dtype: str | None = None) -> Any:
    """Dot product of vectors along the last axis, broadcasting the others (``numpy.vecdot``
    without conjugation).

    Examples
    --------
    >>> import numpy as np, pytensor.tensor as pt
    >>> pt.vecdot(np.ones((2, 3)), np.arange(3.0)).eval()
    array([3., 3.])
    """
    from pytensor.tensor.math import mul
    from pytensor.tensor.math import sum as pt_sum

    x1, x2 = as_tensor_variable(x1), as_tensor_variable(x2)
    for name, v in (("x1", x1), ("x2", x2)):
        if v.type.ndim < 1:
            raise ValueError(f"vecdot: {name} ({v}, type {v.type}) must have at least 1 dimension")
    prod = mul(x1, x2)
    return _cast_to(pt_sum(prod, axis=-1, dtype=prod.dtype), dtype)


def matvec(x1: Any, x2: Any, dtype: str | None = None) -> Any:
    """Matrix-vector product ``x1 @ x2`` over the last axes, broadcasting the others (``numpy.matvec``).

    Examples
    --------
    >>> import numpy as np, pytensor.tensor as pt
    >>> pt.matvec(np.ones((4, 2, 3)), np.arange(3.0)).type.shape
    (4, 2)
    """
    from pytensor.tensor._dot import _drop_axis, _matmul

    x1, x2 = as_tensor_variable(x1), as_tensor_variable(x2)
    if x1.type.ndim < 2 or x2.type.ndim < 1:
        raise ValueError(
            f"matvec: x1 needs at least 2 dimensions and x2 at least 1, got {x1.type} and {x2.type}"
        )
    out = _drop_axis(_matmul(x1, x2.dimshuffle(*range(x2.type.ndim), "x")), -1)
    return _cast_to(out, dtype)


def vecmat(x1: Any, x2: Any, dtype: str | None = None) -> Any:
    """Vector-matrix product ``x1 @ x2`` over the last axes, broadcasting the others (``numpy.vecmat``
    without conjugation).

    Examples
    --------
    >>> import numpy as np, pytensor.tensor as pt
    >>> pt.vecmat(np.arange(2.0), np.ones((5, 2, 3))).type.shape
    (5, 3)
    """
    from pytensor.tensor._dot import _drop_axis, _matmul

    x1, x2 = as_tensor_variable(x1), as_tensor_variable(x2)
    if x1.type.ndim < 1 or x2.type.ndim < 2:
        raise ValueError(
            f"vecmat: x1 needs at least 1 dimension and x2 at least 2, got {x1.type} and {x2.type}"
        )
    row = x1.dimshuffle(*range(x1.type.ndim - 1), "x", x1.type.ndim - 1)
    return _cast_to(_drop_axis(_matmul(row, x2), -2), dtype)
