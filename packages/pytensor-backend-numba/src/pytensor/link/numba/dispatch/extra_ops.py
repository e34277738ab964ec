"""Numba kernels of the extra tensor Ops (layer: pytensor-backend-numba).

Mirrors ``pytensor.tensor.extra_ops`` and the private modules it re-exports:
CumOp, Repeat, SearchsortedOp, FillDiagonal, BroadcastTo (``_extra_broadcast``).
Unique, BinCount, RavelMultiIndex and UnravelIndex are in ``extra_ops_index``.
"""

from __future__ import annotations

from typing import Any

from pytensor.link.numba.dispatch._op_utils import (
    Hole,
    compile_source,
    dtype_expr,
    indent,
    node_key,
    raise_stmt,
    scalar_value_expr,
    shape_parts,
    tuple_parts,
)
from pytensor.link.numba.dispatch.basic import NumbaImpl, numba_funcify
from pytensor.tensor._extra_broadcast import BroadcastTo
from pytensor.tensor.extra_ops import CumOp, FillDiagonal, Repeat, SearchsortedOp

__all__ = [
    "numba_funcify_BroadcastTo",
    "numba_funcify_CumOp",
    "numba_funcify_FillDiagonal",
    "numba_funcify_Repeat",
    "numba_funcify_SearchsortedOp",
]


def _along(ndim: int, d: int, sl: str) -> str:
    """An index applying ``sl`` along dimension ``d`` of an ``ndim``-d array."""
    return ", ".join(sl if k == d else ":" for k in range(ndim))


@numba_funcify.register(CumOp)
def numba_funcify_CumOp(op: CumOp, node: Any, **kwargs: Any) -> NumbaImpl:
    ndim, ax = node.inputs[0].type.ndim, op.axis
    sym = "+" if op.mode == "add" else "*"
    cur, prev = _along(ndim, ax, "i"), _along(ndim, ax, "i - 1")
    # Sequential along the axis, in the output dtype (as NumPy's cumsum with dtype=).
    src = "\n".join(
        [
            "def cumop(x):",
            f"    out = x.astype({dtype_expr(node.outputs[0].type.dtype)})",
            f"    for i in range(1, x.shape[{ax}]):",
            f"        out[{cur}] = out[{cur}] {sym} out[{prev}]",
            "    return out",
        ]
    )
    return compile_source(src, "cumop"), node_key(op, node)


@numba_funcify.register(Repeat)
def numba_funcify_Repeat(op: Repeat, node: Any, **kwargs: Any) -> NumbaImpl:
    x, reps = node.inputs
    rnd = reps.type.ndim
    # The array itself rides in the exception: the linker prints it as NumPy does.
    head = f"{op}: repeats must be non-negative, got "
    lines = [
        "if np.any(repeats < 0):",
        "    " + raise_stmt("ValueError", head, Hole("repeats")),
    ]
    if op.axis is None:
        lines.append("src = x.ravel()" if x.type.ndim else "src = x.reshape((1,))")
        ndim, ax, n = 1, 0, "src.shape[0]"
    else:
        lines.append("src = x")
        ndim, ax, n = x.type.ndim, op.axis, f"x.shape[{op.axis}]"
    if rnd == 1 and reps.type.shape[0] != 1:
        lines += [
            f"if repeats.shape[0] != {n}:",
            "    "
            + raise_stmt(
                "ValueError",
                f"{op}: ",
                Hole("repeats.shape[0]"),
                " repeat counts for ",
                Hole(n),
                " elements (input shape ",
                shape_parts("x", x.type.ndim),
                ")",
            ),
        ]
    count = "repeats[i if repeats.shape[0] > 1 else 0]" if rnd == 1 else "repeats[()]"
    shape = ", ".join("total" if d == ax else f"src.shape[{d}]" for d in range(ndim))
    lines += [
        "total = 0",
        f"for i in range({n}):",
        f"    total += {count}",
        f"out = np.empty(({shape},), src.dtype)",
        "pos = 0",
        f"for i in range({n}):",
        f"    for r in range({count}):",
        f"        out[{_along(ndim, ax, 'pos')}] = src[{_along(ndim, ax, 'i')}]",
        "        pos += 1",
        "return out",
    ]
    src = "\n".join(["def repeat(x, repeats):", *indent(lines)])
    return compile_source(src, "repeat"), node_key(op, node)


@numba_funcify.register(SearchsortedOp)
def numba_funcify_SearchsortedOp(op: SearchsortedOp, node: Any, **kwargs: Any) -> NumbaImpl:
    x, v, *rest = node.inputs
    vnd = v.type.ndim
    lines = []
    if rest:
        lines += [
            "if sorter.shape[0] != x.shape[0]:",
            "    "
            + raise_stmt(
                "ValueError",
                f"{op}: sorter of shape ",
                shape_parts("sorter", 1),
                " does not match the array's shape ",
                shape_parts("x", 1),
            ),
            "a = x[sorter]",
        ]
    else:
        lines.append("a = x")
    if vnd == 0:
        lines += [
            "out = np.empty((), np.int64)",
            f"out[()] = np.searchsorted(a, v[()], side={op.side!r})",
            "return out",
        ]
    else:
        lines.append(f"return np.searchsorted(a, v, side={op.side!r}).astype(np.int64)")
    args = "x, v, sorter" if rest else "x, v"
    src = "\n".join([f"def searchsorted({args}):", *indent(lines)])
    return compile_source(src, "searchsorted"), node_key(op, node)


@numba_funcify.register(FillDiagonal)
def numba_funcify_FillDiagonal(op: FillDiagonal, node: Any, **kwargs: Any) -> NumbaImpl:
    ndim = node.inputs[0].type.ndim
    lines = []
    if ndim > 2:
        cond = " or ".join(f"a.shape[{d}] != a.shape[0]" for d in range(1, ndim))
        lines += [
            f"if {cond}:",
            "    "
            + raise_stmt(
                "ValueError",
                f"{op}: all dimensions of the {ndim}-d input must be equal, got shape ",
                shape_parts("a", ndim),
            ),
        ]
    n = "min(a.shape[0], a.shape[1])" if ndim == 2 else "a.shape[0]"
    lines += [
        "out = a.copy()",
        f"v = {scalar_value_expr(node.inputs[1], 'val')}",
        f"for i in range({n}):",
        f"    out[{', '.join(['i'] * ndim)}] = v",
        "return out",
    ]
    src = "\n".join(["def fill_diagonal(a, val):", *indent(lines)])
    return compile_source(src, "fill_diagonal"), node_key(op, node)


@numba_funcify.register(BroadcastTo)
def numba_funcify_BroadcastTo(op: BroadcastTo, node: Any, **kwargs: Any) -> NumbaImpl:
    x, *dims = node.inputs
    xnd, nd = x.type.ndim, len(dims)
    names = [f"d{k}" for k in range(nd)]
    lines = [f"s{k} = int({scalar_value_expr(v, names[k])})" for k, v in enumerate(dims)]
    offset = nd - xnd
    bad = [f"s{k} < 0" for k in range(nd)]
    bad += [f"(x.shape[{j}] != 1 and x.shape[{j}] != s{offset + j})" for j in range(xnd)]
    lines += [
        f"if {' or '.join(bad) or 'False'}:",
        "    "
        + raise_stmt(
            "ValueError",
            f"{op}: cannot broadcast an input of shape ",
            shape_parts("x", xnd),
            " to shape ",
            tuple_parts([f"s{k}" for k in range(nd)]),
            ": each input dimension must have length 1 or the target length",
        ),
        f"out = np.empty(({''.join(f's{k}, ' for k in range(nd))}), "
        f"{dtype_expr(node.outputs[0].type.dtype)})",
        "out[...] = x" if xnd else ("out.fill(x[()])" if nd else "out[()] = x[()]"),
        "return out",
    ]
    src = "\n".join([f"def broadcast_to(x, {', '.join(names)}):", *indent(lines)])
    return compile_source(src, "broadcast_to"), node_key(op, node)


# Registers Unique, BinCount, RavelMultiIndex and UnravelIndex (split out for size).
from pytensor.link.numba.dispatch import extra_ops_index  # noqa: E402, F401
