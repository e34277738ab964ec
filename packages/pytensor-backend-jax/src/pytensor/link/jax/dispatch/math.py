"""JAX implementations of the products and arg-reductions of ``pytensor.tensor.math``
(Dot, Matmul, Argmax) (layer: pytensor-backend-jax)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import numpy as np

import jax.numpy as jnp
from pytensor.graph.basic import Apply
from pytensor.link.jax.dispatch.basic import as_jax, jax_funcify, ttype
from pytensor.tensor._dot import Dot, Matmul
from pytensor.tensor._reduce import Argmax

__all__ = ["jax_funcify_Argmax", "jax_funcify_Dot", "jax_funcify_Matmul"]


def _operands(x: Any, y: Any, dtype: str) -> tuple[Any, Any]:
    # Multiply in the output dtype, as NumPy does after promotion (JAX's promotion differs).
    return as_jax(x).astype(dtype), as_jax(y).astype(dtype)


@jax_funcify.register(Dot)
def jax_funcify_Dot(op: Dot, node: Apply | None = None, **kw: Any) -> Callable[..., Any]:
    assert node is not None
    dtype = ttype(node.outputs[0]).dtype

    def dot(x: Any, y: Any) -> Any:
        xs, ys = np.shape(x), np.shape(y)
        if xs[-1] != ys[0]:
            raise ValueError(
                f"Dot: the contracted dimensions of x (shape {xs}) and y (shape {ys}) differ: "
                f"{xs[-1]} != {ys[0]}"
            )
        return jnp.dot(*_operands(x, y, dtype))

    return dot


@jax_funcify.register(Matmul)
def jax_funcify_Matmul(op: Matmul, node: Apply | None = None, **kw: Any) -> Callable[..., Any]:
    assert node is not None
    dtype = ttype(node.outputs[0]).dtype

    def matmul(x: Any, y: Any) -> Any:
        x, y = _operands(x, y, dtype)
        if x.shape[-1] != y.shape[-2]:
            raise ValueError(
                f"Matmul: the contracted dimensions of x (shape {x.shape}) and y (shape "
                f"{y.shape}) differ: {x.shape[-1]} != {y.shape[-2]}"
            )
        op._check_batch(node, x, y)
        return jnp.matmul(x, y)

    return matmul


@jax_funcify.register(Argmax)
def jax_funcify_Argmax(op: Argmax, node: Apply | None = None, **kw: Any) -> Callable[..., Any]:
    def argmax(x: Any) -> Any:
        x = as_jax(x)
        axis = tuple(range(x.ndim)) if op.axis is None else tuple(op.axis)
        if any(x.shape[a] == 0 for a in axis):
            raise ValueError(
                f"{op}: cannot take the argmax over an empty axis (input shape {x.shape})"
            )
        keep = [d for d in range(x.ndim) if d not in axis]
        moved = jnp.transpose(x, keep + list(axis))
        kept = moved.shape[: len(keep)]
        flat = moved.reshape((*kept, int(np.prod(moved.shape[len(keep) :]))))
        return jnp.argmax(flat, axis=-1).astype("int64")

    return argmax
