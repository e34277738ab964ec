"""pytensor.tensor.special: special functions composed from elementwise Ops, against SciPy."""

from __future__ import annotations

import numpy as np
import pytest
import scipy.special as sp

import pytensor.scalar as ps
import pytensor.tensor as pt
from pytensor.compile.function import function
from pytensor.compile.mode import Mode
from pytensor.graph.traversal import apply_ancestors
from pytensor.tensor import special
from pytensor.tensor.elemwise import DimShuffle, Elemwise

PY = Mode(linker="py", optimizer=None)

CASES = [
    ("logit", special.logit, sp.logit, [np.array([1e-12, 0.1, 0.5, 0.9, 1 - 1e-9, 0.0, 1.0])]),
    (
        "betaln",
        special.betaln,
        sp.betaln,
        [np.array([0.5, 1.0, 2.5, 10.0]), np.array([0.25, 1.0, 3.0, 7.5])],
    ),
    (
        "beta",
        special.beta,
        sp.beta,
        [np.array([0.5, 1.0, 2.5, 10.0]), np.array([0.25, 1.0, 3.0, 7.5])],
    ),
    (
        "poch",
        special.poch,
        sp.poch,
        [np.array([0.5, 1.0, 2.5, 4.0]), np.array([0.0, 1.0, 2.0, 3.5])],
    ),
    (
        "factorial",
        special.factorial,
        lambda n: sp.factorial(n, exact=False),
        [np.array([0.0, 1.0, 4.0, 10.0])],
    ),
]


@pytest.mark.parametrize(("name", "fn", "ref", "args"), CASES, ids=[c[0] for c in CASES])
@pytest.mark.parametrize("dtype", ["float64", "float32"])
def test_matches_scipy(
    name: str, fn: object, ref: object, args: list[np.ndarray], dtype: str
) -> None:
    data = [a.astype(dtype) for a in args]
    inputs = [pt.vector(f"x{k}", dtype=dtype) for k in range(len(data))]
    out = fn(*inputs)  # type: ignore[operator]
    assert out.dtype == dtype
    result = function(inputs, out, mode=PY)(*data)
    with np.errstate(all="ignore"):
        expected = ref(*[d.astype("float64") for d in data])  # type: ignore[operator]
    rtol = 1e-5 if dtype == "float32" else 1e-13
    np.testing.assert_allclose(result, expected, rtol=rtol, atol=0)
    ops = {type(n.op) for n in apply_ancestors([out])}
    assert ops <= {Elemwise, DimShuffle}, f"composed of elementwise Ops, got {ops}"


@pytest.mark.parametrize(
    ("dtype", "want"),
    [
        ("int8", "float32"),
        ("int16", "float32"),
        ("int32", "float64"),
        ("int64", "float64"),
        ("uint8", "float32"),
    ],
)
def test_integer_inputs_become_floats(dtype: str, want: str) -> None:
    n = pt.vector("n", dtype=dtype)
    data = np.array([1, 2, 5], dtype=dtype)
    for fn, ref in (
        (special.factorial, lambda v: sp.factorial(v, exact=False)),
        (lambda v: special.betaln(v, v), lambda v: sp.betaln(v, v)),
        (lambda v: special.poch(v, 2), lambda v: sp.poch(v, 2)),
    ):
        out = fn(n)
        assert out.dtype == want
        np.testing.assert_allclose(
            function([n], out, mode=PY)(data), ref(data.astype("float64")), rtol=1e-6
        )
    b = pt.vector("b", dtype="bool")
    assert special.logit(b).dtype == ps.upgrade_to_float(ps.bool)[0].dtype


def test_logit_is_accurate_near_one() -> None:
    x = pt.dvector("x")
    data = np.array([1 - 2.0**-40, 2.0**-60])
    result = function([x], special.logit(x), mode=PY)(data)
    np.testing.assert_allclose(result, [40 * np.log(2.0), -60 * np.log(2.0)], rtol=1e-12)


def test_complex_inputs_are_refused() -> None:
    with pytest.raises(TypeError, match="complex"):
        special.betaln(pt.zvector(), pt.dvector())
    with pytest.raises(TypeError, match="complex"):
        special.logit(pt.zvector())


def test_public_names() -> None:
    assert set(special.__all__) == {
        "beta",
        "betaln",
        "factorial",
        "logit",
        "poch",
        "softmax",
        "log_softmax",
        "Softmax",
        "LogSoftmax",
    }
    assert pt.betaln is special.betaln
