"""Conformance cases: reductions, arg-reductions, statistics, cumulative ops and products."""

from __future__ import annotations

from typing import Any

import numpy as np

from conformance._case import Case, data, fn, graph

__all__ = ["CASES"]

_AXES: list[tuple[str, dict[str, Any]]] = [
    ("all", {}),
    ("axis0", {"axis": 0}),
    ("axis-1", {"axis": -1}),
    ("axes01", {"axis": (0, 1)}),
    ("keepdims", {"axis": 1, "keepdims": True}),
]


def _reduction(
    name: str,
    ref: Any,
    dtype: str,
    domain: str = "real",
    shape: tuple[int, ...] = (2, 3, 4),
    axes: list[tuple[str, dict[str, Any]]] = _AXES,
    **kw: Any,
) -> list[Case]:
    value = data(shape, dtype, domain)
    return [
        graph(
            f"{name}/{dtype}-{label}",
            lambda x, _k=kwargs: fn(name)(x, **_k),
            [value],
            lambda x, _k=kwargs: ref(x, **_k),
            **kw,
        )
        for label, kwargs in axes
    ]


def _logsumexp(x: np.ndarray, **kw: Any) -> np.ndarray:
    import scipy.special

    return scipy.special.logsumexp(x, **kw)


def _reductions() -> list[Case]:
    cases: list[Case] = []
    for dtype in ("float64", "float32", "int8", "bool"):
        cases += _reduction("sum", np.sum, dtype)
        cases += _reduction("max", np.max, dtype)
    for dtype in ("float64", "int32"):
        cases += _reduction("prod", np.prod, dtype, "pos")
        cases += _reduction("min", np.min, dtype)
        cases += _reduction("mean", np.mean, dtype)
    for dtype in ("bool", "int8", "float64"):
        cases += _reduction("all", np.all, dtype)
        cases += _reduction("any", np.any, dtype)
    for dtype in ("float64", "float32"):
        cases += _reduction("var", np.var, dtype, rtol=1e-5 if dtype == "float32" else None)
        cases += _reduction("std", np.std, dtype, rtol=1e-5 if dtype == "float32" else None)
        cases += _reduction(
            "logsumexp", _logsumexp, dtype, rtol=1e-5 if dtype == "float32" else 1e-7
        )
    cases.append(
        graph(
            "var/float64-ddof1",
            lambda x: fn("var")(x, axis=0, ddof=1),
            [data((3, 4))],
            lambda x: np.var(x, axis=0, ddof=1),
        )
    )
    cases.append(
        graph(
            "std/float64-ddof1",
            lambda x: fn("std")(x, axis=1, ddof=1),
            [data((3, 4))],
            lambda x: np.std(x, axis=1, ddof=1),
        )
    )
    arg_axes = [
        ("all", {}),
        ("axis0", {"axis": 0}),
        ("axis-1", {"axis": -1}),
        ("keepdims", {"axis": 1, "keepdims": True}),
    ]
    for dtype in ("float64", "int16", "bool"):
        cases += _reduction("argmax", np.argmax, dtype, axes=arg_axes)
        cases += _reduction("argmin", np.argmin, dtype, axes=arg_axes)
    cases += _reduction("ptp", np.ptp, "float64", axes=arg_axes)
    cases.append(
        graph(
            "max_and_argmax/float64",
            lambda x: fn("max_and_argmax")(x, axis=1),
            [data((3, 4))],
            lambda x: (np.max(x, axis=1), np.argmax(x, axis=1)),
        )
    )
    cases.append(
        graph(
            "sum/dtype-acc_dtype",
            lambda x: fn("sum")(x, axis=0, dtype="float32", acc_dtype="float64"),
            [data((3, 4), "int16")],
            lambda x: np.sum(x, axis=0, dtype="float32"),
        )
    )
    cases.append(
        graph(
            "prod/dtype",
            lambda x: fn("prod")(x, dtype="int64"),
            [data((2, 3), "int8", "small")],
            lambda x: np.prod(x, dtype="int64"),
        )
    )
    cases.append(
        graph(
            "mean/float32-dtype64",
            lambda x: fn("mean")(x, axis=0, dtype="float64"),
            [data((3, 2), "float32")],
            lambda x: np.mean(x, axis=0, dtype="float64"),
        )
    )
    return cases


def _edge_reductions() -> list[Case]:
    """0-d inputs, empty inputs (identities), and length-1 reduced dimensions."""
    return [
        graph(
            "sum/empty",
            lambda x: fn("sum")(x, axis=0),
            [np.zeros((0, 3))],
            lambda x: np.sum(x, axis=0),
        ),
        graph("prod/empty", lambda x: fn("prod")(x), [np.zeros((2, 0))], np.prod),
        graph("all/empty", lambda x: fn("all")(x), [np.zeros(0, dtype=bool)], np.all),
        graph("any/empty", lambda x: fn("any")(x), [np.zeros(0, dtype=bool)], np.any),
        graph(
            "max/empty-kept-axis",
            lambda x: fn("max")(x, axis=1),
            [np.zeros((0, 3))],
            lambda x: np.max(x, axis=1),
        ),
        graph("sum/0d", lambda x: fn("sum")(x), [np.float64(2.5)], np.sum),
        graph("max/0d", lambda x: fn("max")(x), [np.int32(-4)], np.max),
        graph(
            "mean/len1",
            lambda x: fn("mean")(x, axis=0),
            [data((1, 3))],
            lambda x: np.mean(x, axis=0),
            static=True,
        ),
        graph(
            "argmax/len1",
            lambda x: fn("argmax")(x, axis=1),
            [data((3, 1))],
            lambda x: np.argmax(x, axis=1),
        ),
        graph(
            "max/nan",
            lambda x: fn("max")(x, axis=0),
            [np.array([[1.0, np.nan], [2.0, 0.0]])],
            lambda x: np.max(x, axis=0),
        ),
        graph("CAReduce/maximum", _careduce, [data((3, 4))], lambda x: np.max(x, axis=1)),
    ]


def _careduce(x: Any) -> Any:
    import pytensor.scalar as ps
    import pytensor.tensor as pt

    return pt.CAReduce(ps.maximum, axis=(1,))(x)


def _cumulative() -> list[Case]:
    cases = []
    for dtype in ("float64", "int32", "float32"):
        for name, ref in (("cumsum", np.cumsum), ("cumprod", np.cumprod)):
            domain = "small" if name == "cumprod" else "real"
            cases.append(
                graph(
                    f"{name}/{dtype}-axis0",
                    lambda x, _n=name: fn(_n)(x, axis=0),
                    [data((3, 4), dtype, domain)],
                    lambda x, _r=ref: _r(x, axis=0),
                )
            )
            cases.append(
                graph(
                    f"{name}/{dtype}-flat",
                    lambda x, _n=name: fn(_n)(x),
                    [data((2, 3), dtype, domain)],
                    lambda x, _r=ref: _r(x),
                )
            )
    cases.append(
        graph(
            "cumsum/empty",
            lambda x: fn("cumsum")(x, axis=1),
            [np.zeros((2, 0))],
            lambda x: np.cumsum(x, axis=1),
        )
    )
    for n in (1, 2):
        cases.append(
            graph(
                f"diff/n{n}",
                lambda x, _n=n: fn("diff")(x, n=_n),
                [data(6)],
                lambda x, _n=n: np.diff(x, n=_n),
            )
        )
    cases.append(
        graph(
            "diff/axis0-int",
            lambda x: fn("diff")(x, axis=0),
            [data((4, 3), "int32")],
            lambda x: np.diff(x, axis=0),
        )
    )
    return cases


def _products() -> list[Case]:
    return [
        graph("dot/vector-vector", fn("dot"), [data(4), data(4, seed=1)], np.dot),
        graph("dot/matrix-vector", fn("dot"), [data((3, 4)), data(4, seed=1)], np.dot),
        graph("dot/matrix-matrix", fn("dot"), [data((2, 3)), data((3, 4), seed=1)], np.dot),
        graph(
            "dot/float32-int",
            fn("dot"),
            [data((2, 3), "float32"), data((3, 2), "int8")],
            lambda a, b: np.dot(a, b.astype("float32")),
            rtol=1e-5,
        ),
        graph("dot/empty", fn("dot"), [np.zeros((2, 0)), np.zeros((0, 3))], np.dot),
        graph(
            "matmul/batched", fn("matmul"), [data((2, 3, 4)), data((2, 4, 2), seed=1)], np.matmul
        ),
        graph(
            "matmul/broadcast-batch",
            fn("matmul"),
            [data((1, 3, 4)), data((5, 4, 2), seed=1)],
            np.matmul,
            static=True,
        ),
        graph("matmul/vector", fn("matmul"), [data((3, 4)), data(4, seed=1)], np.matmul),
        graph("outer/vectors", fn("outer"), [data(3), data(4, seed=1)], np.outer),
        graph("dense_dot/matrix", fn("dense_dot"), [data((2, 3)), data((3, 2), seed=1)], np.dot),
        graph(
            "operator-matmul/matrix",
            lambda a, b: a @ b,
            [data((2, 3)), data((3, 2), seed=1)],
            np.matmul,
        ),
    ]


CASES: list[Case] = _reductions() + _edge_reductions() + _cumulative() + _products()
