"""EquilibriumGraphRewriter: reaches a fixed point, and gives up loudly on rewrites that undo each other."""

from __future__ import annotations

import re

import pytest
from rewrite_toy import (
    Log,
    Mul,
    Neg,
    add,
    exp,
    local_double_neg,
    local_exp_log,
    local_log_exp,
    log,
    mul,
    neg,
    ops_of,
    run,
    scalars,
)

from pytensor.configdefaults import config
from pytensor.graph.basic import Constant
from pytensor.graph.fg import FunctionGraph
from pytensor.graph.rewriting.basic import (
    EquilibriumGraphRewriter,
    MergeOptimizer,
    RewriteWarning,
    graph_rewriter,
    node_rewriter,
)


@node_rewriter([Neg])
def local_neg_to_mul(fgraph, node):
    return [mul(-1.0, node.inputs[0])]


@node_rewriter([Mul])
def local_mul_to_neg(fgraph, node):
    a, *rest = node.inputs
    if isinstance(a, Constant) and a.data == -1.0 and len(rest) == 1:
        return [neg(rest[0])]
    return False


def test_reaches_fixed_point():
    (x,) = scalars("x")
    out = exp(log(neg(neg(log(exp(neg(neg(x))))))))
    fg = FunctionGraph([x], [add(out, x)])
    before = run(fg, 0.4)
    rw = EquilibriumGraphRewriter([local_double_neg, local_log_exp, local_exp_log], max_use_ratio=4)
    prof = rw.rewrite(fg)
    assert ops_of(fg) == ["Add"]
    [node] = fg.apply_nodes
    assert node.inputs == [fg.inputs[0], fg.inputs[0]]
    assert run(fg, 0.4) == pytest.approx(before)
    assert prof.iterations >= 2  # the last iteration found nothing to do
    again = rw.rewrite(fg)
    assert again.applied == 0 and again.iterations == 1


def test_new_nodes_wait_for_next_iteration_when_ignoring_new_trees():
    @node_rewriter([Log])
    def local_log_to_neg_neg(fgraph, node):
        if node.inputs[0].owner is None:
            return [neg(neg(exp(node.inputs[0])))]
        return False

    (x,) = scalars("x")
    for ignore in (True, False):
        fg = FunctionGraph([x], [log(x)])
        prof = EquilibriumGraphRewriter(
            [local_log_to_neg_neg, local_double_neg], ignore_newtrees=ignore
        ).rewrite(fg)
        assert ops_of(fg) == ["Exp"]
        assert prof.iterations == (3 if ignore else 2)


def test_max_use_ratio_warns_and_names_the_cycle():
    x, y = scalars("x y")
    fg = FunctionGraph([x, y], [add(neg(x), y)])
    rw = EquilibriumGraphRewriter([local_neg_to_mul, local_mul_to_neg], max_use_ratio=3)
    with pytest.warns(RewriteWarning) as record:
        prof = rw.rewrite(fg)
    [w] = record
    msg = str(w.message)
    assert "max_use_ratio=3" in msg
    assert "local_neg_to_mul" in msg and "local_mul_to_neg" in msg
    assert re.search(r"local_\w+_to_\w+ \(\d+ times\)", msg)
    # 2 nodes at the start, ratio 3: one of them fired 7 times, at most.
    counts = [prof.rewrites[r].applied for r in (local_neg_to_mul, local_mul_to_neg)]
    assert max(counts) == 7
    assert prof.notes and "stopped" in prof.notes[0]
    assert run(fg, 1.5, 2.0) == pytest.approx([0.5])


def test_max_use_ratio_raises_in_raise_mode():
    (x,) = scalars("x")
    fg = FunctionGraph([x], [neg(x)])
    rw = EquilibriumGraphRewriter([local_neg_to_mul, local_mul_to_neg], max_use_ratio=2)
    with (
        config.change_flags(on_opt_error="raise"),
        pytest.raises(RuntimeError, match="local_neg_to_mul"),
    ):
        rw.rewrite(fg)


def test_graph_rewriters_run_each_iteration():
    calls = []

    @graph_rewriter
    def swap_first_log(fgraph):
        calls.append(len(fgraph.apply_nodes))
        for node in fgraph.toposort():
            if isinstance(node.op, Log) and node.inputs[0].owner is None:
                fgraph.replace(node.outputs[0], exp(neg(neg(node.inputs[0]))))
                return

    (x,) = scalars("x")
    fg = FunctionGraph([x], [add(log(x), 1.0)])
    EquilibriumGraphRewriter([swap_first_log, local_double_neg]).rewrite(fg)
    assert ops_of(fg) == ["Exp", "Add"]
    assert len(calls) == 2


def test_cleanup_merges_after_each_change():
    (x,) = scalars("x")
    fg = FunctionGraph([x], [add(neg(neg(exp(x))), exp(x))])
    EquilibriumGraphRewriter([local_double_neg], cleanup_rewriters=[MergeOptimizer()]).rewrite(fg)
    assert ops_of(fg) == ["Exp", "Add"]
    [add_node] = [n for n in fg.apply_nodes if n.op == add]
    assert add_node.inputs[0] is add_node.inputs[1]


def test_final_rewriters_run_at_end_of_iteration():
    seen = []

    @graph_rewriter
    def final(fgraph):
        seen.append(ops_of(fgraph))

    (x,) = scalars("x")
    fg = FunctionGraph([x], [neg(neg(x))])
    EquilibriumGraphRewriter([local_double_neg], final_rewriters=[final]).rewrite(fg)
    assert seen[0] == []  # after the first node pass the graph is just x


def test_tracks_on_change_inputs_revisits_clients():
    # log(neg(neg(exp(y)))): the walk visits log first (no match), then the negs cancel and
    # log's input becomes exp(y). With tracks_on_change_inputs, log is visited again in the
    # same pass; without, it waits for the next iteration.
    for tracks, iterations in ((True, 2), (False, 3)):
        (y,) = scalars("y")
        fg = FunctionGraph([y], [log(neg(neg(exp(y))))])
        prof = EquilibriumGraphRewriter(
            [local_double_neg, local_log_exp], tracks_on_change_inputs=tracks
        ).rewrite(fg)
        assert fg.outputs == fg.inputs
        assert prof.iterations == iterations


def test_rejects_non_rewriters():
    with pytest.raises(TypeError, match="neither"):
        EquilibriumGraphRewriter([lambda fg: None])
