"""pad against numpy.pad: every mode and its options, dtypes, widths larger than the
input, symbolic widths, static shapes, gradients and errors."""

from __future__ import annotations

import numpy as np
import pytest

import pytensor.tensor as pt
from pytensor.compile.function import function
from pytensor.compile.mode import Mode
from pytensor.gradient import verify_grad

PY = Mode(linker="py", optimizer=None)
RNG = np.random.default_rng(5)

MODES = [
    ("constant", {}),
    ("constant", {"constant_values": ((7, 8), (-1, 2))}),
    ("constant", {"constant_values": 1.75}),
    ("edge", {}),
    ("wrap", {}),
    ("reflect", {}),
    ("reflect", {"reflect_type": "odd"}),
    ("symmetric", {}),
    ("symmetric", {"reflect_type": "odd"}),
    ("linear_ramp", {}),
    ("linear_ramp", {"end_values": (-3, 10)}),
    ("maximum", {}),
    ("minimum", {"stat_length": 2}),
    ("mean", {}),
    ("mean", {"stat_length": ((1, 3), (2, 2))}),
    ("median", {}),
    ("median", {"stat_length": 3}),
]
WIDTHS = [1, (2, 3), ((1, 0), (0, 4)), ((5, 9), (7, 2)), 0]
ARRAYS = {
    "float": RNG.normal(size=(3, 4)),
    "int": np.arange(12, dtype="int32").reshape(3, 4) * 3 - 7,
    "single": np.array([[2.5]]),
}


@pytest.mark.parametrize("static", [False, True], ids=["unknown", "static"])
@pytest.mark.parametrize("width", WIDTHS, ids=str)
@pytest.mark.parametrize(("mode", "kw"), MODES, ids=[f"{m}-{k}" for m, k in MODES])
@pytest.mark.parametrize("array", list(ARRAYS))
def test_matches_numpy(array, mode, kw, width, static):
    value = ARRAYS[array]
    want = np.pad(value, width, mode=mode, **kw)
    x = pt.tensor("x", dtype=value.dtype.name, shape=value.shape if static else (None, None))
    out = pt.pad(x, width, mode=mode, **kw)
    result = function([x], out, mode=PY)(value)
    assert result.dtype == want.dtype
    np.testing.assert_allclose(result, want, rtol=1e-12)
    if static:
        assert out.type.shape == want.shape


@pytest.mark.parametrize("mode", ["constant", "edge", "wrap", "reflect", "symmetric", "mean"])
def test_symbolic_widths(mode):
    x, w = pt.dmatrix("x"), pt.lmatrix("w")
    fn = function([x, w], pt.pad(x, w, mode=mode), mode=PY)
    value = RNG.normal(size=(3, 4))
    for width in ([[1, 2], [3, 0]], [[0, 0], [5, 6]]):
        np.testing.assert_allclose(fn(value, np.array(width)), np.pad(value, width, mode=mode))
    n = pt.lscalar("n")
    fn = function([x, n], pt.pad(x, ((n, 0), (1, n)), mode=mode), mode=PY)
    np.testing.assert_allclose(fn(value, 2), np.pad(value, ((2, 0), (1, 2)), mode=mode))


def test_other_dtypes_and_ranks():
    for value in (np.array([True, False]), np.arange(3, dtype="uint8"), RNG.normal(size=(2, 1, 3))):
        for mode in ("constant", "edge", "symmetric"):
            x = pt.tensor("x", dtype=value.dtype.name, shape=(None,) * value.ndim)
            result = function([x], pt.pad(x, 2, mode=mode), mode=PY)(value)
            np.testing.assert_array_equal(result, np.pad(value, 2, mode=mode))
            assert result.dtype == value.dtype
    x = pt.dscalar("x")
    assert function([x], pt.pad(x, 3), mode=PY)(2.0) == np.pad(np.array(2.0), 3)


@pytest.mark.parametrize(
    ("mode", "kw"),
    [
        ("constant", {"constant_values": 0.5}),
        ("edge", {}),
        ("wrap", {}),
        ("reflect", {"reflect_type": "odd"}),
        ("symmetric", {}),
        ("linear_ramp", {"end_values": 1.0}),
        ("mean", {"stat_length": 2}),
        ("maximum", {}),
        ("median", {}),
    ],
)
def test_gradients(mode, kw):
    verify_grad(lambda x: pt.pad(x, ((2, 1), (0, 3)), mode=mode, **kw), [RNG.normal(size=(3, 4))])


def test_bad_input():
    x = pt.dmatrix("x")
    with pytest.raises(ValueError, match="unknown mode 'circular'"):
        pt.pad(x, 1, mode="circular")
    with pytest.raises(ValueError, match=r"does not take the arguments \['constant_values'\]"):
        pt.pad(x, 1, mode="edge", constant_values=1)
    with pytest.raises(ValueError, match="cannot be negative"):
        pt.pad(x, -1)
    with pytest.raises(TypeError, match="must be integers"):
        pt.pad(x, 1.5)
    with pytest.raises(TypeError, match="must be integers"):
        pt.pad(x, pt.dmatrix("w"))
    with pytest.raises(ValueError, match="cannot be broadcast"):
        pt.pad(x, ((1, 2), (3, 4), (5, 6)))
    with pytest.raises(ValueError, match="reflect_type"):
        pt.pad(x, 1, mode="reflect", reflect_type="wide")


def test_public_path():
    import pytensor.tensor.math as ptm

    assert pt.pad is ptm.pad
