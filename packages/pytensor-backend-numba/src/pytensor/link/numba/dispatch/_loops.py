"""Source generators for the fused loop nests of Elemwise and reductions (layer: pytensor-backend-numba).

The generated text depends only on the number of dimensions, which
dimensions of each input broadcast (static length 1), the dtypes and the
Op's printed name (used in error messages); it is memoised on those. The
scalar work is a call to a global ``scalar_fn`` (inlined by LLVM).

Loops run in C order over the output; an input that broadcasts over all the
inner dimensions from some level on is loaded once at that level, so the
innermost loop is a plain strided or contiguous loop LLVM can vectorize.
"""

from __future__ import annotations

import functools
from collections.abc import Sequence

import numpy as np

from pytensor.link.numba.dispatch.basic import error_template

__all__ = ["dtype_expr", "elemwise_source", "reduce_source"]

#: Static broadcast pattern of one input: True where its static length is 1.
Pattern = tuple[bool, ...]


def dtype_expr(dtype: str) -> str:
    """The NumPy dtype object of ``dtype`` as nopython source text."""
    if dtype == "bool":
        return "np.bool_"
    return f"np.{np.dtype(dtype).name}"


def _shape_template(ndim: int) -> list[str | None]:
    if ndim == 0:
        return ["()"]
    parts: list[str | None] = ["("]
    for d in range(ndim):
        parts.append(None)
        if d < ndim - 1:
            parts.append(", ")
    parts.append(",)" if ndim == 1 else ")")
    return parts


def _mismatch_template(
    opname: str, first: int, k: int, d: int, ndim: int, small: int | None, static_small: str
) -> str:
    parts: list[str | None] = [f"{opname}: shapes "]
    parts += _shape_template(ndim)
    parts.append(f" (input {first}) and ")
    parts += _shape_template(ndim)
    parts.append(f" (input {k}) do not match at dimension {d}. ")
    if small is None:
        parts.append("The lengths must be equal")
    else:
        parts.append(
            f"Input {small} has length 1 there but its static shape {static_small} does not say "
            "so, and runtime broadcasting is not allowed: declare the dimension as length 1 (e.g. "
            "shape=(1, ...) when creating the variable, or pt.specify_broadcastable(x, "
            f"{d}))"
        )
    return error_template(*parts)


def shape_lines(
    opname: str, patterns: Sequence[Pattern], statics: Sequence[str], indent: str = "    "
) -> list[str]:
    """Lines that set ``s<d>`` (the output length of each dimension) and check the inputs agree.

    The error is the one ``Elemwise.perform`` raises, same order and message.
    """
    ndim = len(patterns[0]) if patterns else 0
    lines: list[str] = []
    for d in range(ndim):
        ks = [k for k, p in enumerate(patterns) if not p[d]]
        if not ks:
            lines.append(f"{indent}s{d} = 1")
            continue
        first = ks[0]
        lines.append(f"{indent}s{d} = x{first}.shape[{d}]")
        for k in ks[1:]:
            args = ", ".join(
                [f"x{first}.shape[{e}]" for e in range(ndim)]
                + [f"x{k}.shape[{e}]" for e in range(ndim)]
            )
            t_k = _mismatch_template(opname, first, k, d, ndim, k, statics[k])
            t_f = _mismatch_template(opname, first, k, d, ndim, first, statics[first])
            t_eq = _mismatch_template(opname, first, k, d, ndim, None, "")
            lines += [
                f"{indent}if x{k}.shape[{d}] != s{d}:",
                f"{indent}    if x{k}.shape[{d}] == 1:",
                f"{indent}        raise ValueError({t_k!r}, {args})",
                f"{indent}    if s{d} == 1:",
                f"{indent}        raise ValueError({t_f!r}, {args})",
                f"{indent}    raise ValueError({t_eq!r}, {args})",
            ]
    return lines


def _index(pattern: Pattern, upto: int | None = None) -> str:
    """Index text of an input: loop variable, or 0 on broadcast dims (and dims >= upto)."""
    ndim = len(pattern)
    if ndim == 0:
        return "()"
    idx = [
        "0" if (b or (upto is not None and d >= upto)) else f"j{d}" for d, b in enumerate(pattern)
    ]
    return ", ".join(idx)


def _hoist_level(pattern: Pattern) -> int:
    """The loop level from which ``pattern`` broadcasts over every remaining dimension."""
    level = len(pattern)
    while level > 0 and pattern[level - 1]:
        level -= 1
    return level


def value_exprs(patterns: Sequence[Pattern]) -> tuple[dict[int, list[str]], list[str]]:
    """Hoisted loads per loop level, and the expression of each input inside the loop body."""
    ndim = len(patterns[0]) if patterns else 0
    hoisted: dict[int, list[str]] = {}
    exprs = []
    for k, p in enumerate(patterns):
        level = _hoist_level(p)
        if level < ndim:
            hoisted.setdefault(level, []).append(f"t{k} = x{k}[{_index(p, level)}]")
            exprs.append(f"t{k}")
        else:
            exprs.append(f"x{k}[{_index(p)}]")
    return hoisted, exprs


@functools.cache
def elemwise_source(
    opname: str,
    patterns: tuple[Pattern, ...],
    statics: tuple[str, ...],
    out_dtypes: tuple[str, ...],
    inplace: tuple[tuple[int, int], ...],
) -> str:
    """Source of ``elemwise(x0, ...)``: checks shapes, allocates (or reuses) outputs, one loop nest."""
    nin = len(patterns)
    ndim = len(patterns[0]) if patterns else 0
    args = ", ".join(f"x{k}" for k in range(nin))
    lines = [f"def elemwise({args}):", *shape_lines(opname, patterns, statics)]
    shape = "(" + "".join(f"s{d}, " for d in range(ndim)) + ")"
    inplace_map = dict(inplace)
    for m, dt in enumerate(out_dtypes):
        if m in inplace_map:
            lines.append(f"    o{m} = x{inplace_map[m]}")
        else:
            lines.append(f"    o{m} = np.empty({shape}, {dtype_expr(dt)})")
            if ndim:
                lines.append(f"    advise_hugepages(o{m})")
    hoisted, exprs = value_exprs(patterns)
    ind = "    "
    for level in range(ndim + 1):
        for load in hoisted.get(level, []):
            lines.append(ind + load)
        if level < ndim:
            lines.append(f"{ind}for j{level} in range(s{level}):")
            ind += "    "
    out_idx = ", ".join(f"j{d}" for d in range(ndim)) if ndim else "()"
    call = f"scalar_fn({', '.join(exprs)})"
    if len(out_dtypes) == 1:
        lines.append(f"{ind}o0[{out_idx}] = {call}")
    else:
        lines.append(f"{ind}r = {call}")
        for m in range(len(out_dtypes)):
            lines.append(f"{ind}o{m}[{out_idx}] = r[{m}]")
    outs = ", ".join(f"o{m}" for m in range(len(out_dtypes)))
    lines.append(f"    return {outs}" if len(out_dtypes) == 1 else f"    return ({outs},)")
    return "\n".join(lines) + "\n"


def _empty_check(redname: str, axes: tuple[int, ...], ndim: int) -> list[str]:
    cond = " or ".join(f"s{a} == 0" for a in axes)
    t = error_template(
        f"{redname}: cannot reduce an empty dimension (shape ",
        *_shape_template(ndim),
        "): the operation has no identity",
    )
    args = ", ".join(f"s{d}" for d in range(ndim))
    return [f"    if {cond}:", f"        raise ValueError({t!r}, {args})"]


@functools.cache
def reduce_source(
    opname: str,
    redname: str,
    patterns: tuple[Pattern, ...],
    statics: tuple[str, ...],
    axes: tuple[int, ...],
    red_expr: str,
    identity: str | None,
    acc_dtype: str,
    out_dtype: str,
    unroll: int = 1,
) -> str:
    """Source of ``reduce(x0, ...)``: ``red_expr`` (in ``a`` and ``v``) over ``scalar_fn(x0, ...)``.

    ``identity`` is source text of the start value, or None (then an empty
    reduced dimension is an error and the first element starts). ``unroll > 1``
    (only for an associative ``red_expr`` with an identity) accumulates the
    innermost reduced dimension in that many independent partial results, which
    LLVM vectorizes (and which rounds better than one long chain).
    """
    nin = len(patterns)
    ndim = len(patterns[0]) if patterns else 0
    lines = [f"def reduce({', '.join(f'x{k}' for k in range(nin))}):"]
    lines += shape_lines(opname, patterns, statics)
    if identity is None and axes:
        lines += _empty_check(redname, axes, ndim)
    acc_t = dtype_expr(acc_dtype)
    hoisted, exprs = value_exprs(patterns)
    call = f"scalar_fn({', '.join(exprs)})"
    value = f"{acc_t}(e)"
    kept = [d for d in range(ndim) if d not in axes]
    # From ``inner`` on every dimension is reduced: accumulate in a local there.
    inner = ndim
    while inner > 0 and (inner - 1) in axes:
        inner -= 1
    out_shape = "(" + "".join(f"s{d}, " for d in kept) + ")"
    out_idx = ", ".join(f"j{d}" for d in kept) if kept else "()"
    if identity is not None:
        # np.empty + a fill loop: np.full and astype are costly numba overloads to compile.
        lines.append(f"    acc = np.empty({out_shape}, {acc_t})")
        lines += _fill(kept, out_idx, identity)
    else:
        lines.append(f"    acc = np.empty({out_shape}, {acc_t})")
        lines += _init_first(ndim, kept, axes, hoisted, call, value, out_idx)
    split = unroll > 1 and inner < ndim
    ind = "    "
    for level in range(ndim + 1):
        for load in hoisted.get(level, []):
            lines.append(ind + load)
        if level == inner:
            lines.append(f"{ind}a = acc[{out_idx}]")
        if split and level == ndim - 1:
            lines += _unrolled(ind, ndim - 1, unroll, call, value, red_expr, identity or "")
            break
        if level < ndim:
            lines.append(f"{ind}for j{level} in range(s{level}):")
            ind += "    "
    else:
        lines.append(f"{ind}e = {call}")
        lines.append(f"{ind}v = {value}")
        lines.append(f"{ind}a = {red_expr}")
    lines.append(f"{'    ' * (inner + 1)}acc[{out_idx}] = a")
    if np.dtype(acc_dtype) == np.dtype(out_dtype):
        lines.append("    return acc")
    else:
        lines.append(f"    out = np.empty({out_shape}, {dtype_expr(out_dtype)})")
        lines += _fill(kept, out_idx, f"acc[{out_idx}]", target="out")
        lines.append("    return out")
    return "\n".join(lines) + "\n"


def _unrolled(
    ind: str, d: int, n: int, call: str, value: str, red_expr: str, identity: str
) -> list[str]:
    """The innermost reduced loop over ``j<d>`` with ``n`` partial accumulators."""
    lines = [f"{ind}m{d} = s{d} - s{d} % {n}"]
    lines += [f"{ind}p{u} = {identity}" for u in range(n)]
    lines.append(f"{ind}for jb in range(0, m{d}, {n}):")
    for u in range(n):
        part = red_expr.replace("a ", f"p{u} ", 1)
        lines += [
            f"{ind}    j{d} = jb + {u}",
            f"{ind}    e = {call}",
            f"{ind}    v = {value}",
            f"{ind}    p{u} = {part}",
        ]
    lines.append(f"{ind}for j{d} in range(m{d}, s{d}):")
    lines += [f"{ind}    e = {call}", f"{ind}    v = {value}", f"{ind}    a = {red_expr}"]
    parts = [f"p{u}" for u in range(n)]
    while len(parts) > 1:
        parts = [
            red_expr.replace("a", parts[k], 1).replace("v", parts[k + 1], 1)
            for k in range(0, len(parts), 2)
        ]
        parts = [f"({q})" for q in parts]
    lines.append(f"{ind}v = {parts[0]}")
    lines.append(f"{ind}a = {red_expr}")
    return lines


def _fill(kept: list[int], out_idx: str, value: str, target: str = "acc") -> list[str]:
    """Lines setting every element of ``target`` (indexed by the kept dims) to ``value``."""
    lines = []
    ind = "    "
    for d in kept:
        lines.append(f"{ind}for j{d} in range(s{d}):")
        ind += "    "
    lines.append(f"{ind}{target}[{out_idx}] = {value}")
    return lines


def _init_first(
    ndim: int,
    kept: list[int],
    axes: tuple[int, ...],
    hoisted: dict[int, list[str]],
    call: str,
    value: str,
    out_idx: str,
) -> list[str]:
    """Lines that set ``acc`` to the first element of each reduced block (no identity)."""
    lines = []
    for d in axes:
        lines.append(f"    j{d} = 0")
    ind = "    "
    for d in kept:
        lines.append(f"{ind}for j{d} in range(s{d}):")
        ind += "    "
    # Hoisted names are loaded inside the main loops; recompute them here at index 0.
    loads = [load for level in sorted(hoisted) for load in hoisted[level]]
    for load in loads:
        lines.append(ind + load)
    lines.append(f"{ind}e = {call}")
    lines.append(f"{ind}acc[{out_idx}] = {value}")
    return lines
