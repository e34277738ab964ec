"""C kernels of AdvancedSubtensor1, AdvancedIncSubtensor1, AdvancedSubtensor and
AdvancedIncSubtensor against the Python backend (np.take / np.add.at semantics)."""

from __future__ import annotations

import numpy as np
import pytest
from _c_ops_check import assert_error, assert_same, compile_pair, strided

import pytensor.tensor as pt
from pytensor.tensor._advanced_inc_subtensor import AdvancedIncSubtensor, AdvancedIncSubtensor1
from pytensor.tensor._advanced_subtensor import AdvancedSubtensor, AdvancedSubtensor1

pytestmark = pytest.mark.c

INDICES = [[0, 4, -1, 2, 2], [], [3], [-5]]


def test_advanced_subtensor1():
    x = pt.dmatrix("x")
    i = pt.lvector("i")
    j = pt.ivector("j")
    v = pt.vector("v", dtype="int16")
    fc, fp = compile_pair([x, i, j, v], [x[i], x[j], v[j]], (AdvancedSubtensor1,))
    a = np.random.default_rng(0).random((5, 3))
    for av in strided(a):
        for idx in INDICES:
            assert_same(
                fc,
                fp,
                av,
                np.array(idx, "int64"),
                np.array(idx[::-1], "int32"),
                np.arange(7, dtype="int16"),
            )
    for bad in ([5], [-6], [0, 9, -9]):
        exc = assert_error(
            fc, fp, a, np.array(bad, "int64"), np.zeros(1, "int32"), np.arange(7, dtype="int16")
        )
        assert isinstance(exc, IndexError)
    with pytest.raises(IndexError, match="index -9 is out of bounds for axis 0 with size 5"):
        fc(a, np.array([-9, 1]), np.zeros(1, "int32"), np.arange(7, dtype="int16"))


@pytest.mark.parametrize("set_instead_of_inc", [False, True])
def test_advanced_inc_subtensor1(set_instead_of_inc):
    x = pt.dmatrix("x")
    i = pt.lvector("i")
    ys = [pt.dmatrix("y2"), pt.dvector("y1"), pt.dscalar("y0"), pt.tensor("yb", shape=(None, 1))]
    op = AdvancedIncSubtensor1(set_instead_of_inc=set_instead_of_inc)
    fc, fp = compile_pair([x, i, *ys], [op(x, y, i) for y in ys], (AdvancedIncSubtensor1,))
    rng = np.random.default_rng(0)
    a = rng.random((5, 3))
    for av in strided(a):
        for idx in INDICES:
            n = len(idx)
            assert_same(
                fc,
                fp,
                av,
                np.array(idx, "int64"),
                rng.random((n, 3))[::-1],
                rng.random(3),
                1.5,
                rng.random((n, 1)),
            )
    exc = assert_error(
        fc, fp, a, np.array([7]), rng.random((1, 3)), rng.random(3), 1.0, rng.random((1, 1))
    )
    assert isinstance(exc, IndexError)
    exc = assert_error(
        fc, fp, a, np.array([1, 2]), rng.random((3, 3)), rng.random(3), 1.0, rng.random((2, 1))
    )
    assert isinstance(exc, ValueError)


@pytest.mark.parametrize("dtype", ["int8", "bool", "float32", "float16"])
def test_advanced_inc_subtensor1_dtypes(dtype):
    x = pt.vector("x", dtype=dtype)
    y = pt.vector("y", dtype=dtype)
    i = pt.lvector("i")
    outs = [
        AdvancedIncSubtensor1()(x, y, i),
        AdvancedIncSubtensor1(set_instead_of_inc=True)(x, y, i),
    ]
    fc, fp = compile_pair([x, y, i], outs, (AdvancedIncSubtensor1,) if dtype != "float16" else ())
    assert_same(fc, fp, (np.arange(4) % 2).astype(dtype), np.ones(3, dtype), np.array([1, 1, 3]))


def _cases():
    x = pt.tensor3("x")
    i, j = pt.lvector("i"), pt.lvector("j")
    m2 = pt.tensor("m2", dtype="bool", shape=(None, None))
    m3 = pt.tensor("m3", dtype="bool", shape=(None, None))
    k = pt.lscalar("k")
    i2 = pt.lmatrix("i2")
    i3, j3 = pt.lvector("i3"), pt.lvector("j3")
    ib = pt.tensor("ib", dtype="int64", shape=(1,))
    return x, [
        (x[:, i], [i], [np.array([0, 3, -1])]),
        (x[i, :, j], [i, j], [np.array([0, 3, -1]), np.array([1, 2, 5])]),
        (x[i, 1:, j], [i, j], [np.array([0, 3, -1]), np.array([1, 2, 5])]),
        (x[k:, i, j], [k, i, j], [1, np.array([0, 3, -1]), np.array([1, 2, 5])]),
        (x[m2], [m2], [np.random.default_rng(0).random((4, 5)) > 0.5]),
        (x[:, m3], [m3], [np.random.default_rng(1).random((5, 6)) > 0.5]),
        (x[None, i], [i], [np.array([0, 3])]),
        (x[i3, None, j3], [i3, j3], [np.array([0, 3]), np.array([1, 2])]),
        (x[i2, :, ib], [i2, ib], [np.array([[0, 1], [2, 3]]), np.array([4])]),
    ]


def _all_inputs(cases):
    seen = {}
    for _, ins, vals in cases:
        for var, val in zip(ins, vals, strict=True):
            seen.setdefault(var, val)
    return list(seen), list(seen.values())


def test_advanced_subtensor():
    x, cases = _cases()
    a = np.random.default_rng(2).random((4, 5, 6))
    for out, _, _ in cases:
        assert isinstance(out.owner.op, AdvancedSubtensor)
    ins, vals = _all_inputs(cases)
    fc, fp = compile_pair([x, *ins], [c[0] for c in cases], (AdvancedSubtensor,))
    for av in strided(a):
        assert_same(fc, fp, av, *vals)
    # Errors: out of bounds, wrong mask shape, index arrays that do not broadcast.
    out, ins, vals = cases[1]
    fc, fp = compile_pair([x, *ins], out, (AdvancedSubtensor,))
    assert isinstance(assert_error(fc, fp, a, np.array([0, 4]), np.array([0, 1])), IndexError)
    exc = assert_error(fc, fp, a, np.array([0, 1]), np.array([0, 1, 2]))
    assert isinstance(exc, IndexError) and "cannot be broadcast together" in str(exc)
    exc = assert_error(fc, fp, a, np.array([0]), np.array([0, 1, 2]))
    assert "runtime broadcasting is not allowed" in str(exc)
    out, ins, vals = cases[4]
    fc, fp = compile_pair([x, *ins], out, (AdvancedSubtensor,))
    exc = assert_error(fc, fp, a, np.ones((4, 6), bool))
    assert isinstance(exc, IndexError)
    assert "the boolean index m2 of shape (4, 6) does not match the dimensions 0..1" in str(exc)


@pytest.mark.parametrize("mode", ["inc", "set", "inc_ignore_duplicates"])
def test_advanced_inc_subtensor(mode):
    x, cases = _cases()
    rng = np.random.default_rng(3)
    a = rng.random((4, 5, 6))
    ins, vals = _all_inputs(cases)
    _, getters = compile_pair([x, *ins], [c[0] for c in cases])
    regions = [r.shape for r in getters(a, *vals)]
    ys = [pt.tensor(f"y{n}", shape=(None,) * c[0].type.ndim) for n, c in enumerate(cases)]
    yb = pt.dscalar("yb")
    outs = []
    for (out, _, _), y in zip(cases, ys, strict=True):
        op = AdvancedIncSubtensor(
            out.owner.op.idx_list,
            set_instead_of_inc=mode == "set",
            ignore_duplicates=mode == "inc_ignore_duplicates",
        )
        outs += [op(x, y, *out.owner.inputs[1:]), op(x, yb, *out.owner.inputs[1:])]
    fc, fp = compile_pair([x, yb, *ys, *ins], outs, (AdvancedIncSubtensor,))
    for av in strided(a)[::2]:
        assert_same(fc, fp, av, 2.0, *[rng.random(r) for r in regions], *vals)
    bad = [rng.random(r) for r in regions]
    bad[1] = rng.random((7, 7))
    exc = assert_error(fc, fp, a, 2.0, *bad, *vals)
    assert isinstance(exc, ValueError) and "cannot " in str(exc)
