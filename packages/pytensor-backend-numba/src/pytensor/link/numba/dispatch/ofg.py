"""Numba kernels of Ops with an inner graph: OpFromGraph and ElemwiseOpFromGraph (layer: pytensor-backend-numba).

An OpFromGraph's inner FunctionGraph is compiled by the numba linker's own
machinery (``compile_graph_function``) into a jitted function that the node's
kernel calls; an ElemwiseOpFromGraph runs as its ``Elemwise(Composite)``.
Mirrors ``pytensor.compile.builders`` and ``pytensor.tensor._elemwise_ofg``.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from pytensor.compile.builders import OpFromGraph
from pytensor.link.numba.dispatch._op_utils import compile_source, node_key
from pytensor.link.numba.dispatch.basic import NumbaImpl, numba_funcify
from pytensor.tensor._elemwise_ofg import ElemwiseOpFromGraph

__all__ = [
    "InnerCall",
    "inner_graph_call",
    "numba_funcify_ElemwiseOpFromGraph",
    "numba_funcify_OpFromGraph",
]


@dataclass
class InnerCall:
    """How a generated kernel calls a compiled inner graph.

    ``env`` holds the globals the kernel needs (``inner`` and the inner
    constants); ``call(args)`` is the source of the call; ``outputs(result)``
    the source of each inner output, given the name bound to the call's result.
    """

    env: dict[str, Any]
    n_consts: int
    returned: list[tuple[str, Any]]
    n_returned: int

    def call(self, args: list[str]) -> str:
        consts = [f"_k{j}" for j in range(self.n_consts)]
        return f"inner({', '.join([*args, *consts])})"

    def outputs(self, result: str) -> list[str]:
        out = []
        for k, (kind, val) in enumerate(self.returned):
            if kind == "const":
                out.append(f"_c{k}.copy()")
            elif self.n_returned == 1:
                out.append(result)
            else:
                out.append(f"{result}[{val}]")
        return out


def inner_graph_call(fgraph: Any) -> InnerCall:
    """Compile ``fgraph`` with the numba linker; the globals and call text for a kernel."""
    import numpy as np

    from pytensor.link.numba.linker import compile_graph_function

    dispatcher, program = compile_graph_function(fgraph)
    env: dict[str, Any] = {"inner": dispatcher}
    for j, const in enumerate(program.const_args):
        env[f"_k{j}"] = const.data
    for k, (kind, val) in enumerate(program.returned):
        if kind == "const":
            env[f"_c{k}"] = np.asarray(val)
    return InnerCall(env, len(program.const_args), program.returned, program.n_returned)


@numba_funcify.register(OpFromGraph)
def numba_funcify_OpFromGraph(op: OpFromGraph, node: Any, **kwargs: Any) -> NumbaImpl:
    inner = inner_graph_call(op.fgraph)
    names = [f"a{k}" for k in range(len(node.inputs))]
    outs = inner.outputs("r")
    ret = outs[0] if len(outs) == 1 else "(" + "".join(o + ", " for o in outs) + ")"
    src = "\n".join(
        [
            f"def op_from_graph({', '.join(names)}):",
            f"    r = {inner.call(names)}",
            f"    return {ret}",
        ]
    )
    return compile_source(src, "op_from_graph", inner.env), node_key(op, node)


@numba_funcify.register(ElemwiseOpFromGraph)
def numba_funcify_ElemwiseOpFromGraph(
    op: ElemwiseOpFromGraph, node: Any, **kwargs: Any
) -> NumbaImpl:
    inner = op._elemwise.make_node(*[i.type() for i in node.inputs])
    return numba_funcify(op._elemwise, inner, **kwargs)
