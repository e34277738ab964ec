"""The runner of a numba-compiled graph: the Python function Function calls (layer: pytensor-backend-numba).

:func:`make_runner` wraps the jitted ``graph_fn`` in a generated Python function
``runner(*inputs) -> list`` (the Backend protocol): it appends the constants
passed as arguments, re-raises errors from compiled code with their formatted
messages, and turns returned 0-d scalars into NumPy scalars for scalar outputs.
The same recipe, as a :class:`~pytensor.link.backend.DirectCall`, lets Function
call the jitted function without the runner's frame.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from pytensor.link.backend import BackendError, DirectCall, DirectOutput, Runner

if TYPE_CHECKING:
    from pytensor.graph.fg import FunctionGraph

__all__ = ["make_runner"]


def _reraise(exc: BaseException) -> None:
    """Re-raise ``exc`` from compiled code with its message formatted (see dispatch.basic)."""
    from pytensor.link.numba.dispatch.basic import format_runtime_error

    new = format_runtime_error(exc)
    if new is not None:
        raise new.with_traceback(None) from None
    if type(exc).__module__.startswith("numba"):
        raise BackendError(f"The numba backend failed to compile or run the graph: {exc}") from exc
    raise exc


def make_runner(fgraph: FunctionGraph, dispatcher: Any, program: Any) -> Runner:
    """A Python function ``runner(*inputs) -> list`` calling ``dispatcher``, generated for speed.

    The runner also carries a :class:`~pytensor.link.backend.DirectCall` as
    ``runner.direct_call``: Function calls ``dispatcher`` through it without the
    runner's frame (and without a list when the graph has one output).
    """
    import numpy as np

    from pytensor.scalar.basic import ScalarType

    consts = tuple(c.data for c in program.const_args)
    single = program.n_returned == 1
    outputs = []
    for k, (kind, val) in enumerate(program.returned):
        if kind == "const":
            outputs.append(DirectOutput(None, val))
            continue
        scalar = isinstance(fgraph.outputs[k].type, ScalarType)
        convert = np.dtype(fgraph.outputs[k].type.dtype).type if scalar else None
        outputs.append(DirectOutput(0 if single else val, convert=convert))
    plan = DirectCall(dispatcher, consts, tuple(outputs), single=single, on_error=_reraise)
    runner = plan.make_runner(len(fgraph.inputs), label="numba runner")
    runner.dispatcher = dispatcher  # type: ignore[attr-defined]
    runner.source = program.source  # type: ignore[attr-defined]
    runner.direct_call = plan  # type: ignore[attr-defined]
    return runner
