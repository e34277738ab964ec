"""Conformance cases: elementwise math, including special functions, casts and fused Ops."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import numpy as np

from conformance._case import Case, data, fn, inputs_like

__all__ = ["CASES"]


def _sp(name: str) -> Callable[..., Any]:
    def call(*args: Any) -> Any:
        import scipy.special

        return getattr(scipy.special, name)(*args)

    return call


def _float_of(dtype: str) -> str:
    """The float dtype PyTensor computes float functions of ``dtype`` in (``upgrade_to_float``)."""
    if dtype in ("bool", "int8", "int16", "uint8", "uint16", "float32"):
        return "float32"
    return "complex128" if dtype == "complex128" else "float64"


def elemwise(
    path: str,
    ref: Callable[..., Any],
    values: list[Any],
    variant: str,
    *,
    floats: bool = False,
    static: bool = False,
    **kw: Any,
) -> Case:
    """``path`` applied to inputs of the values' dtypes; ``floats``: integer inputs are computed as floats."""
    frozen = tuple(values)

    def build() -> tuple[list[Any], Any]:
        ins = inputs_like(frozen, static=static)
        return ins, fn(path)(*ins)

    def expected(*args: Any) -> Any:
        with np.errstate(all="ignore"):
            if floats:
                target = np.result_type(*[_float_of(np.asarray(a).dtype.name) for a in args])
                args = tuple(np.asarray(a).astype(target) for a in args)
            return ref(*args)

    return Case(f"{path}/{variant}", build, frozen, expected, **kw)


# name, reference, input domains, computed as floats
_UNARY_FLOAT = [
    ("exp", np.exp, "real"),
    ("exp2", np.exp2, "real"),
    ("expm1", np.expm1, "real"),
    ("log", np.log, "pos"),
    ("log2", np.log2, "pos"),
    ("log10", np.log10, "pos"),
    ("log1p", np.log1p, "pos"),
    ("sqrt", np.sqrt, "pos"),
    ("reciprocal", np.reciprocal, "nonzero"),
    ("cos", np.cos, "real"),
    ("sin", np.sin, "real"),
    ("tan", np.tan, "unit"),
    ("arccos", np.arccos, "unit"),
    ("arcsin", np.arcsin, "unit"),
    ("arctan", np.arctan, "real"),
    ("cosh", np.cosh, "real"),
    ("sinh", np.sinh, "real"),
    ("tanh", np.tanh, "real"),
    ("arccosh", np.arccosh, "ge1"),
    ("arcsinh", np.arcsinh, "real"),
    ("arctanh", np.arctanh, "unit"),
    ("deg2rad", np.deg2rad, "real"),
    ("rad2deg", np.rad2deg, "real"),
    ("floor", np.floor, "real"),
    ("ceil", np.ceil, "real"),
    ("trunc", np.trunc, "real"),
    ("sigmoid", _sp("expit"), "real"),
    ("softplus", lambda x: np.logaddexp(0, x), "real"),
    ("log1mexp", lambda x: np.log(-np.expm1(x)), "neg"),
    ("logit", _sp("logit"), "prob"),
    ("xlogx", lambda x: _sp("xlogy")(x, x), "pos"),
    ("gammaln", _sp("gammaln"), "pos"),
    ("gamma", _sp("gamma"), "pos"),
    ("digamma", _sp("psi"), "pos"),
    ("tri_gamma", lambda x: _sp("polygamma")(1, x), "pos"),
    ("erf", _sp("erf"), "real"),
    ("erfc", _sp("erfc"), "real"),
    ("erfcx", _sp("erfcx"), "real"),
    ("erfinv", _sp("erfinv"), "unit"),
    ("erfcinv", _sp("erfcinv"), "prob"),
    ("i0", _sp("i0"), "real"),
    ("i1", _sp("i1"), "real"),
    ("j0", _sp("j0"), "real"),
    ("j1", _sp("j1"), "real"),
]
_BINARY_FLOAT = [
    ("true_div", np.true_divide, ("real", "nonzero")),
    ("arctan2", np.arctan2, ("real", "nonzero")),
    ("hypot", np.hypot, ("real", "real")),
    ("logaddexp", np.logaddexp, ("real", "real")),
    ("betaln", _sp("betaln"), ("pos", "pos")),
    ("gammainc", _sp("gammainc"), ("pos", "pos")),
    ("gammaincc", _sp("gammaincc"), ("pos", "pos")),
    ("gammaincinv", _sp("gammaincinv"), ("pos", "prob")),
    ("gammainccinv", _sp("gammainccinv"), ("pos", "prob")),
    ("gammal", lambda k, x: _sp("gamma")(k) * _sp("gammainc")(k, x), ("pos", "pos")),
    ("gammau", lambda k, x: _sp("gamma")(k) * _sp("gammaincc")(k, x), ("pos", "pos")),
    ("iv", _sp("iv"), ("real", "pos")),
    ("ive", _sp("ive"), ("real", "pos")),
    ("kv", _sp("kv"), ("real", "pos")),
    ("kve", _sp("kve"), ("real", "pos")),
    ("jv", _sp("jv"), ("real", "pos")),
    ("xlogy0", _sp("xlogy"), ("pos", "pos")),
    ("owens_t", _sp("owens_t"), ("real", "real")),
    ("chi2sf", lambda x, k: _chi2sf(x, k), ("pos", "pos")),
    ("special.betaln", _sp("betaln"), ("pos", "pos")),
    ("special.beta", _sp("beta"), ("pos", "pos")),
    ("special.poch", _sp("poch"), ("pos", "small")),
]
_TERNARY_FLOAT = [
    ("betainc", _sp("betainc"), ("pos", "pos", "prob")),
    ("betaincinv", _sp("betaincinv"), ("pos", "pos", "prob")),
]


def _chi2sf(x: Any, k: Any) -> Any:
    import scipy.stats

    return scipy.stats.chi2.sf(x, k)


# name, reference, input domains: the output dtype follows NumPy's promotion
_SAME = [
    ("neg", np.negative, ("real",)),
    ("abs", np.abs, ("real",)),
    ("sign", np.sign, ("real",)),
    ("sqr", np.square, ("real",)),
    ("add", np.add, ("real", "real")),
    ("sub", np.subtract, ("real", "real")),
    ("mul", np.multiply, ("real", "real")),
    ("int_div", np.floor_divide, ("real", "nonzero")),
    ("mod", np.mod, ("real", "nonzero")),
    ("pow", np.power, ("pos", "small")),
    ("maximum", np.maximum, ("real", "real")),
    ("minimum", np.minimum, ("real", "real")),
    ("lt", np.less, ("real", "real")),
    ("gt", np.greater, ("real", "real")),
    ("le", np.less_equal, ("real", "real")),
    ("ge", np.greater_equal, ("real", "real")),
    ("eq", np.equal, ("real", "real")),
    ("neq", np.not_equal, ("real", "real")),
    ("isnan", np.isnan, ("real",)),
    ("isinf", np.isinf, ("real",)),
    ("logical_not", np.logical_not, ("real",)),
    ("logical_and", np.logical_and, ("real", "real")),
    ("logical_or", np.logical_or, ("real", "real")),
    ("logical_xor", np.logical_xor, ("real", "real")),
    ("round_half_to_even", np.round, ("real",)),
    (
        "round_half_away_from_zero",
        lambda x: np.where(x >= 0, np.floor(x + 0.5), np.ceil(x - 0.5)),
        ("real",),
    ),
    ("isclose", np.isclose, ("real", "real")),
    ("largest", np.maximum, ("real", "real")),
    ("smallest", np.minimum, ("real", "real")),
]
_BITS = [
    ("and_", np.bitwise_and, 2),
    ("or_", np.bitwise_or, 2),
    ("xor", np.bitwise_xor, 2),
    ("invert", np.invert, 1),
]


def _float_cases() -> list[Case]:
    cases = []
    for name, ref, dom in _UNARY_FLOAT:
        cases.append(elemwise(name, ref, [data(5, "float64", dom)], "float64", floats=True))
        cases.append(
            elemwise(name, ref, [data((2, 3), "float32", dom, seed=1)], "float32", floats=True)
        )
    for name in ("exp", "log1p", "sqrt", "floor", "tanh", "gammaln", "sigmoid", "erf"):
        ref, dom = next((r, d) for n, r, d in _UNARY_FLOAT if n == name)
        small_int = "int8" if dom != "real" else "int16"
        cases.append(
            elemwise(
                name,
                ref,
                [data(4, small_int, "pos" if dom != "real" else dom)],
                small_int,
                floats=True,
            )
        )
        cases.append(elemwise(name, ref, [data((3, 1), "int64", "pos")], "int64", floats=True))
    for name, ref, doms in _BINARY_FLOAT + _TERNARY_FLOAT:
        cases.append(
            elemwise(
                name,
                ref,
                [data(4, "float64", d, seed=k) for k, d in enumerate(doms)],
                "float64",
                floats=True,
                rtol=1e-6,
            )
        )
        cases.append(
            elemwise(
                name,
                ref,
                [data((2, 2), "float32", d, seed=k) for k, d in enumerate(doms)],
                "float32",
                floats=True,
                rtol=1e-4,
            )
        )
    cases.append(
        elemwise(
            "polygamma",
            lambda n, x: _sp("polygamma")(n, x),
            [np.asarray([0, 1, 2, 3], dtype="int64"), data(4, "float64", "pos")],
            "float64",
            floats=False,
            rtol=1e-6,
        )
    )
    cases.append(
        elemwise(
            "hyp2f1",
            _sp("hyp2f1"),
            [data(3, "float64", "unit", k) for k in range(3)]
            + [data(3, "float64", "unit", 3) * 0.5],
            "float64",
            floats=True,
            rtol=1e-6,
        )
    )
    cases.append(
        elemwise(
            "true_div",
            np.true_divide,
            [data(4, "int8", "real"), data(4, "int8", "nonzero")],
            "int8-int8",
            floats=False,
        )
    )
    cases.append(elemwise("exp", np.exp, [data(3, "complex128")], "complex128", floats=True))
    return cases


def _same_cases() -> list[Case]:
    cases = []
    for name, ref, doms in _SAME:
        cases.append(
            elemwise(
                name, ref, [data(5, "float64", d, seed=k) for k, d in enumerate(doms)], "float64"
            )
        )
        cases.append(
            elemwise(
                name,
                ref,
                [data((2, 3), "float32", d, seed=k) for k, d in enumerate(doms)],
                "float32",
            )
        )
        if not name.startswith("round"):
            cases.append(
                elemwise(
                    name, ref, [data(6, "int32", d, seed=k) for k, d in enumerate(doms)], "int32"
                )
            )
    for name, ref, nin in _BITS:
        for dtype in ("int8", "uint8", "bool", "int64"):
            cases.append(elemwise(name, ref, [data(5, dtype, seed=k) for k in range(nin)], dtype))
    cases.append(elemwise("clip", np.clip, [data(6), np.float64(-1.0), np.float64(1.5)], "float64"))
    cases.append(elemwise("clip", np.clip, [data(6, "int32"), np.int32(-1), np.int32(2)], "int32"))
    cases.append(
        elemwise("switch", np.where, [data(5, "bool"), data(5), data(5, seed=1)], "float64")
    )
    cases.append(
        elemwise("where", np.where, [data(5, "bool"), data(5, "int8"), data(5, "float32")], "mixed")
    )
    cases.append(elemwise("add", np.add, [data(5, "int8"), data(5, "float32")], "int8-float32"))
    cases.append(elemwise("mul", np.multiply, [data(5, "uint8"), data(5, "int8")], "uint8-int8"))
    cases.append(elemwise("add", np.add, [data(4, "complex128"), data(4)], "complex128"))
    cases.append(
        elemwise(
            "variadic_add",
            lambda a, b, c: a + b + c,
            [data(3, seed=k) for k in range(3)],
            "3-inputs",
        )
    )
    cases.append(
        elemwise(
            "variadic_mul",
            lambda a, b, c: a * b * c,
            [data(3, seed=k) for k in range(3)],
            "3-inputs",
        )
    )
    cases.append(
        elemwise(
            "divmod", lambda a, b: np.divmod(a, b), [data(5), data(5, domain="nonzero")], "float64"
        )
    )
    cases.append(
        elemwise(
            "ceil_intdiv",
            lambda a, b: -(-a // b),
            [data(5, "int32"), data(5, "int32", "nonzero")],
            "int32",
        )
    )
    cases.append(elemwise("iround", lambda x: np.round(x).astype("int64"), [data(5)], "float64"))
    cases.append(
        elemwise("round", np.round, [np.array([-2.5, -0.5, 0.5, 1.5, 2.4])], "half-to-even")
    )
    cases.append(
        Case(
            "round/half-away-from-zero",
            lambda: _one(lambda x: fn("round")(x, mode="half_away_from_zero")),
            (np.array([-2.5, -0.5, 0.5, 1.5, 2.4]),),
            lambda x: np.sign(x) * np.floor(np.abs(x) + 0.5),
        )
    )
    cases.append(elemwise("real", np.real, [data(4, "complex128")], "complex128"))
    cases.append(elemwise("imag", np.imag, [data(4, "complex128")], "complex128"))
    cases.append(elemwise("angle", np.angle, [data(4, "complex128")], "complex128"))
    cases.append(elemwise("conj", np.conj, [data(4, "complex128")], "complex128"))
    cases.append(elemwise("abs", np.abs, [data(4, "complex128")], "complex128"))
    cases.append(
        Case(
            "nan_to_num/float64",
            lambda: _one(lambda x: fn("nan_to_num")(x)),
            (np.array([np.nan, np.inf, -np.inf, 1.5]),),
            np.nan_to_num,
        )
    )
    cases.append(
        Case(
            "isneginf/float64",
            lambda: _one(lambda x: fn("isneginf")(x)),
            (np.array([np.nan, np.inf, -np.inf, 1.5]),),
            np.isneginf,
        )
    )
    cases.append(
        Case(
            "isposinf/float64",
            lambda: _one(lambda x: fn("isposinf")(x)),
            (np.array([np.nan, np.inf, -np.inf, 1.5]),),
            np.isposinf,
        )
    )
    cases.append(
        Case(
            "allclose/float64",
            lambda: _two(lambda a, b: fn("allclose")(a, b)),
            (data(4), data(4) + 1e-9),
            np.allclose,
        )
    )
    return cases


def _one(f: Callable[[Any], Any], dtype: str = "float64") -> tuple[list[Any], Any]:
    import pytensor.tensor as pt

    x = pt.vector("x", dtype=dtype)
    return [x], f(x)


def _two(f: Callable[[Any, Any], Any], dtype: str = "float64") -> tuple[list[Any], Any]:
    import pytensor.tensor as pt

    a, b = pt.vector("a", dtype=dtype), pt.vector("b", dtype=dtype)
    return [a, b], f(a, b)


def _shapes_cases() -> list[Case]:
    """Broadcasting, 0-d, empty and length-1 inputs."""
    import pytensor.tensor as pt

    def bcast() -> tuple[list[Any], Any]:
        x, row, col = (
            pt.matrix("x"),
            pt.matrix("row", shape=(1, None)),
            pt.matrix("col", shape=(None, 1)),
        )
        return [x, row, col], x * row + col

    def scalar_and_matrix() -> tuple[list[Any], Any]:
        s, x = pt.scalar("s"), pt.matrix("x")
        return [s, x], pt.exp(s) - x

    def empty() -> tuple[list[Any], Any]:
        x, y = pt.matrix("x"), pt.matrix("y", shape=(1, None))
        return [x, y], pt.add(x, y)

    def python_numbers() -> tuple[list[Any], Any]:
        x = pt.vector("x", dtype="int8")
        return [x], (x + 1000, x * 1.5, x // 2)

    def rank_pad() -> tuple[list[Any], Any]:
        x, v = pt.tensor3("x"), pt.vector("v")
        return [x, v], pt.maximum(x, v)

    return [
        Case(
            "elemwise/broadcast-row-col",
            bcast,
            (data((2, 3)), data((1, 3), seed=1), data((2, 1), seed=2)),
            lambda x, r, c: x * r + c,
        ),
        Case(
            "elemwise/0d-with-matrix",
            scalar_and_matrix,
            (np.float64(0.5), data((2, 2))),
            lambda s, x: np.exp(s) - x,
        ),
        Case("elemwise/empty", empty, (np.zeros((0, 3)), data((1, 3))), lambda x, y: x + y),
        Case(
            "elemwise/python-number-constants",
            python_numbers,
            (data(4, "int8"),),
            lambda x: (x.astype("int16") + 1000, x.astype("float32") * np.float32(1.5), x // 2),
        ),
        Case("elemwise/rank-padding", rank_pad, (data((2, 1, 3)), data(3, seed=3)), np.maximum),
        Case(
            "elemwise/0d-only",
            lambda: _scalar_graph(),
            (np.float64(0.25), np.int32(3)),
            lambda a, b: (a * b, np.sqrt(a) + b),
        ),
    ]


def _scalar_graph() -> tuple[list[Any], Any]:
    import pytensor.tensor as pt

    a, b = pt.scalar("a"), pt.scalar("b", dtype="int32")
    return [a, b], [a * b, pt.sqrt(a) + b]


def _fused_cases() -> list[Case]:
    """Composite (a fused scalar graph) and an Elemwise writing in place over an intermediate."""

    def composite() -> tuple[list[Any], Any]:
        import pytensor.scalar as ps
        import pytensor.tensor as pt

        a, b = ps.float64("a"), ps.float64("b")
        op = pt.Elemwise(ps.Composite([a, b], [ps.exp(a) * b, a - ps.log(b)]))
        x, y = pt.vector("x"), pt.vector("y")
        return [x, y], op(x, y)

    def inplace() -> tuple[list[Any], Any]:
        import pytensor.scalar as ps
        import pytensor.tensor as pt

        x, y = pt.vector("x"), pt.vector("y")
        tmp = x * 2.0
        return [x, y], pt.Elemwise(ps.add, {0: 0})(tmp, y)

    def casts() -> tuple[list[Any], Any]:
        import pytensor.tensor as pt

        x = pt.vector("x")
        return [x], [
            pt.cast(x, "int32"),
            x.astype("float32"),
            pt.cast(x, "bool"),
            pt.cast(x, "uint8"),
        ]

    return [
        Case(
            "Composite/two-outputs",
            composite,
            (data(4), data(4, domain="pos")),
            lambda x, y: (np.exp(x) * y, x - np.log(y)),
        ),
        Case(
            "Elemwise/inplace-intermediate",
            inplace,
            (data(4), data(4, seed=1)),
            lambda x, y: x * 2.0 + y,
        ),
        # non-negative values: casting negative floats to unsigned integers is unspecified in C
        Case(
            "cast/float64",
            casts,
            (np.abs(data(5)) * 10,),
            lambda x: (x.astype("int32"), x.astype("float32"), x.astype("bool"), x.astype("uint8")),
        ),
    ]


CASES: list[Case] = _float_cases() + _same_cases() + _shapes_cases() + _fused_cases()
