"""``OpFromGraph``: a graph packaged as one Op (layer: pytensor-graph).

Its pullback and pushforward default to differentiating the inner graph,
which needs the gradient machinery of pytensor-tensor; that layer installs it
with :func:`register_default_derivatives`. Overrides work without it.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

from pytensor.compile.sharedvalue import SharedVariable
from pytensor.graph.basic import Apply, Constant, Variable, equal_computations
from pytensor.graph.fg import FunctionGraph
from pytensor.graph.op import HasInnerGraph, Op, ShapeNotDefined
from pytensor.graph.replace import clone_replace, graph_replace
from pytensor.graph.traversal import graph_inputs, io_toposort, variable_depends_on

__all__ = ["InnerGraphHolder", "OpFromGraph", "register_default_derivatives"]

_DEFAULTS: dict[str, Callable[..., list[Any]] | None] = {"pullback": None, "pushforward": None}


def register_default_derivatives(
    pullback: Callable[..., list[Any]] | None = None,
    pushforward: Callable[..., list[Any]] | None = None,
) -> None:
    """Install how an OpFromGraph without overrides differentiates its inner graph.

    ``pullback(inner_inputs, inner_outputs, cotangents)`` and
    ``pushforward(inner_inputs, inner_outputs, tangents)`` return one entry
    per input (resp. output); the gradient layer registers them.
    """
    if pullback is not None:
        _DEFAULTS["pullback"] = pullback
    if pushforward is not None:
        _DEFAULTS["pushforward"] = pushforward


class InnerGraphHolder(HasInnerGraph):
    """Implements :class:`HasInnerGraph` for Ops that keep their inner graph in
    ``self.fgraph`` and the compiled inner function in ``self._runner``."""

    fgraph: FunctionGraph
    _runner: Any

    @property
    def inner_inputs(self) -> list[Variable]:
        return self.fgraph.inputs

    @property
    def inner_outputs(self) -> list[Variable]:
        return self.fgraph.outputs

    @property
    def fn(self) -> Any:
        """The inner graph compiled with the Python backend (``fn(*inputs) -> list``)."""
        if self._runner is None:
            from pytensor.link.python import backend

            self._runner = backend.link(self.fgraph.clone())
        return self._runner

    def clone(self) -> Any:
        new = object.__new__(type(self))
        new.__dict__.update(self.__dict__)
        new.fgraph = self.fgraph.clone()
        new._runner = None
        return new


class OpFromGraph(Op, InnerGraphHolder):
    """Wrap the graph from ``inputs`` to ``outputs`` as a single Op.

    Parameters
    ----------
    inputs, outputs
        The inner graph. Shared variables the outputs read become extra,
        implicit inputs of every node of this Op.
    inline
        Ask the rewrites to replace each node by a copy of the inner graph
        (so it is optimised together with the outer graph).
    pullback_overrides
        Replaces the default pullback: a callable
        ``(inputs, outputs, cotangents) -> list`` (one entry per input), or a
        list with one callable (returning one variable) or None (default)
        per input. ``lop_overrides`` and ``grad_overrides`` are accepted as
        aliases.
    pushforward_overrides
        The same for the pushforward: ``(inputs, outputs, tangents) -> list``
        with one entry per output (``rop_overrides`` is an alias).
    connection_pattern
        ``[input][output]`` booleans; computed from the graph when omitted.
    name
        Used when printing.
    """

    def __init__(
        self,
        inputs: Sequence[Variable],
        outputs: Sequence[Variable],
        *,
        inline: bool = False,
        pullback_overrides: Any = "default",
        pushforward_overrides: Any = "default",
        connection_pattern: list[list[bool]] | None = None,
        strict: bool = False,
        name: str | None = None,
        destroy_map: dict[int, list[int]] | None = None,
        **kwargs: Any,
    ) -> None:
        for alias in ("lop_overrides", "grad_overrides"):
            if alias in kwargs:
                pullback_overrides = kwargs.pop(alias)
        if "rop_overrides" in kwargs:
            pushforward_overrides = kwargs.pop("rop_overrides")
        if kwargs:
            raise TypeError(f"OpFromGraph got unexpected arguments {sorted(kwargs)}")
        if not isinstance(outputs, list | tuple):
            raise TypeError(
                f"OpFromGraph: outputs must be a list of variables, got {type(outputs).__name__}"
            )
        for k, inp in enumerate(inputs):
            if not isinstance(inp, Variable):
                raise TypeError(f"OpFromGraph: input {k} is not a Variable: {inp!r}")
            if isinstance(inp, Constant):
                raise TypeError(
                    f"OpFromGraph: input {k} ({inp}) is a constant; constants cannot be inputs"
                )
        inputs = list(inputs)
        outputs = list(outputs)
        shared = [
            v
            for v in graph_inputs(outputs, blockers=inputs)
            if isinstance(v, SharedVariable) and v not in inputs
        ]
        if shared and strict:
            raise TypeError(
                f"OpFromGraph(strict=True) does not allow the shared variables {shared}"
            )
        self.shared_inputs = shared
        all_inputs = inputs + shared
        fgraph = FunctionGraph(all_inputs, outputs, clone=True)
        self.fgraph = fgraph
        self.input_types = [v.type for v in fgraph.inputs]
        self.output_types = [v.type for v in fgraph.outputs]
        self.is_inline = inline
        self.name = name
        self.destroy_map = dict(destroy_map) if destroy_map else {}
        self._pullback_overrides = pullback_overrides
        self._pushforward_overrides = pushforward_overrides
        self._connection_pattern = connection_pattern
        self._runner: Any = None

    # -- value semantics ----------------------------------------------------
    def _key(self) -> tuple[Any, ...]:
        return (
            self.is_inline,
            self.name,
            tuple(self.input_types),
            tuple(self.output_types),
            tuple(sorted(self.destroy_map.items())),
        )

    def __eq__(self, other: object) -> bool:
        if self is other:
            return True
        if type(self) is not type(other):
            return False
        assert isinstance(other, OpFromGraph)
        if self._key() != other._key():
            return False
        if self._pullback_overrides != other._pullback_overrides:
            return False
        if self._pushforward_overrides != other._pushforward_overrides:
            return False
        return equal_computations(
            self.inner_outputs, other.inner_outputs, self.inner_inputs, other.inner_inputs
        )

    def __hash__(self) -> int:
        return hash((type(self), self._key()))

    def _stable_token(self) -> Any:
        from pytensor.graph.hashing import UnhashableGraphError, graph_hash, stable_token

        if self._pullback_overrides != "default" or self._pushforward_overrides != "default":
            raise UnhashableGraphError(
                "An OpFromGraph with derivative overrides has no stable token"
            )
        return (graph_hash(self.fgraph), stable_token(self._key()))

    def __str__(self) -> str:
        return self.name or f"{type(self).__name__}{{inline={self.is_inline}}}"

    def __getstate__(self) -> dict[str, Any]:
        d = self.__dict__.copy()
        d["_runner"] = None
        return d

    # -- graph building -----------------------------------------------------
    def make_node(self, *inputs: Any) -> Apply:
        n = len(self.input_types) - len(self.shared_inputs)
        if len(inputs) != n:
            raise TypeError(f"{self} takes {n} inputs, got {len(inputs)}")
        checked = []
        for k, (inp, t) in enumerate(zip(inputs, self.input_types, strict=False)):
            try:
                checked.append(t.filter_variable(inp))
            except TypeError as exc:
                got = inp.type if isinstance(inp, Variable) else type(inp).__name__
                raise TypeError(f"{self}: input {k} has type {got}, expected {t} ({exc})") from None
        checked.extend(self.shared_inputs)
        return Apply(self, checked, [t() for t in self.output_types])

    def perform(self, node: Apply, inputs: Sequence[Any], output_storage: list[list[Any]]) -> None:
        results = self.fn(*inputs)
        for cell, value in zip(output_storage, results, strict=True):
            cell[0] = value

    def inline_graph(self, node: Apply) -> list[Variable]:
        """Copies of the inner outputs computed from ``node``'s inputs (used to inline a node)."""
        replace = dict(zip(self.inner_inputs, node.inputs, strict=True))
        copies: list[Variable] = clone_replace(self.inner_outputs, replace=replace)
        return copies

    def connection_pattern(self, node: Apply) -> list[list[bool]]:
        if self._connection_pattern is not None:
            return [list(row) for row in self._connection_pattern]
        return [
            [variable_depends_on(out, inp) for out in self.inner_outputs]
            for inp in self.inner_inputs
        ]

    # -- shapes -------------------------------------------------------------
    def infer_shape(self, fgraph: Any, node: Apply, input_shapes: Sequence[Any]) -> list[Any]:
        """Propagate the input shapes through the inner Ops' ``infer_shape``.

        Inner variables that the shape expressions mention are replaced by the
        outer node's inputs. Raises ShapeNotDefined when an inner Op has no
        ``infer_shape`` or an inner constant has no fully static shape.
        """
        shape_of: dict[Variable, Any] = dict(zip(self.inner_inputs, input_shapes, strict=True))
        for inner in io_toposort(self.inner_inputs, self.inner_outputs):
            in_shapes = []
            for i in inner.inputs:
                if i not in shape_of:
                    static = getattr(i.type, "shape", None)
                    if static is None or any(s is None for s in static):
                        raise ShapeNotDefined(f"{self}: the inner constant {i} has no static shape")
                    shape_of[i] = tuple(static)
                in_shapes.append(shape_of[i])
            # There is no FunctionGraph for inner nodes here; Ops may not rely on it.
            outs = inner.op.infer_shape(None, inner, in_shapes)  # type: ignore[arg-type]
            shape_of.update(zip(inner.outputs, outs, strict=True))
        result = [shape_of[o] for o in self.inner_outputs]
        flat = [s for shp in result if shp is not None for s in shp if isinstance(s, Variable)]
        if not flat:
            return result
        outer = graph_replace(
            flat, dict(zip(self.inner_inputs, node.inputs, strict=True)), strict=False
        )
        mapping = dict(zip(flat, outer, strict=True))
        return [
            None
            if shp is None
            else tuple(mapping.get(s, s) if isinstance(s, Variable) else s for s in shp)
            for shp in result
        ]

    # -- derivatives --------------------------------------------------------
    def pullback(
        self,
        inputs: Sequence[Variable],
        outputs: Sequence[Variable],
        cotangents: Sequence[Variable],
    ) -> list[Any]:
        """Cotangents of the inputs: from the overrides if given, else by differentiating the inner graph."""
        over = self._pullback_overrides
        if callable(over):
            return list(over(list(inputs), list(outputs), list(cotangents)))
        if over == "default":
            return self._default("pullback", inputs, outputs, cotangents)
        # Computed (before the length check) only when some entry asks for it.
        default: list[Any] = []
        if isinstance(over, list | tuple) and any(o is None for o in over):
            default = self._default("pullback", inputs, outputs, cotangents)
        if not isinstance(over, list | tuple) or len(over) != len(inputs):
            raise TypeError(
                f"{self}: pullback_overrides must be 'default', a callable or a list with one entry per input"
            )
        result = []
        for k, entry in enumerate(over):
            if entry is None:
                result.append(default[k])
            elif callable(entry):
                result.append(entry(list(inputs), list(outputs), list(cotangents)))
            else:
                result.append(entry)
        return result

    def pushforward(
        self, inputs: Sequence[Variable], outputs: Sequence[Variable], tangents: Sequence[Variable]
    ) -> list[Any]:
        """Tangents of the outputs: from the overrides if given, else by differentiating the inner graph."""
        over = self._pushforward_overrides
        if callable(over):
            return list(over(list(inputs), list(outputs), list(tangents)))
        if over == "default":
            return self._default("pushforward", inputs, outputs, tangents)
        if not isinstance(over, list | tuple) or len(over) != len(outputs):
            raise TypeError(
                f"{self}: pushforward_overrides must be 'default', a callable or a list with one entry per output"
            )
        default = (
            self._default("pushforward", inputs, outputs, tangents)
            if any(o is None for o in over)
            else []
        )
        return [
            default[k]
            if entry is None
            else (entry(list(inputs), list(outputs), list(tangents)) if callable(entry) else entry)
            for k, entry in enumerate(over)
        ]

    def _default(
        self,
        kind: str,
        inputs: Sequence[Variable],
        outputs: Sequence[Variable],
        seeds: Sequence[Any],
    ) -> list[Any]:
        impl = _DEFAULTS[kind]
        if impl is None:
            raise NotImplementedError(
                f"{self}: the default {kind} differentiates the inner graph and needs pytensor.gradient "
                "(pip install pytensor-tensor); or pass an override"
            )
        # Differentiate a copy of the inner graph applied to the outer inputs.
        inner_outs = self.inline_graph(Apply(self, list(inputs), [t() for t in self.output_types]))
        return impl(list(inputs), inner_outs, list(seeds))
