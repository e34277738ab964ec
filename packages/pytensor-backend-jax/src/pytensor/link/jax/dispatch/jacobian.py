"""JAX implementation of ``IndexedMap`` (``pytensor/tensor/_jacobian.py``): the inner graph is
traced once and mapped over the indices with ``jax.vmap`` (layer: pytensor-backend-jax).

An inner graph that needs the index at trace time (``x[: i + 1]``: a shape that depends on
``i``) cannot be vmapped; it is then traced once per index, with ``i`` known (unrolled).
The number of indices and the row lengths set the output shape, so they must be known when
tracing. Runtime checks inside the inner graph are gathered per index and re-raised.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import numpy as np

import jax
import jax.numpy as jnp
from pytensor.graph.basic import Apply
from pytensor.link.jax.dispatch.basic import (
    StaticValueError,
    check_frame,
    fgraph_to_jax,
    jax_funcify,
    needs_static,
    reraise_checks,
    static_int,
)
from pytensor.tensor._jacobian import IndexedMap

__all__ = ["jax_funcify_IndexedMap"]


@jax_funcify.register(IndexedMap)
def jax_funcify_IndexedMap(
    op: IndexedMap, node: Apply | None = None, **kw: Any
) -> Callable[..., Any]:
    assert node is not None
    inner = fgraph_to_jax(op.fgraph, inner=True, **kw)
    dtypes = [t.dtype for t in op.output_types]
    n_lengths = sum(t.ndim for t in op.output_types)

    def indexed_map(*inputs: Any) -> Any:
        n, rows, invariants = op.split_inputs(inputs)
        n = static_int(n, op, "input 0 (the number of indices)")
        if n < 0:
            raise ValueError(f"{op}: the number of indices is negative ({n})")
        shapes = [tuple(static_int(d, op, "a row length") for d in row) for row in rows]
        recorded: list[Any] = []

        def body(i: Any) -> Any:
            with check_frame(True) as frame:
                outs = inner(i, *invariants)
            recorded[:] = frame.checks
            return (
                tuple(jnp.asarray(o) for o in outs),
                tuple(c[0] for c in frame.checks),
                tuple(c[3] for c in frame.checks),
            )

        if n == 0:
            outs = [
                jnp.zeros((0, *s) if how == "stack" else s, d)
                for s, d, how in zip(shapes, dtypes, op.combine, strict=True)
            ]
        else:
            try:
                values, oks, bads = jax.vmap(body)(jnp.arange(n, dtype="int64"))
                reraise_checks(oks, bads, recorded)
            except StaticValueError:
                per_index = [inner(np.asarray(i, dtype="int64"), *invariants) for i in range(n)]
                values = [
                    jnp.stack([jnp.asarray(outs[k]) for outs in per_index])
                    for k in range(len(dtypes))
                ]
            outs = []
            for k, (v, s, d, how) in enumerate(
                zip(values, shapes, dtypes, op.combine, strict=True)
            ):
                if v.shape[1:] != s:
                    raise ValueError(
                        f"{op}: output {k} has shape {v.shape[1:]}, but its length inputs say {s}"
                    )
                outs.append((v if how == "stack" else jnp.sum(v, axis=0)).astype(d))
        return tuple(outs) if len(outs) > 1 else outs[0]

    return needs_static(indexed_map, *range(1 + n_lengths))
