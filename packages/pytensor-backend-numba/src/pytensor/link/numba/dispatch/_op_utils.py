"""Helpers shared by the tensor Op dispatch modules (layer: pytensor-backend-numba).

Kernels for Ops with a variable number of inputs or index entries are generated
as Python source text (one function per structure), then compiled with ``exec``;
the helpers here build that text: values of 0-d inputs, runtime error messages
with shapes rendered as Python renders tuples, and the cache keys.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from typing import Any

import numpy as np

from pytensor.graph.hashing import UnhashableGraphError, stable_token
from pytensor.link.numba.dispatch.basic import error_template

__all__ = [
    "Hole",
    "compile_source",
    "dtype_expr",
    "indent",
    "is_tensor_var",
    "node_key",
    "raise_stmt",
    "scalar_value_expr",
    "shape_parts",
    "str_expr",
    "tuple_parts",
]


def compile_source(src: str, name: str, env: dict[str, Any] | None = None) -> Callable[..., Any]:
    """The function ``name`` defined by the source text ``src``, with globals ``env`` (plus np)."""
    glb: dict[str, Any] = {"np": np}
    if env:
        glb.update(env)
    code = compile(src, f"<numba:{name}>", "exec")
    exec(code, glb)
    fn: Callable[..., Any] = glb[name]
    # Kept for debugging: the generated text of the kernel.
    fn.__numba_source__ = src  # type: ignore[attr-defined]
    return fn


def indent(lines: Iterable[str], n: int = 1) -> list[str]:
    """``lines`` indented by ``n`` levels of four spaces."""
    pad = "    " * n
    return [pad + line for line in lines]


def is_tensor_var(var: Any) -> bool:
    """Whether ``var`` is a tensor (its values are ndarrays, 0-d included)."""
    from pytensor.tensor.type import TensorType

    return isinstance(var.type, TensorType)


def scalar_value_expr(var: Any, name: str) -> str:
    """Source of the scalar value of input ``name``: ``x[()]`` for a 0-d tensor, else ``x``."""
    return f"{name}[()]" if is_tensor_var(var) else name


def dtype_expr(dtype: str) -> str:
    """Source of a NumPy scalar type (usable as a dtype inside nopython code)."""
    name = np.dtype(dtype).name
    return "np.bool_" if name == "bool" else f"np.{name}"


def str_expr(text: Any) -> str:
    """Source of a constant string."""
    return repr(str(text))


class Hole:
    """An integer expression (source text) inside a run-time error message."""

    def __init__(self, expr: str) -> None:
        self.expr = expr


def tuple_parts(items: Sequence[str]) -> list[Any]:
    """Message parts rendering the int expressions ``items`` as Python renders a tuple."""
    if not items:
        return ["()"]
    parts: list[Any] = ["("]
    for k, item in enumerate(items):
        parts += [", "] if k else []
        parts.append(Hole(f"int({item})"))
    parts.append(",)" if len(items) == 1 else ")")
    return parts


def shape_parts(name: str, ndim: int) -> list[Any]:
    """Message parts rendering ``name.shape`` (of ``ndim`` dimensions) as Python does."""
    return tuple_parts([f"{name}.shape[{d}]" for d in range(ndim)])


def _flatten(parts: Iterable[Any]) -> list[Any]:
    out: list[Any] = []
    for p in parts:
        if isinstance(p, list | tuple):
            out += _flatten(p)
        else:
            out.append(p)
    return out


def raise_stmt(exc: str, *parts: Any) -> str:
    """Source of ``raise exc(message)`` for a message of literal text and :class:`Hole` values.

    Messages with values use the linker's error templates (``error_template``):
    numba builds no string at run time, which keeps compilation fast.
    """
    flat = _flatten(parts)
    holes = [p.expr for p in flat if isinstance(p, Hole)]
    if not holes:
        return f"raise {exc}({str_expr(''.join(flat))})"
    template = error_template(*(None if isinstance(p, Hole) else str(p) for p in flat))
    return f"raise {exc}({template!r}, {', '.join(holes)})"


def _type_token(t: Any) -> str:
    try:
        return str(stable_token(t))
    except UnhashableGraphError:
        return repr(t)


def node_key(op: Any, node: Any, extra: Iterable[Any] = ()) -> str | None:
    """A cache key: the Op's stable token, the input and output types, and ``extra``.

    ``extra`` holds whatever else the generated text depends on (e.g. variable
    names quoted in error messages). None when the Op has no stable token.
    """
    try:
        tok = stable_token(op)
    except UnhashableGraphError:
        return None
    ins = ",".join(_type_token(i.type) for i in node.inputs)
    outs = ",".join(_type_token(o.type) for o in node.outputs)
    more = "|".join(str(e) for e in extra)
    return f"{type(op).__name__}:{tok}:[{ins}]->[{outs}]:{more}"
