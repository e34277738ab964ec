"""Output dtypes and values of elementwise and reduction functions, against NumPy/SciPy (issue 4 §7).

Every function is run on every input dtype of :data:`DTYPES` (and on mixed
pairs for functions of several inputs). Where NumPy computes a result, the
PyTensor function must compute the same values (``allclose`` with the
tolerance of the output dtype) with the output dtype given by the function's
*rule*. Where NumPy refuses the dtype, PyTensor must refuse it too, at
graph-build time, with a TypeError.

The rules spell out PyTensor's documented differences from NumPy:

``numpy``
    NumPy's own result dtype.
``float``
    PyTensor's ``upgrade_to_float``: functions with a float result compute
    bool/int8/int16/uint8/uint16 inputs in float32 and wider integers in
    float64, where NumPy uses float16 for 8-bit inputs (and NumPy 2 keeps
    integers integer for floor/ceil/trunc). The reference is computed on the
    inputs cast to that dtype.
``upcast``
    The common dtype of the inputs (PyTensor's ``upcast_out``): ``//`` and
    ``%`` of two bools stay bool where NumPy gives int8.
``same``
    The input's dtype (``sqr`` of a bool is a bool; NumPy gives int8).
``real_float``
    ``float``, with complex results replaced by their real dtype (``angle``).
``int64``
    Always int64 (``iround``).

Inputs listed in ``fixed`` (e.g. the order of ``polygamma``) have a fixed
dtype and do not take part in the rule.

``refuses`` (any input) and ``refuses_all`` (every input) list the dtypes
PyTensor rejects although NumPy accepts them
(e.g. complex inputs to special functions, integer inputs to rounding).
Python-number constants follow PyTensor's autocast (see
:func:`test_python_number_autocast`), not NumPy's NEP 50.
"""

from __future__ import annotations

import warnings
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import pytest

import pytensor.tensor as pt
from pytensor.compile.function import function
from pytensor.compile.mode import Mode

PY = Mode(linker="py", optimizer=None)
DTYPES = ("bool", "int8", "int16", "int32", "int64", "uint8", "float32", "float64", "complex128")
DISCRETE = frozenset({"bool", "int8", "int16", "int32", "int64", "uint8"})
INTS = frozenset({"int8", "int16", "int32", "int64", "uint8"})
COMPLEX = frozenset({"complex128"})
REAL_DTYPES = tuple(d for d in DTYPES if d not in COMPLEX)
# Mixed-dtype input pairs tried on every function of two or more inputs.
MIXED = (
    ("int8", "float32"),
    ("int16", "float32"),
    ("int32", "float32"),
    ("int64", "float64"),
    ("uint8", "int8"),
    ("bool", "int8"),
    ("bool", "float32"),
    ("float32", "float64"),
    ("int8", "int64"),
    ("uint8", "float32"),
    ("float64", "complex128"),
)


# ---------------------------------------------------------------------------
# Input values
# ---------------------------------------------------------------------------
_REAL = {
    "real": [-2.5, -1.5, -0.5, 0.0, 0.75, 1.5, 2.5, 3.25],
    "pos": [0.25, 0.5, 1.0, 1.5, 2.5, 3.0, 4.5, 7.25],
    "nonneg": [0.0, 0.5, 1.0, 1.5, 2.0, 3.0, 4.5, 6.0],
    "unit": [-0.9, -0.5, -0.25, 0.0, 0.1, 0.3, 0.6, 0.95],
    "prob": [0.05, 0.1, 0.25, 0.4, 0.5, 0.6, 0.8, 0.95],
    "ge1": [1.0, 1.25, 1.5, 2.0, 3.0, 4.5, 6.0, 10.0],
    "neg": [-0.1, -0.5, -1.0, -2.0, -3.0, -4.5, -6.0, -10.0],
    "nonzero": [-2.5, -1.5, -0.5, 0.25, 0.75, 1.5, 2.5, 3.25],
    "small": [0.0, 0.5, 1.0, 1.5, 2.0, 2.5, 3.0, 0.25],
    "nonfinite": [-np.inf, np.nan, np.inf, 0.0, 1.5, -2.5, np.nan, 3.25],
}
_INT = {
    "real": [-3, -2, -1, 0, 1, 2, 3, 5],
    "pos": [1, 2, 3, 4, 5, 6, 7, 9],
    "nonneg": [0, 1, 2, 3, 4, 5, 6, 7],
    "unit": [-1, 0, 1, 0, -1, 1, 0, 0],
    "prob": [0, 1, 0, 1, 1, 0, 1, 0],
    "ge1": [1, 2, 3, 4, 5, 6, 7, 9],
    "neg": [-1, -2, -3, -4, -5, -6, -7, -9],
    "nonzero": [-3, -2, -1, 1, 2, 3, 5, 7],
    "small": [0, 1, 2, 3, 1, 2, 0, 3],
    "nonfinite": [-3, -2, -1, 0, 1, 2, 3, 5],
}


def values(domain: str, dtype: str, shift: int = 0) -> np.ndarray:
    """Eight values of ``dtype`` in ``domain`` (rotated by ``shift`` so two inputs differ)."""
    if dtype == "bool":
        data: list[Any] = (
            [True] * 8
            if domain in ("pos", "ge1", "nonzero")
            else [False, True, True, False, True, False, True, True]
        )
    elif np.dtype(dtype).kind in "iu":
        data = list(_INT[domain])
        if np.dtype(dtype).kind == "u":
            data = [abs(v) for v in data]
    else:
        data = list(_REAL[domain])
        if np.dtype(dtype).kind == "c":
            data = [v + 1j * (0.25 * ((k % 3) - 1)) for k, v in enumerate(data)]
    data = data[shift % 8 :] + data[: shift % 8]
    return np.asarray(data, dtype=dtype)


# ---------------------------------------------------------------------------
# Expected dtypes
# ---------------------------------------------------------------------------
_FLOAT_OF = {
    "bool": "float32",
    "int8": "float32",
    "int16": "float32",
    "uint8": "float32",
    "uint16": "float32",
    "int32": "float64",
    "int64": "float64",
    "uint32": "float64",
    "uint64": "float64",
}


def upgrade_to_float(dtypes: Sequence[str]) -> str:
    return np.result_type(*[_FLOAT_OF.get(d, d) for d in dtypes]).name


def expected_dtype(rule: str, in_dtypes: Sequence[str], numpy_dtype: str) -> str:
    if rule == "numpy":
        return numpy_dtype
    if rule == "float":
        return upgrade_to_float(in_dtypes)
    if rule == "real_float":
        return {"complex64": "float32", "complex128": "float64"}.get(
            *[upgrade_to_float(in_dtypes)] * 2
        )
    if rule == "upcast":
        return np.result_type(*in_dtypes).name
    if rule == "same":
        return in_dtypes[0]
    if rule in ("float64", "int64", "bool"):
        return rule
    raise AssertionError(f"unknown rule {rule}")


def tolerance(dtype: str) -> dict[str, float]:
    if dtype in ("float32", "complex64"):
        return {"rtol": 2e-5, "atol": 1e-6}
    return {"rtol": 1e-10, "atol": 1e-12}


def assert_values(
    out: np.ndarray,
    ref: np.ndarray,
    dtype: str,
    rtol: float | None = None,
    in_dtypes: Sequence[str] = (),
) -> None:
    """Equal for discrete results; allclose with the tolerance of the least precise float involved."""
    with np.errstate(all="ignore"):
        ref = np.asarray(ref).astype(dtype)
    assert out.shape == ref.shape, f"shape {out.shape} != NumPy's {ref.shape}"
    if np.dtype(dtype).kind in "fc":
        weakest = (
            "float32"
            if any(_FLOAT_OF.get(d, d) in ("float32", "complex64") for d in in_dtypes)
            else dtype
        )
        tol = tolerance(weakest)
        if rtol is not None:
            tol["rtol"] = max(tol["rtol"], rtol)
        np.testing.assert_allclose(out, ref, equal_nan=True, **tol)
    else:
        np.testing.assert_array_equal(out, ref)


def numpy_result(ref: Callable[..., Any], args: Sequence[np.ndarray]) -> Any:
    """``ref(*args)`` (a tuple of arrays for several outputs), or the TypeError NumPy/SciPy raises."""
    with np.errstate(all="ignore"), warnings.catch_warnings():
        warnings.simplefilter("ignore")
        try:
            out = ref(*args)
        except TypeError as exc:
            return exc
    return tuple(np.asarray(o) for o in out) if isinstance(out, tuple) else np.asarray(out)


# ---------------------------------------------------------------------------
# The elementwise table
# ---------------------------------------------------------------------------
@dataclass(frozen=True)
class Fn:
    """One elementwise function: its NumPy/SciPy reference, input domains and dtype rule."""

    name: str
    ref: Callable[..., Any]
    domains: tuple[str, ...]
    rule: str = "numpy"
    refuses: frozenset[str] = frozenset()  # refused when any input has one of these dtypes
    refuses_all: frozenset[str] = frozenset()  # refused when every input has one of these dtypes
    fixed: dict[int, str] = field(default_factory=dict)  # inputs of a fixed dtype (e.g. an order)
    rtol: float | None = None
    dtypes: tuple[str, ...] = DTYPES  # the input dtypes tried

    @property
    def nin(self) -> int:
        return len(self.domains)


def function_named(path: str) -> Callable[..., Any]:
    """``pytensor.tensor.<path>`` (``"exp"``, ``"special.beta"``)."""
    import importlib

    module, _, name = ("pytensor.tensor." + path).rpartition(".")
    return getattr(importlib.import_module(module), name)  # type: ignore[no-any-return]


def _sp(name: str) -> Callable[..., Any]:
    def call(*args: Any) -> Any:
        import scipy.special

        return getattr(scipy.special, name)(*args)

    call.__name__ = name
    return call


def _round_half_away(x: np.ndarray) -> np.ndarray:
    return np.where(x >= 0, np.floor(x + 0.5), np.ceil(x - 0.5))


def _log1mexp(x: np.ndarray) -> np.ndarray:
    return np.log(-np.expm1(x))


def _xlogx(x: np.ndarray) -> np.ndarray:
    import scipy.special

    return scipy.special.xlogy(x, x)


def _polygamma(n: np.ndarray, x: np.ndarray) -> np.ndarray:
    import scipy.special

    return scipy.special.polygamma(n, x)


def _clip(x: np.ndarray, lo: np.ndarray, hi: np.ndarray) -> np.ndarray:
    return np.clip(x, lo, hi)


def _ceil_intdiv(a: np.ndarray, b: np.ndarray) -> np.ndarray:
    dtype = np.result_type(a, b)
    if dtype.kind in "biu":  # exact, without negating unsigned values
        return np.asarray(-np.floor_divide(-a.astype("int64"), b.astype("int64"))).astype(dtype)
    return -np.floor_divide(-a.astype(dtype), b.astype(dtype))


def _chi2sf(x: np.ndarray, k: np.ndarray) -> np.ndarray:
    import scipy.stats

    return scipy.stats.chi2.sf(x, k)


def _gammal(k: np.ndarray, x: np.ndarray) -> np.ndarray:
    import scipy.special

    return scipy.special.gamma(k) * scipy.special.gammainc(k, x)


def _gammau(k: np.ndarray, x: np.ndarray) -> np.ndarray:
    import scipy.special

    return scipy.special.gamma(k) * scipy.special.gammaincc(k, x)


def _iround(x: np.ndarray) -> np.ndarray:
    if x.dtype.kind not in "f":
        raise TypeError("iround rounds floats")
    return np.round(x).astype("int64")


def _factorial(n: np.ndarray) -> np.ndarray:
    import scipy.special

    return scipy.special.gamma(n + 1)


def _tri_gamma(x: np.ndarray) -> np.ndarray:
    return _polygamma(np.int64(1), x)


def _float(name: str, ref: Callable[..., Any], *domains: str, **kw: Any) -> Fn:
    return Fn(name, ref, domains, rule="float", **kw)


NO_COMPLEX = COMPLEX  # PyTensor defines these without complex support although NumPy/SciPy have it

ELEMWISE: list[Fn] = [
    # arithmetic
    Fn("neg", np.negative, ("real",)),
    Fn("abs", np.abs, ("real",)),
    Fn("sign", np.sign, ("real",), refuses=NO_COMPLEX),
    Fn("sqr", np.square, ("real",), rule="same"),
    Fn("add", np.add, ("real", "real")),
    Fn("sub", np.subtract, ("real", "real")),
    Fn("mul", np.multiply, ("real", "real")),
    Fn("true_div", np.true_divide, ("real", "nonzero")),
    Fn("int_div", np.floor_divide, ("real", "nonzero"), rule="upcast"),
    Fn("mod", np.mod, ("real", "nonzero"), rule="upcast"),
    Fn("pow", np.power, ("real", "small")),
    Fn("maximum", np.maximum, ("real", "real")),
    Fn("minimum", np.minimum, ("real", "real")),
    Fn("clip", _clip, ("real", "neg", "pos"), refuses=NO_COMPLEX),
    Fn("largest", np.maximum, ("real", "real")),
    Fn("smallest", np.minimum, ("real", "real")),
    Fn("variadic_add", lambda a, b, c: a + b + c, ("real", "real", "real")),
    Fn("variadic_mul", lambda a, b, c: a * b * c, ("real", "real", "real")),
    Fn("ceil_intdiv", _ceil_intdiv, ("real", "nonzero"), rule="upcast", refuses=NO_COMPLEX),
    Fn("divmod", np.divmod, ("real", "nonzero"), rule="upcast"),
    Fn("nan_to_num", np.nan_to_num, ("nonfinite",)),
    _float("reciprocal", np.reciprocal, "nonzero"),
    # exp / log
    _float("exp", np.exp, "real"),
    _float("exp2", np.exp2, "real"),
    _float("expm1", np.expm1, "real"),
    _float("log", np.log, "pos"),
    _float("log2", np.log2, "pos"),
    _float("log10", np.log10, "pos"),
    _float("log1p", np.log1p, "nonneg"),
    _float("sqrt", np.sqrt, "nonneg"),
    # trigonometric and hyperbolic
    _float("cos", np.cos, "real"),
    _float("sin", np.sin, "real"),
    _float("tan", np.tan, "real"),
    _float("arccos", np.arccos, "unit"),
    _float("arcsin", np.arcsin, "unit"),
    _float("arctan", np.arctan, "real"),
    _float("cosh", np.cosh, "real"),
    _float("sinh", np.sinh, "real"),
    _float("tanh", np.tanh, "real"),
    _float("arccosh", np.arccosh, "ge1"),
    _float("arcsinh", np.arcsinh, "real"),
    _float("arctanh", np.arctanh, "unit"),
    _float("deg2rad", np.deg2rad, "real"),
    _float("rad2deg", np.rad2deg, "real"),
    _float("arctan2", np.arctan2, "real", "nonzero"),
    _float("hypot", np.hypot, "real", "real"),
    # rounding: integers become floats (NumPy 2 keeps them integer); round needs floats
    _float("floor", np.floor, "real"),
    _float("ceil", np.ceil, "real"),
    _float("trunc", np.trunc, "real"),
    Fn("round_half_to_even", np.round, ("real",), refuses=DISCRETE | COMPLEX),
    Fn("round_half_away_from_zero", _round_half_away, ("real",), refuses=DISCRETE | COMPLEX),
    Fn("iround", _iround, ("real",), rule="int64"),
    # predicates, comparisons, logic and bits
    Fn("isnan", np.isnan, ("nonfinite",)),
    Fn("isinf", np.isinf, ("nonfinite",)),
    # NumPy has no sign for complex infinities; PyTensor's (isinf(x) & (x < 0)) is not specified there
    Fn("isneginf", np.isneginf, ("nonfinite",), dtypes=REAL_DTYPES),
    Fn("isposinf", np.isposinf, ("nonfinite",), dtypes=REAL_DTYPES),
    # PyTensor computes abs(a - b), which bools refuse (NumPy converts them)
    Fn("isclose", np.isclose, ("real", "real"), refuses_all=frozenset({"bool"})),
    Fn("allclose", np.allclose, ("real", "real"), refuses_all=frozenset({"bool"})),
    Fn("lt", np.less, ("real", "real")),
    Fn("gt", np.greater, ("real", "real")),
    Fn("le", np.less_equal, ("real", "real")),
    Fn("ge", np.greater_equal, ("real", "real")),
    Fn("eq", np.equal, ("real", "real")),
    Fn("neq", np.not_equal, ("real", "real")),
    Fn("and_", np.bitwise_and, ("real", "real")),
    Fn("or_", np.bitwise_or, ("real", "real")),
    Fn("xor", np.bitwise_xor, ("real", "real")),
    Fn("invert", np.invert, ("real",)),
    Fn("logical_not", np.logical_not, ("real",)),
    Fn("logical_and", np.logical_and, ("real", "real")),
    Fn("logical_or", np.logical_or, ("real", "real")),
    Fn("logical_xor", np.logical_xor, ("real", "real")),
    # complex parts
    Fn("real", np.real, ("real",)),
    Fn("imag", np.imag, ("real",)),
    Fn("conj", np.conjugate, ("real",)),
    Fn("angle", np.angle, ("real",), rule="real_float"),
    # special functions (SciPy)
    _float("gammaln", _sp("gammaln"), "pos"),
    _float("gamma", _sp("gamma"), "nonzero", refuses=NO_COMPLEX),
    _float("digamma", _sp("psi"), "pos", refuses=NO_COMPLEX),
    _float("polygamma", _polygamma, "small", "pos", fixed={0: "int64"}),
    _float("erf", _sp("erf"), "real", refuses=NO_COMPLEX),
    _float("erfc", _sp("erfc"), "real", refuses=NO_COMPLEX),
    _float("erfcx", _sp("erfcx"), "real", refuses=NO_COMPLEX),
    _float("erfinv", _sp("erfinv"), "unit"),
    _float("erfcinv", _sp("erfcinv"), "prob"),
    _float("betaln", _sp("betaln"), "pos", "pos"),
    _float("gammainc", _sp("gammainc"), "pos", "pos"),
    _float("gammaincc", _sp("gammaincc"), "pos", "pos"),
    _float("gammaincinv", _sp("gammaincinv"), "pos", "prob"),
    _float("gammainccinv", _sp("gammainccinv"), "pos", "prob"),
    _float("betainc", _sp("betainc"), "pos", "pos", "prob"),
    _float("betaincinv", _sp("betaincinv"), "pos", "pos", "prob"),
    _float("i0", _sp("i0"), "real"),
    _float("i1", _sp("i1"), "real"),
    _float("iv", _sp("iv"), "real", "pos", refuses=NO_COMPLEX),
    _float("ive", _sp("ive"), "real", "pos", refuses=NO_COMPLEX),
    _float("kv", _sp("kv"), "real", "pos", refuses=NO_COMPLEX),
    _float("sigmoid", _sp("expit"), "real"),
    _float("softplus", lambda x: np.logaddexp(0, x), "real", rtol=1e-7),
    _float("log1mexp", _log1mexp, "neg", rtol=1e-7),
    _float("logit", _sp("logit"), "prob"),
    _float("xlogx", _xlogx, "nonneg"),
    _float("xlogy0", _sp("xlogy"), "nonneg", "pos", refuses=NO_COMPLEX),
    _float("owens_t", _sp("owens_t"), "real", "real"),
    _float("tri_gamma", _tri_gamma, "pos"),
    _float("gammal", _gammal, "pos", "pos"),
    _float("gammau", _gammau, "pos", "pos"),
    _float("chi2sf", _chi2sf, "nonneg", "pos"),
    _float("j0", _sp("j0"), "real"),
    _float("j1", _sp("j1"), "real"),
    _float("jv", _sp("jv"), "real", "pos", refuses=NO_COMPLEX),
    _float("kve", _sp("kve"), "real", "pos", refuses=NO_COMPLEX),
    _float("logaddexp", np.logaddexp, "real", "real", dtypes=REAL_DTYPES),  # NumPy: real only
    _float("special.logit", _sp("logit"), "prob"),
    _float("special.betaln", _sp("betaln"), "pos", "pos"),
    _float("special.beta", _sp("beta"), "pos", "pos", rtol=1e-7),
    _float("special.poch", _sp("poch"), "pos", "small", rtol=1e-7),
    _float("special.factorial", _factorial, "small", refuses=NO_COMPLEX, rtol=1e-7),
    _float("hyp2f1", _sp("hyp2f1"), "real", "real", "pos", "unit", refuses=NO_COMPLEX, rtol=1e-7),
]
ELEMWISE_BY_NAME = {f.name: f for f in ELEMWISE}


def _elemwise_params() -> list[Any]:
    params = []
    for fn in ELEMWISE:
        combos = [tuple([d] * fn.nin) for d in fn.dtypes]
        if fn.nin > 1:
            combos += [
                (a, b, *([b] * (fn.nin - 2))) for a, b in MIXED if a in fn.dtypes and b in fn.dtypes
            ]
        for combo in combos:
            combo = tuple(fn.fixed.get(k, d) for k, d in enumerate(combo))
            params.append(pytest.param(fn, combo, id=f"{fn.name}-{'-'.join(combo)}"))
    return list({p.id: p for p in params}.values())


def _compile_and_run(
    fn: Fn, in_dtypes: Sequence[str], args: Sequence[np.ndarray]
) -> tuple[list[Any], list[Any]]:
    func = function_named(fn.name)
    inputs = [pt.vector(f"x{k}", dtype=d) for k, d in enumerate(in_dtypes)]
    out = func(*inputs)
    outs = list(out) if isinstance(out, list | tuple) else [out]
    f = function(inputs, outs, mode=PY)
    return outs, f(*args)


@pytest.mark.parametrize(("fn", "in_dtypes"), _elemwise_params())
def test_elemwise_against_numpy(fn: Fn, in_dtypes: tuple[str, ...]) -> None:
    args = [
        values(dom, d, shift=k)
        for k, (dom, d) in enumerate(zip(fn.domains, in_dtypes, strict=True))
    ]
    native = numpy_result(fn.ref, args)
    refused = bool(set(in_dtypes) & fn.refuses) or (
        bool(fn.refuses_all) and set(in_dtypes) <= fn.refuses_all
    )
    if isinstance(native, Exception) or refused:
        with pytest.raises(TypeError):
            function_named(fn.name)(*[pt.vector(dtype=d) for d in in_dtypes])
        return
    natives = native if isinstance(native, tuple) else (native,)
    ruled = [d for k, d in enumerate(in_dtypes) if k not in fn.fixed]
    wants = [expected_dtype(fn.rule, ruled, n.dtype.name) for n in natives]
    refs = natives
    if fn.rule in ("float", "real_float"):
        # The reference computed at the precision PyTensor promises.
        cast = [
            a.astype(wants[0]) if a.dtype.name in DISCRETE and k not in fn.fixed else a
            for k, a in enumerate(args)
        ]
        ref = numpy_result(fn.ref, cast)
        assert not isinstance(ref, Exception), ref
        refs = ref if isinstance(ref, tuple) else (ref,)
    outs, results = _compile_and_run(fn, in_dtypes, args)
    for k, (out, result, want, ref) in enumerate(zip(outs, results, wants, refs, strict=True)):
        where = f"{fn.name}{in_dtypes} output {k}"
        assert out.type.dtype == want, f"{where}: output dtype {out.type.dtype}, expected {want}"
        assert result.dtype.name == want, f"{where}: computed dtype {result.dtype}, expected {want}"
        assert_values(result, ref, want, fn.rtol, in_dtypes)


def test_documented_float_upgrades_differ_from_numpy_only_for_small_discrete_inputs() -> None:
    """The ``float`` rule agrees with NumPy on float/complex inputs and on wide integers."""
    for dtype in DTYPES:
        native = np.exp(np.zeros(1, dtype=dtype)).dtype.name
        ours = upgrade_to_float([dtype])
        if dtype in ("bool", "int8", "uint8"):
            assert (native, ours) == ("float16", "float32")
        else:
            assert native == ours, dtype


def test_float32_stays_float32() -> None:
    """float32 inputs give float32 results, including mixed with small integers and bools."""
    x = pt.vector("x", dtype="float32")
    for other in ("bool", "int8", "int16", "uint8", "float32"):
        y = pt.vector("y", dtype=other)
        for out in (x + y, x * y, x / y, pt.exp(x) - y, pt.maximum(x, y)):
            assert out.dtype == "float32", (other, out)
    for other in ("int32", "int64", "float64"):
        assert (x + pt.vector("y", dtype=other)).dtype == "float64", other


# ---------------------------------------------------------------------------
# Python numbers: PyTensor's autocast (smallest exact dtype), not NEP 50
# ---------------------------------------------------------------------------
AUTOCAST = [
    # (input dtype, expression, PyTensor dtype, what NumPy 2 gives: a dtype or an exception)
    ("int8", lambda x: x + 1, "int8", "int8"),
    ("int8", lambda x: x + 1000, "int16", OverflowError),
    ("int8", lambda x: x * 1.5, "float32", "float64"),
    ("int8", lambda x: x * 0.1, "float64", "float64"),
    ("int32", lambda x: x + 2**40, "int64", OverflowError),
    ("uint8", lambda x: x + (-1), "int16", OverflowError),
    ("float32", lambda x: x + 0.5, "float32", "float32"),
    ("float32", lambda x: x + 0.1, "float64", "float32"),
    ("float32", lambda x: x * 2, "float32", "float32"),
    ("float64", lambda x: x * 2, "float64", "float64"),
    ("int64", lambda x: x / 2, "float64", "float64"),
    ("bool", lambda x: x + True, "bool", "bool"),
    ("int16", lambda x: x - 3, "int16", "int16"),
]


@pytest.mark.parametrize(
    ("dtype", "expr", "want", "native"),
    AUTOCAST,
    ids=[f"{a[0]}-{k}" for k, a in enumerate(AUTOCAST)],
)
def test_python_number_autocast(
    dtype: str, expr: Callable[[Any], Any], want: str, native: Any
) -> None:
    data = values("small", dtype)
    if isinstance(native, type):
        with pytest.raises(native):
            expr(data)
    else:
        assert expr(data).dtype.name == native
    x = pt.vector("x", dtype=dtype)
    out = expr(x)
    assert out.dtype == want
    result = function([x], out, mode=PY)(data)
    assert result.dtype.name == want
    with np.errstate(all="ignore"):
        ref = expr(data.astype(np.result_type(dtype, want)))
    assert_values(result, ref, want)


@pytest.mark.parametrize(
    ("value", "dtype"),
    [
        (0, "int8"),
        (127, "int8"),
        (128, "int16"),
        (-129, "int16"),
        (2**31, "int64"),
        (2**63, "uint64"),
        (0.5, "float32"),
        (0.1, "float64"),
        (1e300, "float64"),
        (True, "bool"),
        (1 + 2j, "complex128"),
        ([1, 2], "int64"),
        ([1.5, 2.0], "float64"),
        (np.float32(0.1), "float32"),
        (np.int16(3), "int16"),
        (np.zeros(2, dtype="uint8"), "uint8"),
    ],
)
def test_constant_dtypes(value: Any, dtype: str) -> None:
    c = pt.as_tensor_variable(value)
    assert c.dtype == dtype
    assert np.asarray(c.data).dtype.name == dtype
    np.testing.assert_array_equal(c.data, np.asarray(value))


# ---------------------------------------------------------------------------
# Reductions
# ---------------------------------------------------------------------------
@dataclass(frozen=True)
class Red:
    """A reduction and the keyword arguments it is tried with (all on a 3x4 input)."""

    name: str
    ref: Callable[..., Any]
    calls: tuple[dict[str, Any], ...]
    rule: str = "numpy"
    refuses: frozenset[str] = frozenset()  # refused when any input has one of these dtypes
    refuses_all: frozenset[str] = frozenset()  # refused when every input has one of these dtypes
    domain: str = "real"
    rtol: float | None = None


_AXES = ({}, {"axis": 0}, {"axis": -1}, {"axis": (0, 1)}, {"axis": 1, "keepdims": True})
_ARG_AXES = ({}, {"axis": 0}, {"axis": 1}, {"axis": -1, "keepdims": True})
_CUM_AXES = ({}, {"axis": 0}, {"axis": -1})


def _logsumexp(x: np.ndarray, **kw: Any) -> np.ndarray:
    import scipy.special

    return scipy.special.logsumexp(x, **kw)


REDUCTIONS: list[Red] = [
    Red("sum", np.sum, _AXES),
    Red("prod", np.prod, _AXES),
    Red("max", np.max, _AXES),
    Red("min", np.min, _AXES),
    Red("all", np.all, _AXES),
    Red("any", np.any, _AXES),
    Red("mean", np.mean, _AXES),
    Red("var", np.var, (*_AXES, {"axis": 0, "ddof": 1})),
    Red("std", np.std, (*_AXES, {"axis": 1, "ddof": 1})),
    Red("argmax", np.argmax, _ARG_AXES),
    Red("argmin", np.argmin, _ARG_AXES),
    Red("logsumexp", _logsumexp, _AXES, rule="float", refuses=COMPLEX, rtol=1e-7),
    Red("ptp", np.ptp, _ARG_AXES),
    # PyTensor's cumulative Ops keep the input dtype (NumPy accumulates small integers in int64)
    Red("cumsum", np.cumsum, _CUM_AXES, rule="same"),
    Red("cumprod", np.cumprod, _CUM_AXES, rule="same", domain="small"),
    # diff of bools is NumPy's not_equal of neighbours
    Red("diff", np.diff, ({}, {"axis": 0}, {"n": 2, "axis": 1})),
    Red(
        "max_and_argmax",
        lambda a, axis=None, keepdims=False: (
            np.max(a, axis=axis, keepdims=keepdims),
            np.argmax(a, axis=axis, keepdims=keepdims),
        ),
        ({}, {"axis": 0}, {"axis": 1}),
    ),
]


def _reduction_params() -> list[Any]:
    return [
        pytest.param(
            red,
            dtype,
            kw,
            id=f"{red.name}-{dtype}-{'-'.join(f'{k}={v}' for k, v in kw.items()) or 'all'}",
        )
        for red in REDUCTIONS
        for dtype in DTYPES
        for kw in red.calls
    ]


@pytest.mark.parametrize(("red", "dtype", "kwargs"), _reduction_params())
def test_reduction_against_numpy(red: Red, dtype: str, kwargs: dict[str, Any]) -> None:
    data = values(red.domain, dtype).reshape(2, 4)
    data = np.concatenate([data, values(red.domain, dtype, shift=3)[:4].reshape(1, 4)])
    native = numpy_result(lambda a: red.ref(a, **kwargs), [data])
    func = function_named(red.name)
    x = pt.matrix("x", dtype=dtype)
    if isinstance(native, Exception) or dtype in red.refuses:
        with pytest.raises(TypeError):
            func(x, **kwargs)
        return
    natives = native if isinstance(native, tuple) else (native,)
    wants = [expected_dtype(red.rule, [dtype], n.dtype.name) for n in natives]
    refs = natives
    if red.rule == "float":
        ref = numpy_result(lambda a: red.ref(a, **kwargs), [data.astype(wants[0])])
        refs = ref if isinstance(ref, tuple) else (ref,)
    out = func(x, **kwargs)
    outs = list(out) if isinstance(out, list | tuple) else [out]
    results = function([x], outs, mode=PY)(data)
    for k, (o, result, want, ref) in enumerate(zip(outs, results, wants, refs, strict=True)):
        where = f"{red.name}({dtype}, {kwargs}) output {k}"
        assert o.dtype == want, f"{where}: output dtype {o.dtype}, expected {want}"
        assert result.dtype.name == want, f"{where}: computed dtype {result.dtype}"
        assert_values(result, ref, want, red.rtol, [dtype])


@pytest.mark.parametrize("dtype", ["int8", "float32", "bool"])
def test_reduction_dtype_and_acc_dtype(dtype: str) -> None:
    """``dtype=`` sets the output dtype of sum/prod, as NumPy's ``dtype=``."""
    data = values("small", dtype).reshape(2, 4)
    x = pt.matrix("x", dtype=dtype)
    for name, ref in (("sum", np.sum), ("prod", np.prod)):
        for out_dtype in ("int32", "float64", "float32"):
            out = getattr(pt, name)(x, axis=0, dtype=out_dtype)
            assert out.dtype == out_dtype
            result = function([x], out, mode=PY)(data)
            assert_values(result, ref(data, axis=0, dtype=out_dtype), out_dtype)
        out = getattr(pt, name)(x, acc_dtype="float64")
        assert out.dtype == np.sum(data).dtype.name
        assert_values(function([x], out, mode=PY)(data), ref(data), out.dtype)


# ---------------------------------------------------------------------------
# Coverage: every elementwise function and reduction of pytensor.tensor.math is here
# ---------------------------------------------------------------------------
NOT_HERE: dict[str, str] = {
    "dot": "linear algebra, not elementwise",
    "dense_dot": "linear algebra, not elementwise",
    "matmul": "linear algebra, not elementwise",
    "outer": "linear algebra, not elementwise",
    "tensordot": "linear algebra, not elementwise (dtypes: test_products.py)",
    "inner": "linear algebra, not elementwise (dtypes: test_products.py)",
    "batched_dot": "linear algebra, not elementwise (dtypes: test_products.py)",
    "batched_tensordot": "linear algebra, not elementwise (dtypes: test_products.py)",
    "vecdot": "linear algebra, not elementwise (dtypes: test_products.py)",
    "matvec": "linear algebra, not elementwise (dtypes: test_products.py)",
    "vecmat": "linear algebra, not elementwise (dtypes: test_products.py)",
    "einsum": "linear algebra, not elementwise (dtypes: test_einsum.py)",
    "pad": "layout, not elementwise (dtypes: test_pad.py)",
    "softmax": "not elementwise (dtypes: test_softmax.py)",
    "log_softmax": "not elementwise (dtypes: test_softmax.py)",
    "tensor_copy": "a copy, identity on values",
    "round": "dispatches to round_half_to_even / round_half_away_from_zero (tested here)",
}


@pytest.mark.parametrize("module", ["math", "special"])
def test_every_math_function_is_covered(module: str) -> None:
    """Every public function of pytensor.tensor.math / .special has a row here (aliases count)."""
    import importlib

    ptm = importlib.import_module(f"pytensor.tensor.{module}")
    prefix = "" if module == "math" else f"{module}."
    covered = {f.name.removeprefix(prefix) for f in ELEMWISE} | {r.name for r in REDUCTIONS}
    covered_objects = {id(getattr(ptm, n)) for n in covered if hasattr(ptm, n)}
    missing = []
    for name in ptm.__all__:
        obj = getattr(ptm, name)
        if (
            isinstance(obj, type)
            or name in covered
            or name in NOT_HERE
            or id(obj) in covered_objects
        ):
            continue
        missing.append(name)
    assert not missing, f"pytensor.tensor.{module} functions without a dtype test: {missing}"
