"""The runner of a numba-compiled graph: the Python function Function calls (layer: pytensor-backend-numba).

:func:`make_runner` wraps the jitted ``graph_fn`` in a generated Python function
``runner(*inputs) -> list`` (the Backend protocol): it appends the constants
passed as arguments, re-raises errors from compiled code with their formatted
messages, and turns returned 0-d scalars into NumPy scalars for scalar outputs.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from pytensor.link.backend import BackendError, Runner

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
    """A Python function ``runner(*inputs) -> list`` calling ``dispatcher``, generated for speed."""
    import numpy as np

    from pytensor.scalar.basic import ScalarType

    env: dict[str, Any] = {"fn": dispatcher, "_reraise": _reraise}
    args = [f"i{k}" for k in range(len(fgraph.inputs))]
    call_args = list(args)
    for j, c in enumerate(program.const_args):
        env[f"k{j}"] = c.data
        call_args.append(f"k{j}")
    items = []
    for k, (kind, val) in enumerate(program.returned):
        if kind == "const":
            env[f"c{k}"] = val
            items.append(f"c{k}")
            continue
        item = "r" if program.n_returned == 1 else f"r[{val}]"
        out = fgraph.outputs[k]
        if isinstance(out.type, ScalarType):
            env[f"t{k}"] = np.dtype(out.type.dtype).type
            item = f"t{k}({item})"
        items.append(item)
    src = (
        f"def runner({', '.join(args)}):\n"
        f"    try:\n"
        f"        r = fn({', '.join(call_args)})\n"
        f"    except Exception as exc:\n"
        f"        _reraise(exc)\n"
        f"    return [{', '.join(items)}]\n"
    )
    exec(compile(src, "<pytensor numba runner>", "exec"), env)
    runner: Runner = env["runner"]
    runner.dispatcher = dispatcher  # type: ignore[attr-defined]
    runner.source = program.source  # type: ignore[attr-defined]
    return runner
