"""DestroyHandler: inplace replacements are refused when they would overwrite a value still needed."""

from __future__ import annotations

import numpy as np
import pytest
from rewrite_toy import (
    AddInplace,
    Exp,
    add,
    add_inplace,
    as_var,
    exp,
    exp_inplace,
    ops_of,
    run,
    sqr,
    vectors,
    view,
)

from pytensor.graph.fg import FunctionGraph
from pytensor.graph.rewriting.basic import in2out, node_rewriter
from pytensor.graph.rewriting.destroyhandler import DestroyHandler, fast_inplace_check
from pytensor.graph.utils import InconsistencyError

X = [0.1, 0.2, 0.3]
Y = [1.0, -1.0, 0.5]


@node_rewriter([Exp], inplace=True)
def local_exp_inplace(fgraph, node):
    if isinstance(node.op, type(exp_inplace)):
        return False
    return [exp_inplace(node.inputs[0])]


def graph(build, protect_inputs=False):
    x, y = vectors("x y")
    fg = FunctionGraph([x, y], build(x, y), clone=False)
    fg.attach_feature(DestroyHandler(protect_inputs=protect_inputs))
    return fg


def exp_node(fg):
    return next(n for n in fg.apply_nodes if type(n.op) is Exp)


def test_shared_value_read_later_is_protected_by_ordering():
    def build(x, y):
        u = add(x, y)
        return [sqr(u), exp(u)]

    fg = graph(build)
    before = run(fg, X, Y)
    prof = in2out(local_exp_inplace).rewrite(fg)
    assert prof.rewrites[local_exp_inplace].applied == 1
    order = ops_of(fg)
    assert order.index("Sqr") < order.index("ExpInplace")  # the reader runs before the overwrite
    after = run(fg, X, Y)
    np.testing.assert_allclose(after[0], before[0])
    np.testing.assert_allclose(after[1], before[1])


def test_refuses_when_the_reader_needs_the_destroyers_result():
    def build(x, y):
        u = add(x, y)
        return [add(u, exp(u))]

    fg = graph(build)
    before = run(fg, X, Y)
    node = exp_node(fg)
    with pytest.raises(InconsistencyError, match="cannot run first"):
        fg.replace_validate(node.outputs[0], exp_inplace(node.inputs[0]))
    assert ops_of(fg) == ["Add", "Exp", "Add"]
    # Through a rewrite, the veto is quiet and the graph unchanged.
    prof = in2out(local_exp_inplace).rewrite(fg)
    assert prof.rewrites[local_exp_inplace].applied == 0
    assert ops_of(fg) == ["Add", "Exp", "Add"]
    np.testing.assert_allclose(run(fg, X, Y)[0], before[0])


def test_protected_input_and_constant():
    fg = graph(lambda x, y: [exp(x)], protect_inputs=True)
    with pytest.raises(InconsistencyError, match="protected input"):
        fg.replace_validate(fg.outputs[0], exp_inplace(fg.inputs[0]))
    assert ops_of(fg) == ["Exp"]

    fg = graph(lambda x, y: [exp(x), exp(y)], protect_inputs=[])
    fg.replace_validate(fg.outputs[0], exp_inplace(fg.inputs[0]))  # inputs not protected by default
    assert sorted(ops_of(fg)) == ["Exp", "ExpInplace"]

    c = as_var(np.array(X))
    fg = graph(lambda x, y: [add(exp(c), x)])
    node = exp_node(fg)
    with pytest.raises(InconsistencyError, match="constant"):
        fg.replace_validate(node.outputs[0], exp_inplace(c))


def test_refuses_to_overwrite_a_graph_output():
    def build(x, y):
        u = add(x, y)
        return [u, exp(u)]

    fg = graph(build)
    with pytest.raises(InconsistencyError, match="output 0 of the graph"):
        fg.replace_validate(fg.outputs[1], exp_inplace(fg.outputs[0]))


def test_refuses_two_destroyers_of_one_value():
    def build(x, y):
        u = add(x, y)
        return [exp(u), add(u, 1.0)]

    fg = graph(build)
    u = fg.outputs[0].owner.inputs[0]
    fg.replace_validate(fg.outputs[0], exp_inplace(u))
    with pytest.raises(InconsistencyError, match="two nodes"):
        fg.replace_validate(fg.outputs[1], add_inplace(u, 1.0))
    assert sorted(ops_of(fg)) == ["Add", "Add", "ExpInplace"]


def test_views_count_as_readers():
    def build(x, y):
        u = add(x, y)
        return [sqr(view(u)), exp(u)]

    fg = graph(build)
    before = run(fg, X, Y)
    in2out(local_exp_inplace).rewrite(fg)
    order = ops_of(fg)
    assert order.index("Sqr") < order.index("ExpInplace") and order.index("View") < order.index(
        "ExpInplace"
    )
    for a, b in zip(run(fg, X, Y), before, strict=True):
        np.testing.assert_allclose(a, b)

    def build_out(x, y):
        u = add(x, y)
        return [view(u), exp(u)]

    fg = graph(build_out)
    in2out(local_exp_inplace).rewrite(fg)
    assert "ExpInplace" not in ops_of(fg)  # would overwrite what output 0 views


def test_reading_the_destroyed_value_twice():
    class AddInplaceSame(AddInplace):
        destroyhandler_tolerate_same = [(0, 1)]

    def build(x, y):
        u = add(x, y)
        return [add(u, u)]

    fg = graph(build)
    u = fg.outputs[0].owner.inputs[0]
    with pytest.raises(InconsistencyError, match="through input 1"):
        fg.replace_validate(fg.outputs[0], add_inplace(u, u))
    fg.replace_validate(fg.outputs[0], AddInplaceSame()(u, u))
    np.testing.assert_allclose(run(fg, X, Y)[0], 2 * (np.array(X) + np.array(Y)))


def test_queries_and_fast_inplace_check():
    def build(x, y):
        u = add(x, y)
        return [sqr(exp(u)), u, sqr(y)]

    fg = graph(build, protect_inputs=True)
    u = fg.outputs[1]
    e = exp_node(fg)
    assert fast_inplace_check(fg, [u, fg.inputs[0], e.outputs[0]]) == [e.outputs[0]]
    fg.replace_validate(fg.outputs[2], add_inplace(fg.outputs[2], 1.0))
    sq = fg.outputs[2].owner.inputs[0]
    assert fg.destroyers(sq) == [fg.outputs[2].owner]
    assert fg.has_destroyers([sq]) and not fg.has_destroyers([u])
    assert fast_inplace_check(fg, [sq]) == []


def test_attach_twice_and_detach():
    fg = graph(lambda x, y: [exp(x)])
    fg.attach_feature(DestroyHandler())  # declined: one is already there
    assert sum(isinstance(f, DestroyHandler) for f in fg._features) == 1
    dh = fg.destroy_handler
    fg.remove_feature(dh)
    assert not hasattr(fg, "destroyers")
