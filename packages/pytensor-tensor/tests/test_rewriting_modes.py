"""Named modes and their rewrite queries: the default mode, including/excluding/requiring,
the tags a backend requires or excludes, and the stage table of docs/rewrites.md."""

from __future__ import annotations

import re
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import numpy as np
import pytest

import pytensor.tensor as pt
from pytensor.compile.builders import OpFromGraph
from pytensor.compile.function import function
from pytensor.compile.mode import Mode, get_default_mode, get_mode, predefined_modes
from pytensor.configdefaults import config
from pytensor.graph.rewriting.db import RewriteDatabase, optdb
from pytensor.link import registry
from pytensor.link.backend import Backend
from pytensor.link.python import backend as py_backend
from pytensor.link.registry import default_backend, register_backend
from pytensor.tensor.elemwise import Elemwise
from pytensor.tensor.rewriting.modes import rewrite_stages, selected_rewrites, stage_table

DOCS_PAGE = Path(__file__).resolve().parents[3] / "docs" / "rewrites.md"


class _DelegatingBackend(Backend):
    """A test backend that runs graphs with the Python backend but has its own tags."""

    def link(self, fgraph, **options):
        return py_backend.link(fgraph, **options)


@contextmanager
def _backend(name: str, **attrs) -> Iterator[Backend]:
    backend = type("TestBackend", (_DelegatingBackend,), {"name": name, **attrs})()
    register_backend(backend)
    try:
        yield backend
    finally:
        registry._load().pop(name)


def _count(f, scalar_op_name: str) -> int:
    return sum(
        isinstance(n.op, Elemwise) and type(n.op.scalar_op).__name__ == scalar_op_name
        for n in f.maker.fgraph.apply_nodes
    )


def _ofg_nodes(f) -> int:
    return sum(isinstance(n.op, OpFromGraph) for n in f.maker.fgraph.apply_nodes)


def _tagged(tag: str, db: RewriteDatabase = optdb) -> set[str]:
    """Names of every entry of ``db`` and its sub-databases that carries ``tag``."""
    found: set[str] = set()
    members = db.__db__.get(tag, {})
    for name in db.names():
        obj = db[name]
        if obj in members:
            found.add(name)
        if isinstance(obj, RewriteDatabase):
            found |= _tagged(tag, obj)
    return found


def _merge_and_ofg_graph():
    x = pt.dvector("x")
    a = pt.dvector("a")
    double = OpFromGraph([a], [a * 2.0], inline=True)
    # exp(x) written twice: one node after merging; the OpFromGraph: gone after inlining.
    return x, [pt.exp(x), pt.exp(x), double(x)]


def _check_values(f) -> None:
    xv = np.array([0.0, 1.0, -2.5])
    for got, want in zip(f(xv), [np.exp(xv), np.exp(xv), xv * 2.0], strict=True):
        np.testing.assert_allclose(got, want)


# -- the named modes ---------------------------------------------------------------------


def test_default_mode_is_fast_run_on_the_best_available_backend():
    assert config.mode == "FAST_RUN"
    mode = get_default_mode()
    assert mode is predefined_modes["FAST_RUN"]
    assert mode.provided_optimizer == "fast_run"
    assert mode.backend is default_backend()
    with _backend("test_best", priority=10_000) as best:
        assert default_backend() is best
        assert get_default_mode().backend is best
        x, outs = _merge_and_ofg_graph()
        f = function([x], outs)
        assert f.maker.linker.backend is best
        _check_values(f)
    assert get_default_mode().backend is default_backend()


def test_fast_compile_and_py_run_on_the_python_backend():
    fast_compile, py = get_mode("FAST_COMPILE"), get_mode("PY")
    assert fast_compile.backend is py_backend and py.backend is py_backend
    assert fast_compile.provided_optimizer == "fast_compile"
    assert py.provided_optimizer == "fast_run"
    # fast_compile leaves out the numerically motivated and speed-only stages.
    compile_stages = set(selected_rewrites("FAST_COMPILE"))
    assert {"merge1", "canonicalize", "inline_ofg_expansion"} <= compile_stages
    assert not {"stabilize", "uncanonicalize", "elemwise_fusion", "inplace_db"} & compile_stages
    assert {"stabilize", "elemwise_fusion", "inplace_db"} <= set(selected_rewrites("PY"))
    x, outs = _merge_and_ofg_graph()
    for name in ("FAST_COMPILE", "PY", "FAST_RUN"):
        _check_values(function([x], outs, mode=name))
        # without fusion, which would hide the Exp nodes in a Composite
        f = function([x], outs, mode=get_mode(name).excluding("fusion"))
        assert _count(f, "Exp") == 1 and _ofg_nodes(f) == 0, name
        _check_values(f)


def test_no_rewrites_keeps_the_graph_as_written():
    x, outs = _merge_and_ofg_graph()
    f = function([x], outs, mode=Mode(linker="py", optimizer=None))
    assert _count(f, "Exp") == 2 and _ofg_nodes(f) == 1
    assert selected_rewrites(Mode(linker="py", optimizer=None)) == []
    _check_values(f)


# -- including / excluding / requiring ----------------------------------------------------


def test_excluding_removes_the_rewrites_with_the_tag():
    x, outs = _merge_and_ofg_graph()
    fast_run = get_mode("FAST_RUN").excluding("fusion")  # keeps the Exp nodes visible
    no_merge = fast_run.excluding("merge")
    names = selected_rewrites(no_merge)
    assert not _tagged("merge") & set(names)
    assert "canonicalize" in names and "inline_ofg_expansion" in names
    f = function([x], outs, mode=no_merge)
    assert _count(f, "Exp") == 2 and _ofg_nodes(f) == 0
    _check_values(f)

    no_inline = fast_run.excluding("inline_ofg")
    assert "inline_ofg_expansion" not in selected_rewrites(no_inline)
    f = function([x], outs, mode=no_inline)
    assert _count(f, "Exp") == 1 and _ofg_nodes(f) == 1
    _check_values(f)
    # excluding returns a new mode; the registered one is unchanged
    assert "inline_ofg_expansion" in selected_rewrites(fast_run)


def test_including_adds_rewrites_to_a_mode_without_them():
    x, outs = _merge_and_ofg_graph()
    bare = Mode(linker="py", optimizer=None)
    only_merge = bare.including("merge")
    assert set(selected_rewrites(only_merge)) <= _tagged("merge")
    f = function([x], outs, mode=only_merge)
    assert _count(f, "Exp") == 1 and _ofg_nodes(f) == 1
    _check_values(f)

    f = function([x], outs, mode=bare.including("inline_ofg"))
    assert _count(f, "Exp") == 2 and _ofg_nodes(f) == 0
    _check_values(f)


def test_requiring_keeps_only_rewrites_with_every_tag():
    x, outs = _merge_and_ofg_graph()
    merge_only = get_mode("FAST_RUN").requiring("merge")
    names = set(selected_rewrites(merge_only))
    assert names and names <= _tagged("merge")
    assert "inline_ofg_expansion" not in names and "canonicalize" not in names
    f = function([x], outs, mode=merge_only)
    assert _count(f, "Exp") == 1 and _ofg_nodes(f) == 1
    _check_values(f)


def test_config_flags_change_the_named_modes():
    with config.change_flags(optimizer_excluding="inline_ofg"):
        assert "inline_ofg_expansion" not in selected_rewrites("FAST_RUN")
    with config.change_flags(optimizer_requiring="merge"):
        assert set(selected_rewrites("FAST_RUN")) <= _tagged("merge")
    assert "inline_ofg_expansion" in selected_rewrites("FAST_RUN")


# -- the tags of a backend ----------------------------------------------------------------


def test_a_backend_excluding_fusion_gets_no_fusion_rewrites():
    fusion = _tagged("fusion")
    assert "elemwise_fusion" in fusion
    assert "elemwise_fusion" in selected_rewrites(Mode("py", "fast_run"))
    with _backend("test_nofusion", excluded_tags=("fusion",)):
        mode = Mode("test_nofusion", "fast_run")
        names = set(selected_rewrites(mode))
        assert not fusion & names
        assert {"canonicalize", "merge1", "inplace_db"} <= names
        # also through including/excluding, which must keep the backend's tags
        assert not fusion & set(selected_rewrites(mode.excluding("inplace")))
        x, y = pt.dvectors("x", "y")
        f = function([x, y], pt.exp(x) * y + 1.0, mode=mode)
        assert f.maker.linker.backend.name == "test_nofusion"
        xv, yv = np.array([0.5, 1.0]), np.array([2.0, 3.0])
        np.testing.assert_allclose(f(xv, yv), np.exp(xv) * yv + 1.0)


def test_a_backend_requiring_a_tag_gets_only_those_rewrites():
    with _backend("test_merge_only", required_tags=("merge",)):
        names = set(selected_rewrites(Mode("test_merge_only", "fast_run")))
        assert names and names <= _tagged("merge")
        x, outs = _merge_and_ofg_graph()
        f = function([x], outs, mode=Mode("test_merge_only", "fast_run"))
        assert _count(f, "Exp") == 1 and _ofg_nodes(f) == 1
        _check_values(f)


# -- the stage table of the documentation -------------------------------------------------


def test_stages_are_in_pytensor_positions():
    positions = {s.name: s.position for s in rewrite_stages()}
    expected = {
        "merge1": 0,
        "canonicalize": 1,
        "stabilize": 1.5,
        "specialize": 2,
        "uncanonicalize": 3,
        "specialize_device": 48.6,
        "elemwise_fusion": 49,
        "add_destroy_handler": 49.5,
        "inplace_db": 75,
        "merge3": 100,
    }
    assert {k: positions[k] for k in expected} == expected
    assert [s.position for s in rewrite_stages()] == sorted(positions.values())


def test_the_docs_table_matches_optdb():
    text = DOCS_PAGE.read_text()
    block = re.search(r"<!-- stage-table -->\n(.*?)\n<!-- /stage-table -->", text, re.S)
    assert block is not None, f"{DOCS_PAGE} has no stage table markers"
    assert block.group(1).strip() == stage_table(), (
        "docs/rewrites.md is out of date; replace its table with "
        "pytensor.tensor.rewriting.modes.stage_table()"
    )


@pytest.mark.parametrize("name", ["FAST_RUN", "FAST_COMPILE", "PY"])
def test_every_named_mode_runs_to_numpy(name):
    x, y = pt.dmatrices("x", "y")
    out = pt.log(1.0 + pt.exp(x)).sum(axis=0) + (x * y).mean()
    f = function([x, y], out, mode=name)
    rng = np.random.default_rng(0)
    xv, yv = rng.normal(size=(3, 4)), rng.normal(size=(3, 4))
    np.testing.assert_allclose(f(xv, yv), np.log1p(np.exp(xv)).sum(axis=0) + (xv * yv).mean())
