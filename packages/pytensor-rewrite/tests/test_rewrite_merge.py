"""MergeOptimizer/MergeFeature: identical nodes and equal constants become one."""

from __future__ import annotations

import numpy as np
import pytest
from rewrite_toy import (
    Neg,
    add,
    add_inplace,
    exp,
    log,
    mul,
    neg,
    ops_of,
    pair,
    run,
    scalar,
    scalars,
    vectors,
)

from pytensor.graph.basic import Constant
from pytensor.graph.fg import FunctionGraph
from pytensor.graph.rewriting.basic import (
    MergeFeature,
    MergeOptimizer,
    in2out,
    node_rewriter,
    pre_constant_merge,
)
from pytensor.graph.rewriting.destroyhandler import DestroyHandler


def test_identical_nodes_merge_transitively():
    x, y = scalars("x y")
    a1, a2 = add(exp(x), y), add(exp(x), y)
    fg = FunctionGraph([x, y], [mul(log(a1), log(a2))])
    before = run(fg, 0.5, 2.0)
    prof = MergeOptimizer().rewrite(fg)
    assert ops_of(fg) == ["Exp", "Add", "Log", "Mul"]
    [m] = [n for n in fg.apply_nodes if n.op == mul]
    assert m.inputs[0] is m.inputs[1]
    assert run(fg, 0.5, 2.0) == pytest.approx(before)
    assert prof.rewrites[next(iter(prof.rewrites))].applied == 3  # exp, add, log


def test_equal_constants_merge_and_then_their_clients():
    (x,) = scalars("x")
    c1, c2 = Constant(scalar, 2.0), Constant(scalar, 2.0)
    fg = FunctionGraph([x], [add(mul(x, c1), mul(x, c2))], clone=False)
    MergeOptimizer().rewrite(fg)
    assert ops_of(fg) == ["Mul", "Add"]
    consts = {v for v in fg.variables if isinstance(v, Constant)}
    assert len(consts) == 1


def test_different_constants_and_ops_do_not_merge():
    (x,) = scalars("x")
    fg = FunctionGraph([x], [add(mul(x, 2.0), mul(x, 3.0), neg(x), exp(x))])
    MergeOptimizer().rewrite(fg)
    assert len(fg.apply_nodes) == 5


def test_constant_arrays_merge_by_value():
    (v,) = vectors("v")
    fg = FunctionGraph([v], [add(mul(v, np.ones(3)), mul(v, np.ones(3)))])
    MergeOptimizer().rewrite(fg)
    assert ops_of(fg) == ["Mul", "Add"]


def test_multi_output_nodes_merge():
    x, y = scalars("x y")
    p1, p2 = pair(x, y), pair(x, y)
    fg = FunctionGraph([x, y], [add(p1[0], p2[1]), p2[0]])
    before = run(fg, 3.0, 1.0)
    MergeOptimizer().rewrite(fg)
    assert ops_of(fg) == ["Pair", "Add"]
    assert run(fg, 3.0, 1.0) == pytest.approx(before)


@pytest.mark.parametrize("with_dh", [False, True])
def test_destroyers_and_what_they_overwrite_are_not_merged(with_dh):
    (v,) = vectors("v")
    fg = FunctionGraph([v], [add_inplace(exp(v), 1.0), add_inplace(exp(v), 1.0)])
    if with_dh:
        fg.attach_feature(DestroyHandler())
    before = run(fg, [0.0, 1.0, 2.0])
    MergeOptimizer().rewrite(fg)
    # Merging the exps would let two nodes overwrite the same value.
    assert sorted(ops_of(fg)) == ["AddInplace", "AddInplace", "Exp", "Exp"]
    assert [list(r) for r in run(fg, [0.0, 1.0, 2.0])] == [list(r) for r in before]


def test_feature_keeps_index_up_to_date_across_rewrites():
    @node_rewriter([Neg])
    def local_double_neg(fgraph, node):
        arg = node.inputs[0]
        if arg.owner is not None and isinstance(arg.owner.op, Neg):
            return [arg.owner.inputs[0]]
        return False

    (x,) = scalars("x")
    fg = FunctionGraph([x], [add(exp(neg(neg(x))), exp(x))])
    merge = MergeOptimizer()
    merge.rewrite(fg)
    assert isinstance(fg.merge_feature, MergeFeature)
    assert ops_of(fg).count("Exp") == 2
    in2out(local_double_neg).rewrite(fg)
    # Only the pair made identical by the rewrite is left to look at.
    assert len(fg.merge_feature.pending) >= 1
    merge.rewrite(fg)
    assert ops_of(fg) == ["Exp", "Add"]
    fg.check_integrity()


def test_graph_output_constants_merge():
    (x,) = scalars("x")
    fg = FunctionGraph([x], [add(x, Constant(scalar, 1.0)), Constant(scalar, 1.0)], clone=False)
    MergeOptimizer().rewrite(fg)
    [node] = fg.apply_nodes
    assert node.inputs[1] is fg.outputs[1]


def test_pre_constant_merge_reuses_graph_constants():
    (x,) = scalars("x")
    c = Constant(scalar, 4.0)
    fg = FunctionGraph([x], [add(x, c)], clone=False)
    new = mul(x, Constant(scalar, 4.0))
    [out] = pre_constant_merge(fg, [new])
    assert out.owner.inputs[1] is c
