"""JAX implementations of ``pytensor.tensor.shape`` (layer: pytensor-backend-jax).

``Shape`` and ``Shape_i`` return NumPy values: under ``jit`` shapes are static, so whatever
is computed from them (reshape targets, lengths) stays known while tracing.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import numpy as np

import jax.numpy as jnp
from pytensor.graph.basic import Apply
from pytensor.link.jax.dispatch.basic import (
    as_jax,
    is_concrete,
    jax_funcify,
    needs_static,
    record_check,
    static_value,
)
from pytensor.tensor.shape import Reshape, Shape, Shape_i, SpecifyShape
from pytensor.tensor.type import _fmt_shape

__all__ = [
    "jax_funcify_Reshape",
    "jax_funcify_Shape",
    "jax_funcify_Shape_i",
    "jax_funcify_SpecifyShape",
]


@jax_funcify.register(Shape)
def jax_funcify_Shape(op: Shape, node: Apply | None = None, **kw: Any) -> Callable[..., Any]:
    return lambda x: np.asarray(np.shape(x), dtype="int64")


@jax_funcify.register(Shape_i)
def jax_funcify_Shape_i(op: Shape_i, node: Apply | None = None, **kw: Any) -> Callable[..., Any]:
    i = op.i
    return lambda x: np.asarray(np.shape(x)[i], dtype="int64")


@jax_funcify.register(Reshape)
def jax_funcify_Reshape(op: Reshape, node: Apply | None = None, **kw: Any) -> Callable[..., Any]:
    assert node is not None

    def reshape(x: Any, shp: Any) -> Any:
        shp = static_value(shp, op, "input 1 (the target shape)")
        if len(shp) != op.ndim:
            raise ValueError(f"{op}: the shape input has {len(shp)} entries, expected {op.ndim}")
        new = tuple(int(s) for s in shp)
        try:
            return jnp.reshape(as_jax(x), new)
        except (ValueError, TypeError):
            raise ValueError(
                f"{op}: cannot reshape input {node.inputs[0]} of shape {np.shape(x)} (size "
                f"{int(np.prod(np.shape(x)))}) into shape {new}"
            ) from None

    return needs_static(reshape, 1)


def _runtime_shape(shape: tuple[Any, ...], d: int) -> str:
    """The expected shape as ``_fmt_shape`` writes it; dimension ``d`` is the runtime value
    (``{bad}``), other runtime entries show as ``?``."""
    entries = [
        "{bad}" if k == d else str(int(s)) if is_concrete(s) else "?" for k, s in enumerate(shape)
    ]
    return "(" + ", ".join(entries) + ("," if len(entries) == 1 else "") + ")"


@jax_funcify.register(SpecifyShape)
def jax_funcify_SpecifyShape(
    op: SpecifyShape, node: Apply | None = None, **kw: Any
) -> Callable[..., Any]:
    assert node is not None

    def specify_shape(x: Any, *shape: Any) -> Any:
        xshape = np.shape(x)
        if len(xshape) != len(shape):
            raise AssertionError(
                f"{op}: input {node.inputs[0]} has {len(xshape)} dimensions (shape {xshape}), "
                f"expected {len(shape)}"
            )
        if all(s is None or is_concrete(s) for s in shape):
            expected = tuple(None if s is None else int(s) for s in shape)
            if any(e is not None and e != n for e, n in zip(expected, xshape, strict=True)):
                raise AssertionError(
                    f"{op}: input {node.inputs[0]} has shape {xshape}, expected shape "
                    f"{_fmt_shape(expected)}"
                )
            return x
        for d, s in enumerate(shape):
            if s is not None and not is_concrete(s):
                record_check(
                    jnp.asarray(s) == xshape[d],
                    AssertionError,
                    f"{op}: input {node.inputs[0]} has shape {xshape}, expected shape "
                    f"{_runtime_shape(shape, d)}",
                    s,
                )
            elif s is not None and int(s) != xshape[d]:
                raise AssertionError(
                    f"{op}: input {node.inputs[0]} has shape {xshape}, expected shape "
                    f"{_runtime_shape(shape, d)}"
                )
        return x

    return specify_shape
