"""Small Types and Ops for the rewrite tests: floats, float vectors, elementwise math, inplace and view Ops."""

from __future__ import annotations

from typing import Any, ClassVar

import numpy as np

from pytensor.graph.basic import Apply, Constant, Variable
from pytensor.graph.fg import FunctionGraph
from pytensor.graph.op import Op
from pytensor.graph.rewriting.basic import node_rewriter
from pytensor.graph.type import Type


class ScalarType(Type):
    __props__ = ()

    def __init__(self) -> None:
        self.variable_type = Variable
        self.constant_type = Constant

    def filter(self, data: Any, strict: bool = False, allow_downcast: bool | None = None) -> float:
        if isinstance(data, np.ndarray) and data.ndim != 0:
            raise TypeError(f"scalar expected, got array of shape {data.shape}")
        return float(data)

    def __str__(self) -> str:
        return "scalar"


class VectorType(Type):
    """float64 vectors; ``length`` None means unknown, so VectorType(None) accepts VectorType(3)."""

    __props__ = ("length",)

    def __init__(self, length: int | None = None) -> None:
        self.length = length
        self.variable_type = Variable
        self.constant_type = Constant

    def filter(
        self, data: Any, strict: bool = False, allow_downcast: bool | None = None
    ) -> np.ndarray:
        arr = np.asarray(data, dtype="float64")
        if arr.ndim != 1 or (self.length is not None and arr.shape[0] != self.length):
            raise TypeError(f"{self} cannot hold an array of shape {arr.shape}")
        return arr

    def is_super(self, otype: Type) -> bool | None:
        return isinstance(otype, VectorType) and (
            self.length is None or self.length == otype.length
        )

    def __str__(self) -> str:
        return f"vector({self.length})"


scalar = ScalarType()


def as_var(x: Any) -> Variable:
    if isinstance(x, Variable):
        return x
    arr = np.asarray(x, dtype="float64")
    if arr.ndim == 0:
        return Constant(scalar, float(arr))
    return Constant(VectorType(arr.shape[0]), arr)


class ElemOp(Op):
    """Elementwise math on scalars and vectors; ``nin`` None means any number of inputs."""

    __props__ = ()
    nin: ClassVar[int | None] = 1
    ufunc: ClassVar[Any] = None

    def make_node(self, *inputs: Any) -> Apply:
        args = [as_var(i) for i in inputs]
        if self.nin is not None and len(args) != self.nin:
            raise TypeError(f"{self} takes {self.nin} inputs, got {len(args)}")
        vec = [a.type for a in args if isinstance(a.type, VectorType)]
        out_type = (
            VectorType(next((t.length for t in vec if t.length is not None), None))
            if vec
            else scalar
        )
        return Apply(self, args, [out_type()])

    def compute(self, *args: Any) -> Any:
        out = args[0]
        for a in args[1:]:
            out = self.ufunc(out, a)
        return out if len(args) > 1 else self.ufunc(out)

    def perform(self, node: Apply, inputs: Any, output_storage: Any) -> None:
        res = self.compute(*inputs)
        output_storage[0][0] = node.outputs[0].type.filter(res)


class Add(ElemOp):
    nin = None
    commutative = True
    ufunc = np.add


class Mul(ElemOp):
    nin = None
    commutative = True
    ufunc = np.multiply


class Sub(ElemOp):
    nin = 2
    ufunc = np.subtract


class Log(ElemOp):
    ufunc = np.log


class Exp(ElemOp):
    ufunc = np.exp


class Log1p(ElemOp):
    ufunc = np.log1p


class Neg(ElemOp):
    ufunc = np.negative


class Sqr(ElemOp):
    ufunc = np.square


class ExpInplace(ElemOp):
    """exp that writes its result over its (vector) input."""

    destroy_map: ClassVar[dict[int, list[int]]] = {0: [0]}

    def perform(self, node: Apply, inputs: Any, output_storage: Any) -> None:
        (a,) = inputs
        np.exp(a, out=a)
        output_storage[0][0] = a


class AddInplace(ElemOp):
    """a + b written over a."""

    nin = 2
    destroy_map: ClassVar[dict[int, list[int]]] = {0: [0]}

    def perform(self, node: Apply, inputs: Any, output_storage: Any) -> None:
        a, b = inputs
        np.add(a, b, out=a)
        output_storage[0][0] = a


class View(ElemOp):
    """Returns its input (the same memory)."""

    view_map: ClassVar[dict[int, list[int]]] = {0: [0]}

    def perform(self, node: Apply, inputs: Any, output_storage: Any) -> None:
        output_storage[0][0] = inputs[0]


class Pair(Op):
    """Two outputs: (a + b, a - b)."""

    __props__ = ()

    def make_node(self, a: Any, b: Any) -> Apply:
        a, b = as_var(a), as_var(b)
        return Apply(self, [a, b], [a.type(), a.type()])

    def perform(self, node: Apply, inputs: Any, output_storage: Any) -> None:
        a, b = inputs
        output_storage[0][0] = a + b
        output_storage[1][0] = a - b


add, mul, sub, log, exp, log1p, neg, sqr = Add(), Mul(), Sub(), Log(), Exp(), Log1p(), Neg(), Sqr()
exp_inplace, add_inplace, view, pair = ExpInplace(), AddInplace(), View(), Pair()


def scalars(names: str) -> list[Variable]:
    return [scalar(n) for n in names.split()]


def vectors(names: str, length: int | None = 3) -> list[Variable]:
    return [VectorType(length)(n) for n in names.split()]


def run(fgraph: FunctionGraph, *values: Any) -> list[Any]:
    """Evaluate ``fgraph`` with the Python reference backend (inputs are copied first)."""
    from pytensor.link.python import backend

    runner = backend.link(fgraph)
    return runner(*[np.array(v, dtype="float64") if np.ndim(v) else float(v) for v in values])


def ops_of(fgraph: FunctionGraph) -> list[str]:
    """The Op class names of the graph's nodes, in topological order."""
    return [type(n.op).__name__ for n in fgraph.toposort()]


# Rewrites shared by several test modules.
@node_rewriter([Neg])
def local_double_neg(fgraph, node):
    arg = node.inputs[0]
    if arg.owner is not None and isinstance(arg.owner.op, Neg):
        return [arg.owner.inputs[0]]
    return False


@node_rewriter([Log])
def local_log_exp(fgraph, node):
    arg = node.inputs[0]
    if arg.owner is not None and isinstance(arg.owner.op, Exp):
        return [arg.owner.inputs[0]]
    return False


@node_rewriter([Exp])
def local_exp_log(fgraph, node):
    arg = node.inputs[0]
    if arg.owner is not None and isinstance(arg.owner.op, Log):
        return [arg.owner.inputs[0]]
    return False
