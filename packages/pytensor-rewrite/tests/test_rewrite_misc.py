"""Smaller pieces: substitution and removal rewriters, pre-greedy rewriting, graph helpers."""

from __future__ import annotations

import pytest
from rewrite_toy import Exp, Log, add, exp, log, log1p, mul, neg, ops_of, run, scalars, view

from pytensor.graph.fg import FunctionGraph
from pytensor.graph.rewriting.basic import (
    RemovalNodeRewriter,
    SequentialNodeRewriter,
    SubstitutionNodeRewriter,
    check_stack_trace,
    copy_stack_trace,
    in2out,
    node_rewriter,
    pre_greedy_node_rewriter,
)
from pytensor.graph.rewriting.utils import get_clients_at_depth, is_same_graph


def test_substitution_and_removal():
    (x,) = scalars("x")
    fg = FunctionGraph([x], [add(log(x), view(x))])
    before = run(fg, 2.0)
    in2out(SubstitutionNodeRewriter(log, log1p), RemovalNodeRewriter(view)).rewrite(fg)
    assert ops_of(fg) == ["Log1p", "Add"]
    add_node = fg.outputs[0].owner
    assert add_node.inputs[1] is fg.inputs[0]
    assert run(fg, 2.0)[0] != before[0]  # log1p is another function: the rewrite is what it says
    assert str(SubstitutionNodeRewriter(log, log1p)) == "Log -> Log1p"
    assert str(RemovalNodeRewriter(view)) == "View(x) -> x"


def test_pre_greedy_node_rewriter():
    @node_rewriter([Log])
    def local_log_exp(fgraph, node):
        arg = node.inputs[0]
        if arg.owner is not None and isinstance(arg.owner.op, Exp):
            return [arg.owner.inputs[0]]
        return False

    x, y = scalars("x y")
    fg = FunctionGraph([x, y], [mul(x, y)], clone=False)
    new = add(log(exp(x)), neg(y))
    out = pre_greedy_node_rewriter(fg, [local_log_exp], new)
    assert out.owner.op == add and out.owner.inputs[0] is x


def test_apply_all_rewrites_chains():
    @node_rewriter([Log])
    def log_to_exp(fgraph, node):
        return [exp(node.inputs[0])]

    @node_rewriter([Exp])
    def exp_to_neg(fgraph, node):
        return [neg(node.inputs[0])]

    (x,) = scalars("x")
    fg = FunctionGraph([x], [log(x)])
    seq = SequentialNodeRewriter(log_to_exp, exp_to_neg, apply_all_rewrites=True)
    [out] = seq.transform(fg, fg.outputs[0].owner)
    assert out.owner.op == neg


def test_graph_helpers():
    x, y = scalars("x y")
    a = add(exp(x), y)
    b = add(exp(x), y)
    assert is_same_graph(a, b)
    assert not is_same_graph(a, add(exp(y), y))
    assert is_same_graph(exp(x), exp(y), givens={x: y})
    fg = FunctionGraph([x, y], [log(a), neg(a)], clone=False)
    e = a.owner.inputs[0].owner
    assert list(get_clients_at_depth(fg, e, 1)) == [a.owner]
    assert {n.op for n in get_clients_at_depth(fg, e, 2)} == {log, neg}


def test_stack_traces():
    (x,) = scalars("x")
    a, b = exp(x), log(x)
    a.tag.trace = [("file.py", 3, "f", "line")]
    copy_stack_trace(a, b)
    assert b.tag.trace == a.tag.trace
    fg = FunctionGraph([x], [b], clone=False)
    assert check_stack_trace(fg)
    assert not check_stack_trace(FunctionGraph([x], [neg(x)]))


@pytest.mark.parametrize("ops", [(Log,), (log,)])
def test_check_stack_trace_by_op(ops):
    (x,) = scalars("x")
    fg = FunctionGraph([x], [exp(log(x))])
    assert not check_stack_trace(fg, ops_to_check=ops[0])
