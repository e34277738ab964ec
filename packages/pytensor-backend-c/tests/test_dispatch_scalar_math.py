"""C kernels of the special-function scalar Ops against their ``perform`` (SciPy/NumPy):
relative error below 1e-12 in float64 (1e-6 in float32) over wide argument ranges,
and SciPy's values at the edges (NaN, infinities, poles, outside the domain)."""

from __future__ import annotations

from typing import Any

import numpy as np
import pytest
from _c_scalar_harness import KernelSet, make_node, reference

import pytensor.scalar.math as psm

EDGES = np.array([np.nan, np.inf, -np.inf, 0.0, -0.0, 1.0, -1.0, 2.0, -2.0, 0.5, -0.5])


def _spread(lo: float, hi: float, n: int = 400, seed: int = 0) -> np.ndarray:
    """Log-spaced magnitudes between lo and hi (both > 0), shuffled."""
    rng = np.random.default_rng(seed)
    return np.exp(rng.uniform(np.log(lo), np.log(hi), n))


def _real(lo: float, hi: float, n: int = 400, seed: int = 0) -> np.ndarray:
    return np.random.default_rng(seed).uniform(lo, hi, n)


# name -> (op, list of input arrays (float64), float64 rtol)
def _unary_cases() -> dict[str, tuple[Any, list[np.ndarray], float]]:
    wide = np.concatenate([_spread(1e-8, 700), -_spread(1e-8, 700, seed=1), EDGES])
    pos = np.concatenate([_spread(1e-6, 1e6), EDGES])
    unit = np.concatenate(
        [_real(-1, 1), 1 - _spread(1e-15, 0.5), -(1 - _spread(1e-15, 0.5)), EDGES]
    )
    prob2 = np.concatenate([_real(0, 2), _spread(1e-300, 0.5), 2 - _spread(1e-16, 0.5), EDGES])
    psi_x = np.concatenate([pos, -_real(0, 30), 1.4616321449683622 + _real(-0.2, 0.2)])
    return {
        "erf": (psm.erf, [wide], 1e-15),
        "erfc": (psm.erfc, [np.concatenate([_real(-6, 27), EDGES])], 1e-13),
        "erfcx": (psm.erfcx, [np.concatenate([_real(-26, 40), _spread(1, 1e300), EDGES])], 1e-13),
        "erfinv": (psm.erfinv, [unit], 1e-13),
        "erfcinv": (psm.erfcinv, [prob2], 1e-13),
        "gamma": (psm.gamma, [np.concatenate([_real(-20, 171), EDGES])], 1e-13),
        "gammaln": (psm.gammaln, [np.concatenate([_spread(3, 1e300), EDGES])], 1e-13),
        "psi": (psm.psi, [psi_x], 1e-12),
        "tri_gamma": (psm.tri_gamma, [np.concatenate([pos, -_real(0, 30) + 1e-3])], 1e-12),
        "i0": (psm.i0, [np.concatenate([_real(-700, 700), _real(-40, 40), EDGES])], 1e-13),
        "i1": (psm.i1, [np.concatenate([_real(-700, 700), _real(-40, 40), EDGES])], 1e-13),
        "j0": (psm.j0, [np.concatenate([_real(-2, 2), EDGES])], 1e-13),
        "j1": (psm.j1, [np.concatenate([_real(-2, 2), EDGES])], 1e-13),
        "sigmoid": (psm.sigmoid, [wide], 1e-15),
        "softplus": (psm.softplus, [wide], 1e-15),
        "log1mexp": (psm.log1mexp, [np.concatenate([-_spread(1e-10, 700), EDGES])], 1e-15),
        "xlogx": (psm.xlogx, [pos], 1e-15),
    }


def _binary_cases() -> dict[str, tuple[Any, list[np.ndarray], float]]:
    rng = np.random.default_rng(5)
    n = np.concatenate([np.arange(0, 8), rng.integers(0, 20, 200)]).astype("float64")
    x = np.concatenate([_spread(1e-3, 1e3, 8), _spread(0.05, 50, 200, seed=2)])
    a = np.concatenate([_spread(1e-3, 1e3, 600, seed=3), np.repeat(EDGES, 11)])
    ax = np.concatenate([a[:600] * _spread(0.01, 100, 600, seed=4), np.tile(EDGES, 11)])
    prob = np.concatenate([_real(0, 1, 600, seed=6), np.tile(EDGES, 11)])
    v = np.concatenate([_real(-30, 30, 600, seed=7), np.repeat(EDGES, 11)])
    vx = np.concatenate([_spread(1e-3, 1e3, 600, seed=8), np.tile(EDGES, 11)])
    return {
        "gammainc": (psm.gammainc, [a, ax], 1e-12),
        "gammaincc": (psm.gammaincc, [a, ax], 1e-12),
        # gamma(a) overflows beyond 171: SciPy's product there depends on how its Q underflows.
        "gammal": (psm.gammal, [np.minimum(a, 100), ax], 1e-12),
        "gammau": (psm.gammau, [np.minimum(a, 100), ax], 1e-12),
        "chi2sf": (psm.chi2sf, [ax, a], 1e-12),
        "gammaincinv": (psm.gammaincinv, [a, prob], 1e-12),
        "gammainccinv": (psm.gammainccinv, [a, prob], 1e-12),
        "iv": (psm.iv, [v, vx], 1e-12),
        "ive": (psm.ive, [v, vx], 1e-12),
        "kv": (psm.kv, [v, vx], 1e-12),
        "kve": (psm.kve, [v, vx], 1e-12),
        "jv": (psm.jv, [v, vx], 1e-12),
        "polygamma": (psm.polygamma, [n, x], 1e-12),
        "owens_t": (
            psm.owens_t,
            [
                np.concatenate([_real(-12, 12, 600, seed=12), np.repeat(EDGES, 11)]),
                np.concatenate(
                    [
                        _real(-5, 5, 300, seed=13),
                        _spread(1e-3, 1e3, 300, seed=14),
                        np.tile(EDGES, 11),
                    ]
                ),
            ],
            1e-12,
        ),
        **_beta_cases(),
        "xlogy0": (
            psm.xlogy0,
            [np.concatenate([EDGES, _real(-3, 3, 11)]), _spread(1e-3, 1e3, 22)],
            1e-15,
        ),
    }


def _beta_cases() -> dict[str, tuple[Any, list[np.ndarray], float]]:
    edges = np.array([np.nan, -1.0, 0.0, 0.5, 2.0, np.inf])
    ea, eb, ex = (g.ravel() for g in np.meshgrid(edges, edges, [0.0, 0.3, 1.0, 1.5, np.nan]))
    a = np.concatenate([_spread(1e-2, 1e3, 800, seed=9), ea])
    b = np.concatenate([_spread(1e-2, 1e3, 800, seed=10), eb])
    x = np.concatenate([_real(0, 1, 800, seed=11), ex])
    return {
        "betainc": (psm.betainc, [a, b, x], 1e-12),
        "betaincinv": (psm.betaincinv, [a, b, x], 5e-12),
    }


F32_IN_FLOAT_ARITHMETIC = {"betainc", "betaincinv"}
CASES = {**_unary_cases(), **_binary_cases()}


def _node(name: str, dtype: str) -> Any:
    op, arrays, _ = CASES[name]
    dtypes = [dtype] * len(arrays)
    if name == "polygamma":
        dtypes[0] = "int64"
    return make_node(op, dtypes)


@pytest.fixture(scope="module")
def kernels() -> tuple[KernelSet, dict[tuple[str, str], str | None]]:
    ks = KernelSet()
    names = {(n, d): ks.add(_node(n, d)) for n in CASES for d in ("float64", "float32")}
    ks.compile()
    return ks, names


@pytest.mark.parametrize("dtype", ["float64", "float32"])
@pytest.mark.parametrize("name", list(CASES))
def test_special_matches_scipy(kernels: Any, name: str, dtype: str) -> None:
    ks, names = kernels
    op, arrays, rtol = CASES[name]
    node = _node(name, dtype)
    kernel = names[(name, dtype)]
    assert kernel is not None, f"no C kernel for {name}"
    with np.errstate(over="ignore"):
        arrays = [a.astype(i.type.dtype) for a, i in zip(arrays, node.inputs, strict=True)]
    got = ks.run(kernel, arrays)
    expected = reference(node, arrays)
    if dtype == "float32" and name in F32_IN_FLOAT_ARITHMETIC:
        # SciPy's float32 loop computes in float arithmetic (errors ~1e-3 relative): the
        # kernel is checked against the float64 function of the same float32 inputs instead.
        node64 = _node(name, "float64")
        expected = reference(node64, [a.astype("float64") for a in arrays]).astype("float32")
    assert got.dtype == expected.dtype
    if dtype == "float32":
        rtol = 2e-6
    np.testing.assert_allclose(got, expected, rtol=rtol, atol=1e-280, equal_nan=True)


# -- Hyp2F1: SciPy's own C function, called through a pointer ---------------------------------
def _hyp2f1_grid() -> list[np.ndarray]:
    """(a, b, c, z) over z < 0, 0 < z < 1, z near and at 1, z > 1, integer c - a - b, poles."""
    rng = np.random.default_rng(21)
    z = np.concatenate(
        [
            -_spread(1e-6, 1e3, 60, seed=22),
            _real(0, 1, 60, seed=23),
            1 - _spread(1e-14, 1e-2, 40, seed=24),
            np.array([0.0, 1.0, 1.5, -1.0, 0.5, np.nan, -np.inf]),
        ]
    )
    a = np.array([-3.0, -2.5, -0.5, 0.25, 1.0, 2.0, 3.5, np.nan])
    b = np.array([-1.0, 0.5, 1.0, 1.5, 4.0])
    ga, gb, gz = (g.ravel() for g in np.meshgrid(a, b, z))
    shift = np.array([-2.0, -1.0, 0.0, 1.0, 2.0, 0.3, -0.7])
    c_int = ga + gb + shift[rng.integers(0, shift.size, ga.size)]  # mostly integer c - a - b
    c = np.where(rng.random(ga.size) < 0.15, rng.uniform(-4, 6, ga.size), c_int)
    c[::97] = -2.0  # non-positive integer c: poles
    return [ga, gb, c, gz]


def _hyp2f1_function(dtypes: list[str], mode: str | None = None) -> Any:
    import pytensor.tensor as pt
    from pytensor.compile.function import function
    from pytensor.compile.mode import Mode
    from pytensor.link.c.linker import link_info

    xs = [pt.vector(n, dtype=d) for n, d in zip("abcz", dtypes, strict=True)]
    h = pt.hyp2f1(*xs)
    # Two outputs: with fast_run they fuse into one Composite loop.
    f = function(xs, [h, h * xs[3]], mode=Mode(linker="c", optimizer=mode))
    assert link_info(f.vm).fallback_nodes == (), "a node fell back to perform"
    return f


@pytest.mark.parametrize(
    "dtypes",
    [
        ["float64"] * 4,
        ["float32"] * 4,
        ["int16", "int8", "float32", "float32"],  # float32 output
        ["uint8", "bool", "int16", "float32"],
        ["int64", "int32", "float32", "float32"],  # float64 output
        ["float32", "float64", "float32", "float32"],
    ],
)
@pytest.mark.parametrize("optimizer", [None, "fast_run"])
def test_hyp2f1_is_scipy_exactly(dtypes: list[str], optimizer: str | None) -> None:
    import scipy.special

    f = _hyp2f1_function(dtypes, optimizer)
    with np.errstate(invalid="ignore"):
        args = [x.astype(d) for x, d in zip(_hyp2f1_grid(), dtypes, strict=True)]
    got, times_z = f(*args)
    node = make_node(psm.hyp2f1, dtypes)
    assert got.dtype == node.outputs[0].type.dtype
    # perform: inputs converted to the output dtype, then SciPy (computing in double).
    work = [a.astype(got.dtype) for a in args]
    with np.errstate(all="ignore"):
        want = np.asarray(scipy.special.hyp2f1(*work), dtype=got.dtype)
        want_times_z = want * args[3]
    np.testing.assert_array_equal(got, want)
    np.testing.assert_array_equal(got, reference(node, args))
    np.testing.assert_array_equal(times_z, want_times_z)
    assert np.isfinite(got).sum() > 0.5 * got.size


def test_hyp2f1_scipy_pointer_has_the_expected_signature() -> None:
    from pytensor.link.c.dispatch._special_hyp2f1 import hyp2f1_pointer

    address, why = hyp2f1_pointer()
    assert address != 0, why


def test_hyp2f1_without_scipy_pointer_raises_a_clear_error(monkeypatch: Any) -> None:
    from pytensor.link.c.dispatch import _special_hyp2f1

    monkeypatch.setattr(_special_hyp2f1, "hyp2f1_pointer", lambda: (0, "no capsule here"))
    # A graph no other test compiles: its module has not loaded the pointer yet.
    f = _hyp2f1_function(["int8", "float64", "int8", "float64"])
    ones = np.ones(3)
    with pytest.raises(ValueError, match="hyp2f1: .*SciPy's hyp2f1: no capsule here"):
        f(ones.astype("int8"), ones, ones.astype("int8") * 3, ones / 2)


def test_hyp2f1_first_call_in_a_loop_without_the_gil() -> None:
    import scipy.special

    # Loops over more than 32768 elements release the GIL; this graph (dtypes no other
    # test uses) looks the pointer up inside such a loop.
    f = _hyp2f1_function(["float64", "int32", "float64", "float64"])
    rng = np.random.default_rng(30)
    n = 100_000
    a, c, z = rng.uniform(-3, 3, n), rng.uniform(-3, 5, n), rng.uniform(-10, 1, n)
    b = rng.integers(-4, 5, n).astype("int32")
    got, _ = f(a, b, c, z)
    with np.errstate(all="ignore"):
        np.testing.assert_array_equal(got, scipy.special.hyp2f1(a, b.astype("float64"), c, z))
