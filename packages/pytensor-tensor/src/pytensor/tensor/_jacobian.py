"""``IndexedMap``: an inner graph evaluated once per index of a run-time range, its results
stacked or added up (layer: pytensor-tensor). It gives the Jacobian of an expression whose
length is known only at run time (one pullback per row) without scan."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

import numpy as np

from pytensor.compile.builders import InnerGraphHolder
from pytensor.graph.basic import Apply, Constant, Variable, clone_get_equiv, equal_computations
from pytensor.graph.fg import FunctionGraph
from pytensor.graph.op import Op
from pytensor.graph.replace import clone_replace, graph_replace
from pytensor.graph.traversal import io_toposort, variable_depends_on
from pytensor.tensor._shape_calc import ShapedOp
from pytensor.tensor.type import TensorType

__all__ = ["IndexedMap", "indexed_map", "jacobian_rows"]

_COMBINE = ("stack", "sum")
_INDEX = TensorType("int64", ())


def _is_tensor(v: Any) -> bool:
    return isinstance(getattr(v, "type", None), TensorType)


def _is_float_tensor(v: Any) -> bool:
    return _is_tensor(v) and v.type.dtype.startswith(("float", "complex"))


class IndexedMap(ShapedOp, Op, InnerGraphHolder):
    """For ``i`` in ``range(n)``, evaluate an inner graph at ``i``; stack or add up each output.

    The inner graph has the inputs ``[i, *invariants]`` (``i`` an int64 scalar)
    and one output per outer output. The outer node takes ``n`` (an int64
    scalar), then the lengths of each output's per-index value (``ndim`` int64
    scalars per output, so that the output shape is known even for ``n = 0``),
    then the invariants. An output combined by ``"stack"`` has shape
    ``(n, *row)``, one combined by ``"sum"`` has shape ``row``.

    Build it with :func:`indexed_map`, which moves everything that does not
    depend on ``i`` out of the loop. The inner graph runs on the Python
    backend, like an OpFromGraph's.

    Parameters
    ----------
    inputs, outputs
        The inner graph (``inputs[0]`` is the index).
    combine
        ``"stack"`` or ``"sum"``, one per output.
    """

    def __init__(
        self, inputs: Sequence[Variable], outputs: Sequence[Variable], combine: Sequence[str]
    ) -> None:
        inputs, outputs, combine = list(inputs), list(outputs), tuple(combine)
        if not inputs or inputs[0].type != _INDEX:
            raise TypeError(
                f"IndexedMap: the first inner input must be an int64 scalar index, got {inputs[:1]}"
            )
        if len(combine) != len(outputs) or any(c not in _COMBINE for c in combine):
            raise ValueError(
                f"IndexedMap: combine must give one of {_COMBINE} per output ({len(outputs)}), "
                f"got {combine}"
            )
        for k, o in enumerate(outputs):
            if not _is_tensor(o):
                raise TypeError(f"IndexedMap: inner output {k} ({o}) is not a tensor: {o.type}")
        for k, v in enumerate(inputs):
            if isinstance(v, Constant):
                raise TypeError(f"IndexedMap: inner input {k} ({v}) is a constant")
        self.fgraph = FunctionGraph(inputs, outputs, clone=True)
        self.combine = combine
        self.input_types: list[Any] = [v.type for v in self.fgraph.inputs]
        self.output_types: list[Any] = [v.type for v in self.fgraph.outputs]  # TensorTypes
        self._runner: Any = None

    # -- value semantics ----------------------------------------------------
    def _key(self) -> tuple[Any, ...]:
        return (self.combine, tuple(self.input_types), tuple(self.output_types))

    def __eq__(self, other: object) -> bool:
        if self is other:
            return True
        if type(self) is not type(other):
            return False
        assert isinstance(other, IndexedMap)
        return self._key() == other._key() and equal_computations(
            self.inner_outputs, other.inner_outputs, self.inner_inputs, other.inner_inputs
        )

    def __hash__(self) -> int:
        return hash((type(self), self._key()))

    def _stable_token(self) -> Any:
        from pytensor.graph.hashing import graph_hash, stable_token

        return (graph_hash(self.fgraph), stable_token(self.combine))

    def __str__(self) -> str:
        return f"{type(self).__name__}{{{','.join(self.combine)}}}"

    def __getstate__(self) -> dict[str, Any]:
        d = self.__dict__.copy()
        d["_runner"] = None
        return d

    # -- graph building -----------------------------------------------------
    @property
    def n_lengths(self) -> int:
        """How many outer inputs after ``n`` give the per-index shapes of the outputs."""
        return sum(t.ndim for t in self.output_types)

    def split_inputs(self, inputs: Sequence[Any]) -> tuple[Any, list[tuple[Any, ...]], list[Any]]:
        """``(n, per-output row shapes, invariants)`` from a node's inputs (or their values)."""
        k = 1
        rows = []
        for t in self.output_types:
            rows.append(tuple(inputs[k : k + t.ndim]))
            k += t.ndim
        return inputs[0], rows, list(inputs[k:])

    def make_node(self, n: Any, *rest: Any) -> Apply:  # type: ignore[override]
        from pytensor.tensor.basic import as_tensor_variable, cast

        lengths, invariants = rest[: self.n_lengths], rest[self.n_lengths :]
        if len(invariants) != len(self.input_types) - 1:
            raise TypeError(
                f"{self} takes n, {self.n_lengths} lengths and {len(self.input_types) - 1} "
                f"invariants, got {1 + len(rest)} inputs"
            )
        ints = []
        for what, v in [("n", n), *((f"length {k}", d) for k, d in enumerate(lengths))]:
            v = as_tensor_variable(v)
            if v.type.ndim != 0 or not v.type.dtype.startswith(("int", "uint")):
                raise TypeError(f"{self}: {what} must be an integer scalar, got {v} ({v.type})")
            ints.append(cast(v, "int64") if v.type.dtype != "int64" else v)
        checked = []
        for k, (v, t) in enumerate(zip(invariants, self.input_types[1:], strict=True)):
            try:
                checked.append(t.filter_variable(v))
            except TypeError as exc:
                got = v.type if isinstance(v, Variable) else type(v).__name__
                raise TypeError(
                    f"{self}: invariant {k} has type {got}, expected {t} ({exc})"
                ) from None
        inputs = [*ints, *checked]
        shapes = self.static_shapes(inputs)
        outputs = [
            TensorType(t.dtype, shape)() for t, shape in zip(self.output_types, shapes, strict=True)
        ]
        return Apply(self, inputs, outputs)

    def _output_shapes(
        self, inputs: Sequence[Variable], input_shapes: Sequence[Any], S: Any
    ) -> list[Any]:
        n, rows, _ = self.split_inputs(inputs)
        shapes = []
        for t, row, how in zip(self.output_types, rows, self.combine, strict=True):
            dims = tuple(
                static if static is not None else S.value(d)
                for static, d in zip(t.shape, row, strict=True)
            )
            shapes.append((S.value(n), *dims) if how == "stack" else dims)
        return shapes

    def connection_pattern(self, node: Apply) -> list[list[bool]]:
        n_ints = 1 + self.n_lengths
        return [[False] * len(node.outputs) for _ in range(n_ints)] + [
            [variable_depends_on(o, v) for o in self.inner_outputs] for v in self.inner_inputs[1:]
        ]

    def perform(self, node: Apply, inputs: Sequence[Any], output_storage: list[list[Any]]) -> None:
        n, rows, invariants = self.split_inputs(inputs)
        n = int(n)
        if n < 0:
            raise ValueError(f"{self}: the number of indices is negative ({n})")
        shapes = [tuple(int(d) for d in row) for row in rows]
        results = [
            np.empty((n, *shape), dtype=t.dtype) if how == "stack" else np.zeros(shape, t.dtype)
            for t, shape, how in zip(self.output_types, shapes, self.combine, strict=True)
        ]
        fn = self.fn
        for i in range(n):
            values = fn(np.array(i, dtype="int64"), *invariants)
            for k, (value, shape) in enumerate(zip(values, shapes, strict=True)):
                value = np.asarray(value)
                if value.shape != shape:
                    raise ValueError(
                        f"{self}: at index {i}, output {k} has shape {value.shape}, but its "
                        f"length inputs say {shape}"
                    )
                if self.combine[k] == "stack":
                    results[k][i] = value
                else:
                    results[k] += value
        for cell, value in zip(output_storage, results, strict=True):
            cell[0] = value

    # -- derivatives --------------------------------------------------------
    def _body_at(
        self, i: Variable, invariants: Sequence[Variable]
    ) -> tuple[list[Variable], list[Variable]]:
        """The inner outputs at index ``i``, computed from fresh stand-ins for the invariants.

        Stand-ins (returned too) keep the invariants independent of each other:
        derivatives with respect to them must not also flow into their
        ancestors, which the outer graph differentiates itself.
        """
        stand_ins = [v.type() for v in invariants]
        replace = dict(zip(self.inner_inputs, [i, *stand_ins], strict=True))
        return list(clone_replace(self.inner_outputs, replace=replace, strict=False)), stand_ins

    def pullback(
        self,
        inputs: Sequence[Variable],
        outputs: Sequence[Variable],
        cotangents: Sequence[Any],
    ) -> list[Any]:
        """A summing IndexedMap of the inner pullbacks: ``sum_i J_i(x)^T c_i``."""
        from pytensor.gradient import disconnected_type, grad
        from pytensor.tensor.basic import zeros_like
        from pytensor.tensor.shape import shape_tuple

        n, _, invariants = self.split_inputs(inputs)
        wrt = [k for k, v in enumerate(invariants) if _is_float_tensor(v)]

        def body(i: Variable) -> list[Any]:
            outs, stand_ins = self._body_at(i, invariants)
            seeds: dict[Variable, Any] = {}
            for o, c, how in zip(outs, cotangents, self.combine, strict=True):
                seed = c[i] if how == "stack" else c
                seeds[o] = seeds[o] + seed if o in seeds else seed
            grads = grad(
                None,
                [stand_ins[k] for k in wrt],
                known_grads=seeds,
                disconnected_inputs="ignore",
                return_disconnected="Disconnected",
                null_gradients="return",
            )
            back = dict(zip(stand_ins, invariants, strict=True))
            return [_replace_back(g, back) for g in grads]

        sums = indexed_map(body, n, [shape_tuple(invariants[k]) for k in wrt], ["sum"] * len(wrt))
        result: list[Any] = [disconnected_type() for _ in range(1 + self.n_lengths)]
        by_position = dict(zip(wrt, sums, strict=True))
        for k, v in enumerate(invariants):
            if k in by_position:
                result.append(by_position[k])
            elif _is_tensor(v):
                result.append(zeros_like(v))  # integer: a zero gradient, as for any integer input
            else:
                result.append(disconnected_type())
        return result

    def pushforward(
        self, inputs: Sequence[Variable], outputs: Sequence[Variable], tangents: Sequence[Any]
    ) -> list[Any]:
        """An IndexedMap (same combination) of the inner pushforwards."""
        from pytensor.gradient import pushforward

        n, rows, invariants = self.split_inputs(inputs)
        _, _, inv_tangents = self.split_inputs(tangents)
        active = [
            k
            for k, (v, t) in enumerate(zip(invariants, inv_tangents, strict=True))
            if t is not None and _is_float_tensor(v)
        ]
        if not active:
            return [None] * len(outputs)

        def body(i: Variable) -> list[Any]:
            outs, stand_ins = self._body_at(i, invariants)
            tans = pushforward(
                outs, [stand_ins[k] for k in active], [inv_tangents[k] for k in active]
            )
            back = dict(zip(stand_ins, invariants, strict=True))
            return [_replace_back(t, back) for t in tans]

        return indexed_map(body, n, rows, self.combine)


def _replace_back(v: Any, back: dict[Variable, Variable]) -> Any:
    if not isinstance(v, Variable) or not _is_tensor(v):
        return v
    return graph_replace(v, back, strict=False)


def _split_loop(
    i: Variable, outs: Sequence[Variable]
) -> tuple[list[Variable], list[Variable], list[Variable]]:
    """``(invariants, inner inputs, inner outputs)``: what the loop body reads that does not
    depend on ``i`` becomes an invariant, computed once outside the loop."""
    dep = {i}
    frontier: list[Variable] = []
    seen: set[Variable] = set()
    for node in io_toposort([], list(outs)):
        if not any(x in dep for x in node.inputs):
            continue
        dep.update(node.outputs)
        for x in node.inputs:
            if x not in dep and not isinstance(x, Constant) and x not in seen:
                seen.add(x)
                frontier.append(x)
    inner_i = i.type("i")
    stand_ins = [v.type(v.name) for v in frontier]
    memo: dict[Any, Any] = {i: inner_i, **dict(zip(frontier, stand_ins, strict=True))}
    equiv = clone_get_equiv([i, *frontier], outs, copy_inputs=False, memo=memo)
    return frontier, [inner_i, *stand_ins], [equiv[o] for o in outs]


def _constant_over_index(o: Any, n: Variable, row: Sequence[Any], how: str) -> Variable:
    from pytensor.tensor.basic import alloc, cast

    if how == "stack":
        return alloc(o, n, *row)  # type: ignore[no-any-return]
    return o * cast(n, o.type.dtype)  # type: ignore[no-any-return]


def indexed_map(
    body: Callable[[Variable], Sequence[Any]],
    n: Any,
    row_shapes: Sequence[Sequence[Any]],
    combine: Sequence[str],
) -> list[Any]:
    """``[stack or sum over i in range(n) of body(i)[k]]`` for each output ``k`` of ``body``.

    ``body(i)`` builds the per-index outputs from a symbolic int64 scalar
    ``i`` (and any outer variables); ``row_shapes[k]`` is the shape of output
    ``k`` at one index (ints or int64 scalars); ``combine[k]`` is ``"stack"``
    or ``"sum"``. Everything that does not depend on ``i`` is computed once,
    outside the loop; an output that does not depend on ``i`` at all needs no
    loop. None, disconnected and null outputs of ``body`` are passed through.

    Examples
    --------
    >>> import numpy as np, pytensor.tensor as pt
    >>> from pytensor.tensor._jacobian import indexed_map
    >>> x = pt.dvector("x")
    >>> (squares,) = indexed_map(lambda i: [x[: i + 1].sum() ** 2], x.shape[0], [()], ["stack"])
    >>> squares.eval({x: np.array([1.0, 2.0, 3.0])})
    array([ 1.,  9., 36.])
    """
    from pytensor.tensor.basic import as_tensor_variable, cast

    if len(row_shapes) != len(combine):
        raise ValueError(
            f"indexed_map: {len(row_shapes)} row shapes but {len(combine)} combine entries"
        )
    n = as_tensor_variable(n)
    if n.type.ndim != 0 or not n.type.dtype.startswith(("int", "uint")):
        raise TypeError(f"indexed_map: n must be an integer scalar, got {n} ({n.type})")
    n = cast(n, "int64")
    i = _INDEX("i")
    outs = list(body(i))
    if len(outs) != len(combine):
        raise ValueError(f"indexed_map: body gave {len(outs)} outputs, expected {len(combine)}")
    results: list[Any] = list(outs)
    looped: list[int] = []
    for k, (o, row) in enumerate(zip(outs, row_shapes, strict=True)):
        if o is None or not _is_tensor(o):
            continue  # None, or a disconnected or null gradient: passed through
        if o.type.ndim != len(row):
            raise ValueError(
                f"indexed_map: output {k} ({o}) has {o.type.ndim} dimensions, but its row shape "
                f"has {len(row)} entries"
            )
        if variable_depends_on(o, i):
            looped.append(k)
        else:
            results[k] = _constant_over_index(o, n, row, combine[k])
    if looped:
        frontier, inner_inputs, inner_outputs = _split_loop(i, [outs[k] for k in looped])
        op = IndexedMap(inner_inputs, inner_outputs, [combine[k] for k in looped])
        lengths = [d for k in looped for d in row_shapes[k]]
        for k, v in zip(looped, op(n, *lengths, *frontier, return_list=True), strict=True):
            results[k] = v
    return results


def jacobian_rows(
    expression: Any,
    wrt: Sequence[Variable],
    consider_constant: Sequence[Variable] | None = None,
    disconnected_inputs: str = "raise",
) -> list[Any]:
    """For each ``w`` in ``wrt``, the ``(expression.size, *w.shape)`` Jacobian of the
    flattened ``expression``: row ``i`` is the pullback of the one-hot cotangent ``e_i``.

    One loop (an :class:`IndexedMap`) computes the rows for every ``w``; the
    length of ``expression`` may be known only at run time.
    """
    from pytensor.gradient import pullback
    from pytensor.tensor._ranges import arange
    from pytensor.tensor.basic import cast
    from pytensor.tensor.math import eq
    from pytensor.tensor.shape import shape_tuple

    flat = expression if expression.type.ndim == 1 else expression.reshape((-1,))
    n = flat.shape[0]
    positions = arange(n)

    def body(i: Variable) -> list[Any]:
        one_hot = cast(eq(positions, i), flat.type.dtype)
        rows = pullback(
            flat,
            list(wrt),
            one_hot,
            consider_constant=consider_constant,
            disconnected_inputs=disconnected_inputs,
        )
        return list(rows)

    return indexed_map(body, n, [shape_tuple(w) for w in wrt], ["stack"] * len(wrt))
