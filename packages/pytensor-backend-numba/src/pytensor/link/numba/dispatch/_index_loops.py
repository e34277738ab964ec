"""Source generation of the indexing loops shared by the Subtensor-family kernels (layer: pytensor-backend-numba).

One generator covers reading (``x[idx]``), setting and incrementing a region of
``x`` for basic entries (integers, slices) and advanced ones (integer arrays of
any rank, boolean masks, new axes). The index structure (``idx_list``) is
static, so the generated code has one explicit loop per dimension of the
region; the placement of the broadcast index dimensions follows NumPy's rule
(adjacent index arrays stay in place, separated ones go first), as
``pytensor.tensor._advanced_index`` states it. Runtime checks raise the
exceptions of the Ops' ``perform`` with the same messages.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import numpy as np

from pytensor.graph.basic import Constant
from pytensor.graph.type import Type
from pytensor.link.numba.dispatch._op_utils import (
    Hole,
    indent,
    raise_stmt,
    scalar_value_expr,
    shape_parts,
    tuple_parts,
)
from pytensor.tensor.type import TensorType

__all__ = ["Entry", "entries_from_idx_list", "index_loop_source", "scalar_index_lines"]


@dataclass
class Entry:
    """One index entry: ``kind`` is "new", "slice", "scalar" (basic integer), "int" or "bool"."""

    kind: str
    args: list[str] = field(default_factory=list)  # source of the input values it reads
    var: Any = None  # the symbolic index input (arrays)
    fields: tuple[bool, bool, bool] = (False, False, False)  # slice: start/stop/step given


def entries_from_idx_list(idx_list: Any, index_vars: list[Any], names: list[str]) -> list[Entry]:
    """The entries of an ``idx_list`` whose flat index inputs are ``index_vars`` named ``names``."""
    it = iter(zip(index_vars, names, strict=True))
    out = []
    for e in idx_list:
        if e is None:
            out.append(Entry("new"))
        elif isinstance(e, slice):
            given = tuple(isinstance(f, Type) for f in (e.start, e.stop, e.step))
            args = [scalar_value_expr(*next(it)) for g in given if g]
            out.append(Entry("slice", args, fields=given))  # type: ignore[arg-type]
        elif isinstance(e, TensorType):
            var, name = next(it)
            out.append(Entry("bool" if e.dtype == "bool" else "int", [name], var))
        else:
            var, name = next(it)
            out.append(Entry("scalar", [scalar_value_expr(var, name)], var))
    return out


def _dims(k: int, n: int) -> str:
    return f"the dimension {k}" if n == 1 else f"the dimensions {k}..{k + n - 1}"


def _slice_lines(op: Any, j: int, e: Entry, k: int) -> list[str]:
    """Lines normalising slice ``j`` on axis ``k`` into start ``st{j}``, step ``sp{j}``, ``ln{j}``."""
    args = iter(e.args)
    start = next(args) if e.fields[0] else None
    stop = next(args) if e.fields[1] else None
    step = next(args) if e.fields[2] else None
    n = f"x.shape[{k}]"
    lines = [f"sp{j} = {'int(' + step + ')' if step else '1'}"]
    if step:
        lines += [
            f"if sp{j} == 0:",
            "    " + raise_stmt("ValueError", f"{op}: slice step cannot be zero (axis {k})"),
        ]
    for name, value, neg_default, pos_default in (
        (f"st{j}", start, f"{n} - 1", "0"),
        (f"e{j}", stop, "-1", n),
    ):
        if value is None:
            lines.append(f"{name} = {neg_default} if sp{j} < 0 else {pos_default}")
            continue
        lines += [
            f"{name} = int({value})",
            f"if {name} < 0:",
            f"    {name} += {n}",
            f"    if {name} < 0:",
            f"        {name} = -1 if sp{j} < 0 else 0",
            f"elif {name} >= {n}:",
            f"    {name} = {n} - 1 if sp{j} < 0 else {n}",
        ]
    lines += [
        f"if sp{j} > 0:",
        f"    ln{j} = (e{j} - st{j} - 1) // sp{j} + 1 if e{j} > st{j} else 0",
        "else:",
        f"    ln{j} = (st{j} - e{j} - 1) // (-sp{j}) + 1 if st{j} > e{j} else 0",
    ]
    return lines


def _bounds_lines(op: Any, lo: str, hi: str, k: int) -> list[str]:
    n = f"x.shape[{k}]"
    return [
        f"if {lo} < -{n} or {hi} >= {n}:",
        f"    bad = {lo} if {lo} < -{n} else {hi}",
        "    "
        + raise_stmt(
            "IndexError",
            f"{op}: index ",
            Hole("int(bad)"),
            f" is out of bounds for axis {k} with size ",
            Hole(n),
        ),
    ]


def _array_lines(op: Any, j: int, e: Entry, k: int, xnd: int) -> list[str]:
    """Checks of index array ``j`` (on axis ``k``); a mask also gets its coordinates ``nz{j}``."""
    a = e.args[0]
    m = e.var.type.ndim
    if e.kind == "int":
        if m == 0:
            return [f"lo{j} = {a}[()]", *_bounds_lines(op, f"lo{j}", f"lo{j}", k)]
        return [
            f"if {a}.size > 0:",
            f"    lo{j} = {a}.min()",
            f"    hi{j} = {a}.max()",
            *indent(_bounds_lines(op, f"lo{j}", f"hi{j}", k)),
        ]
    if m == 0:
        return [f"cnt{j} = 1 if {a}[()] else 0"]
    cond = " or ".join(f"{a}.shape[{t}] != x.shape[{k + t}]" for t in range(m))
    own = tuple_parts([f"x.shape[{k + t}]" for t in range(m)])
    return [
        f"if {cond}:",
        "    "
        + raise_stmt(
            "IndexError",
            f"{op}: the boolean index {e.var} of shape ",
            shape_parts(a, m),
            f" does not match {_dims(k, m)} that it indexes, of shape ",
            own,
            " (the tensor has shape ",
            shape_parts("x", xnd),
            ")",
        ),
        f"nz{j} = np.nonzero({a})",
        f"cnt{j} = nz{j}[0].shape[0]",
    ]


def _mask_static_count(var: Any) -> int | None:
    return int(np.count_nonzero(var.data)) if isinstance(var, Constant) else None


def _broadcast_lines(op: Any, advs: list[tuple[int, Entry]]) -> tuple[list[str], int]:
    """Lines computing the broadcast index shape ``B0, B1...`` (static length 1 only broadcasts)."""
    shapes: list[list[str]] = []
    statics: list[tuple[Any, ...]] = []
    for j, e in advs:
        if e.kind == "bool":
            shapes.append([f"cnt{j}"])
            statics.append((_mask_static_count(e.var),))
        else:
            shapes.append([f"{e.args[0]}.shape[{t}]" for t in range(e.var.type.ndim)])
            statics.append(tuple(e.var.type.shape))
    nb = max((len(s) for s in shapes), default=0)
    desc: list[Any] = []
    for s in shapes:
        desc += [", "] if desc else []
        desc.append(tuple_parts(s))
    lines = []
    for d in range(nb):
        cands = []
        for shp, st in zip(shapes, statics, strict=True):
            t = d - (nb - len(shp))
            if t >= 0 and st[t] != 1:
                cands.append(shp[t])
        lines.append(f"B{d} = {cands[0] if cands else 1}")
        if len(cands) > 1:
            cond = " or ".join(f"{c} != B{d}" for c in cands[1:])
            one = " or ".join(f"{c} == 1" for c in cands)
            msg = [f"{op}: the index arrays of shapes ", desc, " cannot be broadcast together"]
            hint = (
                "; runtime broadcasting is not allowed: declare the length-1 "
                "dimension statically (e.g. with pt.specify_broadcastable)"
            )
            lines += [
                f"if {cond}:",
                f"    if {one}:",
                "        " + raise_stmt("IndexError", msg, hint),
                "    " + raise_stmt("IndexError", msg),
            ]
    return lines, nb


def scalar_index_lines(op: Any, j: int, e: Entry, k: int) -> list[str]:
    """Lines checking the integer index ``j`` on axis ``k`` and making it non-negative (``k{j}``)."""
    n = f"x.shape[{k}]"
    return [
        f"k{j} = int({e.args[0]})",
        f"if not -{n} <= k{j} < {n}:",
        "    "
        + raise_stmt(
            "IndexError",
            f"{op}: index ",
            Hole(f"k{j}"),
            f" is out of bounds for axis {k} with size ",
            Hole(n),
        ),
        f"if k{j} < 0:",
        f"    k{j} += {n}",
    ]


def _place(parts: list[tuple[Any, ...]], nb: int) -> list[tuple[Any, ...]]:
    """The region's dimensions: NumPy's placement of the broadcast index dimensions ``B``."""
    where = [p for p, part in enumerate(parts) if part[0] == "adv"]
    if not where:
        return list(parts)
    adv = [("B", d) for d in range(nb)]
    if where[-1] - where[0] + 1 == len(where):
        return [*parts[: where[0]], *adv, *parts[where[-1] + 1 :]]
    return [*adv, *(p for p in parts if p[0] != "adv")]


@dataclass
class _Plan:
    lines: list[str]  # checks and setup, before the loops
    extents: list[str]  # the region's lengths
    x_index: list[str]  # one expression per dimension of x, in loop variables r0, r1...
    setup: dict[int, list[str]]  # index array values, by the loop depth they need


def _plan(op: Any, entries: list[Entry], xnd: int) -> _Plan:
    lines: list[str] = []
    parts: list[tuple[Any, ...]] = []
    axes: list[tuple[Any, ...]] = []
    advs: list[tuple[int, Entry]] = []
    k = 0
    for j, e in enumerate(entries):
        if e.kind == "new":
            parts.append(("new", j))
        elif e.kind == "slice":
            lines += _slice_lines(op, j, e, k)
            parts.append(("slice", j))
            axes.append(("slice", j))
            k += 1
        elif e.kind == "scalar":
            lines += scalar_index_lines(op, j, e, k)
            axes.append(("scalar", j))
            k += 1
        else:
            lines += _array_lines(op, j, e, k, xnd)
            parts.append(("adv", j))
            advs.append((j, e))
            m = e.var.type.ndim
            if e.kind == "int":
                axes.append(("int", j, k))
                k += 1
            else:
                axes += [("bool", j, t) for t in range(m)]
                k += m
    blines, nb = _broadcast_lines(op, advs)
    lines += blines
    region = _place(parts, nb) + [("trail", t) for t in range(k, xnd)]
    extent = {"slice": "ln{}", "new": "1", "B": "B{}", "trail": "x.shape[{}]"}
    extents = [extent[p[0]].format(p[1]) for p in region]
    pos = {p: i for i, p in enumerate(region)}
    b_var = {d: f"r{pos[('B', d)]}" for d in range(nb)}
    setup: dict[int, list[str]] = {}
    x_index: list[str] = []
    by_j = dict(advs)
    for ax in axes:
        kind, j = ax[0], ax[1]
        if kind == "slice":
            x_index.append(f"st{j} + r{pos[('slice', j)]} * sp{j}")
        elif kind == "scalar":
            x_index.append(f"k{j}")
        elif kind == "int":
            var = by_j[j].var
            m = var.type.ndim
            idx = [b_var[nb - m + t] if var.type.shape[t] != 1 else "0" for t in range(m)]
            a = by_j[j].args[0]
            # Read where the loop variables it uses are bound, not in the innermost loop.
            used = [pos[("B", nb - m + t)] for t in range(m) if var.type.shape[t] != 1]
            setup.setdefault(max(used, default=-1) + 1, []).extend(
                [
                    f"v{j} = int({a}[{', '.join(idx) if m else '()'}{',' if m == 1 else ''}])",
                    f"if v{j} < 0:",
                    f"    v{j} += x.shape[{ax[2]}]",
                ]
            )
            x_index.append(f"v{j}")
        else:
            count_static = _mask_static_count(by_j[j].var)
            c = b_var[nb - 1] if count_static != 1 else "0"
            x_index.append(f"nz{j}[{ax[2]}][{c}]")
    x_index += [f"r{pos[('trail', t)]}" for t in range(k, xnd)]
    return _Plan(lines, extents, x_index, setup)


def _loops(n: int, setup: dict[int, list[str]], body: list[str]) -> list[str]:
    """``n`` nested loops over the region; ``setup[d]`` runs inside the first ``d`` loops."""
    lines = list(setup.get(0, []))
    for i in range(n):
        lines.append(f"{'    ' * i}for r{i} in range(R{i}):")
        lines += indent(setup.get(i + 1, []), i + 1)
    return lines + indent(body, n)


def _at(name: str, idx: list[str]) -> str:
    return f"{name}[{', '.join(idx)}]" if idx else f"{name}[()]"


def _value_check(op: Any, verb: str, x_var: Any, y_var: Any, n_region: int) -> list[str]:
    """``check_value_runtime`` of the increment Ops, on the region lengths ``R0, R1...``."""
    static = y_var.type.shape
    ny = len(static)
    offset = n_region - ny
    if offset < 0:  # rejected when the node was built
        return []
    bad = [f"y.shape[{j}] != R{offset + j}" for j in range(ny) if static[j] != 1]
    if not bad:
        return []
    hint = [f"(y.shape[{j}] == 1 and R{offset + j} != 1)" for j in range(ny) if static[j] != 1]
    msg = [
        f"{op}: cannot {verb} the region of {x_var} of shape ",
        tuple_parts([f"R{i}" for i in range(n_region)]),
        f" with the value {y_var} of shape ",
        shape_parts("y", ny),
    ]
    text = (
        "; runtime broadcasting is not allowed: declare the value's dimension as "
        "length 1 (e.g. with pt.specify_broadcastable)"
    )
    return [
        f"if {' or '.join(bad)}:",
        f"    if {' or '.join(hint)}:",
        "        " + raise_stmt("ValueError", msg, text),
        "    " + raise_stmt("ValueError", msg),
    ]


def index_loop_source(
    op: Any,
    entries: list[Entry],
    x_var: Any,
    mode: str,
    y_var: Any = None,
    inplace: bool = False,
) -> list[str]:
    """Body lines of a kernel over ``x`` (and value ``y``) indexed by ``entries``.

    ``mode`` is "get" (returns ``x[idx]`` as a new array), "set", "inc"
    (accumulating repeated indices, as ``np.add.at``) or "inc_once" (``x[idx] +=
    y``: a repeated index receives one increment). The kernel's arguments must
    be named ``x`` and ``y``; index inputs are read through the entries' ``args``.
    """
    plan = _plan(op, entries, x_var.type.ndim)
    n = len(plan.extents)
    lines = [*plan.lines, *(f"R{i} = {e}" for i, e in enumerate(plan.extents))]
    region = [f"r{i}" for i in range(n)]
    xi = _at("x" if mode == "get" else "out", plan.x_index)
    if mode == "get":
        shape = "".join(f"R{i}, " for i in range(n))
        lines.append(f"out = np.empty(({shape}), x.dtype)")
        lines += _loops(n, plan.setup, [f"{_at('out', region)} = {xi}"])
        return [*lines, "return out"]
    verb = "set" if mode == "set" else "increment"
    lines += _value_check(op, verb, x_var, y_var, n)
    lines.append("out = x" if inplace else "out = x.copy()")
    ny = y_var.type.ndim
    yi = _at("y", [f"r{n - ny + j}" if y_var.type.shape[j] != 1 else "0" for j in range(ny)])
    plus = "|" if x_var.type.dtype == "bool" else "+"
    if mode == "set":
        lines += _loops(n, plan.setup, [f"{xi} = {yi}"])
    elif mode == "inc":
        lines += _loops(n, plan.setup, [f"{xi} = {xi} {plus} {yi}"])
    else:
        shape = "".join(f"R{i}, " for i in range(n))
        lines.append(f"tmp = np.empty(({shape}), out.dtype)")
        lines += _loops(n, plan.setup, [f"{_at('tmp', region)} = {xi} {plus} {yi}"])
        lines += _loops(n, plan.setup, [f"{xi} = {_at('tmp', region)}"])
    return [*lines, "return out"]
