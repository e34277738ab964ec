"""JAX implementations of ``pytensor.tensor.extra_ops`` (cumulative ops, repeat, searchsorted,
fill_diagonal, broadcast_to, index raveling, bincount, unique) (layer: pytensor-backend-jax).

Ops whose output shape depends on input values (Repeat's counts, BinCount, Unique) need
those values at trace time: constants, shapes, or integer inputs passed statically.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import numpy as np

import jax.numpy as jnp
from pytensor.graph.basic import Apply
from pytensor.link.jax.dispatch.basic import (
    as_jax,
    jax_funcify,
    needs_static,
    record_check,
    static_int,
    static_value,
    ttype,
)
from pytensor.tensor._extra_broadcast import BroadcastTo
from pytensor.tensor._extra_index import (
    RavelMultiIndex,
    UnravelIndex,
    _check_no_runtime_broadcast,
)
from pytensor.tensor._extra_unique import BinCount, Unique
from pytensor.tensor.extra_ops import CumOp, FillDiagonal, Repeat, SearchsortedOp

__all__ = [
    "jax_funcify_BinCount",
    "jax_funcify_BroadcastTo",
    "jax_funcify_CumOp",
    "jax_funcify_FillDiagonal",
    "jax_funcify_RavelMultiIndex",
    "jax_funcify_Repeat",
    "jax_funcify_SearchsortedOp",
    "jax_funcify_Unique",
    "jax_funcify_UnravelIndex",
]


@jax_funcify.register(CumOp)
def jax_funcify_CumOp(op: CumOp, node: Apply | None = None, **kw: Any) -> Callable[..., Any]:
    assert node is not None
    dtype = ttype(node.outputs[0]).dtype
    fn = jnp.cumsum if op.mode == "add" else jnp.cumprod

    def cumop(x: Any) -> Any:
        x = as_jax(x).astype(dtype)
        if op.axis is None:
            x = x.reshape(-1)
        return fn(x, axis=op.axis if op.axis is not None else 0)

    return cumop


@jax_funcify.register(Repeat)
def jax_funcify_Repeat(op: Repeat, node: Apply | None = None, **kw: Any) -> Callable[..., Any]:
    assert node is not None
    static_len1 = ttype(node.inputs[1]).shape[:1] == (1,)

    def repeat(x: Any, repeats: Any) -> Any:
        repeats = static_value(repeats, op, "input 1 (the repeat counts set the shape)")
        if np.any(repeats < 0):
            raise ValueError(f"{op}: repeats must be non-negative, got {repeats}")
        xshape = np.shape(x)
        n = int(np.prod(xshape)) if op.axis is None else xshape[op.axis]
        if repeats.ndim == 1 and repeats.shape[0] != n and not static_len1:
            raise ValueError(
                f"{op}: {repeats.shape[0]} repeat counts for {n} elements (input shape {xshape})"
            )
        total = int(np.sum(np.broadcast_to(repeats, (n,)))) if repeats.ndim else int(repeats) * n
        return jnp.repeat(as_jax(x), repeats, axis=op.axis, total_repeat_length=total)

    return needs_static(repeat, 1)


@jax_funcify.register(SearchsortedOp)
def jax_funcify_SearchsortedOp(
    op: SearchsortedOp, node: Apply | None = None, **kw: Any
) -> Callable[..., Any]:
    def searchsorted(x: Any, v: Any, *rest: Any) -> Any:
        x, v = as_jax(x), as_jax(v)
        if rest:
            sorter = as_jax(rest[0])
            if sorter.shape != x.shape:
                raise ValueError(
                    f"{op}: sorter of shape {sorter.shape} does not match the array's shape "
                    f"{x.shape}"
                )
            x = x[sorter]
        return jnp.searchsorted(x, v, side=op.side).astype("int64")

    return searchsorted


@jax_funcify.register(FillDiagonal)
def jax_funcify_FillDiagonal(
    op: FillDiagonal, node: Apply | None = None, **kw: Any
) -> Callable[..., Any]:
    def fill_diagonal(a: Any, val: Any) -> Any:
        a = as_jax(a)
        if a.ndim > 2 and len(set(a.shape)) > 1:
            raise ValueError(
                f"{op}: all dimensions of the {a.ndim}-d input must be equal, got shape {a.shape}"
            )
        return jnp.fill_diagonal(a, as_jax(val).astype(a.dtype), wrap=False, inplace=False)

    return fill_diagonal


@jax_funcify.register(BroadcastTo)
def jax_funcify_BroadcastTo(
    op: BroadcastTo, node: Apply | None = None, **kw: Any
) -> Callable[..., Any]:
    assert node is not None
    dtype = ttype(node.outputs[0]).dtype

    def broadcast_to(x: Any, *dims: Any) -> Any:
        shape = tuple(static_int(d, op, f"shape entry {k}") for k, d in enumerate(dims))
        try:
            np.broadcast_shapes(np.shape(x), shape)
            if len(shape) < np.ndim(x) or np.broadcast_shapes(np.shape(x), shape) != shape:
                raise ValueError
        except ValueError:
            raise ValueError(
                f"{op}: cannot broadcast an input of shape {np.shape(x)} to shape {shape}: "
                "each input dimension must have length 1 or the target length"
            ) from None
        return jnp.broadcast_to(as_jax(x).astype(dtype), shape)

    return needs_static(broadcast_to, *range(1, len(node.inputs)))


@jax_funcify.register(UnravelIndex)
def jax_funcify_UnravelIndex(
    op: UnravelIndex, node: Apply | None = None, **kw: Any
) -> Callable[..., Any]:
    def unravel_index(indices: Any, dims: Any) -> Any:
        dims = tuple(int(d) for d in static_value(dims, op, "input 1 (dims)"))
        if op.order == "F":
            res = jnp.unravel_index(as_jax(indices), dims[::-1])[::-1]
        else:
            res = jnp.unravel_index(as_jax(indices), dims)
        return tuple(r.astype("int64") for r in res)

    return needs_static(unravel_index, 1)


@jax_funcify.register(RavelMultiIndex)
def jax_funcify_RavelMultiIndex(
    op: RavelMultiIndex, node: Apply | None = None, **kw: Any
) -> Callable[..., Any]:
    assert node is not None

    def ravel_multi_index(*args: Any) -> Any:
        *multi, dims = args
        multi = [as_jax(m) for m in multi]
        _check_no_runtime_broadcast(op, node.inputs[:-1], multi)
        dims = tuple(int(d) for d in static_value(dims, op, "the dims input"))
        mode = "wrap" if op.mode == "wrap" else "clip" if op.mode == "clip" else "raise"
        if mode == "raise":
            for m, n in zip(multi, dims, strict=True):
                record_check(
                    jnp.all((m >= 0) & (m < n)),
                    ValueError,
                    "invalid entry in coordinates array",
                )
            mode = "clip"
        return jnp.ravel_multi_index(tuple(multi), dims, mode=mode, order=op.order).astype("int64")

    return needs_static(ravel_multi_index, len(node.inputs) - 1)


@jax_funcify.register(BinCount)
def jax_funcify_BinCount(op: BinCount, node: Apply | None = None, **kw: Any) -> Callable[..., Any]:
    assert node is not None
    dtype = ttype(node.outputs[0]).dtype

    def bincount(x: Any, minlength: Any, *rest: Any) -> Any:
        xv = static_value(x, op, "input 0 (its largest value sets the length)")
        minlength = static_int(minlength, op, "minlength")
        if xv.size and xv.min() < 0:
            raise ValueError(f"{op}: x must be non-negative, got a minimum of {xv.min()}")
        if minlength < 0:
            raise ValueError(f"{op}: minlength must be non-negative, got {minlength}")
        weights = as_jax(rest[0]) if rest else None
        if weights is not None and weights.shape != xv.shape:
            raise ValueError(
                f"{op}: weights of shape {weights.shape} do not match x of shape {xv.shape}"
            )
        length = max(minlength, int(xv.max()) + 1 if xv.size else 0)
        res = jnp.bincount(jnp.asarray(xv.astype("int64")), weights=weights, length=length)
        return res.astype(dtype)

    return needs_static(bincount, 0, 1)


@jax_funcify.register(Unique)
def jax_funcify_Unique(op: Unique, node: Apply | None = None, **kw: Any) -> Callable[..., Any]:
    assert node is not None
    dtypes = [ttype(o).dtype for o in node.outputs]

    def unique(x: Any) -> Any:
        xv = static_value(x, op, "input 0 (the number of distinct values sets the shape)")
        res = np.unique(  # type: ignore[call-overload]
            xv,
            return_index=op.return_index,
            return_inverse=op.return_inverse,
            return_counts=op.return_counts,
            axis=op.axis,
        )
        res = res if isinstance(res, tuple) else (res,)
        outs = [jnp.asarray(np.asarray(res[0], dtype=dtypes[0]))]
        outs += [jnp.asarray(np.asarray(r, dtype="int64").reshape(-1)) for r in res[1:]]
        return tuple(outs) if len(outs) > 1 else outs[0]

    return needs_static(unique, 0)
