"""Float Ops, about twenty node rewrites and a graph generator for the rewrite-engine benchmarks."""

from __future__ import annotations

import math
import random
from typing import Any, ClassVar

from pytensor.graph.basic import Apply, Constant, Variable
from pytensor.graph.fg import FunctionGraph
from pytensor.graph.op import Op
from pytensor.graph.rewriting.basic import NodeRewriter, PatternNodeRewriter, node_rewriter
from pytensor.graph.type import Type


class FloatType(Type):
    __props__ = ()
    variable_type = Variable
    constant_type = Constant

    def filter(self, data: Any, strict: bool = False, allow_downcast: bool | None = None) -> float:
        return float(data)

    def __str__(self) -> str:
        return "float"


fscalar = FloatType()


class _Op(Op):
    __props__ = ()
    nin: ClassVar[int | None] = 1
    fn: ClassVar[Any] = None

    def make_node(self, *inputs: Any) -> Apply:
        args = [i if isinstance(i, Variable) else Constant(fscalar, i) for i in inputs]
        return Apply(self, args, [fscalar()])

    def perform(self, node: Apply, inputs: Any, output_storage: Any) -> None:
        output_storage[0][0] = type(self).fn(*inputs)


class Add(_Op):
    nin = None
    commutative = True
    fn = staticmethod(lambda *a: math.fsum(a))


class Mul(_Op):
    nin = None
    commutative = True
    fn = staticmethod(lambda *a: math.prod(a))


class Sub(_Op):
    fn = staticmethod(lambda a, b: a - b)


class Neg(_Op):
    fn = staticmethod(lambda a: -a)


class Exp(_Op):
    fn = staticmethod(math.exp)


class Log(_Op):
    fn = staticmethod(math.log)


class Log1p(_Op):
    fn = staticmethod(math.log1p)


class Sqr(_Op):
    fn = staticmethod(lambda a: a * a)


add, mul, sub, neg, exp, log, log1p, sqr = Add(), Mul(), Sub(), Neg(), Exp(), Log(), Log1p(), Sqr()


def _const(value: float) -> dict[str, Any]:
    return {
        "pattern": f"c{value}".replace(".", "_").replace("-", "m"),
        "constraint": lambda v: isinstance(v, Constant) and v.data == value,
    }


@node_rewriter([Add])
def local_add_flatten(fgraph: FunctionGraph, node: Apply) -> Any:
    """add(a, add(b, c)) -> add(a, b, c) when the inner add is used once."""
    flat: list[Variable] = []
    changed = False
    for i in node.inputs:
        if i.owner is not None and isinstance(i.owner.op, Add) and len(fgraph.clients[i]) == 1:
            flat.extend(i.owner.inputs)
            changed = True
        else:
            flat.append(i)
    return [add(*flat)] if changed else False


@node_rewriter([Mul])
def local_mul_fold_constants(fgraph: FunctionGraph, node: Apply) -> Any:
    """mul(2, x, 3) -> mul(6, x)."""
    consts = [i for i in node.inputs if isinstance(i, Constant)]
    if len(consts) < 2:
        return False
    rest = [i for i in node.inputs if not isinstance(i, Constant)]
    folded = Constant(fscalar, math.prod(c.data for c in consts))
    return [mul(folded, *rest)] if rest else [folded]


def rewrites() -> list[NodeRewriter]:
    """Twenty node rewrites of the kind canonicalize/stabilize hold."""
    return [
        PatternNodeRewriter((neg, (neg, "x")), "x"),
        PatternNodeRewriter((log, (exp, "x")), "x"),
        PatternNodeRewriter((exp, (log, "x")), "x"),
        PatternNodeRewriter((add, "x", _const(0.0)), "x"),
        PatternNodeRewriter((mul, "x", _const(1.0)), "x"),
        PatternNodeRewriter((mul, "x", _const(0.0)), 0.0),
        PatternNodeRewriter((add, "x", "x"), (mul, 2.0, "x")),
        PatternNodeRewriter((sub, "x", "x"), 0.0),
        PatternNodeRewriter((log, (add, 1.0, "x")), (log1p, "x")),
        PatternNodeRewriter((log1p, (sub, (exp, "x"), 1.0)), "x"),
        PatternNodeRewriter((sqr, (neg, "x")), (sqr, "x")),
        PatternNodeRewriter((neg, (mul, -1.0, "x")), "x"),
        PatternNodeRewriter((sub, "x", _const(0.0)), "x"),
        PatternNodeRewriter((sub, _const(0.0), "x"), (neg, "x")),
        PatternNodeRewriter((mul, (neg, "x"), (neg, "y")), (mul, "x", "y")),
        PatternNodeRewriter((add, (neg, "x"), "x"), 0.0),
        PatternNodeRewriter((log, (sqr, (exp, "x"))), (mul, 2.0, "x")),
        PatternNodeRewriter((exp, (mul, 0.0, "x")), 1.0),
        local_add_flatten,
        local_mul_fold_constants,
    ]


def build(n: int, seed: int = 0) -> FunctionGraph:
    """A graph of about ``n`` nodes full of things the rewrites simplify and merge can share.

    Every intermediate value is used (outputs sum them in groups of 100), so
    the graph has about ``n`` nodes.
    """
    rng = random.Random(seed)
    xs = [fscalar(name) for name in "abcd"]
    pool: list[Variable] = list(xs)
    nodes = 0
    while nodes < n:
        a, b = rng.choice(pool[-50:]), rng.choice(pool[-50:])
        k = rng.randrange(8)
        if k == 0:
            v, cost = neg(neg(a)), 2
        elif k == 1:
            v, cost = log(exp(a)), 2
        elif k == 2:
            v, cost = add(a, 0.0), 1
        elif k == 3:
            v, cost = mul(a, 1.0), 1
        elif k == 4:
            v, cost = add(exp(a), exp(a)), 3
        elif k == 5:
            v, cost = mul(2.0, a, 3.0), 1
        elif k == 6:
            v, cost = sqr(neg(b)), 2
        else:
            v, cost = mul(a, b), 1
        pool.append(v)
        nodes += cost
    outs = [add(*pool[i : i + 100]) for i in range(len(xs), len(pool), 100)]
    return FunctionGraph(xs, outs, clone=False)
