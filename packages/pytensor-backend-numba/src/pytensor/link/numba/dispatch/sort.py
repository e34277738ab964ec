"""Numba kernels of sorting and arg-reductions: SortOp, ArgSortOp, Argmax (layer: pytensor-backend-numba).

Mirrors ``pytensor.tensor.sort`` (and Argmax of ``pytensor.tensor._reduce``).
Arg-sorting is stable (merge sort) whatever ``kind`` says: ties keep their
order, as NumPy's sorts do on short lanes; NumPy's unstable quicksort may order
ties of long lanes differently.
"""

from __future__ import annotations

from typing import Any

from pytensor.link.numba.dispatch._op_utils import (
    Hole,
    compile_source,
    indent,
    node_key,
    raise_stmt,
    scalar_value_expr,
    shape_parts,
)
from pytensor.link.numba.dispatch.basic import NumbaImpl, numba_funcify
from pytensor.tensor._reduce import Argmax
from pytensor.tensor.sort import ArgSortOp, SortOp

__all__ = ["numba_funcify_ArgSortOp", "numba_funcify_Argmax", "numba_funcify_SortOp"]


def _lane_lines(ndim: int, d: int, call: str) -> list[str]:
    """Lines writing ``call(lane)`` into ``out`` for every lane of ``x`` along dimension ``d``."""
    others = [k for k in range(ndim) if k != d]
    idx = ", ".join(":" if k == d else f"i{k}" for k in range(ndim))
    loops = [f"{'    ' * n}for i{k} in range(x.shape[{k}]):" for n, k in enumerate(others)]
    return [*loops, f"{'    ' * len(others)}out[{idx}] = {call.format(lane=f'x[{idx}]')}"]


def _sort_impl(op: Any, node: Any, call: str, out_dtype: str) -> NumbaImpl:
    x, axis = node.inputs
    ndim = x.type.ndim
    lines = [
        f"a = int({scalar_value_expr(axis, 'axis')})",
        f"if not -{ndim} <= a < {ndim}:",
        "    "
        + raise_stmt(
            "ValueError",
            f"{op}: axis ",
            Hole("a"),
            " is out of range for an input of shape ",
            shape_parts("x", ndim),
        ),
        "if a < 0:",
        f"    a += {ndim}",
        f"out = np.empty(x.shape, {out_dtype})",
    ]
    for d in range(ndim):
        lines.append(f"{'if' if d == 0 else 'elif'} a == {d}:")
        lines += indent(_lane_lines(ndim, d, call))
    lines.append("return out")
    src = "\n".join(["def sort(x, axis):", *indent(lines)])
    return compile_source(src, "sort"), node_key(op, node)


@numba_funcify.register(SortOp)
def numba_funcify_SortOp(op: SortOp, node: Any, **kwargs: Any) -> NumbaImpl:
    return _sort_impl(op, node, "np.sort({lane})", "x.dtype")


@numba_funcify.register(ArgSortOp)
def numba_funcify_ArgSortOp(op: ArgSortOp, node: Any, **kwargs: Any) -> NumbaImpl:
    return _sort_impl(op, node, "np.argsort({lane}, kind='mergesort')", "np.int64")


@numba_funcify.register(Argmax)
def numba_funcify_Argmax(op: Argmax, node: Any, **kwargs: Any) -> NumbaImpl:
    ndim = node.inputs[0].type.ndim
    axes = tuple(range(ndim)) if op.axis is None else tuple(op.axis)
    keep = [d for d in range(ndim) if d not in axes]
    perm = tuple(keep + list(axes))
    kept = "".join(f"x.shape[{d}], " for d in keep)
    n_kept = " * ".join(f"x.shape[{d}]" for d in keep) or "1"
    n_red = " * ".join(f"x.shape[{d}]" for d in axes) or "1"
    empty = " or ".join(f"x.shape[{a}] == 0" for a in axes) or "False"
    msg = f"{op}: cannot take the argmax over an empty axis (input shape "
    lines = [
        f"if {empty}:",
        "    " + raise_stmt("ValueError", msg, shape_parts("x", ndim), ")"),
        f"moved = np.ascontiguousarray(np.transpose(x, {perm!r}))" if ndim else "moved = x",
        f"flat = moved.reshape(({n_kept}, {n_red}))",
        f"res = np.empty({n_kept}, np.int64)",
        "for r in range(flat.shape[0]):",
        "    best = flat[r, 0]",
        "    k = 0",
        "    if best == best:",
        "        for i in range(1, flat.shape[1]):",
        "            v = flat[r, i]",
        "            if v != v:",
        "                k = i",
        "                break",
        "            if v > best:",
        "                best = v",
        "                k = i",
        "    res[r] = k",
        f"return res.reshape(({kept}))",
    ]
    src = "\n".join(["def argmax(x):", *indent(lines)])
    return compile_source(src, "argmax"), node_key(op, node)
