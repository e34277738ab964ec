"""The opt-in fallback: run an Op's Python ``perform`` from numba code (layer: pytensor-backend-numba).

Used only with ``NumbaLinker(fallback_to_perform=True)``; the kernel enters
``numba.objmode`` and calls ``perform``, so it is slow and never disk-cached.
"""

from __future__ import annotations

from typing import Any

from pytensor.graph.basic import Apply

__all__ = ["perform_kernel"]


def _numba_type(var: Any) -> Any:
    import numpy as np

    import numba
    from pytensor.scalar.basic import ScalarType
    from pytensor.tensor.type import TensorType

    if isinstance(var.type, TensorType):
        return numba.types.Array(numba.from_dtype(np.dtype(var.type.dtype)), var.type.ndim, "A")
    if isinstance(var.type, ScalarType):
        return numba.from_dtype(np.dtype(var.type.dtype))
    raise TypeError(f"fallback_to_perform cannot pass a {var.type} value out of Python")


def perform_kernel(node: Apply) -> Any:
    """A plain function (jitted by the linker) that runs ``node.op.perform`` in object mode."""
    import numpy as np

    import numba
    from pytensor.tensor.type import TensorType

    op = node.op
    n_out = len(node.outputs)
    kinds = [isinstance(o.type, TensorType) for o in node.outputs]
    dtypes = [np.dtype(o.type.dtype) for o in node.outputs]

    def call_perform(*inputs: Any) -> tuple[Any, ...]:
        cells: list[list[Any]] = [[None] for _ in range(n_out)]
        op.perform(node, list(inputs), cells)
        return tuple(
            np.asarray(c[0], dtype=dt) if is_t else dt.type(c[0])
            for c, is_t, dt in zip(cells, kinds, dtypes, strict=True)
        )

    out_types = {f"o{j}": _numba_type(o) for j, o in enumerate(node.outputs)}
    args = ", ".join(f"x{k}" for k in range(len(node.inputs)))
    outs = ", ".join(out_types)
    ret = outs if n_out == 1 else f"({outs},)"
    src = (
        f"def kernel({args}):\n"
        f"    with objmode({', '.join(f'{o}=T_{o}' for o in out_types)}):\n"
        f"        {outs}, = call_perform({args})\n"
        f"    return {ret}\n"
    )
    env: dict[str, Any] = {"objmode": numba.objmode, "call_perform": call_perform}
    env.update({f"T_{o}": t for o, t in out_types.items()})
    exec(compile(src, f"<perform fallback {op}>", "exec"), env)
    return env["kernel"]
