"""JAX implementations of ``pytensor.tensor.elemwise`` (Elemwise, DimShuffle, CAReduce and its
subclasses) and of the fused ``ElemwiseReduce`` and ``ElemwiseOpFromGraph``
(layer: pytensor-backend-jax).

The runtime-broadcasting check of ``Elemwise`` needs only shapes, which are static under
``jit``: it runs while tracing and raises the same ValueError as ``perform``.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import numpy as np

import jax.numpy as jnp
from pytensor.graph.basic import Apply
from pytensor.link.jax.dispatch.basic import as_jax, jax_funcify, ttype
from pytensor.tensor._elemwise_ofg import ElemwiseOpFromGraph
from pytensor.tensor._elemwise_reduce import ElemwiseReduce
from pytensor.tensor.elemwise import CAReduce, DimShuffle, Elemwise
from pytensor.tensor.math import All, Max, Min, Prod, Sum
from pytensor.tensor.math import Any as AnyOp

__all__ = [
    "jax_funcify_CAReduce",
    "jax_funcify_DimShuffle",
    "jax_funcify_Elemwise",
    "jax_funcify_ElemwiseOpFromGraph",
    "jax_funcify_ElemwiseReduce",
]


@jax_funcify.register(Elemwise)
def jax_funcify_Elemwise(op: Elemwise, node: Apply | None = None, **kw: Any) -> Callable[..., Any]:
    assert node is not None
    scalar_node = op.scalar_op.make_node(*[_scalar_type(ttype(i).dtype)() for i in node.inputs])
    fn = jax_funcify(op.scalar_op, node=scalar_node, **kw)
    out_shape_static = ttype(node.outputs[0]).shape
    nout = len(node.outputs)

    def elemwise(*xs: Any) -> Any:
        op._check_runtime_shapes(node, xs)
        res = fn(*[as_jax(x) for x in xs])
        shape = _out_shape(node, xs, out_shape_static)
        if nout == 1:
            return jnp.broadcast_to(res, shape) if jnp.shape(res) != shape else res
        return tuple(jnp.broadcast_to(r, shape) if jnp.shape(r) != shape else r for r in res)

    return elemwise


def _scalar_type(dtype: str) -> Any:
    from pytensor.scalar.basic import get_scalar_type

    return get_scalar_type(dtype)


def _out_shape(node: Apply, xs: Any, static: tuple[Any, ...]) -> tuple[int, ...]:
    return tuple(
        max(
            (
                np.shape(v)[d]
                for v, var in zip(xs, node.inputs, strict=True)
                if ttype(var).shape[d] != 1
            ),
            default=1,
        )
        for d in range(len(static))
    )


@jax_funcify.register(DimShuffle)
def jax_funcify_DimShuffle(
    op: DimShuffle, node: Apply | None = None, **kw: Any
) -> Callable[..., Any]:
    transposition: tuple[int, ...] = tuple(int(d) for d in op.transposition)
    n_keep = len(op.shuffle)
    augment = op.augment

    def dimshuffle(x: Any) -> Any:
        x = as_jax(x)
        res = jnp.transpose(x, transposition)
        shape = list(res.shape[:n_keep])
        for a in augment:
            shape.insert(a, 1)
        return jnp.reshape(res, shape)

    return dimshuffle


def _axis(op: CAReduce, ndim: int) -> tuple[int, ...]:
    return tuple(op.axis) if op.axis is not None else tuple(range(ndim))


_REDUCERS: dict[type, Callable[..., Any]] = {
    Sum: jnp.sum,
    Prod: jnp.prod,
    Max: jnp.max,
    Min: jnp.min,
    All: jnp.all,
    AnyOp: jnp.any,
}


def _reducer_for(op: CAReduce) -> tuple[Callable[..., Any], bool]:
    """(jnp reduction, whether it has an identity) for ``op``."""
    for cls in type(op).__mro__:
        if cls in _REDUCERS:
            return _REDUCERS[cls], cls not in (Max, Min)
    import pytensor.scalar._elementary as pse

    by_scalar: dict[type, tuple[Callable[..., Any], bool]] = {
        pse.Add: (jnp.sum, True),
        pse.Mul: (jnp.prod, True),
        pse.Maximum: (jnp.max, False),
        pse.Minimum: (jnp.min, False),
        pse.AND: (jnp.all, True),
        pse.OR: (jnp.any, True),
    }
    for cls in type(op.scalar_op).__mro__:
        if cls in by_scalar:
            return by_scalar[cls]
    from pytensor.link.backend import MissingImplementationError

    raise MissingImplementationError("jax", Apply(op, [], []), "no JAX reduction for its scalar Op")


@jax_funcify.register(CAReduce)
def jax_funcify_CAReduce(op: CAReduce, node: Apply | None = None, **kw: Any) -> Callable[..., Any]:
    assert node is not None
    reducer, has_identity = _reducer_for(op)
    in_dtype = ttype(node.inputs[0]).dtype
    acc = op._acc_dtype(in_dtype)
    out_dtype = ttype(node.outputs[0]).dtype
    ndim = ttype(node.inputs[0]).ndim
    axis = _axis(op, ndim)
    logical = reducer in (jnp.all, jnp.any)

    def careduce(x: Any) -> Any:
        x = as_jax(x)
        if not axis:
            return x.astype(acc)
        if not has_identity and any(x.shape[a] == 0 for a in axis):
            raise ValueError(
                f"{op}: cannot reduce an empty dimension (shape {x.shape}): the operation has "
                "no identity"
            )
        if logical:
            return reducer(x, axis=axis)
        if reducer in (jnp.sum, jnp.prod):
            return reducer(x.astype(acc), axis=axis).astype(out_dtype)
        return reducer(x, axis=axis).astype(out_dtype)

    return careduce


@jax_funcify.register(ElemwiseReduce)
def jax_funcify_ElemwiseReduce(
    op: ElemwiseReduce, node: Apply | None = None, **kw: Any
) -> Callable[..., Any]:
    assert node is not None
    inner = op.elemwise.make_node(*node.inputs)
    red = op.reduce.make_node(inner.outputs[0])
    elem_fn = jax_funcify(op.elemwise, node=inner, **kw)
    red_fn = jax_funcify(op.reduce, node=red, **kw)
    mid_dtype = ttype(inner.outputs[0]).dtype

    def elemwise_reduce(*xs: Any) -> Any:
        return red_fn(elem_fn(*xs).astype(mid_dtype))

    return elemwise_reduce


@jax_funcify.register(ElemwiseOpFromGraph)
def jax_funcify_ElemwiseOpFromGraph(
    op: ElemwiseOpFromGraph, node: Apply | None = None, **kw: Any
) -> Callable[..., Any]:
    assert node is not None
    inner = op._elemwise.make_node(*[i.type() for i in node.inputs])
    fn = jax_funcify(op._elemwise, node=inner, **kw)
    dtypes = [ttype(o).dtype for o in node.outputs]
    if len(dtypes) == 1:
        return lambda *xs: fn(*xs).astype(dtypes[0])
    return lambda *xs: tuple(r.astype(d) for r, d in zip(fn(*xs), dtypes, strict=True))
