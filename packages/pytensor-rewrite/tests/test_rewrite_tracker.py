"""Node rewriters only see the nodes they track; the tracker index is by Op class, instance and pattern."""

from __future__ import annotations

import pytest
from rewrite_toy import Add, ElemOp, Exp, Log, Mul, add, exp, log, mul, neg, run, scalars, sqr

from pytensor.graph.fg import FunctionGraph
from pytensor.graph.rewriting.basic import (
    EquilibriumGraphRewriter,
    OpToRewriterTracker,
    SequentialNodeRewriter,
    in2out,
    node_rewriter,
)
from pytensor.graph.rewriting.unify import OpPattern


def counting(tracks):
    seen = []

    @node_rewriter(tracks)
    def rw(fgraph, node):
        seen.append(type(node.op).__name__)
        return False

    return rw, seen


def big_graph():
    x, y = scalars("x y")
    # 3 Log, 2 Exp, 2 Mul, 1 Add, 1 Neg, 1 Sqr nodes
    out = add(log(exp(x)), mul(log(y), exp(log(x))), neg(sqr(mul(x, y))))
    return FunctionGraph([x, y], [out])


def test_walker_shows_rewrite_only_tracked_nodes():
    fg = big_graph()
    rw_log, seen_log = counting([Log])
    rw_mul, seen_mul = counting([mul])  # an Op instance
    rw_all, seen_all = counting(None)
    in2out(rw_log, rw_mul, rw_all).rewrite(fg)
    assert seen_log == ["Log"] * 3
    assert seen_mul == ["Mul"] * 2
    assert len(seen_all) == len(fg.apply_nodes) == 10


def test_equilibrium_shows_rewrite_only_tracked_nodes():
    fg = big_graph()
    rws = [counting([Exp]) for _ in range(20)]
    EquilibriumGraphRewriter([rw for rw, _ in rws], max_use_ratio=5).rewrite(fg)
    # Nothing changes, so one pass: each rewrite sees the 2 Exp nodes once, nothing else.
    for _, seen in rws:
        assert seen == ["Exp", "Exp"]


def test_tracking_a_base_class_covers_subclasses():
    fg = big_graph()
    rw, seen = counting([ElemOp])
    in2out(rw).rewrite(fg)
    assert len(seen) == 10


def test_op_pattern_tracks():
    class Scale(ElemOp):
        __props__ = ("factor",)

        def __init__(self, factor):
            self.factor = factor

    (x,) = scalars("x")
    fg = FunctionGraph([x], [Scale(2)(Scale(3)(Scale(2)(x)))])
    rw, seen = counting([OpPattern(Scale, factor=2)])
    in2out(rw).rewrite(fg)
    assert seen == ["Scale", "Scale"]


def test_tracker_order_and_cache():
    tracker = OpToRewriterTracker()
    a, _ = counting([Add])
    b, _ = counting(None)
    c, _ = counting([add])
    d, _ = counting([Mul, Log])
    for rw in (a, b, c, d):
        tracker.add_tracker(rw)
    assert tracker.get_trackers(add) == [a, b, c]
    assert tracker.get_trackers(Add()) == [a, b, c]  # equal Op instance
    assert tracker.get_trackers(mul) == [b, d]
    assert tracker.get_trackers(exp) == [b]
    assert tracker.get_rewriters() == [a, b, c, d]


def test_sequential_node_rewriter_dispatches_by_op():
    calls = []

    @node_rewriter([Log])
    def on_log(fgraph, node):
        calls.append("log")
        return False

    @node_rewriter([Exp])
    def on_exp(fgraph, node):
        calls.append("exp")
        return [node.inputs[0]]

    seq = SequentialNodeRewriter(on_log, on_exp)
    (x,) = scalars("x")
    fg = FunctionGraph([x], [exp(x)])
    assert seq.transform(fg, fg.outputs[0].owner) == [fg.inputs[0]]
    assert calls == ["exp"]
    assert set(seq.tracks()) == {Log, Exp}


@pytest.mark.parametrize(
    ("tracks", "error"),
    [([], ValueError), ([3], TypeError), (Log, TypeError), ([object], TypeError)],
)
def test_node_rewriter_rejects_bad_tracks(tracks, error):
    with pytest.raises(error):

        @node_rewriter(tracks)
        def rw(fgraph, node):
            return False


def test_transform_enforces_tracks_when_called_directly():
    @node_rewriter([Log])
    def rw(fgraph, node):
        return [node.inputs[0]]

    (x,) = scalars("x")
    fg = FunctionGraph([x], [exp(x)])
    assert rw.transform(fg, fg.outputs[0].owner) is False


def test_values_unchanged_by_tracked_rewrite():
    @node_rewriter([Log])
    def local_log_exp(fgraph, node):
        arg = node.inputs[0]
        if arg.owner is not None and isinstance(arg.owner.op, Exp):
            return [arg.owner.inputs[0]]
        return False

    fg = big_graph()
    before = run(fg, 0.7, 1.3)
    in2out(local_log_exp).rewrite(fg)
    assert sum(isinstance(n.op, Log) for n in fg.apply_nodes) == 2
    assert run(fg, 0.7, 1.3) == pytest.approx(before)
