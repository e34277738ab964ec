"""``Composite``: a graph of scalar Ops used as one scalar Op (layer: pytensor-tensor).

It is the unit of elementwise fusion: ``Elemwise(Composite(...))`` runs a whole
scalar expression, with one or several outputs, in a single loop.
"""

from __future__ import annotations

import builtins
from collections.abc import Sequence
from typing import Any

import numpy as np

from pytensor.graph.basic import Apply, Constant, Variable, clone_get_equiv, equal_computations
from pytensor.graph.fg import FunctionGraph
from pytensor.graph.op import HasInnerGraph
from pytensor.scalar.basic import ScalarOp, ScalarType, as_scalar, get_scalar_type

__all__ = ["Composite"]

#: Inner graphs with more nodes than this get the short name "Composite{...}".
_MAX_NAMED_NODES = 12

_INFIX = {
    "add": "+",
    "sub": "-",
    "mul": "*",
    "true_div": "/",
    "int_div": "//",
    "mod": "%",
    "pow": "**",
    "lt": "<",
    "gt": ">",
    "le": "<=",
    "ge": ">=",
    "eq": "==",
    "neq": "!=",
    "and_": "&",
    "or_": "|",
    "xor": "^",
}


def _check_inner_graph(inputs: Sequence[Variable], outputs: Sequence[Variable]) -> None:
    """Inputs must be distinct scalar roots; every node a ScalarOp; every root an input or a constant."""
    for k, i in enumerate(inputs):
        if not isinstance(i, Variable) or not isinstance(i.type, ScalarType):
            raise TypeError(f"Composite: input {k} ({i!r}) is not a scalar variable")
        if i.owner is not None or isinstance(i, Constant):
            raise TypeError(
                f"Composite: input {k} ({i}) must be a free root variable, not computed or constant"
            )
    if len(set(inputs)) != len(inputs):
        raise ValueError("Composite: the same variable is given twice as an input")
    input_set = set(inputs)
    seen: set[Variable] = set()
    stack = list(outputs)
    for k, o in enumerate(outputs):
        if not isinstance(o, Variable) or not isinstance(o.type, ScalarType):
            raise TypeError(f"Composite: output {k} ({o!r}) is not a scalar variable")
    while stack:
        v = stack.pop()
        if v in seen or v in input_set:
            continue
        seen.add(v)
        if v.owner is None:
            if not isinstance(v, Constant):
                raise ValueError(
                    f"Composite: the outputs depend on {v}, which is neither an input nor a constant"
                )
            continue
        if not isinstance(v.owner.op, ScalarOp):
            raise TypeError(f"Composite: inner node {v.owner.op} is not a scalar Op")
        stack.extend(v.owner.inputs)


def _inline_composites(fgraph: FunctionGraph) -> FunctionGraph:
    """Replace inner Composite nodes by their own inner graphs (one flat scalar graph)."""
    if not any(isinstance(n.op, Composite) for n in fgraph.apply_nodes):
        return fgraph
    memo: dict[Any, Any] = {i: i for i in fgraph.inputs}
    for node in fgraph.toposort():
        new_inputs = [memo.get(i, i) for i in node.inputs]
        if isinstance(node.op, Composite):
            inner = node.op.fgraph
            sub = clone_get_equiv(
                inner.inputs,
                inner.outputs,
                copy_inputs=False,
                memo=dict(zip(inner.inputs, new_inputs, strict=True)),
            )
            new_outputs = [sub[o] for o in inner.outputs]
        else:
            new_outputs = node.op.make_node(*new_inputs).outputs
        memo.update(zip(node.outputs, new_outputs, strict=True))
    outputs = [memo.get(o, o) for o in fgraph.outputs]
    return FunctionGraph(fgraph.inputs, outputs, clone=False)


def _array_function(op: ScalarOp, out_dtypes: tuple[str, ...]) -> Any:
    from pytensor.scalar.basic import array_function

    return array_function(op, out_dtypes)


class Composite(HasInnerGraph, ScalarOp):
    """A scalar graph (``outputs`` as functions of ``inputs``) wrapped as one scalar Op.

    The graph is cloned into a :class:`~pytensor.graph.fg.FunctionGraph`
    (``self.fgraph``); nested Composites are inlined. Two Composites are equal
    when their inner graphs are structurally equal.

    Parameters
    ----------
    inputs
        Free scalar variables the outputs depend on (constants may appear inside).
    outputs
        One or more scalar variables computed from ``inputs`` by scalar Ops.

    Examples
    --------
    >>> import pytensor.scalar as ps
    >>> x, y = ps.float64("x"), ps.float64("y")
    >>> comp = ps.Composite([x, y], [ps.exp(x) + y])
    >>> str(comp)
    'Composite{(exp(i0) + i1)}'
    >>> float(comp.impl(0.0, 2.0))
    3.0
    """

    __props__ = ("inputs", "outputs")

    def __init__(
        self, inputs: Sequence[Variable], outputs: Sequence[Variable], name: str | None = None
    ) -> None:
        inputs, outputs = list(inputs), list(outputs)
        if not outputs:
            raise ValueError("Composite needs at least one output")
        _check_inner_graph(inputs, outputs)
        fgraph = _inline_composites(FunctionGraph(inputs, outputs, clone=True))
        for k, i in enumerate(fgraph.inputs):
            i.name = f"i{k}"
        self.fgraph = fgraph
        self.inputs = list(fgraph.inputs)
        self.outputs = list(fgraph.outputs)
        self.inputs_type: tuple[Any, ...] = tuple(i.type for i in self.inputs)
        self.outputs_type: tuple[Any, ...] = tuple(o.type for o in self.outputs)
        self.nin = len(self.inputs)
        self.nout = len(self.outputs)
        self.output_types_preference = None
        self._name = name
        self._program: list[Any] | None = None
        self._specialized: dict[tuple[ScalarType, ...], Composite] = {}
        self._hash: int | None = None

    # -- HasInnerGraph ---------------------------------------------------------
    @property
    def inner_inputs(self) -> list[Variable]:
        return self.fgraph.inputs

    @property
    def inner_outputs(self) -> list[Variable]:
        return self.fgraph.outputs

    @property
    def fn(self) -> Any:
        """A Python callable computing the outputs from scalar values (``impl``)."""
        return self.impl

    def clone(self) -> Composite:
        return Composite(self.inputs, self.outputs, name=self._name)

    # -- types ------------------------------------------------------------------------
    def output_types(self, types: Sequence[ScalarType]) -> Sequence[ScalarType]:
        """The inner output types; other input types rebuild the inner graph for them."""
        return self._for_types(tuple(types)).outputs_type

    def _for_types(self, types: tuple[ScalarType, ...]) -> Composite:
        """This Composite with its inner graph rebuilt for inputs of ``types`` (cached)."""
        if types == self.inputs_type:
            return self
        if len(types) != self.nin:
            raise TypeError(f"{self} takes {self.nin} inputs, got {len(types)}")
        op = self._specialized.get(types)
        if op is None:
            new_inputs = [t(name=i.name) for t, i in zip(types, self.inputs, strict=True)]
            try:
                memo = clone_get_equiv(
                    self.inputs,
                    self.outputs,
                    copy_inputs=False,
                    memo=dict(zip(self.inputs, new_inputs, strict=True)),
                )
            except TypeError as exc:
                dtypes = ", ".join(t.dtype for t in types)
                raise TypeError(
                    f"{self}: inputs of dtype ({dtypes}) are not supported: {exc}"
                ) from None
            op = Composite(new_inputs, [memo[o] for o in self.outputs], name=self._name)
            self._specialized[types] = op
        return op

    def make_node(self, *inputs: Any) -> Apply:
        if len(inputs) != self.nin:
            raise TypeError(f"{self} takes {self.nin} inputs, got {len(inputs)}")
        inputs = tuple(as_scalar(i) for i in inputs)
        op = self._for_types(tuple(i.type for i in inputs))
        return Apply(op, list(inputs), [t() for t in op.outputs_type])

    # -- evaluation ------------------------------------------------------------------------
    def _get_program(self) -> list[Any]:
        """The inner graph as a list of steps over value slots (built on first use)."""
        if self._program is None:
            slot: dict[Variable, int] = {i: k for k, i in enumerate(self.inputs)}
            consts: list[tuple[int, Any]] = []
            steps: list[tuple[Any, list[int], list[int], tuple[str, ...]]] = []

            def slot_of(v: Variable) -> int:
                if v not in slot:
                    slot[v] = len(slot)
                    consts.append((slot[v], np.asarray(v.data, dtype=v.type.dtype)))  # type: ignore[attr-defined]
                return slot[v]

            for node in self.fgraph.toposort():
                ins = [slot_of(i) for i in node.inputs]
                outs = []
                for o in node.outputs:
                    slot[o] = len(slot)
                    outs.append(slot[o])
                dtypes = tuple(o.type.dtype for o in node.outputs)  # type: ignore[attr-defined]
                steps.append((_array_function(node.op, dtypes), ins, outs, dtypes))
            out_slots = [slot_of(o) for o in self.outputs]
            fresh = {o for step in steps for o in step[2]}
            self._program = [len(slot), consts, steps, out_slots, fresh]
        return self._program

    def _run(self, values: list[Any]) -> list[Any]:
        n_slots, consts, steps, out_slots, fresh = self._get_program()
        store: list[Any] = values + [None] * (n_slots - len(values))
        for k, c in consts:
            store[k] = c
        for fn, ins, outs, dtypes in steps:
            res = fn(*[store[k] for k in ins])
            if len(outs) == 1:
                res = (res,)
            for k, r, dt in zip(outs, res, dtypes, strict=True):
                store[k] = np.asarray(r, dtype=dt)
        results: list[Any] = []
        given = {id(v) for v in values}
        for k in out_slots:
            r = store[k]
            # Never hand back an input, a constant, or the same array twice.
            if k not in fresh or id(r) in given or any(r is p for p in results):
                r = np.array(r, copy=True)
            results.append(r)
        return results

    def array_impl(self, *inputs: Any) -> Any:
        """Evaluate the inner graph on whole arrays (broadcast like NumPy)."""
        arrays = [np.asarray(x) for x in inputs]
        op = self._for_types(tuple(get_scalar_type(a.dtype.name) for a in arrays))
        with np.errstate(all="ignore"):
            results = op._run(arrays)
        return results[0] if self.nout == 1 else tuple(results)

    def impl(self, *inputs: Any) -> Any:
        """Evaluate the inner graph on scalars (cast to the inner input dtypes)."""
        values = [
            np.asarray(x, dtype=t.dtype) for x, t in zip(inputs, self.inputs_type, strict=True)
        ]
        with np.errstate(all="ignore"):
            results = [r[()] for r in self._run(values)]
        return results[0] if self.nout == 1 else tuple(results)

    # -- differentiation -------------------------------------------------------------------
    def pullback(
        self,
        inputs: Sequence[Variable],
        outputs: Sequence[Variable],
        cotangents: Sequence[Variable],
    ) -> list[Any]:
        """Differentiate the inner graph, rebuilt elementwise on the (tensor or scalar) inputs.

        Each inner node becomes ``Elemwise(node.op)`` on tensors, and the
        gradient machinery pulls the cotangents back through that graph.
        """
        return _composite_pullback(self, inputs, outputs, cotangents)

    # -- identity ------------------------------------------------------------------------
    def __eq__(self, other: object) -> bool:
        if self is other:
            return True
        if type(self) is not type(other):
            return False
        assert isinstance(other, Composite)
        if self.inputs_type != other.inputs_type or self.outputs_type != other.outputs_type:
            return False
        return equal_computations(self.outputs, other.outputs, self.inputs, other.inputs)

    def __hash__(self) -> int:
        # A hash of the graph unfolded into trees: equal for graphs that
        # equal_computations accepts, whether or not common subgraphs are shared.
        if self._hash is None:
            memo: dict[Variable, int] = {
                i: hash(("in", k, i.type)) for k, i in enumerate(self.inputs)
            }
            for node in self.fgraph.toposort():
                for i in node.inputs:
                    if i not in memo:
                        memo[i] = hash(("const", i.signature()))  # type: ignore[attr-defined]
                ins = tuple(memo[i] for i in node.inputs)
                for k, o in enumerate(node.outputs):
                    memo[o] = hash((node.op, ins, k, o.type))
            outs = tuple(
                memo[o] if o in memo else hash(("const", o.signature())) for o in self.outputs
            )  # type: ignore[attr-defined]
            self._hash = hash((type(self), self.inputs_type, outs))
        return self._hash

    def _stable_token(self) -> Any:
        from pytensor.graph.hashing import graph_hash

        return ("Composite", graph_hash(self.outputs, self.inputs))

    def __getstate__(self) -> dict[str, Any]:
        d = self.__dict__.copy()
        # Cached evaluation closures do not pickle, and Python's hash of strings
        # differs between processes, so the hash is recomputed after loading.
        d["_program"] = None
        d["_specialized"] = {}
        d["_hash"] = None
        return d

    # -- printing ------------------------------------------------------------------------
    @property
    def name(self) -> str:  # type: ignore[override]
        if self._name is None:
            if len(self.fgraph.apply_nodes) > _MAX_NAMED_NODES:
                self._name = "Composite{...}"
            else:
                memo: dict[Variable, str] = {}
                text = ", ".join(_expr(o, memo) for o in self.outputs)
                self._name = f"Composite{{{text}}}"
        return self._name

    @name.setter
    def name(self, value: str | None) -> None:
        self._name = value

    def __str__(self) -> str:
        return self.name


def _expr(v: Variable, memo: dict[Variable, str]) -> str:
    """A readable expression for an inner variable (infix for arithmetic, calls otherwise)."""
    if v in memo:
        return memo[v]
    if v.owner is None:
        if isinstance(v, Constant):
            data = np.asarray(v.data)
            text = repr(data.item()) if data.dtype.kind != "b" else str(builtins.bool(data))
        else:
            text = str(v.name)
    else:
        op = v.owner.op
        args = [_expr(i, memo) for i in v.owner.inputs]
        opname = str(op)
        symbol = _INFIX.get(opname)
        if symbol is not None and len(args) >= 2:
            text = "(" + f" {symbol} ".join(args) + ")"
        elif opname == "neg" and len(args) == 1:
            text = f"(-{args[0]})"
        else:
            text = f"{opname}({', '.join(args)})"
        if len(v.owner.outputs) > 1:
            text = f"{text}[{v.index}]"
    memo[v] = text
    return text


# -- differentiation ---------------------------------------------------------------------------
def _elementwise_graph(op: Composite, inputs: Sequence[Variable]) -> list[Variable]:
    """The inner graph of ``op`` on tensor ``inputs``: each inner node as an ``Elemwise``."""
    from pytensor.tensor.basic import as_tensor_variable
    from pytensor.tensor.elemwise import Elemwise

    memo: dict[Variable, Variable] = dict(zip(op.inputs, inputs, strict=True))

    def lift(v: Variable) -> Variable:
        if v not in memo:  # an inner constant
            memo[v] = as_tensor_variable(np.asarray(v.data, dtype=v.type.dtype))  # type: ignore[attr-defined]
        return memo[v]

    for node in op.fgraph.toposort():
        outs = Elemwise(node.op)(*[lift(i) for i in node.inputs], return_list=True)
        memo.update(zip(node.outputs, outs, strict=True))
    return [lift(o) for o in op.outputs]


def _sum_to_static_shape(g: Variable, like: Variable) -> Variable:
    """``g`` summed over the dimensions where ``like`` has static length 1 and ``g`` may not.

    An inner value that depends only on broadcast inputs has a smaller static
    shape than the Composite's outputs, whose cotangents we receive.
    """
    from pytensor.tensor.math import sum as pt_sum

    axes = tuple(
        d
        for d, (a, b) in enumerate(zip(like.type.shape, g.type.shape, strict=True))  # type: ignore[attr-defined]
        if a == 1 and b != 1
    )
    return pt_sum(g, axis=axes, keepdims=True) if axes else g  # type: ignore[no-any-return]


def _tensor_pullback(
    op: Composite,
    inputs: Sequence[Variable],
    outputs: Sequence[Variable],
    cotangents: Sequence[Variable],
) -> list[Any]:
    from pytensor.gradient import DisconnectedType, NullType, grad
    from pytensor.graph.replace import graph_replace

    # Work on stand-ins so that the machinery only walks the (small) inner
    # graph, never the graphs that compute the real inputs and cotangents.
    ins = [i.type() for i in inputs]
    cots = [c.type() for c in cotangents]
    rebuilt = _elementwise_graph(op, ins)
    known: dict[Variable, Variable] = {}
    for o, c in zip(rebuilt, cots, strict=True):
        if isinstance(o, Constant) or o.type.ndim < c.type.ndim:  # type: ignore[attr-defined]
            continue  # computed from constants only: no input influences it
        c = _sum_to_static_shape(c, o)
        known[o] = known[o] + c if o in known else c
    if not known:
        from pytensor.gradient import disconnected_type

        return [disconnected_type() for _ in inputs]
    grads = grad(
        None,
        ins,
        known_grads=known,
        disconnected_inputs="ignore",
        return_disconnected="Disconnected",
        null_gradients="return",
    )
    replace: dict[Variable, Variable] = dict(zip(ins, inputs, strict=True))
    replace.update(zip(cots, cotangents, strict=True))
    # Reuse the Composite's own outputs where the rule needs the forward values.
    for r, o in zip(rebuilt, outputs, strict=True):
        if r.owner is not None and r not in replace and r.type == o.type:
            replace[r] = o
    real = [g for g in grads if not isinstance(g.type, DisconnectedType | NullType)]
    new = iter(graph_replace(real, replace, strict=False) if real else [])
    return [g if isinstance(g.type, DisconnectedType | NullType) else next(new) for g in grads]


def _composite_pullback(
    op: Composite,
    inputs: Sequence[Variable],
    outputs: Sequence[Variable],
    cotangents: Sequence[Variable],
) -> list[Any]:
    if not inputs:
        return []
    if not isinstance(inputs[0].type, ScalarType):
        return _tensor_pullback(op, inputs, outputs, cotangents)
    # Scalar variables: differentiate on 0-d tensors and convert back.
    from pytensor.gradient import DisconnectedType, NullType
    from pytensor.tensor.basic import scalar_from_tensor, tensor_from_scalar

    grads = _tensor_pullback(
        op,
        [tensor_from_scalar(i) for i in inputs],
        [tensor_from_scalar(o) for o in outputs],
        [tensor_from_scalar(c) for c in cotangents],
    )
    return [
        g if isinstance(g.type, DisconnectedType | NullType) else scalar_from_tensor(g)
        for g in grads
    ]
