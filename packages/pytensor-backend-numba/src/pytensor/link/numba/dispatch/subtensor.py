"""Numba kernels of basic indexing: Subtensor (a view) and IncSubtensor (layer: pytensor-backend-numba).

Mirrors ``pytensor.tensor.subtensor``; the advanced indexing Ops are in
``advanced_subtensor``. Index errors raise what ``perform`` raises: IndexError
for an integer out of bounds, ValueError for a zero slice step.
"""

from __future__ import annotations

from typing import Any

from pytensor.link.numba.dispatch._index_loops import (
    entries_from_idx_list,
    index_loop_source,
    scalar_index_lines,
)
from pytensor.link.numba.dispatch._op_utils import compile_source, indent, node_key, raise_stmt
from pytensor.link.numba.dispatch.basic import NumbaImpl, numba_funcify
from pytensor.tensor._inc_subtensor import IncSubtensor
from pytensor.tensor.subtensor import Subtensor

__all__ = ["numba_funcify_IncSubtensor", "numba_funcify_Subtensor"]


@numba_funcify.register(Subtensor)
def numba_funcify_Subtensor(op: Subtensor, node: Any, **kwargs: Any) -> NumbaImpl:
    x, *index_vars = node.inputs
    names = [f"i{k}" for k in range(len(index_vars))]
    entries = entries_from_idx_list(op.idx_list, index_vars, names)
    lines: list[str] = []
    index: list[str] = []
    for j, e in enumerate(entries):
        if e.kind == "scalar":
            lines += scalar_index_lines(op, j, e, j)
            index.append(f"k{j}")
            continue
        args = iter(e.args)
        fields = [f"int({next(args)})" if given else "" for given in e.fields]
        if e.fields[2]:
            msg = f"{op}: slice step cannot be zero (axis {j})"
            lines += [f"if {fields[2]} == 0:", "    " + raise_stmt("ValueError", msg)]
        index.append(":".join(fields) if e.fields[2] else ":".join(fields[:2]))
    if len(index) == x.type.ndim and all(e.kind == "scalar" for e in entries):
        # NumPy gives a 0-d view here; numba gives a scalar, so a 0-d copy is returned.
        lines += [
            "out = np.empty((), x.dtype)",
            f"out[()] = x[{', '.join(index)}]",
            "return out",
        ]
    else:
        lines.append(f"return x[{', '.join(index) or '...'}]")
    src = "\n".join([f"def subtensor(x, {', '.join(names)}):", *indent(lines)])
    return compile_source(src, "subtensor"), node_key(op, node)


@numba_funcify.register(IncSubtensor)
def numba_funcify_IncSubtensor(op: IncSubtensor, node: Any, **kwargs: Any) -> NumbaImpl:
    x, y, *index_vars = node.inputs
    names = [f"i{k}" for k in range(len(index_vars))]
    entries = entries_from_idx_list(op.idx_list, index_vars, names)
    mode = "set" if op.set_instead_of_inc else "inc"
    body = index_loop_source(op, entries, x, mode, y, inplace=op.inplace)
    src = "\n".join([f"def inc_subtensor(x, y, {', '.join(names)}):", *indent(body)])
    return compile_source(src, "inc_subtensor"), node_key(op, node, [x, y])


# Registers the advanced indexing Ops (split out for size).
from pytensor.link.numba.dispatch import advanced_subtensor  # noqa: E402, F401
