"""Elementwise fusion (layer: pytensor-tensor): chains and siblings of ``Elemwise`` become
one ``Elemwise(Composite)``, and a reduction over one becomes an ``ElemwiseReduce``.

Registered in ``optdb["elemwise_fusion"]`` (position 49; tags fast_run, fusion).
"""

from __future__ import annotations

from typing import Any

from pytensor.graph.basic import Apply, Constant, Variable
from pytensor.graph.fg import FunctionGraph, Output
from pytensor.graph.rewriting.basic import GraphRewriter, in2out, node_rewriter
from pytensor.graph.rewriting.db import optdb
from pytensor.graph.utils import InconsistencyError
from pytensor.scalar._composite import Composite
from pytensor.scalar.basic import ScalarConstant, ScalarOp, get_scalar_type
from pytensor.tensor._elemwise_reduce import ElemwiseReduce
from pytensor.tensor.elemwise import CAReduce, DimShuffle, Elemwise
from pytensor.tensor.type import TensorType

__all__ = ["FusionOptimizer", "local_careduce_fusion", "fuse_elemwise"]

#: The most inputs a fused loop may read (PyTensor's limit for its C loops is similar).
MAX_INPUTS = 32


def _candidate(node: Apply | None) -> bool:
    return (
        node is not None
        and isinstance(node.op, Elemwise)
        and not node.op.inplace_pattern
        and isinstance(node.op.scalar_op, ScalarOp)
        and all(isinstance(v.type, TensorType) for v in node.inputs + node.outputs)
    )


def _scalar_constant(v: Variable) -> Constant | None:
    """The 0-d constant ``v`` broadcasts (all static lengths 1), to inline into the Composite."""
    base = v.owner.inputs[0] if v.owner is not None and isinstance(v.owner.op, DimShuffle) else v
    if (
        isinstance(base, Constant)
        and isinstance(base.type, TensorType)
        and all(d == 1 for d in base.type.shape)
        and all(d == 1 for d in v.type.shape)
    ):
        return base
    return None


def _leaf_inputs(group: dict[Apply, None]) -> list[Variable]:
    produced = {o for n in group for o in n.outputs}
    leaves: dict[Variable, None] = {}
    for n in group:
        for i in n.inputs:
            if i not in produced and _scalar_constant(i) is None:
                leaves[i] = None
    return list(leaves)


def _external(fgraph: FunctionGraph, group: dict[Apply, None], var: Variable) -> bool:
    return any(isinstance(c.op, Output) or c not in group for c, _ in fgraph.clients.get(var, ()))


def _reaches_group(
    fgraph: FunctionGraph,
    group: dict[Apply, None],
    starts: list[Apply],
    limit: int,
    idx: dict[Apply, int],
) -> bool:
    """Whether a node outside ``group`` reachable from ``starts`` feeds the group (a cycle if fused)."""
    seen: set[Apply] = set()
    stack = list(starts)
    while stack:
        n = stack.pop()
        if n in seen or idx.get(n, limit + 1) > limit:
            continue
        seen.add(n)
        if n in group:
            return True
        for o in n.outputs:
            stack.extend(c for c, _ in fgraph.clients.get(o, ()) if not isinstance(c.op, Output))
    return False


def _can_add(
    fgraph: FunctionGraph,
    group: dict[Apply, None],
    node: Apply,
    shape: tuple[Any, ...],
    idx: dict[Apply, int],
    limit: int,
) -> bool:
    """Whether producer ``node`` can join ``group`` (whose latest node is at ``limit``).

    ``node`` never reads its own outputs (the graph is acyclic), so its clients
    are tested against ``group`` alone, without copying it.
    """
    if any(_external(fgraph, group, o) and o.type.shape != shape for o in node.outputs):
        return False  # a fused output has the loop's full shape: it must already have it
    outside = [
        c
        for o in node.outputs
        for c, _ in fgraph.clients.get(o, ())
        if not isinstance(c.op, Output) and c not in group
    ]
    return not _reaches_group(fgraph, group, outside, limit, idx)


def _grow(
    fgraph: FunctionGraph, seed: Apply, taken: set[Apply], idx: dict[Apply, int]
) -> dict[Apply, None]:
    """The largest set of candidate producers of ``seed`` that fuse with it without a cycle.

    A worklist visits each added node's producers once, so a chain is grown in
    linear time; producers refused earlier are retried (latest first) when the
    worklist runs dry, since a larger group can make them acceptable.
    """
    group: dict[Apply, None] = {seed: None}
    shape = seed.outputs[0].type.shape
    limit = idx[seed]  # every group member is the seed or one of its ancestors
    pending = [seed]
    refused: set[Apply] = set()
    while True:
        while pending:
            for i in pending.pop().inputs:
                p = i.owner
                if p is None or p in group or p in taken or not _candidate(p):
                    continue
                if _can_add(fgraph, group, p, shape, idx, limit):
                    group[p] = None
                    pending.append(p)
                    refused.discard(p)
                else:
                    refused.add(p)
        retry = next(
            (
                p
                for p in sorted(refused, key=idx.__getitem__, reverse=True)
                if _can_add(fgraph, group, p, shape, idx, limit)
            ),
            None,
        )
        if retry is None:
            return _prune(group, seed, idx)
        group[retry] = None
        refused.discard(retry)
        pending.append(retry)


def _prune(group: dict[Apply, None], seed: Apply, idx: dict[Apply, int]) -> dict[Apply, None]:
    """Drop source nodes (earliest first) until the loop reads at most MAX_INPUTS inputs.

    Removing a node none of whose inputs the group computes keeps the group free of cycles.
    """
    while len(group) > 1 and len(_leaf_inputs(group)) > MAX_INPUTS:
        produced = {o for n in group for o in n.outputs}
        sources = [n for n in group if n is not seed and not any(i in produced for i in n.inputs)]
        if not sources:
            break
        del group[min(sources, key=idx.__getitem__)]
    return group


def _composite_for(
    fgraph: FunctionGraph, group: dict[Apply, None], order: list[Apply]
) -> tuple[Any, list[Variable], list[Variable]] | None:
    leaves = _leaf_inputs(group)
    if not leaves:
        return None  # constants only: constant folding's business
    memo: dict[Variable, Variable] = {v: get_scalar_type(v.type.dtype)() for v in leaves}
    for n in order:
        if n in group:
            for i in n.inputs:
                if i not in memo:
                    c = _scalar_constant(i)
                    assert c is not None
                    memo[i] = ScalarConstant(get_scalar_type(c.type.dtype), c.data.reshape(())[()])
            outs = n.op.scalar_op.make_node(*[memo[i] for i in n.inputs]).outputs
            memo.update(zip(n.outputs, outs, strict=True))
    outputs = [o for n in order if n in group for o in n.outputs if _external(fgraph, group, o)]
    if not outputs:
        return None
    inner_out = [memo[o] for o in outputs]
    if any(isinstance(o, Constant) or o in memo.values() and o.owner is None for o in inner_out):
        return None
    comp = Composite([memo[v] for v in leaves], inner_out)
    return comp, leaves, outputs


def _replace_group(fgraph: FunctionGraph, group: dict[Apply, None], order: list[Apply]) -> bool:
    made = _composite_for(fgraph, group, order)
    if made is None:
        return False
    comp, leaves, outputs = made
    new = Elemwise(comp).make_node(*leaves).outputs
    if any(n.type != o.type for n, o in zip(new, outputs, strict=True)):
        return False
    try:
        fgraph.replace_all_validate(list(zip(outputs, new, strict=True)), reason="fusion")
    except InconsistencyError:
        return False
    return True


def _next_group(
    fgraph: FunctionGraph, failed: set[Apply]
) -> tuple[dict[Apply, None], list[Apply]] | None:
    order = fgraph.toposort()
    idx = {n: k for k, n in enumerate(order)}
    taken: set[Apply] = set(failed)
    for node in reversed(order):
        if node in taken or not _candidate(node):
            continue
        group = _grow(fgraph, node, taken, idx)
        taken.update(group)
        if len(group) > 1:
            return group, order
    return None


def fuse_elemwise(fgraph: FunctionGraph) -> int:
    """Vertical fusion: each maximal connected group of Elemwise nodes becomes one node.

    Groups are found one at a time on the current graph: fusing one group
    changes which other groups can be fused without making a cycle.
    """
    done = 0
    failed: set[Apply] = set()
    while (found := _next_group(fgraph, failed)) is not None:
        group, order = found
        if _replace_group(fgraph, group, order):
            done += 1
        else:
            failed.update(group)
    return done


def _independent(a: Apply, b: Apply, fgraph: FunctionGraph, idx: dict[Apply, int]) -> bool:
    first, second = (a, b) if idx[a] < idx[b] else (b, a)
    return not _reaches_group(fgraph, {second: None}, [first], idx[second], idx)


def fuse_siblings(fgraph: FunctionGraph) -> int:
    """Horizontal fusion: Elemwise nodes that read a common input of their own full shape
    (so their runtime shape checks are the same) and are independent become one node."""
    done = 0
    changed = True
    while changed:
        changed = False
        order = fgraph.toposort()
        idx = {n: k for k, n in enumerate(order)}
        for var in list(fgraph.variables):
            readers: dict[Apply, None] = {}
            for c, _ in fgraph.clients.get(var, ()):
                if _candidate(c) and c.outputs[0].type.shape == var.type.shape:
                    readers[c] = None
            group = _pick_siblings(fgraph, list(readers), idx)
            if len(group) > 1 and _replace_group(fgraph, group, order):
                done += 1
                changed = True
                break
    return done


def _pick_siblings(
    fgraph: FunctionGraph, readers: list[Apply], idx: dict[Apply, int]
) -> dict[Apply, None]:
    group: dict[Apply, None] = {}
    shape = None
    for r in sorted(readers, key=idx.__getitem__):
        rshape = r.outputs[0].type.shape
        if shape is not None and rshape != shape:
            continue
        if all(_independent(r, g, fgraph, idx) for g in group):
            trial = {**group, r: None}
            if len(_leaf_inputs(trial)) <= MAX_INPUTS:
                group, shape = trial, rshape
    return group


class FusionOptimizer(GraphRewriter):
    """Vertical then horizontal fusion of ``Elemwise`` nodes into ``Elemwise(Composite)``."""

    def add_requirements(self, fgraph: FunctionGraph) -> None:
        from pytensor.graph.features import ReplaceValidate

        fgraph.attach_feature(ReplaceValidate())

    def apply(self, fgraph: FunctionGraph) -> Any:
        vertical = fuse_elemwise(fgraph)
        horizontal = fuse_siblings(fgraph)
        return {"vertical": vertical, "horizontal": horizontal}


@node_rewriter([CAReduce])
def local_careduce_fusion(fgraph: FunctionGraph, node: Apply) -> Any:
    """``reduce(Elemwise(...))`` -> ``ElemwiseReduce`` when the reduce is the Elemwise's only reader."""
    (x,) = node.inputs
    prod = x.owner
    if not _candidate(prod) or prod.op.scalar_op.nout != 1 or node.op.axis == ():
        return False
    clients = fgraph.clients.get(x, ())
    if len(clients) != 1 or x in fgraph.outputs:
        return False
    if type(node.op).__name__ not in ("Sum", "Prod", "Max", "Min"):
        return False
    new = ElemwiseReduce(prod.op, node.op)(*prod.inputs)
    if new.type != node.outputs[0].type:
        return False
    return [new]


optdb["elemwise_fusion"].register(
    "composite_elemwise_fusion",
    FusionOptimizer(),
    "fast_run",
    "fusion",
    "local_elemwise_fusion",
    position=1,
)
optdb["elemwise_fusion"].register(
    "local_careduce_fusion",
    in2out(local_careduce_fusion),
    "fast_run",
    "fusion",
    position=2,
)
