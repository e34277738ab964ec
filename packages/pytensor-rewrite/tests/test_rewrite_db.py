"""Rewrite databases and queries: tags, include/exclude/require, sub-queries, positions, optdb."""

from __future__ import annotations

import sys
import types

import pytest
from rewrite_toy import Exp, Log, Neg, exp, log, neg, ops_of, scalars

from pytensor.graph.fg import FunctionGraph
from pytensor.graph.rewriting.basic import (
    EquilibriumGraphRewriter,
    MergeOptimizer,
    SequentialGraphRewriter,
    SequentialNodeRewriter,
    WalkingGraphRewriter,
    graph_rewriter,
    node_rewriter,
)
from pytensor.graph.rewriting.db import (
    EquilibriumDB,
    LocalGroupDB,
    ProxyDB,
    RewriteDatabase,
    RewriteDatabaseQuery,
    SequenceDB,
    TopoDB,
    optdb,
)
from pytensor.graph.rewriting.utils import rewrite_graph


def make(name):
    @node_rewriter([Log])
    def rw(fgraph, node):
        return False

    rw.__name__ = name
    return rw


def names(rewriters):
    return sorted(r.name for r in rewriters)


@pytest.fixture
def db():
    d = RewriteDatabase()
    d.register("a", make("a"), "fast_run", "fast_compile")
    d.register("b", make("b"), "fast_run", "stable")
    d.register("c", make("c"), "fast_compile", "unsafe")
    d.register("d", make("d"), "fast_run", "stable", "unsafe")
    return d


def test_include_exclude_require(db):
    assert names(db.query(RewriteDatabaseQuery(include=["fast_run"]))) == ["a", "b", "d"]
    assert names(db.query(RewriteDatabaseQuery(include=["fast_run", "fast_compile"]))) == [
        "a",
        "b",
        "c",
        "d",
    ]
    assert names(db.query(RewriteDatabaseQuery(include=["fast_run"], exclude=["unsafe"]))) == [
        "a",
        "b",
    ]
    assert names(db.query(RewriteDatabaseQuery(include=["fast_run"], require=["stable"]))) == [
        "b",
        "d",
    ]
    assert names(
        db.query(RewriteDatabaseQuery(include=["fast_run"], require=["stable"], exclude=["unsafe"]))
    ) == ["b"]
    assert names(db.query("+fast_compile", "-unsafe")) == ["a"]
    assert names(db.query("+fast_run", "&unsafe")) == ["d"]


def test_name_is_a_tag(db):
    assert names(db.query("+c")) == ["c"]
    assert names(db.query("+fast_run", "-d")) == ["a", "b"]


def test_query_builders_are_immutable():
    q = RewriteDatabaseQuery(include=["fast_run"])
    q2 = q.excluding("fusion").including("inplace").requiring("stable")
    assert q.include == ("fast_run",) and q.exclude == ()
    assert (
        q2.include == ("fast_run", "inplace")
        and q2.exclude == ("fusion",)
        and q2.require == ("stable",)
    )
    assert q2.including("fusion").exclude == ()
    assert "exclude=['fusion']" in str(q2)
    with pytest.raises(TypeError):
        RewriteDatabaseQuery(include="fast_run")


def test_register_errors(db):
    with pytest.raises(ValueError, match="already used"):
        db.register("a", make("again"), "x")
    with pytest.raises(ValueError, match="already used"):
        db.register("fast_run", make("tagname"))
    with pytest.raises(TypeError, match="neither"):
        db.register("z", lambda fg: None)
    with pytest.raises(TypeError, match="tag strings"):
        db.query(RewriteDatabaseQuery(include=["fast_run"]), "+x")
    with pytest.raises(ValueError, match="start with"):
        db.query("fast_run")


def test_add_and_remove_tags(db):
    db.add_tags("c", "fast_run")
    assert "c" in names(db.query("+fast_run"))
    db.remove_tags("c", "fast_run")
    assert "c" not in names(db.query("+fast_run"))
    assert db["a"].name == "a" and "a" in db and "zz" not in db


def test_sequence_db_orders_by_position_then_name():
    seq = SequenceDB()
    order = []

    def step(label):
        @graph_rewriter
        def rw(fgraph):
            order.append(label)

        return rw

    seq.register("third", step("third"), "fast_run", position=3)
    seq.register("first", step("first"), "fast_run", position=0.5)
    seq.register("second_b", step("second_b"), "fast_run", position=1)
    seq.register("second_a", step("second_a"), "fast_run", position=1)
    seq.register("last", step("last"), "fast_run")  # 'last' = after the highest position
    assert seq.position("last") == 4
    (x,) = scalars("x")
    seq.query("+fast_run").rewrite(FunctionGraph([x], [exp(x)]))
    assert order == ["first", "second_a", "second_b", "third", "last"]
    order.clear()
    seq.query(RewriteDatabaseQuery(include=["fast_run"], position_cutoff=2)).rewrite(
        FunctionGraph([x], [exp(x)])
    )
    assert order == ["first", "second_a", "second_b"]
    with pytest.raises(TypeError, match="position"):
        seq.register("bad", step("bad"), position="early")


def test_subdatabases_and_subquery():
    top = SequenceDB()
    eq = EquilibriumDB()
    top.register("canon", eq, "fast_run", position=1)
    eq.register("x1", make("x1"), "fast_run")
    eq.register("x2", make("x2"), "fast_run", "unsafe")
    eq.register("merge", MergeOptimizer(), "fast_run", cleanup=True)
    # Inside a named sub-database, the database name is a tag of everything registered in it.
    assert names(eq.query("+canon").node_rewriters) == ["x1", "x2"]

    seq = top.query(RewriteDatabaseQuery(include=["fast_run"], exclude=["unsafe"]))
    [canon] = list(seq)
    assert isinstance(canon, EquilibriumGraphRewriter) and canon.name == "canon"
    assert names(canon.node_rewriters) == ["x1"]
    assert [type(r) for r in canon.cleanup_rewriters] == [MergeOptimizer]
    sub = RewriteDatabaseQuery(include=["unsafe"])
    seq = top.query(RewriteDatabaseQuery(include=["fast_run"], subquery={"canon": sub}))
    assert names(list(seq)[0].node_rewriters) == ["x2"]
    seq = top.query("+fast_run", canon=sub)
    assert names(list(seq)[0].node_rewriters) == ["x2"]


def test_extra_rewrites_in_query():
    top = SequenceDB()
    top.register("m", MergeOptimizer(), "fast_run", position=1)
    extra = MergeOptimizer()
    seq = top.query(RewriteDatabaseQuery(include=["fast_run"]).register((extra, 0.5)))
    assert list(seq)[0] is extra


def test_local_group_and_topo_db():
    group = LocalGroupDB()

    @node_rewriter([Neg])
    def local_double_neg(fgraph, node):
        arg = node.inputs[0]
        if arg.owner is not None and isinstance(arg.owner.op, Neg):
            return [arg.owner.inputs[0]]
        return False

    group.register("double_neg", local_double_neg, "fast_run", position=1)
    group.register("noop", make("noop"), "fast_run", position=0)
    rw = group.query("+fast_run")
    assert isinstance(rw, SequentialNodeRewriter) and [r.name for r in rw.rewrites] == [
        "noop",
        "double_neg",
    ]
    with pytest.raises(TypeError):
        group.register("graph", MergeOptimizer())
    walker = TopoDB(group, order="out_to_in").query("+fast_run")
    assert isinstance(walker, WalkingGraphRewriter) and walker.order == "out_to_in"
    (x,) = scalars("x")
    fg = FunctionGraph([x], [exp(neg(neg(x)))])
    walker.rewrite(fg)
    assert ops_of(fg) == ["Exp"]
    assert ProxyDB(group).query("+fast_run").rewrites == rw.rewrites


def test_equilibrium_db_final_and_cleanup():
    eq = EquilibriumDB()
    eq.register("fin", MergeOptimizer(), "fast_run", final_rewriter=True)
    eq.register("clean", MergeOptimizer(), "fast_run", cleanup=True)
    with pytest.raises(ValueError):
        eq.register("both", MergeOptimizer(), final_rewriter=True, cleanup=True)
    rw = eq.query("+fast_run")
    assert [r.name for r in rw.final_rewriters] == ["fin"]
    assert [r.name for r in rw.cleanup_rewriters] == ["clean"]


def test_optdb_standard_stages():
    expected = {
        "merge1": 0,
        "useless": 0.6,
        "merge1.1": 0.65,
        "canonicalize": 1,
        "merge1.2": 1.2,
        "stabilize": 1.5,
        "specialize": 2,
        "uncanonicalize": 3,
        "specialize_device": 48.6,
        "elemwise_fusion": 49,
        "merge2": 49,
        "add_destroy_handler": 49.5,
        "inplace_db": 75,
        "merge3": 100,
    }
    for name, pos in expected.items():
        assert optdb.position(name) == pos, name
    fast_run = [r.name for r in optdb.query("+fast_run")]
    assert (
        fast_run.index("canonicalize") < fast_run.index("stabilize") < fast_run.index("specialize")
    )
    assert "inplace_db" in fast_run and "elemwise_fusion" in fast_run
    no_fusion = [
        r.name
        for r in optdb.query(
            RewriteDatabaseQuery(include=["fast_run"]).excluding("fusion", "inplace")
        )
    ]
    assert (
        "elemwise_fusion" not in no_fusion
        and "inplace_db" not in no_fusion
        and "add_destroy_handler" not in no_fusion
    )
    fast_compile = [r.name for r in optdb.query("+fast_compile")]
    assert "stabilize" not in fast_compile and "canonicalize" in fast_compile


@pytest.fixture
def registered():
    """Register rewrites into the global optdb for one test, then take them out again."""
    added = []

    def add(stage, name, rw, *tags):
        db = optdb[stage]
        db.register(name, rw, *tags)
        added.append((db, name, rw))

    yield add
    for db, name, rw in added:
        for objs in db.__db__.values():
            objs.pop(rw, None)
        db.__db__.pop(name, None)
        db._names.pop(name, None)


@node_rewriter([Log])
def local_log_exp(fgraph, node):
    arg = node.inputs[0]
    if arg.owner is not None and isinstance(arg.owner.op, Exp):
        return [arg.owner.inputs[0]]
    return False


def test_rewrite_graph_uses_optdb(registered):
    registered("canonicalize", "test_log_exp", local_log_exp, "fast_run")
    (x,) = scalars("x")
    out = exp(log(exp(log(x))))
    assert rewrite_graph(out, include=("fast_compile",), exclude=["canonicalize"]) is out
    new = rewrite_graph(out)
    assert new.owner.op == exp and new.owner.inputs[0].owner.op == log
    assert new.owner.inputs[0].owner.inputs == [x]
    [a, b] = rewrite_graph([log(exp(x)), exp(x)])
    assert a is x and b.owner.op == exp
    fg = FunctionGraph([x], [log(exp(x))])
    assert rewrite_graph(fg) is fg and fg.outputs == fg.inputs


def test_rewrite_graph_clone_leaves_input_graph():
    (x,) = scalars("x")
    out = log(exp(x))
    new = rewrite_graph(out, clone=True, custom_rewrite=WalkingGraphRewriter(local_log_exp))
    assert out.owner.op == log and new.owner is None


def test_plugin_register_hands_optdb_to_compile(monkeypatch):
    from pytensor.graph.rewriting import _plugin

    got = {}
    fake = types.ModuleType("pytensor.compile.mode")
    fake.register_optdb = lambda db, make_query: got.update(db=db, make_query=make_query)
    monkeypatch.setitem(sys.modules, "pytensor.compile.mode", fake)
    _plugin.register()
    assert got["db"] is optdb
    q = got["make_query"](include=["fast_run"], exclude=["fusion"], require=[])
    assert q == RewriteDatabaseQuery(include=["fast_run"], exclude=["fusion"])
    assert isinstance(got["db"].query(q), SequentialGraphRewriter)


def test_entry_point_declared():
    import tomllib
    from pathlib import Path

    data = tomllib.loads((Path(__file__).parents[1] / "pyproject.toml").read_text())
    assert (
        data["project"]["entry-points"]["pytensor.extensions"]["rewrite"]
        == "pytensor.graph.rewriting._plugin:register"
    )
