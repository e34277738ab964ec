"""The JAX dispatch registry and the graph walker that turns a FunctionGraph into one traceable
function (layer: pytensor-backend-jax).

``jax_funcify(op, node=node)`` returns a function of the node's input values that returns
its output value (a tuple for several outputs). The walker calls these functions in
topological order while ``jax.jit`` traces the graph.

Values that JAX needs statically (a reshape target, an ``arange`` length, an ``Alloc``
shape) are found by partial evaluation at trace time: constants, and the shapes of traced
arrays (concrete under ``jit``), are NumPy values, and a node whose inputs are all NumPy
values is run with its Op's ``perform`` when its output is small or needed statically.
Which inputs an implementation needs statically is declared with :func:`needs_static`,
and checked at link time so that a graph JAX cannot run fails when it is compiled.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable, Sequence
from functools import singledispatch
from typing import Any

import numpy as np

import jax.numpy as jnp
from pytensor.compile.builders import OpFromGraph
from pytensor.compile.ops import DeepCopyOp, TypeCastingOp
from pytensor.graph.basic import Apply, Constant, Variable
from pytensor.graph.fg import FunctionGraph
from pytensor.graph.op import Op
from pytensor.link.backend import BackendError, MissingImplementationError

__all__ = [
    "StaticValueError",
    "fgraph_to_jax",
    "fill_message",
    "is_concrete",
    "jax_funcify",
    "needs_static",
    "record_check",
    "report_host",
    "static_int",
    "static_value",
    "ttype",
]

#: Outputs with at most this many elements (known statically) are folded with ``perform``
#: when all their inputs are known at trace time.
FOLD_MAX_SIZE = 4096

_CONCRETE = (np.ndarray, np.generic, int, float, bool, complex)

_logger = logging.getLogger("pytensor.link.jax")
_reported: set[type] = set()


def report_host(op: Any) -> None:
    """Say (once per Op class, on the ``pytensor.link.jax`` logger) that ``op`` runs on the host."""
    if type(op) not in _reported:
        _reported.add(type(op))
        _logger.warning(
            "The jax backend runs %s on the host through jax.pure_callback (JAX has no "
            "implementation): it works under jit and vmap but jax.grad cannot differentiate it",
            op,
        )


class StaticValueError(BackendError, ValueError):
    """JAX needs a value at trace time (a shape, a length) that depends on a runtime input."""


@singledispatch
def jax_funcify(op: Any, node: Apply | None = None, **kwargs: Any) -> Callable[..., Any]:
    """The JAX implementation of ``op``: a function of the node's input values.

    Register an implementation for an Op class with ``@jax_funcify.register(MyOp)``; it
    receives the Op, ``node`` (the Apply node, for static types) and linker options, and
    returns a function taking the input values (JAX arrays, or NumPy values when known at
    trace time) and returning the output value (a tuple of values for several outputs).

    Examples
    --------
    >>> from pytensor.link.jax.dispatch import jax_funcify
    >>> from pytensor.tensor.elemwise import DimShuffle
    >>> jax_funcify.dispatch(DimShuffle).__name__
    'jax_funcify_DimShuffle'

    Registering a third-party Op ``Twice``:

    >>> @jax_funcify.register(Twice)  # doctest: +SKIP
    ... def jax_funcify_Twice(op, node=None, **kwargs):
    ...     return lambda x: 2 * x
    """
    raise MissingImplementationError(
        "jax",
        node if node is not None else Apply(op, [], []),
        "no jax_funcify implementation is registered for it "
        "(register one with @pytensor.link.jax.dispatch.jax_funcify.register)",
    )


def needs_static(fn: Callable[..., Any], *positions: int) -> Callable[..., Any]:
    """Mark input ``positions`` of an implementation as needed at trace time (NumPy values)."""
    fn.static_inputs = tuple(positions)  # type: ignore[attr-defined]
    return fn


def ttype(var: Variable) -> Any:
    """``var.type``, typed as Any: implementations read ``dtype``/``shape``/``ndim`` of tensor
    and scalar types, which the graph layer's ``Type`` does not declare."""
    return var.type


def is_concrete(value: Any) -> bool:
    """Whether ``value`` is known at trace time (NumPy or Python, not a JAX tracer/array)."""
    return isinstance(value, _CONCRETE)


def static_value(value: Any, op: Any = None, what: str = "input") -> np.ndarray:
    """``value`` as a NumPy array; a clear error if it is only known at run time."""
    if is_concrete(value):
        return np.asarray(value)
    raise StaticValueError(
        f"The jax backend needs the value of {what} of {op} when the graph is traced (JAX "
        "compiles for fixed shapes), but it depends on a runtime input value. Compute it "
        "from constants or input shapes, or use another backend"
    )


def static_int(value: Any, op: Any = None, what: str = "input") -> int:
    return int(static_value(value, op, what))


# ---------------------------------------------------------------------------
# Runtime checks, gathered while tracing
# ---------------------------------------------------------------------------
_trace = threading.local()


#: A recorded runtime check: (ok, exc_type, message, payload, fill the payload in, note).
Check = tuple[Any, type[BaseException], str, Any, bool, str]


def _frames() -> list[list[Check] | None]:
    frames = getattr(_trace, "frames", None)
    if frames is None:
        frames = _trace.frames = []
    return frames


def fill_message(msg: str, values: Sequence[int]) -> str:
    """``msg`` with ``{bad}`` and ``{bad1}`` replaced by the two payload values of a check."""
    return msg.replace("{bad}", str(int(values[0]))).replace("{bad1}", str(int(values[1])))


def _payload(bad: Any) -> Any:
    """A check's payload as two int64 values (NumPy when known at trace time)."""
    if isinstance(bad, tuple):
        bad = [jnp.asarray(b) if not is_concrete(b) else np.asarray(b) for b in bad]
        if all(is_concrete(b) for b in bad):
            return np.resize(np.asarray(bad, dtype="int64").reshape(-1), 2)
        return jnp.resize(jnp.stack([jnp.asarray(b, "int64") for b in bad]), (2,))
    if is_concrete(bad):
        return np.resize(np.asarray(bad, dtype="int64").reshape(-1), 2)
    return jnp.resize(jnp.reshape(jnp.asarray(bad).astype("int64"), (-1,)), (2,))


def record_check(ok: Any, exc_type: type[BaseException], msg: str, bad: Any = None) -> None:
    """Raise ``exc_type(msg)`` when ``ok`` is false: now if known at trace time, else when the
    compiled function runs (unless checks are turned off).

    With ``bad`` given, ``{bad}`` (and ``{bad1}``) in ``msg`` are replaced by the integer value
    ``bad`` (or the two values of the pair ``bad``) in the failing call, e.g. the
    out-of-bounds index; without it the message is used as is.
    """
    fill = bad is not None
    payload = _payload(bad if fill else 0)
    if is_concrete(ok) and is_concrete(payload):
        if not bool(np.all(ok)):
            raise exc_type(fill_message(msg, payload) if fill else msg)
        return
    frames = _frames()
    if frames and frames[-1] is not None:
        node = getattr(_trace, "node", None)
        note = _node_note(node) if node is not None else ""
        frames[-1].append((jnp.all(ok), exc_type, msg, jnp.asarray(payload), fill, note))


class check_frame:
    """Collect the runtime checks recorded inside ``with``; ``None`` frames drop them."""

    def __init__(self, enabled: bool = True) -> None:
        self.enabled = enabled
        self.checks: list[Check] = []

    def __enter__(self) -> check_frame:
        _frames().append(self.checks if self.enabled else None)
        return self

    def __exit__(self, *exc: Any) -> None:
        _frames().pop()


def reraise_checks(oks: Sequence[Any], bads: Sequence[Any], checks: Sequence[Check]) -> None:
    """Re-record checks computed inside a transformed function (vmap) from their batched
    ``ok`` and ``bad`` values."""
    frames = _frames()
    for ok, bad, (_, exc_type, msg, _, fill, note) in zip(oks, bads, checks, strict=True):
        ok = jnp.reshape(ok, (-1,))
        bad = jnp.reshape(bad, (-1, 2))
        first = jnp.argmin(ok) if ok.size else 0
        payload = jnp.stack(tuple(bad[first])) if ok.size else jnp.zeros(2, "int64")
        if frames and frames[-1] is not None:
            frames[-1].append((jnp.all(ok), exc_type, msg, payload, fill, note))


# ---------------------------------------------------------------------------
# The graph walker
# ---------------------------------------------------------------------------
def _static_needed(nodes: Sequence[Apply], impls: Sequence[Any]) -> set[Variable]:
    """Variables whose value an implementation needs at trace time, and their ancestors'."""
    needed: set[Variable] = set()
    for node, impl in zip(nodes, impls, strict=True):
        for k in getattr(impl, "static_inputs", ()):
            if k < len(node.inputs):
                needed.add(node.inputs[k])
    for node in reversed(nodes):
        if any(o in needed for o in node.outputs) and not _is_shape_node(node):
            needed.update(node.inputs)
    return needed


def _is_shape_node(node: Apply) -> bool:
    """Shape and Shape_i give trace-time values whatever their input."""
    from pytensor.tensor.shape import Shape, Shape_i

    return isinstance(node.op, Shape | Shape_i)


def _static_able(var: Variable) -> bool:
    """Whether a graph input may be passed to ``jax.jit`` as a static (hashed) argument: a
    number, or a vector of integers (a shape, a list of lengths)."""
    t = var.type
    ndim = getattr(t, "ndim", None)
    dtype = str(getattr(t, "dtype", ""))
    return ndim == 0 or (ndim == 1 and (dtype.startswith(("int", "uint")) or dtype == "bool"))


def _static_inputs(
    fgraph: FunctionGraph, nodes: Sequence[Apply], impls: Sequence[Any]
) -> list[int]:
    """Positions of the graph inputs whose values implementations need at trace time.

    They become static arguments of ``jax.jit`` (one compilation per distinct value). An input
    that cannot be one (a float array, a matrix) raises StaticValueError naming the Op.
    """
    position = {v: k for k, v in enumerate(fgraph.inputs)}
    sources: dict[Variable, set[int]] = {v: {k} for v, k in position.items()}
    for node in nodes:
        if _is_shape_node(node):
            continue
        found: set[int] = set()
        for i in node.inputs:
            found |= sources.get(i, set())
        if found:
            for o in node.outputs:
                sources[o] = found
    static: set[int] = set()
    for node, impl in zip(nodes, impls, strict=True):
        for k in getattr(impl, "static_inputs", ()):
            if k >= len(node.inputs):
                continue
            for pos in sorted(sources.get(node.inputs[k], ())):
                inp = fgraph.inputs[pos]
                if not _static_able(inp):
                    raise StaticValueError(
                        f"The jax backend cannot run {node.op}: its input {k} "
                        f"({node.inputs[k]}) sets a shape or length, which JAX must know when "
                        f"it compiles, but it depends on the values of the graph input {inp} "
                        f"<{inp.type}>. Compute it from constants, input shapes (x.shape[0]) or "
                        "integer scalar inputs (compiled once per value), or use another backend"
                    )
                static.add(pos)
    return sorted(static)


def _foldable(node: Apply, needed: set[Variable]) -> bool:
    """Whether ``node`` is run with ``perform`` when its inputs are known at trace time."""
    if getattr(type(node.op), "perform", Op.perform) is Op.perform:
        return False
    if any(o in needed for o in node.outputs):
        return True
    for o in node.outputs:
        shape = getattr(o.type, "shape", None)
        if shape is None or None in shape or int(np.prod(shape)) > FOLD_MAX_SIZE:
            return False
    return True


def _fold(node: Apply, values: list[Any]) -> list[Any]:
    if node.op.destroy_map:
        values = [np.copy(v) for v in values]
    cells: list[list[Any]] = [[None] for _ in node.outputs]
    node.op.perform(node, [np.asarray(v) for v in values], cells)
    return [np.asarray(c[0]) for c in cells]


def _fix_dtype(value: Any, var: Variable) -> Any:
    dtype = getattr(var.type, "dtype", None)
    if dtype is None or is_concrete(value):
        if dtype is not None and is_concrete(value):
            return np.asarray(value, dtype=dtype)
        return value
    if value.dtype != dtype:
        return value.astype(dtype)
    return value


def _node_note(node: Apply) -> str:
    ins = ", ".join(f"{i} <{i.type}>" for i in node.inputs)
    return f"Raised while computing {node.op} applied to ({ins}) on the jax backend"


def _add_node_note(exc: BaseException, node: Apply) -> None:
    exc.add_note(_node_note(node))


def fgraph_to_jax(
    fgraph: FunctionGraph, fold: bool = True, inner: bool = False, **kwargs: Any
) -> Callable[..., tuple[Any, ...]]:
    """A function of the graph's input values returning its output values (a tuple), made of
    the nodes' ``jax_funcify`` implementations; trace it with ``jax.jit``.

    Raises MissingImplementationError or StaticValueError at once for a graph JAX cannot run.
    ``run.static_inputs`` lists the inputs whose values must be passed as static arguments.
    """
    nodes = fgraph.toposort()
    impls = [jax_funcify(node.op, node=node, **kwargs) for node in nodes]
    # An inner graph's inputs may be known at trace time; its checks happen while tracing.
    static_inputs = [] if inner else _static_inputs(fgraph, nodes, impls)
    needed = _static_needed(nodes, impls)
    foldable = [fold and _foldable(n, needed) for n in nodes]
    inputs = list(fgraph.inputs)
    outputs = list(fgraph.outputs)
    program = list(zip(nodes, impls, foldable, strict=True))

    def run(*args: Any) -> tuple[Any, ...]:
        env: dict[Variable, Any] = dict(zip(inputs, args, strict=True))
        outer = getattr(_trace, "node", None)
        for node, impl, can_fold in program:
            values = [env[i] if i in env else i.data for i in node.inputs]
            _trace.node = node  # names the node in the notes of its runtime checks
            try:
                if can_fold and all(is_concrete(v) for v in values):
                    results = _fold(node, values)
                else:
                    res = impl(*values)
                    results = list(res) if len(node.outputs) != 1 else [res]
            except Exception as exc:
                if not isinstance(exc, StaticValueError | MissingImplementationError):
                    _add_node_note(exc, node)
                raise
            finally:
                _trace.node = outer
            for o, v in zip(node.outputs, results, strict=True):
                env[o] = _fix_dtype(v, o)
        return tuple(
            env[o] if o in env else np.asarray(o.data) if isinstance(o, Constant) else None
            for o in outputs
        )

    run.nodes = nodes  # type: ignore[attr-defined]
    run.static_inputs = static_inputs  # type: ignore[attr-defined]
    return run


# ---------------------------------------------------------------------------
# Ops of the graph layer
# ---------------------------------------------------------------------------
@jax_funcify.register(DeepCopyOp)
@jax_funcify.register(TypeCastingOp)
def jax_funcify_DeepCopyOp(op: Any, node: Apply | None = None, **kw: Any) -> Callable[..., Any]:
    # JAX arrays are immutable and outputs are converted to new NumPy arrays: nothing to copy.
    return lambda x: x


@jax_funcify.register(OpFromGraph)
def jax_funcify_OpFromGraph(
    op: OpFromGraph, node: Apply | None = None, **kw: Any
) -> Callable[..., Any]:
    inner = fgraph_to_jax(op.fgraph, inner=True, **kw)
    single = len(op.fgraph.outputs) == 1

    def ofg(*args: Any) -> Any:
        outs = inner(*args)
        return outs[0] if single else outs

    return ofg


def as_jax(value: Any) -> Any:
    """A JAX array of a NumPy value (traced values are returned unchanged)."""
    return jnp.asarray(value) if is_concrete(value) else value
