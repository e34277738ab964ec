"""Rewrite profiles (time, applications, nodes created/removed) and the verbose flag."""

from __future__ import annotations

import io

from rewrite_toy import add, exp, local_double_neg, local_log_exp, log, neg, scalars

from pytensor.configdefaults import config
from pytensor.graph.fg import FunctionGraph
from pytensor.graph.rewriting.basic import (
    EquilibriumGraphRewriter,
    GraphRewriter,
    MergeOptimizer,
    PatternNodeRewriter,
    RewriteProfile,
    SequentialGraphRewriter,
    in2out,
)

log_to_neg = PatternNodeRewriter(
    (log, (neg, "x")), (neg, (neg, (neg, "x"))), name="local_log_neg_silly"
)


def graph():
    (x,) = scalars("x")
    return FunctionGraph([x], [add(log(exp(neg(neg(x)))), exp(x), exp(x))])


def test_profile_counts_per_rewriter():
    fg = graph()
    seq = SequentialGraphRewriter(
        EquilibriumGraphRewriter([local_double_neg, local_log_exp]),
        MergeOptimizer(),
    )
    prof = seq.rewrite(fg)
    assert isinstance(prof, RewriteProfile)
    eq_prof, merge_prof = prof.children
    assert prof.nodes_before == 7 and prof.nodes_after == 2
    st = eq_prof.rewrites[local_double_neg]
    assert (st.applied, st.nodes_created, st.nodes_removed) == (1, 0, 2)
    st = eq_prof.rewrites[local_log_exp]
    # log(exp(x)) -> x removes log and the exp that only it used
    assert (st.applied, st.nodes_created, st.nodes_removed) == (1, 0, 2)
    assert st.calls >= 1 and st.time > 0
    totals = prof.totals()
    assert totals["MergeOptimizer"].applied == 1 and totals["MergeOptimizer"].nodes_removed == 1
    assert prof.applied == 3


def test_profile_counts_created_nodes():
    (x,) = scalars("x")
    fg = FunctionGraph([x], [log(neg(x))])
    prof = in2out(log_to_neg).rewrite(fg)
    st = prof.rewrites[log_to_neg]
    assert (st.applied, st.nodes_created, st.nodes_removed) == (1, 3, 2)


def test_profile_prints_a_table():
    fg = graph()
    prof = EquilibriumGraphRewriter([local_double_neg, local_log_exp]).rewrite(fg)
    text = str(prof)
    lines = text.splitlines()
    assert lines[0].startswith("EquilibriumGraphRewriter")
    assert "7 -> 3 nodes" in lines[0]
    header = next(line for line in lines if "rewrite" in line and "applied" in line)
    for col in ("time (s)", "calls", "applied", "created", "removed"):
        assert col in header
    row = next(line for line in lines if line.strip().startswith("local_double_neg"))
    assert row.split()[2:] == ["1", "1", "0", "2"]  # calls applied created removed
    stream = io.StringIO()
    GraphRewriter.print_profile(stream, prof)
    assert stream.getvalue().strip() == text


def test_verbose_prints_before_and_after(capsys):
    (x,) = scalars("x")
    fg = FunctionGraph([x], [log(exp(x))])
    with config.change_flags(optimizer_verbose=True):
        in2out(local_log_exp).rewrite(fg)
    out = capsys.readouterr().out
    assert "rewriting: local_log_exp: Log(Exp(x)) -> x" in out


def test_verbose_off_by_default(capsys):
    (x,) = scalars("x")
    fg = FunctionGraph([x], [log(exp(x))])
    in2out(local_log_exp).rewrite(fg)
    assert capsys.readouterr().out == ""
