"""``local_reshape_lift``: Reshape moves above an Elemwise only where no shape check is lost."""

from __future__ import annotations

import numpy as np
import pytest

import pytensor.scalar as ps
import pytensor.tensor as pt
from pytensor.compile.function import function
from pytensor.compile.mode import Mode
from pytensor.graph.fg import FunctionGraph
from pytensor.tensor.elemwise import Elemwise
from pytensor.tensor.rewriting.reshape_lift import local_reshape_lift
from pytensor.tensor.shape import Reshape

NO_REWRITE = Mode(linker="py", optimizer=None)
# Fusion would hide the node structure these tests inspect.
REWRITE = Mode(linker="py", optimizer="fast_run").excluding("fusion", "inplace")
NO_LIFT = REWRITE.excluding("local_reshape_lift")

rng = np.random.default_rng(7)


def _vals(*shapes, dtype="float64"):
    return [rng.normal(size=s).astype(dtype) for s in shapes]


def _check(inputs, out, values, expected, mode=REWRITE):
    """Compile with and without rewrites, compare both with NumPy; return the rewritten fn."""
    f = function(inputs, out, mode=mode)
    g = function(inputs, out, mode=NO_REWRITE)
    got, ref = f(*values), g(*values)
    assert f.maker.fgraph.outputs[0].type == out.type
    assert got.dtype == ref.dtype == out.type.dtype
    assert got.shape == ref.shape == expected.shape
    np.testing.assert_allclose(got, ref, rtol=1e-6)
    np.testing.assert_allclose(got, expected, rtol=1e-6)
    return f


def _lifted(f):
    """Whether every Reshape of the compiled graph reads a graph input (none below an Elemwise)."""
    nodes = f.maker.fgraph.toposort()
    reshapes = [n for n in nodes if isinstance(n.op, Reshape)]
    inputs = set(f.maker.fgraph.inputs)
    return bool(reshapes) and all(n.inputs[0] in inputs for n in reshapes)


def _count(f, op_type):
    return sum(isinstance(n.op, op_type) for n in f.maker.fgraph.toposort())


def _apply_once(out, inputs):
    """Run the node rewriter on the output node of a fresh graph; return its replacement."""
    fg = FunctionGraph(inputs, [out], clone=False)
    return local_reshape_lift.transform(fg, out.owner)


class TestFires:
    def test_unary_chain_lifts_to_the_input(self):
        x = pt.matrix("x")
        out = pt.exp(pt.sin(x)).reshape((-1,))
        (a,) = _vals((3, 4))
        f = _check([x], out, [a], np.exp(np.sin(a)).reshape(-1))
        nodes = f.maker.fgraph.toposort()
        assert isinstance(nodes[0].op, Reshape) and nodes[0].inputs[0] is f.maker.fgraph.inputs[0]
        assert [type(n.op.scalar_op) for n in nodes[1:]] == [ps.Sin, ps.Exp]
        assert _count(f, Reshape) == 1
        g = function([x], out, mode=NO_LIFT)
        assert isinstance(g.maker.fgraph.toposort()[-1].op, Reshape)

    def test_scalar_and_constant_inputs_stay_broadcast(self):
        x = pt.tensor("x", shape=(None, None, None))
        s = pt.scalar("s")
        c = pt.constant(np.full((1, 1, 1), 3.0))
        out = ((x * s) + c).reshape((2, -1))
        a, b = _vals((2, 3, 4), ())
        f = _check([x, s], out, [a, b], (a * b + 3.0).reshape(2, -1))
        assert _lifted(f)
        assert _count(f, Reshape) == 1
        # The scalar and the constant are not reshaped: they reach the Elemwise as 0-d values.
        for n in f.maker.fgraph.toposort():
            if isinstance(n.op, Elemwise):
                assert all(i.type.ndim == 2 for i in n.inputs)

    def test_same_static_shapes(self):
        x = pt.tensor("x", shape=(2, 3))
        y = pt.tensor("y", shape=(2, 3))
        out = (x * y + x).reshape((3, 2))
        a, b = _vals((2, 3), (2, 3))
        f = _check([x, y], out, [a, b], (a * b + a).reshape(3, 2))
        assert _lifted(f)
        assert _count(f, Reshape) == 2  # one per input, shared by both Elemwise nodes

    def test_same_variable_twice(self):
        x = pt.matrix("x")
        out = (x * x).reshape((-1,))
        (a,) = _vals((3, 5))
        f = _check([x], out, [a], (a * a).reshape(-1))
        assert _lifted(f)

    def test_dtype_and_static_shape_kept(self):
        x = pt.tensor("x", dtype="int32", shape=(None, 4))
        out = (x * 2).astype("float32").reshape((2, 2, -1))
        assert out.type.shape == (2, 2, None)
        (a,) = [rng.integers(-5, 5, size=(3, 4)).astype("int32")]
        expected = (a * 2).astype("float32").reshape(2, 2, -1)
        f = _check([x], out, [a], expected)
        assert _lifted(f)

    def test_static_shape_from_reshape_is_kept(self):
        x = pt.tensor("x", shape=(6, 4))
        out = pt.exp(x).reshape((3, -1))
        assert out.type.shape == (3, 8)
        (new,) = _apply_once(out, [x])
        assert new.type == out.type
        assert isinstance(new.owner.op, Elemwise)
        assert isinstance(new.owner.inputs[0].owner.op, Reshape)

    def test_reshape_chains_merge_after_lift(self):
        x = pt.vector("x")
        inner = x.reshape((2, 3))
        out = pt.exp(inner).reshape((3, 2))
        (a,) = _vals(6)
        f = _check([x], out, [a], np.exp(a).reshape(3, 2))
        assert _count(f, Reshape) == 1
        assert _lifted(f)

    def test_symbolic_shape(self):
        x = pt.matrix("x")
        n = pt.lscalar("n")
        out = pt.log1p(pt.exp(x)).reshape((n, -1))
        (a,) = _vals((4, 6))
        f = _check([x, n], out, [a, 3], np.log1p(np.exp(a)).reshape(3, -1))
        assert _lifted(f)

    def test_default_mode(self):
        x = pt.matrix("x")
        y = pt.scalar("y")
        out = (pt.exp(x) * y).reshape((-1,))
        a, b = _vals((3, 4), ())
        f = function([x, y], out)
        np.testing.assert_allclose(f(a, b), (np.exp(a) * b).reshape(-1))


class TestDoesNotFire:
    def test_broadcasting_inputs(self):
        x = pt.matrix("x")
        v = pt.vector("v")
        out = (x + v).reshape((-1,))
        assert not _apply_once(out, [x, v])
        a, b = _vals((3, 4), 4)
        f = _check([x, v], out, [a, b], (a + b).reshape(-1))
        assert not _lifted(f)

    def test_static_broadcast_against_known_shape(self):
        x = pt.tensor("x", shape=(2, 3))
        r = pt.tensor("r", shape=(1, 3))
        out = (x * r).reshape((-1,))
        assert not _apply_once(out, [x, r])

    def test_two_unknown_shapes(self):
        x = pt.matrix("x")
        y = pt.matrix("y")
        out = (x + y).reshape((-1,))
        assert not _apply_once(out, [x, y])
        a, b = _vals((2, 3), (2, 3))
        f = _check([x, y], out, [a, b], (a + b).reshape(-1))
        assert not _lifted(f)

    def test_multiple_clients(self):
        x = pt.matrix("x")
        e = pt.exp(x)
        out = e.reshape((-1,))
        fg = FunctionGraph([x], [out, e], clone=False)
        assert not local_reshape_lift.transform(fg, out.owner)
        (a,) = _vals((2, 3))
        f = function([x], [out, e], mode=REWRITE)
        g = function([x], [out, e], mode=NO_REWRITE)
        for got, ref in zip(f(a), g(a), strict=True):
            np.testing.assert_allclose(got, ref)
        assert _count(f, Elemwise) == 1

    def test_only_broadcast_inputs(self):
        s = pt.scalar("s")
        out = pt.exp(s).reshape((1, 1))
        assert not _apply_once(out, [s])

    def test_reshape_of_a_non_elemwise(self):
        x = pt.matrix("x")
        assert not _apply_once(x.reshape((-1,)), [x])
        assert not _apply_once(x.T.reshape((-1,)), [x])


class TestErrorsKept:
    def test_mismatch_of_unknown_shapes_still_raises(self):
        # (2, 3) + (3, 2) has the same size: lifting the reshape would hide the mismatch.
        x = pt.matrix("x")
        y = pt.matrix("y")
        out = (x + y).reshape((-1,))
        f = function([x, y], out, mode=REWRITE)
        a, b = _vals((2, 3), (3, 2))
        with pytest.raises(ValueError):
            f(a, b)
        with pytest.raises(ValueError):
            function([x, y], out)(a, b)

    def test_bad_reshape_still_raises(self):
        x = pt.matrix("x")
        out = pt.exp(x).reshape((4, -1))
        f = function([x], out, mode=REWRITE)
        assert _lifted(f)
        (a,) = _vals((3, 3))
        with pytest.raises(ValueError):
            f(a)

    def test_bad_reshape_with_scalar_still_raises(self):
        x = pt.matrix("x")
        s = pt.scalar("s")
        out = (x * s).reshape((5, 2))
        f = function([x, s], out, mode=REWRITE)
        assert _lifted(f)
        a, b = _vals((3, 3), ())
        with pytest.raises(ValueError):
            f(a, b)
