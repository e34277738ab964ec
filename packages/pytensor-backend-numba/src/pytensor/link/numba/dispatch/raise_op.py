"""Numba kernels of the run-time checks CheckAndRaise and Assert (layer: pytensor-backend-numba).

Mirrors ``pytensor.raise_op``: the Op's exception class is raised with its message
when a condition is false; otherwise the value passes through.
"""

from __future__ import annotations

from typing import Any

from pytensor.link.numba.dispatch._op_utils import (
    compile_source,
    indent,
    node_key,
    scalar_value_expr,
    str_expr,
)
from pytensor.link.numba.dispatch.basic import NumbaImpl, numba_funcify
from pytensor.raise_op import CheckAndRaise

__all__ = ["numba_funcify_CheckAndRaise"]


@numba_funcify.register(CheckAndRaise)
def numba_funcify_CheckAndRaise(op: CheckAndRaise, node: Any, **kwargs: Any) -> NumbaImpl:
    """Also registers Assert (a subclass)."""
    value, *conds = node.inputs
    names = [f"c{k}" for k in range(len(conds))]
    lines = []
    for c, name in zip(conds, names, strict=True):
        lines += [
            f"if not {scalar_value_expr(c, name)}:",
            f"    raise exc_type({str_expr(op.msg)})",
        ]
    lines.append("return value")
    src = "\n".join([f"def check_and_raise(value, {', '.join(names)}):", *indent(lines)])
    impl = compile_source(src, "check_and_raise", {"exc_type": op.exc_type})
    return impl, node_key(op, node)
