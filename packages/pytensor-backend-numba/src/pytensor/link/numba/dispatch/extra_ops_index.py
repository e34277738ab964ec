"""Numba kernels of the counting and index-conversion Ops (layer: pytensor-backend-numba).

Unique, BinCount (``pytensor.tensor._extra_unique``), RavelMultiIndex and
UnravelIndex (``pytensor.tensor._extra_index``), all re-exported by
``pytensor.tensor.extra_ops``.
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
)
from pytensor.link.numba.dispatch.basic import NumbaImpl, numba_funcify
from pytensor.tensor._extra_index import RavelMultiIndex, UnravelIndex
from pytensor.tensor._extra_unique import BinCount, Unique

__all__ = [
    "numba_funcify_BinCount",
    "numba_funcify_RavelMultiIndex",
    "numba_funcify_Unique",
    "numba_funcify_UnravelIndex",
]

# Rows of a 2-d array in lexicographic order: a stable merge sort of row numbers.
# NumPy's unique with an axis compares the sub-arrays element by element, sorts
# NaN last, and never treats two rows holding NaN as equal.
_ROW_SORT = """
def row_less(a, i, j):
    for c in range(a.shape[1]):
        u, v = a[i, c], a[j, c]
        if u < v or (v != v and u == u):
            return True
        if v < u or (u != u and v == v):
            return False
    return False

def row_equal(a, i, j):
    for c in range(a.shape[1]):
        if a[i, c] != a[j, c]:
            return False
    return True

def row_argsort(a):
    n = a.shape[0]
    perm = np.arange(n)
    tmp = np.empty(n, np.int64)
    width = 1
    while width < n:
        for lo in range(0, n, 2 * width):
            mid = min(lo + width, n)
            hi = min(lo + 2 * width, n)
            i, j, k = lo, mid, lo
            while i < mid and j < hi:
                if row_less(a, perm[j], perm[i]):
                    tmp[k] = perm[j]
                    j += 1
                else:
                    tmp[k] = perm[i]
                    i += 1
                k += 1
            while i < mid:
                tmp[k] = perm[i]
                i += 1
                k += 1
            while j < hi:
                tmp[k] = perm[j]
                j += 1
                k += 1
        perm[:] = tmp
        width *= 2
    return perm
"""


_ROW_SORT_ENV: dict[str, Any] = {}


def _row_sort_env() -> dict[str, Any]:
    """The jitted row comparison and row argsort, compiled lazily once per process."""
    if not _ROW_SORT_ENV:
        import numba

        raw = compile_source(_ROW_SORT, "row_argsort")
        glb = raw.__globals__
        for helper in ("row_less", "row_equal"):
            glb[helper] = numba.njit(glb[helper])
            _ROW_SORT_ENV[helper] = glb[helper]
        _ROW_SORT_ENV["row_argsort"] = numba.njit(raw)
    return _ROW_SORT_ENV


def _unique_groups_lines(flat: bool, is_float: bool) -> list[str]:
    """Lines computing the sorted order ``perm`` and the group starts ``starts`` (``ng`` groups)."""
    if flat:
        lines = ["perm = np.argsort(rows, kind='mergesort')"]
        same = "rows[perm[i]] == rows[perm[i - 1]]"
        if is_float:  # NaNs sort last and form one group (NumPy's equal_nan=True)
            same = f"({same} or (np.isnan(rows[perm[i]]) and np.isnan(rows[perm[i - 1]])))"
    else:
        lines = ["perm = row_argsort(rows)"]
        same = "row_equal(rows, perm[i - 1], perm[i])"
    return [
        *lines,
        "n = perm.shape[0]",
        "starts = np.empty(n + 1, np.int64)",
        "ng = 0",
        "for i in range(n):",
        f"    if i == 0 or not {same}:",
        "        starts[ng] = i",
        "        ng += 1",
        "starts[ng] = n",
    ]


@numba_funcify.register(Unique)
def numba_funcify_Unique(op: Unique, node: Any, **kwargs: Any) -> NumbaImpl:
    x = node.inputs[0]
    ndim, ax = x.type.ndim, op.axis
    flat = ax is None
    if flat:
        lines = ["rows = x.ravel()" if ndim else "rows = x.reshape((1,))"]
    else:
        perm = [ax] + [d for d in range(ndim) if d != ax]
        rest = " * ".join(f"x.shape[{d}]" for d in perm[1:]) or "1"
        lines = [
            f"moved = np.ascontiguousarray(np.transpose(x, {tuple(perm)!r}))",
            f"rows = moved.reshape((x.shape[{ax}], {rest}))",
        ]
    lines += _unique_groups_lines(flat, x.type.dtype.startswith("float"))
    if flat:
        lines += ["vals = np.empty(ng, x.dtype)", "for g in range(ng):"]
        lines.append("    vals[g] = rows[perm[starts[g]]]")
        result = ["vals"]
    else:
        lines += ["vals = np.empty((ng, rows.shape[1]), x.dtype)", "for g in range(ng):"]
        lines.append("    vals[g] = rows[perm[starts[g]]]")
        other = [d for d in range(ndim) if d != ax]
        moved = ", ".join(["ng", *(f"x.shape[{d}]" for d in other)])
        back = [0] * ndim
        for pos, d in enumerate([ax, *other]):
            back[d] = pos
        lines.append(f"vals_nd = np.transpose(vals.reshape(({moved},)), {tuple(back)!r}).copy()")
        result = ["vals_nd"]
    if op.return_index:
        lines += ["index = np.empty(ng, np.int64)", "for g in range(ng):"]
        lines.append("    index[g] = perm[starts[g]]")
        result.append("index")
    if op.return_inverse:
        lines += ["inverse = np.empty(n, np.int64)", "for g in range(ng):"]
        lines += ["    for i in range(starts[g], starts[g + 1]):", "        inverse[perm[i]] = g"]
        result.append("inverse")
    if op.return_counts:
        lines += ["counts = np.empty(ng, np.int64)", "for g in range(ng):"]
        lines.append("    counts[g] = starts[g + 1] - starts[g]")
        result.append("counts")
    lines.append(f"return {', '.join(result)}")
    src = "\n".join(["def unique(x):", *indent(lines)])
    return compile_source(src, "unique", _row_sort_env()), node_key(op, node)


@numba_funcify.register(BinCount)
def numba_funcify_BinCount(op: BinCount, node: Any, **kwargs: Any) -> NumbaImpl:
    x, minlength, *rest = node.inputs
    out_dtype = dtype_expr(node.outputs[0].type.dtype)
    lines = [
        "xi = x.astype(np.int64)",
        "if xi.size and xi.min() < 0:",
        "    "
        + raise_stmt(
            "ValueError", f"{op}: x must be non-negative, got a minimum of ", Hole("xi.min()")
        ),
        f"m = int({scalar_value_expr(minlength, 'minlength')})",
        "if m < 0:",
        "    " + raise_stmt("ValueError", f"{op}: minlength must be non-negative, got ", Hole("m")),
    ]
    if rest:
        lines += [
            "if weights.shape[0] != x.shape[0]:",
            "    "
            + raise_stmt(
                "ValueError",
                f"{op}: weights of shape ",
                shape_parts("weights", 1),
                " do not match x of shape ",
                shape_parts("x", 1),
            ),
        ]
    lines += [
        "n = max(xi.max() + 1 if xi.size else 0, m)",
        f"acc = np.zeros(n, {'np.float64' if rest else 'np.int64'})",
        "for i in range(xi.shape[0]):",
        f"    acc[xi[i]] += {'weights[i]' if rest else '1'}",
        f"return acc.astype({out_dtype})",
    ]
    args = "x, minlength, weights" if rest else "x, minlength"
    src = "\n".join([f"def bincount({args}):", *indent(lines)])
    return compile_source(src, "bincount"), node_key(op, node)


def _strides_lines(nd: int, order: str) -> list[str]:
    """Lines setting ``st{k}``: the flat stride of dimension ``k`` of shape ``dv{k}``."""
    dims = list(range(nd)) if order == "F" else list(range(nd - 1, -1, -1))
    lines = ["acc = 1"]
    for k in dims:
        lines += [f"st{k} = acc", f"acc *= dv{k}"]
    return lines


@numba_funcify.register(RavelMultiIndex)
def numba_funcify_RavelMultiIndex(op: RavelMultiIndex, node: Any, **kwargs: Any) -> NumbaImpl:
    *multi, _ = node.inputs
    n, ndim = len(multi), multi[0].type.ndim
    names = [f"c{k}" for k in range(n)]
    lines = [f"dv{k} = int(dims[{k}])" for k in range(n)]
    shapes: list[Any] = []
    for c in names:
        shapes += [", "] if shapes else []
        shapes.append(shape_parts(c, ndim))
    for d in range(ndim):
        cands = [
            f"{c}.shape[{d}]" for c, m in zip(names, multi, strict=True) if m.type.shape[d] != 1
        ]
        lines.append(f"B{d} = {cands[0] if cands else 1}")
        if len(cands) > 1:
            lines += [
                f"if {' or '.join(f'{c} != B{d}' for c in cands[1:])}:",
                "    "
                + raise_stmt(
                    "ValueError",
                    f"{op}: shapes ",
                    shapes,
                    f" do not match at dimension {d}; only dimensions of static length 1 broadcast",
                ),
            ]
    lines += _strides_lines(n, op.order)
    lines.append(f"out = np.empty(({''.join(f'B{d}, ' for d in range(ndim))}), np.int64)")
    body = ["flat = 0"]
    for k, (c, m) in enumerate(zip(names, multi, strict=True)):
        idx = ", ".join("0" if m.type.shape[d] == 1 else f"r{d}" for d in range(ndim))
        body.append(f"v = int({c}[{idx}])" if ndim else f"v = int({c}[()])")
        if op.mode == "raise":
            body += [
                f"if v < 0 or v >= dv{k}:",
                "    raise ValueError('invalid entry in coordinates array')",
            ]
        elif op.mode == "wrap":
            body.append(f"v = v % dv{k}")
        else:
            body.append(f"v = min(max(v, 0), dv{k} - 1)")
        body.append(f"flat += v * st{k}")
    body.append(f"out[{', '.join(f'r{d}' for d in range(ndim)) or '()'}] = flat")
    loops = [f"{'    ' * d}for r{d} in range(B{d}):" for d in range(ndim)]
    lines += [*loops, *indent(body, ndim), "return out"]
    src = "\n".join([f"def ravel_multi_index({', '.join(names)}, dims):", *indent(lines)])
    return compile_source(src, "ravel_multi_index"), node_key(op, node)


@numba_funcify.register(UnravelIndex)
def numba_funcify_UnravelIndex(op: UnravelIndex, node: Any, **kwargs: Any) -> NumbaImpl:
    indices = node.inputs[0]
    n, ind = len(node.outputs), indices.type.ndim
    order = list(range(n - 1, -1, -1)) if op.order == "C" else list(range(n))
    lines = [f"dv{k} = int(dims[{k}])" for k in range(n)]
    lines.append("size = " + (" * ".join(f"dv{k}" for k in range(n)) or "1"))
    lines.append("flat = indices.ravel()" if ind else "flat = indices.reshape((1,))")
    lines += [f"o{k} = np.empty(flat.shape[0], np.int64)" for k in range(n)]
    lines += [
        "for i in range(flat.shape[0]):",
        "    v = int(flat[i])",
        "    if v < 0 or v >= size:",
        "        "
        + raise_stmt(
            "ValueError",
            "index ",
            Hole("v"),
            " is out of bounds for array with size ",
            Hole("size"),
        ),
    ]
    for k in order:
        lines += [f"    o{k}[i] = v % dv{k}", f"    v //= dv{k}"]
    target = "indices.shape" if ind else "()"
    outs = [f"o{k}.reshape({target})" for k in range(n)]
    lines.append(f"return {', '.join(outs) if n > 1 else outs[0]}")
    src = "\n".join(["def unravel_index(indices, dims):", *indent(lines)])
    return compile_source(src, "unravel_index"), node_key(op, node)
