"""Numba kernels of advanced indexing and its increments (layer: pytensor-backend-numba).

AdvancedSubtensor1, AdvancedSubtensor (``pytensor.tensor._advanced_subtensor``),
AdvancedIncSubtensor1 and AdvancedIncSubtensor
(``pytensor.tensor._advanced_inc_subtensor``). Each index structure gets its own
generated loop nest (see ``_index_loops``); repeated indices accumulate like
``np.add.at`` unless the Op says ``ignore_duplicates``.
"""

from __future__ import annotations

from typing import Any

from pytensor.link.numba.dispatch._index_loops import (
    Entry,
    entries_from_idx_list,
    index_loop_source,
)
from pytensor.link.numba.dispatch._op_utils import compile_source, indent, node_key
from pytensor.link.numba.dispatch.basic import NumbaImpl, numba_funcify
from pytensor.tensor._advanced_inc_subtensor import AdvancedIncSubtensor, AdvancedIncSubtensor1
from pytensor.tensor._advanced_subtensor import AdvancedSubtensor, AdvancedSubtensor1

__all__ = [
    "numba_funcify_AdvancedIncSubtensor",
    "numba_funcify_AdvancedIncSubtensor1",
    "numba_funcify_AdvancedSubtensor",
    "numba_funcify_AdvancedSubtensor1",
]


def _write_mode(op: Any, accumulate: bool) -> str:
    if op.set_instead_of_inc:
        return "set"
    return "inc" if accumulate else "inc_once"


@numba_funcify.register(AdvancedSubtensor1)
def numba_funcify_AdvancedSubtensor1(op: AdvancedSubtensor1, node: Any, **kwargs: Any) -> NumbaImpl:
    x, ilist = node.inputs
    body = index_loop_source(op, [Entry("int", ["i0"], ilist)], x, "get")
    src = "\n".join(["def advanced_subtensor1(x, i0):", *indent(body)])
    return compile_source(src, "advanced_subtensor1"), node_key(op, node)


@numba_funcify.register(AdvancedSubtensor)
def numba_funcify_AdvancedSubtensor(op: AdvancedSubtensor, node: Any, **kwargs: Any) -> NumbaImpl:
    x, *index_vars = node.inputs
    names = [f"i{k}" for k in range(len(index_vars))]
    entries = entries_from_idx_list(op.idx_list, index_vars, names)
    body = index_loop_source(op, entries, x, "get")
    src = "\n".join([f"def advanced_subtensor(x, {', '.join(names)}):", *indent(body)])
    return compile_source(src, "advanced_subtensor"), node_key(op, node, index_vars)


@numba_funcify.register(AdvancedIncSubtensor1)
def numba_funcify_AdvancedIncSubtensor1(
    op: AdvancedIncSubtensor1, node: Any, **kwargs: Any
) -> NumbaImpl:
    x, y, ilist = node.inputs
    mode = _write_mode(op, accumulate=True)
    body = index_loop_source(op, [Entry("int", ["i0"], ilist)], x, mode, y, op.inplace)
    src = "\n".join(["def advanced_inc_subtensor1(x, y, i0):", *indent(body)])
    return compile_source(src, "advanced_inc_subtensor1"), node_key(op, node, [x, y])


@numba_funcify.register(AdvancedIncSubtensor)
def numba_funcify_AdvancedIncSubtensor(
    op: AdvancedIncSubtensor, node: Any, **kwargs: Any
) -> NumbaImpl:
    x, y, *index_vars = node.inputs
    names = [f"i{k}" for k in range(len(index_vars))]
    entries = entries_from_idx_list(op.idx_list, index_vars, names)
    mode = _write_mode(op, accumulate=not op.ignore_duplicates)
    body = index_loop_source(op, entries, x, mode, y, op.inplace)
    src = "\n".join([f"def advanced_inc_subtensor(x, y, {', '.join(names)}):", *indent(body)])
    return compile_source(src, "advanced_inc_subtensor"), node_key(op, node, [x, y, *index_vars])
