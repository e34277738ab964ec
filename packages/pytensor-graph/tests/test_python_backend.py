"""Tests of the pure-Python reference backend (pytensor.link.python, pytensor.link.vm)."""

import random
import weakref

import numpy as np
import pytest
from toy import (
    ArrayType,
    Count,
    FloatType,
    add,
    evaluate,
    fscalar,
    fvector,
    if_else,
    mul,
    neg,
    no_perform,
    sum_diff,
)

from pytensor.compile.function import function
from pytensor.compile.mode import Mode
from pytensor.configdefaults import config
from pytensor.graph.basic import Apply, Constant
from pytensor.graph.fg import FunctionGraph
from pytensor.graph.op import Op
from pytensor.link import python as python_backend
from pytensor.link.backend import BackendError, MissingImplementationError
from pytensor.link.python import CODEGEN_MAX_NODES, PythonLinker, backend
from pytensor.link.vm import VMLinker

PY = Mode(linker="py", optimizer=None)
VEC = ArrayType("float64", (None,))


class Make(Op):
    """Makes a fresh array from a float and keeps a weak reference to it."""

    __props__ = ()

    def __init__(self):
        self.refs = []

    def make_node(self, x):
        return Apply(self, [x], [VEC()])

    def perform(self, node, inputs, output_storage):
        arr = np.full(3, inputs[0])
        self.refs.append(weakref.ref(arr))
        output_storage[0][0] = arr


class MakeTwo(Make):
    """Two outputs: a fresh tracked array and a float."""

    def make_node(self, x):
        return Apply(self, [x], [VEC(), x.type()])

    def perform(self, node, inputs, output_storage):
        super().perform(node, inputs, output_storage)
        output_storage[1][0] = inputs[0]


class Total(Op):
    """Sums an array into a float (a new object: it keeps no reference to the array)."""

    __props__ = ()

    def make_node(self, v):
        return Apply(self, [v], [FloatType()()])

    def perform(self, node, inputs, output_storage):
        output_storage[0][0] = float(inputs[0].sum())


class Probe(Op):
    """Passes a float through and records, when it runs, which tracked arrays are alive."""

    __props__ = ()

    def __init__(self, make):
        self.make = make
        self.seen = []

    def make_node(self, x):
        return Apply(self, [x], [x.type()])

    def perform(self, node, inputs, output_storage):
        self.seen.append([r() is not None for r in self.make.refs])
        output_storage[0][0] = inputs[0]


class Fail(Op):
    __props__ = ()

    def make_node(self, x):
        return Apply(self, [x], [x.type()])

    def perform(self, node, inputs, output_storage):
        raise ValueError("bad value in Fail")


def liveness_graph():
    make = Make()
    probe = Probe(make)
    x = fscalar("x")
    out = probe(Total()(make(x)))  # the array's last reader is Total, before Probe runs
    return x, out, make, probe


def compile_fg(inputs, outputs, **options):
    return backend.link(FunctionGraph(inputs, outputs, clone=False), **options)


class TestEarlyFreeing:
    @pytest.mark.parametrize("interpreter", [False, True])
    def test_intermediate_freed_after_last_use(self, interpreter, monkeypatch):
        if interpreter:
            monkeypatch.setattr(python_backend, "CODEGEN_MAX_NODES", 0)
        x, out, make, probe = liveness_graph()
        runner = compile_fg([x], [out], allow_gc=True)
        assert runner(2.0) == [6.0]
        assert probe.seen == [[False]]

    @pytest.mark.parametrize("interpreter", [False, True])
    def test_kept_without_gc(self, interpreter, monkeypatch):
        if interpreter:
            monkeypatch.setattr(python_backend, "CODEGEN_MAX_NODES", 0)
        x, out, make, probe = liveness_graph()
        runner = compile_fg([x], [out], allow_gc=False)
        assert runner(2.0) == [6.0]
        assert probe.seen == [[True]]

    def test_config_allow_gc_and_function(self):
        x, out, make, probe = liveness_graph()
        function([x], out, mode=PY)(1.0)
        with config.change_flags(allow_gc=False):
            function([x], out, mode=PY)(1.0)
        assert probe.seen == [[False], [False, True]]

    @pytest.mark.parametrize("interpreter", [False, True])
    def test_unused_output_freed(self, interpreter, monkeypatch):
        if interpreter:
            monkeypatch.setattr(python_backend, "CODEGEN_MAX_NODES", 0)
        make = MakeTwo()
        probe = Probe(make)
        x = fscalar("x")
        arr, scalar = make(x)  # arr is never read
        out = probe(neg(scalar))
        runner = compile_fg([x], [out], allow_gc=True)
        assert runner(1.0) == [-1.0]
        assert probe.seen == [[False]]
        runner = compile_fg([x], [out], allow_gc=False)
        runner(1.0)
        assert probe.seen[-1] == [False, True]

    def test_outputs_are_kept(self):
        make = Make()
        x = fscalar("x")
        arr = make(x)
        runner = compile_fg([x], [arr, Total()(arr)])
        a, t = runner(2.0)
        np.testing.assert_array_equal(a, [2.0, 2.0, 2.0])
        assert t == 6.0


class TestLazy:
    def test_only_taken_branch_runs(self):
        ca, cb = Count("a", lambda v: v + 1.0), Count("b", lambda v: v - 1.0)
        c, x = fscalar("c"), fscalar("x")
        f = function([c, x], if_else(c, ca(x), cb(x)), mode=PY)
        assert f(1.0, 10.0) == 11.0
        assert (ca.calls, cb.calls) == (1, 0)
        assert f(0.0, 10.0) == 9.0
        assert (ca.calls, cb.calls) == (1, 1)
        assert f(1.0, 5.0) == 6.0
        assert (ca.calls, cb.calls) == (2, 1)

    def test_condition_computed_once_and_shared_work(self):
        cc = Count("cond", lambda v: v)
        shared_work = Count("shared", lambda v: v * 2.0)
        other = Count("other", lambda v: -v)
        x = fscalar("x")
        w = shared_work(x)
        out = add(if_else(cc(x), w, other(x)), w)
        f = function([x], out, mode=PY)
        assert f(3.0) == 12.0
        assert (cc.calls, shared_work.calls, other.calls) == (1, 1, 0)

    def test_nested(self):
        counts = [Count(str(k), lambda v, k=k: v + k) for k in range(4)]
        c1, c2, x = fscalar("c1"), fscalar("c2"), fscalar("x")
        inner = if_else(c2, counts[0](x), counts[1](x))
        out = if_else(c1, inner, counts[2](x))
        f = function([c1, c2, x], [out, counts[3](x)], mode=PY)
        assert f(1.0, 0.0, 10.0) == [11.0, 13.0]
        assert [c.calls for c in counts] == [0, 1, 0, 1]
        assert f(0.0, 1.0, 10.0) == [12.0, 13.0]
        assert [c.calls for c in counts] == [0, 1, 1, 2]

    def test_constant_branch(self):
        c = fscalar("c")
        f = function([c], if_else(c, 1.0, 2.0), mode=PY)
        assert f(1.0) == 1.0 and f(0.0) == 2.0

    def test_lazy_error_note(self):
        c, x = fscalar("c"), fscalar("x")
        f = function([c, x], if_else(c, Fail()(x), x), mode=PY)
        assert f(0.0, 1.0) == 1.0
        with pytest.raises(ValueError, match="bad value") as info:
            f(1.0, 1.0)
        assert any("Fail" in n and "py backend" in n for n in info.value.__notes__)


def random_graph(seed, n_nodes):
    rng = random.Random(seed)
    roots = [fscalar(f"r{k}") for k in range(3)]
    pool = list(roots) + [Constant(FloatType(), 0.5)]
    for _ in range(n_nodes):
        kind = rng.choice(["add", "mul", "neg", "sd"])
        a, b = rng.choice(pool[-20:]), rng.choice(pool)
        if kind == "neg":
            pool.append(neg(a))
        elif kind == "sd":
            pool.extend(sum_diff(a, b))
        else:
            pool.append((add if kind == "add" else mul)(a, b))
    owned = [v for v in pool if v.owner is not None]
    return roots, [owned[-1], owned[-7], owned[len(owned) // 2], roots[0]]


def clipped(values):
    return [float(np.clip(v, -1e6, 1e6)) for v in values]


class TestInterpreter:
    @pytest.mark.parametrize("seed", range(4))
    def test_same_results_as_codegen(self, seed, monkeypatch):
        roots, outs = random_graph(seed, 60)
        vals = [0.3, -0.7, 0.9]
        reference = evaluate(outs, dict(zip(roots, vals, strict=True)))
        codegen = compile_fg(roots, outs)
        assert hasattr(codegen, "source")
        monkeypatch.setattr(python_backend, "CODEGEN_MAX_NODES", 10)
        interp = compile_fg(roots, outs)
        assert not hasattr(interp, "source")
        with np.errstate(all="ignore"):
            assert np.array_equal(codegen(*vals), reference, equal_nan=True)
            assert np.array_equal(interp(*vals), reference, equal_nan=True)

    def test_large_graph_uses_interpreter(self):
        x = fscalar("x")
        out = x
        n = CODEGEN_MAX_NODES + 200
        for k in range(n):
            out = add(out, 1.0) if k % 2 else neg(out)
        runner = compile_fg([x], [out])
        assert not hasattr(runner, "source")
        expected = evaluate([out], {x: 2.0})
        assert runner(2.0) == expected
        assert function([x], out, mode=PY)(2.0) == expected[0]

    def test_outputs_that_are_inputs_or_constants(self, monkeypatch):
        x = fscalar("x")
        c = Constant(FloatType(), 4.0)
        for limit in (CODEGEN_MAX_NODES, 0):
            monkeypatch.setattr(python_backend, "CODEGEN_MAX_NODES", limit)
            runner = compile_fg([x], [x, c, add(x, c)])
            assert runner(1.0) == [1.0, 4.0, 5.0]


class TestErrors:
    @pytest.mark.parametrize("limit", [CODEGEN_MAX_NODES, 0])
    def test_exception_note_names_op(self, limit, monkeypatch):
        monkeypatch.setattr(python_backend, "CODEGEN_MAX_NODES", limit)
        x = fscalar("x")
        f = function([x], neg(Fail()(neg(x))), mode=PY)
        with pytest.raises(ValueError, match="bad value in Fail") as info:
            f(1.0)
        notes = info.value.__notes__
        assert len(notes) == 1
        assert (
            notes[0] == "Raised while computing Fail applied to (Neg.0 <float>) on the py backend"
        )

    def test_missing_perform_at_compile_time(self):
        x = fscalar("x")
        with pytest.raises(MissingImplementationError) as info:
            function([x], neg(no_perform(x)), mode=PY)
        msg = str(info.value)
        assert "The py backend cannot run NoPerform" in msg and "no perform method" in msg
        assert isinstance(info.value, NotImplementedError) and isinstance(info.value, BackendError)
        assert info.value.node.op == no_perform

    def test_missing_perform_in_lazy_graph(self):
        c, x = fscalar("c"), fscalar("x")
        with pytest.raises(MissingImplementationError, match="NoPerform"):
            function([c, x], if_else(c, no_perform(x), x), mode=PY)


class TestLinkers:
    def test_python_linker(self):
        lk = PythonLinker()
        assert lk.backend is backend and lk.name == "py"
        x = fscalar("x")
        assert function([x], neg(x), mode=Mode(linker=lk, optimizer=None))(2.0) == -2.0

    def test_vm_linker(self):
        lk = VMLinker(allow_gc=False, use_cloop=True, lazy=True)
        assert lk.options == {"allow_gc": False} and lk.backend is backend
        x, out, make, probe = liveness_graph()
        function([x], out, mode=Mode(linker=lk, optimizer=None))(1.0)
        assert probe.seen == [[True]]
        assert VMLinker().options == {}

    def test_arrays_through_backend(self):
        v = fvector("v", 3)
        f = function([v], [mul(v, v), neg(v)], mode=PY)
        a, b = f(np.array([1.0, 2.0, 3.0]))
        np.testing.assert_array_equal(a, [1.0, 4.0, 9.0])
        np.testing.assert_array_equal(b, [-1.0, -2.0, -3.0])


def test_op_status_reports_perform_and_lazy_ops_as_native():
    from pytensor.link.backend import Backend

    backend = python_backend.backend
    assert backend.op_status(type(add)) == "native"
    assert backend.op_status(type(no_perform)) == "missing"
    assert backend.op_status(type(if_else)) == "native"
    # The protocol's default: a backend that says nothing supports nothing.
    assert Backend().op_status(type(add)) == "missing"
