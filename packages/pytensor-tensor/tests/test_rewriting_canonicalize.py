"""Canonicalize rewrites: flattened sums and products, inverse pairs, lifted views, sunk fills."""

from __future__ import annotations

import numpy as np
import pytest

import pytensor.scalar as ps
import pytensor.tensor as pt
from pytensor.compile.function import function
from pytensor.compile.mode import Mode
from pytensor.tensor.elemwise import DimShuffle, Elemwise
from pytensor.tensor.subtensor import Subtensor

NO_REWRITE = Mode(linker="py", optimizer=None)
# Fusion would hide the node structure these tests inspect.
REWRITE = Mode(linker="py", optimizer="fast_run").excluding("fusion", "inplace")
CANON_ONLY = Mode(linker="py", optimizer="fast_compile")

rng = np.random.default_rng(42)


def _compile(inputs, out, mode=REWRITE):
    return function(inputs, out, mode=mode)


def _nodes(f, scalar_op=None):
    nodes = f.maker.fgraph.toposort()
    if scalar_op is None:
        return nodes
    return [
        n for n in nodes if isinstance(n.op, Elemwise) and isinstance(n.op.scalar_op, scalar_op)
    ]


def _check(inputs, out, values, expected=None, rtol=1e-7):
    """Compile with and without rewrites; compare both (and NumPy) and return the rewritten fn."""
    f = _compile(inputs, out)
    g = _compile(inputs, out, NO_REWRITE)
    got, ref = f(*values), g(*values)
    assert f.maker.fgraph.outputs[0].type.dtype == out.type.dtype
    assert got.dtype == ref.dtype == out.type.dtype
    assert got.shape == ref.shape
    np.testing.assert_allclose(got, ref, rtol=rtol, equal_nan=True)
    if expected is not None:
        np.testing.assert_allclose(got, expected, rtol=rtol, equal_nan=True)
    return f


def _vals(*shapes, dtype="float64"):
    return [rng.normal(size=s).astype(dtype) + 2 for s in shapes]


class TestAddCanonizer:
    def test_flatten_and_combine_constants(self):
        x, y, z = pt.vectors("x", "y", "z")
        out = ((x + 1) + (y + 2)) + (z + 3)
        a, b, c = _vals(4, 4, 4)
        f = _check([x, y, z], out, [a, b, c], a + b + c + 6)
        adds = _nodes(f, ps.Add)
        assert len(adds) == 1 and len(adds[0].inputs) == 4

    def test_cancel_gives_zeros_of_the_shape(self):
        x = pt.matrix("x")
        out = x - x
        a = _vals((2, 3))[0]
        f = _check([x], out, [a], np.zeros((2, 3)))
        assert not _nodes(f, ps.Sub)

    def test_cancel_keeps_shape_check(self):
        x, y = pt.vectors("x", "y")
        out = (x + y) - y
        f = _compile([x, y], out)
        assert not _nodes(f, ps.Add) and not _nodes(f, ps.Sub)
        a, b = _vals(3, 3)
        np.testing.assert_allclose(f(a, b), a)
        with pytest.raises(ValueError):
            f(np.ones(3), np.ones(4))

    def test_like_terms(self):
        x = pt.vector("x")
        out = x + x + 2 * x - 3 * x + x
        a = _vals(5)[0]
        f = _check([x], out, [a], 2 * a)
        assert len(_nodes(f, ps.Add)) == 0 and len(_nodes(f, ps.Mul)) == 1

    def test_neg_and_sub_normalised(self):
        x, y, z = pt.vectors("x", "y", "z")
        out = pt.neg(pt.neg(x - pt.neg(y))) - z
        a, b, c = _vals(3, 3, 3)
        f = _check([x, y, z], out, [a, b, c], a + b - c)
        assert not _nodes(f, ps.Neg)
        assert len(_nodes(f, ps.Sub)) == 1

    def test_broadcasting_constant_keeps_static_shape(self):
        x = pt.vector("x")
        out = (x + np.zeros(3)) - x
        f = _check([x], out, [np.ones(3)], np.zeros(3))
        assert f.maker.fgraph.outputs[0].type.shape == (3,)
        with pytest.raises(ValueError):
            f(np.ones(4))

    def test_broadcast_inputs_keep_output_shape(self):
        x = pt.matrix("x", shape=(1, None))
        y = pt.matrix("y", shape=(None, 1))
        out = (x + y) - x
        a, b = _vals((1, 4), (3, 1))
        f = _check([x, y], out, [a, b], np.broadcast_to(b, (3, 4)))
        assert f(a, b).shape == (3, 4)

    @pytest.mark.parametrize("dtype", ["int8", "uint8", "int64", "float32"])
    def test_integer_and_small_dtypes(self, dtype):
        x = pt.vector("x", dtype=dtype)
        y = pt.vector("y", dtype=dtype)
        out = (x + y + 7) - y - 3
        a = np.array([0, 100, 120, 5], dtype=dtype)
        b = np.array([1, 100, 127, 0], dtype=dtype)
        with np.errstate(all="ignore"):
            expected = (a + b + np.asarray(7, dtype)) - b - np.asarray(3, dtype)
        _check([x, y], out, [a, b], expected)

    def test_mixed_dtypes_are_not_wrapped_early(self):
        i = pt.vector("i", dtype="int8")
        x = pt.vector("x")
        out = x + i + i - x
        a = np.array([1.5, 2.0])
        b = np.array([100, -100], dtype="int8")
        f = _check([x, i], out, [a, b])
        assert f(a, b).dtype == "float64"


class TestMulCanonizer:
    def test_cancel_keeps_shape_check(self):
        x, y = pt.vectors("x", "y")
        out = (x * y) / y
        a, b = _vals(3, 3)
        f = _check([x, y], out, [a, b], a)
        assert not _nodes(f, ps.TrueDiv) and not _nodes(f, ps.Mul)
        with pytest.raises(ValueError):
            f(np.ones(3), np.ones(2))

    def test_flatten_and_constants(self):
        x, y, z = pt.vectors("x", "y", "z")
        out = (2 * x) * (y * 3) / (z / 4)
        a, b, c = _vals(4, 4, 4)
        f = _check([x, y, z], out, [a, b, c], 24 * a * b / c)
        assert len(_nodes(f, ps.TrueDiv)) == 1
        assert len(_nodes(f, ps.Mul)) == 1 and len(_nodes(f, ps.Mul)[0].inputs) == 3

    def test_reciprocal(self):
        x, y = pt.vectors("x", "y")
        out = pt.reciprocal(pt.reciprocal(x)) * y / x
        a, b = _vals(3, 3)
        f = _check([x, y], out, [a, b], b)
        assert not _nodes(f, ps.Reciprocal) and not _nodes(f, ps.TrueDiv)

    def test_zero_constant_is_kept(self):
        x = pt.vector("x")
        out = x * 0.0
        f = _check([x], out, [np.array([1.0, np.inf])], np.array([0.0, np.nan]))
        assert _nodes(f, ps.Mul)

    @pytest.mark.parametrize("dtype", ["int8", "uint16", "int64"])
    def test_integer_products(self, dtype):
        x, y = pt.vector("x", dtype=dtype), pt.vector("y", dtype=dtype)
        out = (x * 3) * (y * 5)
        a = np.array([1, 7, 50], dtype=dtype)
        b = np.array([2, 9, 3], dtype=dtype)
        with np.errstate(all="ignore"):
            expected = (a * np.asarray(3, dtype)) * (b * np.asarray(5, dtype))
        f = _check([x, y], out, [a, b], expected)
        assert len(_nodes(f, ps.Mul)) == 1


class TestExpLog:
    def test_log_exp(self):
        x = pt.vector("x")
        f = _check([x], pt.log(pt.exp(x)), [np.array([-3.0, 0.5, 2.0])], np.array([-3.0, 0.5, 2.0]))
        assert not _nodes(f, ps.Exp) and not _nodes(f, ps.Log)

    def test_exp_log_keeps_nan_for_negative(self):
        x = pt.vector("x")
        vals = np.array([-1.0, 0.0, 2.5])
        f = _check([x], pt.exp(pt.log(x)), [vals], np.array([np.nan, 0.0, 2.5]))
        assert not _nodes(f, ps.Exp) and not _nodes(f, ps.Log)

    def test_exp_log1p(self):
        x = pt.vector("x")
        vals = np.array([-2.0, -1.0, 0.5])
        _check([x], pt.exp(pt.log1p(x)), [vals], np.array([np.nan, 0.0, 1.5]))
        _check([x], pt.expm1(pt.log1p(x)), [vals], np.array([np.nan, -1.0, 0.5]))
        _check([x], pt.log1p(pt.expm1(x)), [vals], vals)

    def test_integer_input_keeps_float_dtype(self):
        i = pt.vector("i", dtype="int32")
        _check([i], pt.log(pt.exp(i)), [np.array([1, 2, 3], dtype="int32")], [1.0, 2.0, 3.0])


class TestDimShuffleLift:
    def test_double_transpose_removed(self):
        x = pt.matrix("x")
        f = _check([x], x.T.T + 1, _vals((2, 3)))
        assert not [n for n in _nodes(f) if isinstance(n.op, DimShuffle) and n.inputs[0] is x]

    def test_lift_through_elemwise(self):
        x, y = pt.matrices("x", "y")
        out = pt.exp(x + y).T
        a, b = _vals((2, 3), (2, 3))
        f = _check([x, y], out, [a, b], np.exp(a + b).T)
        last = f.maker.fgraph.outputs[0].owner
        assert isinstance(last.op, Elemwise)
        with pytest.raises(ValueError):
            f(np.ones((2, 3)), np.ones((3, 2)))

    def test_merge_consecutive(self):
        x = pt.tensor3("x")
        out = x.dimshuffle(2, 0, 1).dimshuffle(0, "x", 2, 1) * 2
        f = _check([x], out, _vals((2, 3, 4)))
        shuffles = [n for n in _nodes(f) if isinstance(n.op, DimShuffle) and n.inputs[0] is x]
        assert len(shuffles) == 1


class TestSubtensorLift:
    def test_single_full_input(self):
        x, s = pt.matrix("x"), pt.scalar("s")
        out = pt.exp(x * s)[1:, 0]
        a, b = _vals((4, 3), ())
        f = _check([x, s], out, [a, b], np.exp(a * b)[1:, 0])
        sub = [n for n in _nodes(f) if isinstance(n.op, Subtensor)]
        assert sub and sub[0].inputs[0] is x

    def test_unknown_shapes_not_lifted(self):
        x, y = pt.matrices("x", "y")
        f = _check([x, y], (x + y)[0], _vals((2, 3), (2, 3)))
        with pytest.raises(ValueError):
            f(np.ones((2, 3)), np.ones((2, 4)))

    def test_known_equal_shapes_lifted(self):
        x = pt.matrix("x", shape=(3, 4))
        y = pt.matrix("y", shape=(3, 4))
        f = _check([x, y], (x + y)[0], _vals((3, 4), (3, 4)))
        assert f.maker.fgraph.outputs[0].type.shape == (4,)
        assert isinstance(f.maker.fgraph.outputs[0].owner.op, Elemwise)


class TestFill:
    def test_useless_fill_removed(self):
        v = pt.matrix("v", shape=(3, 4))
        w = pt.matrix("w", shape=(3, 4))
        f = _check([v, w], pt.second(v, w) + 1, _vals((3, 4), (3, 4)))
        assert not _nodes(f, ps.Second)

    def test_fill_kept_when_it_checks_shapes(self):
        x, y = pt.vectors("x", "y")
        f = _check([x, y], pt.second(x, y) * 2, _vals(3, 3))
        assert _nodes(f, ps.Second)
        with pytest.raises(ValueError):
            f(np.ones(3), np.ones(2))

    def test_fill_sinks_to_output(self):
        x, y = pt.vectors("x", "y")
        out = pt.exp(pt.second(x, y))
        f = _check([x, y], out, _vals(3, 3))
        assert isinstance(f.maker.fgraph.outputs[0].owner.op.scalar_op, ps.Second)
