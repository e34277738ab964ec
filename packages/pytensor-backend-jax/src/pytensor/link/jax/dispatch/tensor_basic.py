"""JAX implementations of the array-building Ops of ``pytensor.tensor`` (basic, alloc, ranges,
join, diag) (layer: pytensor-backend-jax).

Shapes and lengths (Alloc's shape, ARange's bounds, Eye's sizes, Split's sizes) must be
known when tracing: they are declared with ``needs_static``.
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
    static_int,
    static_value,
    ttype,
)
from pytensor.tensor._alloc import Alloc, AllocEmpty, MakeVector
from pytensor.tensor._diag import ExtractDiag
from pytensor.tensor._join import Join, Split
from pytensor.tensor._ranges import ARange, Eye, Nonzero
from pytensor.tensor.basic import ScalarFromTensor, TensorFromScalar

__all__ = [
    "jax_funcify_ARange",
    "jax_funcify_Alloc",
    "jax_funcify_AllocEmpty",
    "jax_funcify_ExtractDiag",
    "jax_funcify_Eye",
    "jax_funcify_Join",
    "jax_funcify_MakeVector",
    "jax_funcify_Nonzero",
    "jax_funcify_Split",
    "jax_funcify_TensorFromScalar",
]


def _shape(op: Any, values: Any) -> tuple[int, ...]:
    sh = tuple(static_int(s, op, f"shape entry {k}") for k, s in enumerate(values))
    if any(s < 0 for s in sh):
        raise ValueError(f"{op}: negative length in the requested shape {sh}")
    return sh


@jax_funcify.register(Alloc)
def jax_funcify_Alloc(op: Alloc, node: Apply | None = None, **kw: Any) -> Callable[..., Any]:
    assert node is not None
    dtype = ttype(node.outputs[0]).dtype
    static = ttype(node.inputs[0]).shape

    def alloc(v: Any, *shape: Any) -> Any:
        sh = _shape(op, shape)
        offset = len(sh) - np.ndim(v)
        vshape = np.shape(v)
        for j in range(np.ndim(v)):
            if static[j] != 1 and vshape[j] != sh[offset + j]:
                hint = (
                    "; runtime broadcasting is not allowed: declare the dimension as length 1 "
                    "(e.g. with pt.specify_broadcastable)"
                    if vshape[j] == 1
                    else ""
                )
                raise ValueError(
                    f"{op}: value {node.inputs[0]} of shape {vshape} cannot fill the shape "
                    f"{sh}: dimension {j} of the value has length {vshape[j]}, the shape wants "
                    f"{sh[offset + j]}{hint}"
                )
        return jnp.broadcast_to(as_jax(v).astype(dtype), sh)

    return needs_static(alloc, *range(1, len(node.inputs)))


@jax_funcify.register(AllocEmpty)
def jax_funcify_AllocEmpty(
    op: AllocEmpty, node: Apply | None = None, **kw: Any
) -> Callable[..., Any]:
    assert node is not None

    def alloc_empty(*shape: Any) -> Any:
        return jnp.zeros(_shape(op, shape), dtype=op.dtype)

    return needs_static(alloc_empty, *range(len(node.inputs)))


@jax_funcify.register(MakeVector)
def jax_funcify_MakeVector(
    op: MakeVector, node: Apply | None = None, **kw: Any
) -> Callable[..., Any]:
    dtype = op.dtype

    def make_vector(*xs: Any) -> Any:
        if not xs:
            return jnp.zeros((0,), dtype=dtype)
        return jnp.stack([jnp.reshape(as_jax(x), ()).astype(dtype) for x in xs])

    return make_vector


@jax_funcify.register(TensorFromScalar)
@jax_funcify.register(ScalarFromTensor)
def jax_funcify_TensorFromScalar(
    op: Any, node: Apply | None = None, **kw: Any
) -> Callable[..., Any]:
    return lambda x: jnp.reshape(as_jax(x), ())


@jax_funcify.register(ARange)
def jax_funcify_ARange(op: ARange, node: Apply | None = None, **kw: Any) -> Callable[..., Any]:
    def arange(start: Any, stop: Any, step: Any) -> Any:
        start, stop, step = (
            static_value(v, op, name).item()
            for v, name in ((start, "start"), (stop, "stop"), (step, "step"))
        )
        if step == 0:
            raise ValueError(f"{op}: step must not be zero")
        return jnp.asarray(np.arange(start, stop, step, dtype=op.dtype))

    return needs_static(arange, 0, 1, 2)


@jax_funcify.register(Eye)
def jax_funcify_Eye(op: Eye, node: Apply | None = None, **kw: Any) -> Callable[..., Any]:
    def eye(n: Any, m: Any, k: Any) -> Any:
        n, m, k = (static_int(v, op, name) for v, name in ((n, "n"), (m, "m"), (k, "k")))
        if n < 0 or m < 0:
            raise ValueError(f"{op}: negative dimensions ({n}, {m})")
        return jnp.eye(n, m, k, dtype=op.dtype)

    return needs_static(eye, 0, 1, 2)


@jax_funcify.register(Nonzero)
def jax_funcify_Nonzero(op: Nonzero, node: Apply | None = None, **kw: Any) -> Callable[..., Any]:
    # The number of nonzeros is a runtime value: JAX can only run it on trace-time values.
    def nonzero(x: Any) -> Any:
        idx = np.nonzero(static_value(x, op, "input 0 (the number of nonzeros sets the shape)"))
        return tuple(jnp.asarray(i.astype("int64")) for i in idx)

    return needs_static(nonzero, 0)


@jax_funcify.register(Join)
def jax_funcify_Join(op: Join, node: Apply | None = None, **kw: Any) -> Callable[..., Any]:
    assert node is not None
    dtype = ttype(node.outputs[0]).dtype

    def join(axis: Any, *ts: Any) -> Any:
        ndim = np.ndim(ts[0])
        ax = static_int(axis, op, "axis")
        if not -ndim <= ax < ndim:
            raise np.exceptions.AxisError(
                f"{op}: axis {ax} is out of range for inputs with {ndim} dimensions"
            )
        ax %= ndim
        ref = np.shape(ts[0])
        for k, t in enumerate(ts[1:], 1):
            if any(d != ax and np.shape(t)[d] != ref[d] for d in range(ndim)):
                raise ValueError(
                    f"{op}: cannot join along axis {ax}: input 0 ({node.inputs[1]}) has shape "
                    f"{ref} and input {k} ({node.inputs[k + 1]}) has shape {np.shape(t)}; the "
                    "lengths must match in every dimension but the axis"
                )
        return jnp.concatenate([as_jax(t).astype(dtype) for t in ts], axis=ax)

    return needs_static(join, 0)


@jax_funcify.register(Split)
def jax_funcify_Split(op: Split, node: Apply | None = None, **kw: Any) -> Callable[..., Any]:
    assert node is not None

    def split(x: Any, axis: Any, splits: Any) -> Any:
        ndim = np.ndim(x)
        ax = static_int(axis, op, "axis")
        if not -ndim <= ax < ndim:
            raise np.exceptions.AxisError(
                f"{op}: axis {ax} is out of range for an input with {ndim} dimensions"
            )
        splits = static_value(splits, op, "splits").astype("int64")
        xshape = np.shape(x)
        if len(splits) != op.len_splits:
            raise ValueError(f"{op}: {len(splits)} split sizes given, expected {op.len_splits}")
        if np.any(splits < 0):
            raise ValueError(f"{op}: negative split size in {tuple(splits)}")
        if int(np.sum(splits)) != xshape[ax]:
            raise ValueError(
                f"{op}: the split sizes {tuple(int(s) for s in splits)} sum to "
                f"{int(np.sum(splits))}, but input {node.inputs[0]} has shape {xshape} (length "
                f"{xshape[ax]} along axis {ax})"
            )
        if op.len_splits == 0:
            return ()
        parts = jnp.split(as_jax(x), np.cumsum(splits[:-1]).tolist(), axis=ax)
        return tuple(parts) if op.len_splits != 1 else parts[0]

    return needs_static(split, 1, 2)


@jax_funcify.register(ExtractDiag)
def jax_funcify_ExtractDiag(
    op: ExtractDiag, node: Apply | None = None, **kw: Any
) -> Callable[..., Any]:
    return lambda x: jnp.diagonal(as_jax(x), op.offset, op.axis1, op.axis2)
