"""C kernels of Dot and Matmul (SciPy's BLAS for float32/float64, NumPy's C dot/matmul for
other dtypes) against the Python backend, on transposed, reversed and strided operands."""

from __future__ import annotations

import numpy as np
import pytest
from _c_ops_check import assert_error, assert_same, compile_pair, strided

import pytensor.tensor as pt
from pytensor.tensor._dot import Dot, Matmul

pytestmark = pytest.mark.c

SHAPES = [
    ((3, 4), (4, 5)),
    ((3, 4), (4,)),
    ((4,), (4, 5)),
    ((4,), (4,)),
    ((0, 4), (4, 2)),
    ((3, 0), (0, 2)),
    ((1, 4), (4, 1)),
    ((0,), (0,)),
]


def _value(rng, shape, dtype):
    if np.dtype(dtype).kind in "iu":
        return rng.integers(-3, 4, shape).astype(dtype)
    return (rng.random(shape) * 4 - 2).astype(dtype)


@pytest.mark.parametrize(
    "dtypes",
    [
        ("float64", "float64"),
        ("float32", "float32"),
        ("float32", "float64"),
        ("int64", "int32"),
        ("complex128", "complex128"),
    ],
)
def test_dot(dtypes):
    rng = np.random.default_rng(0)
    ins, outs, values = [], [], []
    for sx, sy in SHAPES:
        x = pt.tensor(dtype=dtypes[0], shape=(None,) * len(sx))
        y = pt.tensor(dtype=dtypes[1], shape=(None,) * len(sy))
        ins += [x, y]
        outs.append(Dot()(x, y))
        values.append((_value(rng, sx, dtypes[0]), _value(rng, sy, dtypes[1])))
    fc, fp = compile_pair(ins, outs, (Dot,))
    for k in range(4):
        args = []
        for xv, yv in values:
            args += [
                strided(xv)[min(k, len(strided(xv)) - 1)],
                strided(yv)[min(3 - k, len(strided(yv)) - 1)],
            ]
        assert_same(fc, fp, *args)


def test_dot_shape_error():
    x, y = pt.dmatrix("x"), pt.dmatrix("y")
    fc, fp = compile_pair([x, y], Dot()(x, y), (Dot,))
    exc = assert_error(fc, fp, np.ones((3, 4)), np.ones((5, 2)))
    assert str(exc).startswith(
        "Dot: the contracted dimensions of x (shape (3, 4)) and y (shape (5, 2)) differ: 4 != 5"
    )


@pytest.mark.parametrize("dtype", ["float64", "float32", "int64"])
def test_matmul(dtype):
    rng = np.random.default_rng(1)
    cases = [
        ((2, 3, 4), (2, 4, 5), None),
        ((3, 4), (2, 4, 5), None),
        ((1, 3, 4), (2, 4, 5), (1, None, None)),
        ((2, 1, 3, 4), (5, 4, 2), (None, 1, None, None)),
        ((2, 0, 4), (2, 4, 3), None),
    ]
    ins, outs, args = [], [], []
    for sx, sy, static in cases:
        x = pt.tensor(dtype=dtype, shape=static or (None,) * len(sx))
        y = pt.tensor(dtype=dtype, shape=(None,) * len(sy))
        ins += [x, y]
        outs.append(Matmul()(x, y))
        args += [_value(rng, sx, dtype), _value(rng, sy, dtype)]
    fc, fp = compile_pair(ins, outs, (Matmul,))
    assert_same(fc, fp, *args)
    assert_same(fc, fp, *[np.swapaxes(np.swapaxes(a, -1, -2).copy(), -1, -2) for a in args])
    x, y = ins[0], ins[1]
    fc, fp = compile_pair([x, y], Matmul()(x, y), (Matmul,))
    for bad in [
        (args[0], _value(rng, (3, 4, 5), dtype)),
        (args[0], _value(rng, (1, 4, 5), dtype)),
        (args[0], _value(rng, (2, 3, 5), dtype)),
    ]:
        assert isinstance(assert_error(fc, fp, *bad), ValueError)
