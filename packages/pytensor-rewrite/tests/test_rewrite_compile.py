"""End to end with the compile layer: Modes query optdb through the rewrite layer's extension."""

from __future__ import annotations

import numpy as np
import pytest
from rewrite_toy import Neg, exp, local_log_exp, log, neg, ops_of, scalars, vectors

from pytensor.compile.function import function
from pytensor.compile.mode import Mode
from pytensor.graph.fg import FunctionGraph
from pytensor.graph.rewriting.basic import node_rewriter
from pytensor.graph.rewriting.db import RewriteDatabaseQuery, optdb


@pytest.fixture(autouse=True)
def extension_loaded():
    """What loading the ``pytensor.extensions`` entry point does (the tests run uninstalled)."""
    from pytensor.graph.rewriting import _plugin

    _plugin.register()
    yield


@pytest.fixture
def registered():
    added = []

    def add(db, name, rw, *tags):
        db.register(name, rw, *tags)
        added.append((db, name, rw))

    yield add
    for db, name, rw in added:
        for objs in db.__db__.values():
            objs.pop(rw, None)
        db.__db__.pop(name, None)
        db._names.pop(name, None)


@node_rewriter([Neg])
def local_neg_fused(fgraph, node):
    """Stands in for a fusion rewrite: neg(neg(x)) -> x."""
    arg = node.inputs[0]
    if arg.owner is not None and isinstance(arg.owner.op, Neg):
        return [arg.owner.inputs[0]]
    return False


def test_compile_mode_exposes_optdb():
    import pytensor.compile.mode as mode_mod

    assert mode_mod.optdb is optdb


def test_fast_run_applies_registered_rewrite(registered):
    registered(optdb["canonicalize"], "test_local_log_exp", local_log_exp, "fast_run")
    (x,) = scalars("x")
    f = function([x], neg(log(exp(x))), mode=Mode(linker="py", optimizer="fast_run"))
    assert ops_of(f.maker.fgraph) == ["Neg"]
    assert f(1.5) == pytest.approx(-1.5)
    # The rewriter a mode hands out reports what it did.
    fg = FunctionGraph([x], [neg(log(exp(x)))])
    prof = Mode(linker="py", optimizer="fast_run").optimizer.rewrite(fg)
    assert prof.totals()["test_local_log_exp"].applied == 1
    assert "test_local_log_exp" in str(prof)
    g = function([x], neg(log(exp(x))), mode=Mode(linker="py", optimizer=None))
    assert ops_of(g.maker.fgraph) == ["Exp", "Log", "Neg"]
    h = function(
        [x],
        neg(log(exp(x))),
        mode=Mode(linker="py", optimizer="fast_run").excluding("canonicalize"),
    )
    assert ops_of(h.maker.fgraph) == ["Exp", "Log", "Neg"]


def test_including_and_excluding_fusion(registered):
    fusion = optdb["elemwise_fusion"]
    registered(fusion, "test_neg_fused", local_neg_fused, "fast_run", "fusion")
    (v,) = vectors("v")
    mode = Mode(linker="py", optimizer="fast_run")
    f = function([v], exp(neg(neg(v))), mode=mode)
    assert ops_of(f.maker.fgraph) == ["Exp"]
    g = function([v], exp(neg(neg(v))), mode=mode.excluding("fusion"))
    assert ops_of(g.maker.fgraph) == ["Neg", "Neg", "Exp"]
    np.testing.assert_allclose(f([0.0, 1.0, 2.0]), g([0.0, 1.0, 2.0]))
    h = function(
        [v], exp(neg(neg(v))), mode=Mode(linker="py", optimizer="fast_compile").including("fusion")
    )
    assert ops_of(h.maker.fgraph) == ["Exp"]


def test_query_from_plugin_has_rewrite_protocol():
    from pytensor.graph.rewriting._plugin import make_query

    rw = optdb.query(make_query(include=["fast_run"], exclude=["inplace"], require=[]))
    assert hasattr(rw, "rewrite")
    assert "add_destroy_handler" not in [r.name for r in rw]
    assert make_query(["a"], ["b"], ["c"]) == RewriteDatabaseQuery(
        include=["a"], require=["c"], exclude=["b"]
    )


def test_function_profile_reports_the_rewrites(registered, capsys):
    registered(optdb["canonicalize"], "local_log_exp", local_log_exp, "fast_run")
    (x,) = scalars("x")
    f = function([x], log(exp(x)), mode=Mode(linker="py", optimizer="fast_run"), profile=True)
    assert f.profile.rewriter_profile is not None
    f.profile.summary()
    printed = capsys.readouterr().out
    assert "rewrites:" in printed
    assert "local_log_exp" in printed
