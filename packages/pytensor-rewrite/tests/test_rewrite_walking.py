"""WalkingGraphRewriter: in2out and out2in visiting orders, new nodes, values preserved."""

from __future__ import annotations

import pytest
from rewrite_toy import (
    Exp,
    Log,
    Neg,
    add,
    exp,
    local_double_neg,
    local_log_exp,
    log,
    log1p,
    neg,
    run,
    scalars,
)

from pytensor.graph.fg import FunctionGraph
from pytensor.graph.rewriting.basic import (
    OpKeyGraphRewriter,
    PatternNodeRewriter,
    SequentialNodeRewriter,
    WalkingGraphRewriter,
    dfs_rewriter,
    in2out,
    node_rewriter,
    out2in,
)


def chain():
    """neg(exp(log(neg(x)))) with names on each step, innermost first."""
    (x,) = scalars("x")
    a = neg(x)
    a.name = "a"
    b = log(a)
    b.name = "b"
    c = exp(b)
    c.name = "c"
    d = neg(c)
    d.name = "d"
    return FunctionGraph([x], [d])


def visit_order(walker_factory):
    fg = chain()
    seen = []

    @node_rewriter(None)
    def record(fgraph, node):
        seen.append(node.outputs[0].name)
        return False

    walker_factory(record).rewrite(fg)
    return seen


def test_in2out_visits_inputs_first():
    assert visit_order(in2out) == ["a", "b", "c", "d"]


def test_out2in_visits_outputs_first():
    assert visit_order(out2in) == ["d", "c", "b", "a"]


def branch_order(factory):
    """Visiting order of add(exp(log(x)), neg(x)) (each node named after its Op)."""
    (x,) = scalars("x")
    parts = {"log": log(x)}
    parts["exp"] = exp(parts["log"])
    parts["neg"] = neg(x)
    parts["add"] = add(parts["exp"], parts["neg"])
    for name, var in parts.items():
        var.name = name
    fg = FunctionGraph([x], [parts["add"]])
    seen = []

    @node_rewriter(None)
    def record(fgraph, node):
        seen.append(node.outputs[0].name)
        return False

    factory(record).rewrite(fg)
    return seen


def test_three_orders_on_a_branching_graph():
    assert branch_order(in2out) == ["log", "exp", "neg", "add"]
    assert branch_order(out2in) == ["add", "neg", "exp", "log"]
    # depth first: a node, then the whole sub-graph of its first input, then the next input
    assert branch_order(dfs_rewriter) == ["add", "exp", "log", "neg"]


def nested_negs(n):
    (x,) = scalars("x")
    out = x
    for _ in range(n):
        out = neg(out)
    return FunctionGraph([x], [exp(out)])


@pytest.mark.parametrize(("factory", "left"), [(in2out, 0), (out2in, 0)])
def test_double_negation_fully_removed(factory, left):
    fg = nested_negs(6)
    before = run(fg, 0.3)
    prof = factory(local_double_neg).rewrite(fg)
    assert sum(isinstance(n.op, Neg) for n in fg.apply_nodes) == left
    assert run(fg, 0.3) == pytest.approx(before)
    assert prof.rewrites[local_double_neg].applied == 3


def test_order_decides_which_pairs_cancel():
    # neg(neg(neg(x))): in2out cancels the two inner negs (the outer node survives),
    # out2in cancels the two outer ones (the inner node survives).
    for factory, survivor in ((in2out, "outer"), (out2in, "inner")):
        (x,) = scalars("x")
        inner = neg(x)
        outer = neg(neg(inner))
        fg = FunctionGraph([x], [outer], clone=False)
        factory(local_double_neg).rewrite(fg)
        [n] = fg.apply_nodes
        assert n.inputs == [x]
        assert n is (outer.owner if survivor == "outer" else inner.owner)


def test_ignore_newtrees_skips_nodes_created_during_the_walk():
    # log(1 + x) -> log1p(x) creates a node; a rewrite tracking Log1p only sees it if new trees are visited.
    seen = []

    @node_rewriter([type(log1p)])
    def spy(fgraph, node):
        seen.append(node)
        return False

    pat = PatternNodeRewriter((log, (add, 1, "x")), (log1p, "x"))
    for ignore, expected in ((True, 0), (False, 1)):
        seen.clear()
        (x,) = scalars("x")
        fg = FunctionGraph([x], [log(add(1.0, x))])
        WalkingGraphRewriter(SequentialNodeRewriter(pat, spy), ignore_newtrees=ignore).rewrite(fg)
        assert len(seen) == expected


def test_walking_rejects_bad_order():
    with pytest.raises(ValueError, match="order"):
        WalkingGraphRewriter(local_log_exp, order="sideways")


def test_op_key_graph_rewriter():
    pat = PatternNodeRewriter((log, (exp, "x")), "x")
    (x,) = scalars("x")
    fg = FunctionGraph([x], [add(log(exp(x)), log(exp(neg(x))))])
    OpKeyGraphRewriter(pat).rewrite(fg)
    assert not any(isinstance(n.op, (Log, Exp)) for n in fg.apply_nodes)
