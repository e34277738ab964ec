"""config.on_opt_error: rewrites that raise or return garbage are reported by name, the graph stays unchanged."""

from __future__ import annotations

import pytest
from rewrite_toy import Exp, Log, VectorType, exp, log, ops_of, run, scalar, scalars, vectors

from pytensor.configdefaults import config
from pytensor.graph.basic import Constant
from pytensor.graph.fg import FunctionGraph
from pytensor.graph.rewriting.basic import (
    EquilibriumGraphRewriter,
    InvalidReplacementError,
    RewriteWarning,
    SequentialGraphRewriter,
    graph_rewriter,
    in2out,
    node_rewriter,
)


@node_rewriter([Log])
def local_broken(fgraph, node):
    raise ZeroDivisionError("boom")


@node_rewriter([Log])
def local_too_many(fgraph, node):
    return [node.inputs[0], node.inputs[0]]


@node_rewriter([Log])
def local_not_a_variable(fgraph, node):
    return [3.5]


@node_rewriter([Log])
def local_wrong_type(fgraph, node):
    return [VectorType(3)("v")]


@node_rewriter([Log])
def local_returns_string(fgraph, node):
    return "nope"


GARBAGE = [local_too_many, local_not_a_variable, local_wrong_type, local_returns_string]


def graph():
    (x,) = scalars("x")
    return FunctionGraph([x], [exp(log(x))])


@pytest.mark.parametrize("walker", [in2out, lambda rw: EquilibriumGraphRewriter([rw])])
def test_raising_rewrite_raise_mode(walker):
    fg = graph()
    with config.change_flags(on_opt_error="raise"):
        with pytest.raises(ZeroDivisionError, match="boom") as info:
            walker(local_broken).rewrite(fg)
    notes = "\n".join(getattr(info.value, "__notes__", []))
    assert "local_broken" in notes and "Log" in notes
    assert ops_of(fg) == ["Log", "Exp"]


@pytest.mark.parametrize("walker", [in2out, lambda rw: EquilibriumGraphRewriter([rw])])
def test_raising_rewrite_warn_mode(walker):
    fg = graph()
    with config.change_flags(on_opt_error="warn"):
        with pytest.warns(
            RewriteWarning, match=r"local_broken failed on node Log.*ZeroDivisionError: boom"
        ):
            prof = walker(local_broken).rewrite(fg)
    assert ops_of(fg) == ["Log", "Exp"]
    assert prof.rewrites[local_broken].failures == 1


def test_raising_rewrite_ignore_mode(recwarn):
    fg = graph()
    with config.change_flags(on_opt_error="ignore"):
        in2out(local_broken).rewrite(fg)
    assert not recwarn.list
    assert ops_of(fg) == ["Log", "Exp"]


def test_default_is_warn():
    assert config.on_opt_error == "warn"


@pytest.mark.parametrize("rw", GARBAGE, ids=lambda r: r.__name__)
def test_garbage_raises_naming_the_rewrite(rw):
    fg = graph()
    with config.change_flags(on_opt_error="raise"):
        with pytest.raises(InvalidReplacementError, match=rw.__name__) as info:
            in2out(rw).rewrite(fg)
    assert "Log" in str(info.value)
    assert ops_of(fg) == ["Log", "Exp"]


@pytest.mark.parametrize("rw", GARBAGE, ids=lambda r: r.__name__)
def test_garbage_skipped_with_warning(rw):
    fg = graph()
    with config.change_flags(on_opt_error="warn"):
        with pytest.warns(RewriteWarning, match=rw.__name__):
            in2out(rw).rewrite(fg)
    assert ops_of(fg) == ["Log", "Exp"]
    assert run(fg, 2.0) == pytest.approx([2.0])


def test_wrong_type_message_names_both_types():
    fg = graph()
    with config.change_flags(on_opt_error="raise"):
        with pytest.raises(InvalidReplacementError) as info:
            in2out(local_wrong_type).rewrite(fg)
    msg = str(info.value)
    assert "local_wrong_type" in msg and "vector(3)" in msg and "scalar" in msg


def test_more_specific_static_shape_is_accepted():
    (v,) = vectors("v", length=None)

    @node_rewriter([Exp])
    def local_refine(fgraph, node):
        if isinstance(node.inputs[0], Constant):
            return False
        return [exp(Constant(VectorType(3), [1.0, 2.0, 3.0]))]

    fg = FunctionGraph([v], [exp(v)])
    in2out(local_refine).rewrite(fg)
    assert fg.outputs[0].type == VectorType(3)


def test_replacing_a_foreign_variable_is_garbage():
    @node_rewriter([Log])
    def local_foreign(fgraph, node):
        return {scalar("stranger"): node.inputs[0]}

    fg = graph()
    with (
        config.change_flags(on_opt_error="raise"),
        pytest.raises(InvalidReplacementError, match="not a variable of the graph"),
    ):
        in2out(local_foreign).rewrite(fg)


def test_failing_graph_rewriter_is_reverted():
    @graph_rewriter
    def half_done(fgraph):
        out = fgraph.outputs[0]
        fgraph.replace(out, fgraph.inputs[0])
        raise RuntimeError("half way")

    fg = graph()
    seq = SequentialGraphRewriter(half_done, failure_callback=SequentialGraphRewriter.warn)
    with config.change_flags(on_opt_error="warn"), pytest.warns(RewriteWarning, match="half_done"):
        seq.rewrite(fg)
    assert ops_of(fg) == ["Log", "Exp"]
    with config.change_flags(on_opt_error="raise"), pytest.raises(RuntimeError, match="half way"):
        seq.rewrite(fg)
    assert ops_of(fg) == ["Log", "Exp"]
    with pytest.raises(RuntimeError, match="half way"):
        SequentialGraphRewriter(half_done).rewrite(fg)  # no failure callback: raise
    assert ops_of(fg) == ["Log", "Exp"]
    with config.change_flags(on_opt_error="raise"), pytest.raises(RuntimeError, match="half way"):
        EquilibriumGraphRewriter([half_done]).rewrite(fg)
    assert ops_of(fg) == ["Log", "Exp"]


def test_failure_callback_none_propagates():
    fg = graph()
    with config.change_flags(on_opt_error="ignore"), pytest.raises(ZeroDivisionError):
        in2out(local_broken, failure_callback=None).rewrite(fg)
