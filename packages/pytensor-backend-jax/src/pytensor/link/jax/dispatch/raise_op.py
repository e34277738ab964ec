"""JAX implementation of ``pytensor.raise_op`` (layer: pytensor-backend-jax).

Conditions known at trace time (from shapes or constants) raise while tracing; the others
are checked inside the compiled function and raised by the runner after the call (unless
the function was compiled with ``checks=False``), with ``perform``'s exception and message.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from pytensor.graph.basic import Apply
from pytensor.link.jax.dispatch.basic import jax_funcify, record_check
from pytensor.raise_op import CheckAndRaise

__all__ = ["jax_funcify_CheckAndRaise"]


@jax_funcify.register(CheckAndRaise)
def jax_funcify_CheckAndRaise(
    op: CheckAndRaise, node: Apply | None = None, **kw: Any
) -> Callable[..., Any]:
    def check_and_raise(value: Any, *conds: Any) -> Any:
        for c in conds:
            record_check(c, op.exc_type, op.msg)
        return value

    return check_and_raise
