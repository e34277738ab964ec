"""The vectorizable exp/log family: accuracy against long-double references, special values,
float32, and that a loop calling them is compiled to packed (SIMD) instructions."""

from __future__ import annotations

import platform
import re

import numba
import numpy as np
import pytest

import pytensor.tensor as pt
from pytensor.compile.function import function
from pytensor.compile.mode import Mode
from pytensor.link.numba.dispatch import _vecmath_impl as vm

rng = np.random.default_rng(2024)
SPECIALS = np.array(
    [0.0, -0.0, np.inf, -np.inf, np.nan, 1.0, -1.0, 2.0, 0.5, 5e-324, -5e-324, 1e-310,
     2.2250738585072014e-308, 709.78, 709.79, -745.13, -745.14, 710.0, -746.0, 1e300,
     -1e300, 1e-20, -1e-20, 1024.0, -1075.0, 1e-300, 0.9999999999999999]
)  # fmt: skip

CASES = {
    "exp": (vm.vexp, np.exp, [rng.uniform(-750, 712, 1_000_000), rng.uniform(-1, 1, 500_000)]),
    "exp2": (vm.vexp2, np.exp2, [rng.uniform(-1080, 1030, 1_000_000)]),
    "expm1": (
        vm.vexpm1,
        np.expm1,
        [rng.uniform(-60, 712, 500_000), rng.uniform(-1, 1, 500_000), rng.uniform(-1e-6, 1e-6, 10_000)],
    ),
    "log": (vm.vlog, np.log, [np.exp(rng.uniform(-745, 709, 1_000_000)), rng.uniform(0.5, 2, 500_000)]),
    "log2": (vm.vlog2, np.log2, [np.exp(rng.uniform(-745, 709, 1_000_000)), rng.uniform(0.5, 2, 500_000)]),
    "log10": (vm.vlog10, np.log10, [np.exp(rng.uniform(-745, 709, 1_000_000)), rng.uniform(0.5, 2, 500_000)]),
    "log1p": (
        vm.vlog1p,
        np.log1p,
        [
            rng.uniform(-1, 3, 1_000_000),
            np.exp(rng.uniform(-745, 709, 500_000)),
            -np.exp(rng.uniform(-745, 0, 500_000)),
        ],
    ),
}  # fmt: skip

_loops: dict = {}


def _loop(fn):
    if fn not in _loops:

        @numba.njit
        def loop(x, out):
            for i in range(x.size):
                out[i] = fn(x[i])

        _loops[fn] = loop
    return _loops[fn]


def _ulp_error(got, ref):
    """|got - ref| in units of the float64 spacing at ref (0 where both agree, incl. nan and inf)."""
    with np.errstate(all="ignore"):
        ref64 = ref.astype(np.float64)
        same = (got == ref64) | (np.isnan(got) & np.isnan(ref64))
        spacing = np.spacing(np.abs(ref64))
        err = np.abs(got.astype(np.longdouble) - ref) / spacing
    return np.where(same, 0.0, err)


@pytest.mark.parametrize("name", sorted(CASES))
def test_float64_accuracy_within_two_ulp(name):
    fn, ref_fn, samples = CASES[name]
    x = np.concatenate([*samples, SPECIALS])
    got = np.empty_like(x)
    _loop(fn)(x, got)
    with np.errstate(all="ignore"):
        ref = ref_fn(x.astype(np.longdouble))
    err = _ulp_error(got, ref)
    worst = int(np.argmax(err))
    assert err[worst] <= 2.0, f"{name}({x[worst]!r}) = {got[worst]!r}, want {ref[worst]!r}"


@pytest.mark.parametrize("name", sorted(CASES))
def test_special_values_match_numpy_exactly(name):
    fn, ref_fn, _ = CASES[name]
    got = np.empty_like(SPECIALS)
    _loop(fn)(SPECIALS, got)
    with np.errstate(all="ignore"):
        want = ref_fn(SPECIALS)
    special = ~np.isfinite(want) | (want == 0) | ~np.isfinite(SPECIALS)
    np.testing.assert_array_equal(got[special], want[special])
    signed = special & ~np.isnan(want)  # the sign of a nan is not specified
    assert (np.signbit(got[signed]) == np.signbit(want[signed])).all()


@pytest.mark.parametrize("name", ["exp", "log", "log1p", "expm1"])
def test_float32_through_the_elemwise_loop(name):
    x = pt.vector("x", dtype="float32")
    fn = function([x], getattr(pt, name)(x), mode=Mode(linker="numba", optimizer=None))
    lo = -1.0 if name.startswith("log1p") else (1e-30 if name.startswith("log") else -80.0)
    xv = rng.uniform(lo, 80.0, 200_000).astype("float32")
    got = fn(xv)
    assert got.dtype == np.float32
    with np.errstate(all="ignore"):
        ref = getattr(np, name)(xv.astype(np.float64))  # the exact value rounded once
    ulp = np.abs(got.astype(np.float64) - ref) / np.spacing(np.abs(ref.astype(np.float32)))
    assert np.nanmax(ulp) <= 1.0


@pytest.mark.skipif(platform.machine() not in ("x86_64", "AMD64"), reason="x86 assembly check")
@pytest.mark.parametrize("name", sorted(CASES))
def test_loop_is_vectorized(name):
    fn = CASES[name][0]
    loop = _loop(fn)
    x = np.ones(8)
    loop(x, np.empty_like(x))
    asm = loop.inspect_asm(loop.signatures[0])
    packed = re.findall(r"\bv?(?:mul|add|sub|fmadd\d*|fnmadd\d*)pd\b", asm)
    assert len(packed) >= 10, f"{name}: no packed double arithmetic in the loop"
    calls = re.findall(r"call\w*\s+\S*(?:exp|log)\S*", asm)
    assert not calls, f"{name}: calls libm: {calls}"


def _sigmoid_kernel():
    import pytensor.scalar as ps
    from pytensor.link.numba.dispatch import numba_funcify

    a = ps.float64("a")
    node = ps.sigmoid(a).owner
    impl, _ = numba_funcify(node.op, node)
    return numba.njit(inline="always")(impl)  # as the fused loops inline it


def test_sigmoid_accuracy_special_values_and_vectorization():
    import scipy.special

    kernel = _sigmoid_kernel()
    loop = _loop(kernel)
    x = np.concatenate([rng.uniform(-750, 40, 500_000), rng.uniform(-5, 5, 500_000), SPECIALS])
    got = np.empty_like(x)
    loop(x, got)
    # SciPy's expit (what Sigmoid.perform calls) evaluates the same formula with libm's
    # exp: 0 once exp(-x) overflows (x < -709.78), where the exact value is subnormal.
    want = scipy.special.expit(x)
    # Our exp is within 2 ulp, libm's within 1, each result then rounded by a division.
    assert np.nanmax(_ulp_error(got, want.astype(np.longdouble))) <= 4.0
    np.testing.assert_array_equal(got[-len(SPECIALS) :], want[-len(SPECIALS) :])
    if platform.machine() in ("x86_64", "AMD64"):
        # The fused loop of a compiled function (uncached, so numba keeps its assembly).
        from pytensor.link.numba import NumbaLinker

        xs = pt.vector("x")
        mode = Mode(linker=NumbaLinker(cache=False), optimizer=None)
        fn = function([xs], pt.sigmoid(xs), mode=mode)
        np.testing.assert_array_equal(fn(x), got)
        disp = fn.vm.dispatcher
        asm = disp.inspect_asm(disp.signatures[0])
        assert len(re.findall(r"\bv?(?:mul|add|sub|fmadd\d*|fnmadd\d*)pd\b", asm)) >= 10
        assert not re.findall(r"call\w*\s+\S*(?:exp|expit)\S*", asm)
