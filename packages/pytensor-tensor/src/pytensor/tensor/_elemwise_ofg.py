"""``ElemwiseOpFromGraph``: a user-defined elementwise composite as one Op (layer: pytensor-tensor).

An ordinary ``OpFromGraph`` is built for fixed input types: applying the same
function to a ``float32`` matrix and to a ``float64`` vector needs two Ops
(and two compilations of the inner graph). An ``ElemwiseOpFromGraph`` is
defined once, on scalars, and applies to tensors of any dtype, rank and
static shape with the broadcasting rules of ``Elemwise``: it holds a scalar
``Composite``, whose variants per input dtype are built on first use and
cached, and computes ``Elemwise(composite)``.

It stays one node in the compiled graph unless an ``Elemwise`` reads or feeds
it; then the ``inline_composites`` rewrite (position 2.5) replaces it by
``Elemwise(composite)`` and fusion merges it with its neighbours.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

from pytensor.compile.builders import OpFromGraph
from pytensor.graph.basic import Apply, Constant, Variable
from pytensor.graph.traversal import io_toposort
from pytensor.scalar._composite import Composite
from pytensor.scalar.basic import ScalarConstant, ScalarType, get_scalar_type
from pytensor.tensor._shape_calc import ShapedOp
from pytensor.tensor.elemwise import DimShuffle, Elemwise
from pytensor.tensor.type import TensorType

__all__ = ["ElemwiseOpFromGraph"]


def _scalar_graph(
    inputs: Sequence[Variable], outputs: Sequence[Variable]
) -> tuple[list[Variable], list[Variable]]:
    """The scalar graph computing ``outputs`` from ``inputs``, given as 0-d tensors or scalars."""
    if all(isinstance(i.type, ScalarType) for i in inputs) and all(
        isinstance(o.type, ScalarType) for o in outputs
    ):
        return list(inputs), list(outputs)
    for v in [*inputs, *outputs]:
        if not (isinstance(v.type, TensorType) and v.type.ndim == 0):
            raise TypeError(
                "ElemwiseOpFromGraph: inputs and outputs must all be scalars or all 0-d tensors; "
                f"{v} has type {v.type}"
            )
    memo: dict[Variable, Variable] = {i: get_scalar_type(i.type.dtype)() for i in inputs}

    def scalar_of(v: Variable) -> Variable:
        if v not in memo:
            if not isinstance(v, Constant):
                raise TypeError(
                    f"ElemwiseOpFromGraph: the outputs depend on {v}, which is neither an input "
                    "nor a constant"
                )
            memo[v] = ScalarConstant(get_scalar_type(v.type.dtype), v.data.reshape(())[()])
        return memo[v]

    for node in io_toposort(list(inputs), list(outputs)):
        op = node.op
        if isinstance(op, DimShuffle) and node.outputs[0].type.ndim == 0:
            memo[node.outputs[0]] = scalar_of(node.inputs[0])
            continue
        if isinstance(op, ElemwiseOpFromGraph):
            op = Elemwise(op.composite)
        if not isinstance(op, Elemwise) or op.inplace_pattern:
            raise TypeError(
                f"ElemwiseOpFromGraph: the inner graph must be elementwise; {node.op} is not"
            )
        outs = op.scalar_op.make_node(*[scalar_of(i) for i in node.inputs]).outputs
        memo.update(zip(node.outputs, outs, strict=True))
    return [memo[i] for i in inputs], [scalar_of(o) for o in outputs]


class ElemwiseOpFromGraph(ShapedOp, OpFromGraph):
    """An elementwise ``OpFromGraph`` that applies to tensors of any dtype, rank and shape.

    Parameters
    ----------
    inputs, outputs
        The elementwise function: scalar variables (``pytensor.scalar``) and
        scalar Ops, or 0-d tensors and ``Elemwise`` Ops (what ``pytensor.tensor``
        functions build on 0-d tensors). The dtypes of the inputs are only
        those of the definition; other dtypes rebuild the scalar graph for
        them, with the usual upcasting.
    name
        Used when printing.
    inline
        Inline every node at the start of the rewrites (like ``OpFromGraph``).
        Without it a node is inlined late, only where it helps fusion.

    Examples
    --------
    >>> import numpy as np
    >>> import pytensor.tensor as pt
    >>> a, b = pt.dscalar("a"), pt.dscalar("b")
    >>> op = ElemwiseOpFromGraph([a, b], [pt.exp(a) * b], name="exp_mul")
    >>> x, y = pt.fmatrix("x"), pt.fvector("y")
    >>> out = op(x, y)
    >>> print(out.type)
    Matrix(float32, shape=(?, ?))
    >>> out.eval({x: np.zeros((2, 3), "float32"), y: np.arange(3, dtype="float32")}).tolist()
    [[0.0, 1.0, 2.0], [0.0, 1.0, 2.0]]
    """

    def __init__(
        self,
        inputs: Sequence[Variable],
        outputs: Sequence[Variable],
        *,
        name: str | None = None,
        inline: bool = False,
    ) -> None:
        s_inputs, s_outputs = _scalar_graph(list(inputs), list(outputs))
        self.composite = Composite(s_inputs, s_outputs)
        self._elemwise = Elemwise(self.composite)
        inner = [TensorType(t.dtype, ())() for t in self.composite.inputs_type]
        inner_out = self._elemwise(*inner, return_list=True)
        super().__init__(inner, inner_out, inline=inline, name=name)
        self._nodes: dict[tuple[Any, ...], Apply] = {}

    @classmethod
    def from_function(
        cls,
        fn: Callable[..., Any],
        dtypes: Sequence[str] | int,
        *,
        name: str | None = None,
        inline: bool = False,
    ) -> ElemwiseOpFromGraph:
        """The Op computing ``fn`` elementwise, ``fn`` called once on 0-d tensors of ``dtypes``.

        ``dtypes`` may be a number of inputs (all ``float64``). ``fn`` returns
        one variable or a list of them.

        >>> import numpy as np
        >>> import pytensor.tensor as pt
        >>> op = ElemwiseOpFromGraph.from_function(lambda x, y: pt.log1p(x * y), 2)
        >>> bool(np.isclose(op(2.0, 3.0).eval(), np.log1p(6.0)))
        True
        """
        if isinstance(dtypes, int):
            dtypes = ["float64"] * dtypes
        inputs = [TensorType(d, ())(f"x{k}") for k, d in enumerate(dtypes)]
        out = fn(*inputs)
        outputs = list(out) if isinstance(out, list | tuple) else [out]
        return cls(inputs, outputs, name=name or getattr(fn, "__name__", None), inline=inline)

    # -- graph building -----------------------------------------------------
    def make_node(self, *inputs: Any) -> Apply:
        if len(inputs) != self.composite.nin:
            raise TypeError(f"{self} takes {self.composite.nin} inputs, got {len(inputs)}")
        inner = self._elemwise.make_node(*inputs)
        return Apply(self, list(inner.inputs), [o.type() for o in inner.outputs])

    def inline_graph(self, node: Apply) -> list[Variable]:
        """``Elemwise(composite)`` applied to ``node``'s inputs (what fusion merges)."""
        out: list[Variable] = self._elemwise(*node.inputs, return_list=True)
        return out

    def _output_shapes(
        self, inputs: Sequence[Variable], input_shapes: Sequence[Any], S: Any
    ) -> list[Any]:
        return [S.broadcast(self, inputs, list(input_shapes))] * self.composite.nout

    # -- evaluation -----------------------------------------------------------
    def perform(self, node: Apply, inputs: Sequence[Any], output_storage: list[list[Any]]) -> None:
        key = tuple(i.type for i in node.inputs)
        inner = self._nodes.get(key)
        if inner is None:
            inner = self._elemwise.make_node(*[t() for t in key])
            self._nodes[key] = inner
        self._elemwise.perform(inner, inputs, output_storage)

    # -- derivatives ------------------------------------------------------------
    def pullback(
        self,
        inputs: Sequence[Variable],
        outputs: Sequence[Variable],
        cotangents: Sequence[Variable],
    ) -> list[Any]:
        """The Composite's pullback applied to the tensors (``Elemwise``'s rule)."""
        return self._elemwise.pullback(inputs, outputs, cotangents)

    # pushforward: OpFromGraph's default differentiates ``inline_graph``, i.e. the Elemwise.

    # -- identity ---------------------------------------------------------------
    def _key(self) -> tuple[Any, ...]:
        return ("elemwise", self.composite, self.is_inline, self.name)

    def __eq__(self, other: object) -> bool:
        if self is other:
            return True
        return (
            type(self) is type(other)
            and isinstance(other, ElemwiseOpFromGraph)
            and self._key() == other._key()
        )

    def __hash__(self) -> int:
        return hash((type(self), self._key()))

    def _stable_token(self) -> Any:
        from pytensor.graph.hashing import stable_token

        return (stable_token(self.composite), self.is_inline, self.name)

    def __getstate__(self) -> dict[str, Any]:
        d = super().__getstate__()
        d["_nodes"] = {}
        return d

    def __str__(self) -> str:
        return self.name or f"ElemwiseOpFromGraph{{{self.composite}}}"
