"""Structural hashes of graphs that are stable across processes (layer: pytensor-graph).

A graph's hash depends on its structure only: the Ops and their parameters,
the types, constant values and how nodes connect, never on variable names or
object ids. It serves as the key of on-disk compile caches.
"""

from __future__ import annotations

import enum
import hashlib
import types
from collections.abc import Sequence
from typing import Any

import numpy as np

from pytensor.graph.basic import Apply, Constant, Variable
from pytensor.graph.traversal import io_toposort

__all__ = ["UnhashableGraphError", "graph_hash", "stable_token"]


class UnhashableGraphError(TypeError):
    """Part of a graph (an Op, a Type or a constant) has no stable, process-independent token."""


def _class_name(cls: type) -> str:
    return f"{cls.__module__}.{cls.__qualname__}"


def _token_container(obj: Any) -> Any:
    if isinstance(obj, tuple | list):
        return (type(obj).__name__, tuple(stable_token(x) for x in obj))
    if isinstance(obj, dict):
        items = sorted((repr(stable_token(k)), stable_token(v)) for k, v in obj.items())
        return ("dict", tuple(items))
    if isinstance(obj, frozenset | set):
        return ("set", tuple(sorted(repr(stable_token(x)) for x in obj)))
    if isinstance(obj, slice):
        return ("slice", stable_token(obj.start), stable_token(obj.stop), stable_token(obj.step))
    return None


def _token_numpy(obj: Any) -> Any:
    if isinstance(obj, np.dtype):
        return ("dtype", obj.str)
    if isinstance(obj, np.ndarray):
        data = np.ascontiguousarray(obj)
        if data.dtype.hasobject:
            return ("objarray", obj.shape, tuple(stable_token(x) for x in data.ravel()))
        return ("ndarray", data.dtype.str, data.shape, hashlib.sha256(data.tobytes()).hexdigest())
    if isinstance(obj, np.generic):
        return ("npscalar", obj.dtype.str, obj.tobytes())
    if isinstance(obj, np.ufunc):
        return ("ufunc", obj.__name__)
    return None


def _token_code(obj: Any) -> Any:
    if isinstance(obj, type):
        return ("class", _class_name(obj))
    if (
        isinstance(obj, types.FunctionType | types.BuiltinFunctionType)
        and "<" not in obj.__qualname__
    ):
        return ("function", obj.__module__, obj.__qualname__)
    return None


def stable_token(obj: Any) -> Any:
    """A nested tuple of plain values that identifies ``obj`` the same way in every process.

    Objects may define ``_stable_token()`` to supply their own token. Objects
    with ``__props__`` (Ops, Types) are tokenised by class and props.
    """
    if obj is None or isinstance(obj, bool | int | str | bytes):
        return (type(obj).__name__, obj)
    if isinstance(obj, float):
        return ("float", obj.hex())
    if isinstance(obj, complex):
        return ("complex", obj.real.hex(), obj.imag.hex())
    custom = getattr(obj, "_stable_token", None)
    if custom is not None and not isinstance(obj, type):
        return ("custom", _class_name(type(obj)), custom())
    if isinstance(obj, enum.Enum):
        return ("enum", _class_name(type(obj)), obj.name)
    for tokenize in (_token_container, _token_numpy, _token_code):
        token = tokenize(obj)
        if token is not None:
            return token
    props = getattr(type(obj), "__props__", None)
    if props is not None:
        return (
            "props",
            _class_name(type(obj)),
            tuple((p, stable_token(getattr(obj, p))) for p in props),
        )
    raise UnhashableGraphError(
        f"Cannot hash {type(obj).__name__} {obj!r} stably: give it __props__ or a _stable_token() method"
    )


def graph_hash(
    outputs: Sequence[Variable] | Any,
    inputs: Sequence[Variable] | None = None,
) -> str:
    """The hex SHA-256 structural hash of a graph.

    Parameters
    ----------
    outputs
        The output variables, or a FunctionGraph (its inputs and outputs are used).
    inputs
        The input variables, in order (default: the graph's non-constant roots,
        in the order they are first met).

    Raises
    ------
    UnhashableGraphError
        An Op, Type or constant has no stable token.
    """
    from pytensor.graph.fg import FunctionGraph

    if isinstance(outputs, FunctionGraph):
        inputs = outputs.inputs
        outputs = outputs.outputs
    outputs = list(outputs)
    nodes: list[Apply] = io_toposort(inputs or [], outputs)
    if inputs is None:
        seen: list[Variable] = []
        for node in nodes:
            for i in node.inputs:
                if i.owner is None and not isinstance(i, Constant) and i not in seen:
                    seen.append(i)
        for o in outputs:
            if o.owner is None and not isinstance(o, Constant) and o not in seen:
                seen.append(o)
        inputs = seen
    ids: dict[Variable, Any] = {}
    h = hashlib.sha256()

    def feed(token: Any) -> None:
        h.update(repr(token).encode())
        h.update(b"\x00")

    for k, inp in enumerate(inputs):
        ids[inp] = ("in", k)
        feed(("input", k, stable_token(inp.type)))

    def ref(var: Variable) -> Any:
        r = ids.get(var)
        if r is not None:
            return r
        if isinstance(var, Constant):
            tok = ("const", stable_token(var.type), stable_token(var.data))
            ids[var] = tok
            return tok
        raise UnhashableGraphError(
            f"Variable {var} is a root of the graph but not one of its inputs"
        )

    for j, node in enumerate(nodes):
        feed(("node", j, stable_token(node.op), tuple(ref(i) for i in node.inputs)))
        for k, out in enumerate(node.outputs):
            ids[out] = ("n", j, k)
            feed(("out", j, k, stable_token(out.type)))
    feed(("outputs", tuple(ref(o) for o in outputs)))
    return h.hexdigest()
