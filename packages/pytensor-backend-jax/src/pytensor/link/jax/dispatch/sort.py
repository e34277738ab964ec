"""JAX implementations of ``pytensor.tensor.sort`` (layer: pytensor-backend-jax).

JAX's sorts are stable and put NaNs last, as NumPy's do.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import jax.numpy as jnp
from pytensor.graph.basic import Apply
from pytensor.link.jax.dispatch.basic import as_jax, jax_funcify, needs_static, static_int
from pytensor.tensor.sort import ArgSortOp, SortOp

__all__ = ["jax_funcify_ArgSortOp", "jax_funcify_SortOp"]


@jax_funcify.register(SortOp)
def jax_funcify_SortOp(op: SortOp, node: Apply | None = None, **kw: Any) -> Callable[..., Any]:
    def sort(x: Any, axis: Any) -> Any:
        x = as_jax(x)
        return jnp.sort(x, axis=op._axis(x, static_int(axis, op, "axis")))

    return needs_static(sort, 1)


@jax_funcify.register(ArgSortOp)
def jax_funcify_ArgSortOp(
    op: ArgSortOp, node: Apply | None = None, **kw: Any
) -> Callable[..., Any]:
    def argsort(x: Any, axis: Any) -> Any:
        x = as_jax(x)
        ax = op._axis(x, static_int(axis, op, "axis"))
        return jnp.argsort(x, axis=ax, stable=True).astype("int64")

    return needs_static(argsort, 1)
