"""Conformance cases: tensor products (tensordot, batched products, einsum), pad, and the
softmax family (OpFromGraph composites), against NumPy and SciPy."""

from __future__ import annotations

from typing import Any

import numpy as np

from conformance._case import Case, data, fn, graph

__all__ = ["CASES"]


def _sp(name: str) -> Any:
    def call(*args: Any, **kwargs: Any) -> Any:
        import scipy.special

        with np.errstate(all="ignore"):
            return getattr(scipy.special, name)(*args, **kwargs)

    return call


def _products() -> list[Case]:
    a234, b342 = data((2, 3, 4)), data((3, 4, 2), seed=1)
    m23, m43 = data((2, 3)), data((4, 3), seed=1)
    return [
        graph("tensordot/default", fn("tensordot"), [a234, b342], np.tensordot),
        graph(
            "tensordot/pairs",
            lambda a, b: fn("tensordot")(a, b, [[0, 1], [2, 0]]),
            [a234, b342],
            lambda a, b: np.tensordot(a, b, [[0, 1], [2, 0]]),
        ),
        graph(
            "tensordot/outer",
            lambda a, b: fn("tensordot")(a, b, 0),
            [m23, data(2)],
            lambda a, b: np.tensordot(a, b, 0),
        ),
        graph(
            "tensordot/int8",
            lambda a, b: fn("tensordot")(a, b, 1),
            [data((2, 3), "int8"), data((3, 2), "int8", seed=1)],
            lambda a, b: np.tensordot(a, b, 1),
        ),
        graph("inner/matrices", fn("inner"), [m23, m43], np.inner),
        graph(
            "inner/vectors-static", fn("inner"), [data(3), data(3, seed=2)], np.inner, static=True
        ),
        graph(
            "batched_dot/matrices",
            fn("batched_dot"),
            [data((3, 2, 4)), data((3, 4, 5), seed=1)],
            lambda a, b: np.matmul(a, b),
        ),
        graph(
            "batched_dot/matrix-vector",
            fn("batched_dot"),
            [data((3, 2, 4)), data((3, 4), seed=1)],
            lambda a, b: np.einsum("bij,bj->bi", a, b),
        ),
        graph(
            "batched_dot/vectors",
            fn("batched_dot"),
            [data((3, 4)), data((3, 4), seed=1)],
            lambda a, b: np.einsum("bi,bi->b", a, b),
        ),
        graph(
            "batched_tensordot/two-axes",
            lambda a, b: fn("batched_tensordot")(a, b, [[2, 3], [1, 2]]),
            [data((2, 3, 4, 5)), data((2, 4, 5, 3), seed=1)],
            lambda a, b: np.einsum("bijk,bjkl->bil", a, b),
        ),
        graph(
            "vecdot/broadcast",
            fn("vecdot"),
            [data((2, 3)), data(3, seed=1)],
            lambda a, b: np.sum(a * b, axis=-1),
        ),
        graph(
            "matvec/batched",
            fn("matvec"),
            [data((4, 2, 3)), data(3, seed=1)],
            lambda a, b: np.einsum("bij,j->bi", a, b),
        ),
        graph(
            "vecmat/batched",
            fn("vecmat"),
            [data(2), data((4, 2, 3), seed=1)],
            lambda a, b: np.einsum("i,bij->bj", a, b),
        ),
    ]


_EINSUM: list[tuple[str, str, list[tuple[int, ...]]]] = [
    ("matmul", "ij,jk->ik", [(2, 3), (3, 4)]),
    ("implicit", "ij,jk", [(2, 3), (3, 4)]),
    ("trace", "ii", [(3, 3)]),
    ("diagonal", "ii->i", [(3, 3)]),
    ("transpose", "ijk->kji", [(2, 3, 4)]),
    ("sum-all", "ij->", [(2, 3)]),
    ("outer", "i,j->ij", [(2,), (3,)]),
    ("ellipsis-batch", "...ij,...jk->...ik", [(5, 2, 3), (5, 3, 4)]),
    ("chain", "ij,jk,kl->il", [(2, 3), (3, 4), (4, 5)]),
    ("four", "ea,fb,abcd,gc->efgd", [(2, 3), (2, 3), (3, 3, 3, 3), (2, 3)]),
    ("repeated-batch", "iij,ijk->ik", [(3, 3, 2), (3, 2, 4)]),
    ("scalar", ",ij->ij", [(), (2, 3)]),
    ("empty", "ij,jk->ik", [(2, 0), (0, 3)]),
]


def _einsum() -> list[Case]:
    cases = []
    for label, spec, shapes in _EINSUM:
        values = [data(s, seed=k) for k, s in enumerate(shapes)]
        cases.append(
            graph(
                f"einsum/{label}",
                lambda *xs, _s=spec: fn("einsum")(_s, *xs),
                values,
                lambda *xs, _s=spec: np.einsum(_s, *xs),
            )
        )
    cases.append(
        graph(
            "einsum/ellipsis-broadcast",
            lambda a, b: fn("einsum")("...ij,...jk", a, b),
            [data((5, 1, 2, 3)), data((4, 3, 2), seed=1)],
            lambda a, b: np.einsum("...ij,...jk", a, b),
            static=True,  # a length-1 dimension broadcasts only when declared
        )
    )
    cases.append(
        graph(
            "einsum/int32-greedy",
            lambda a, b: fn("einsum")("ij,jk->ki", a, b, optimize="greedy"),
            [data((2, 3), "int32"), data((3, 2), "int32", seed=1)],
            lambda a, b: np.einsum("ij,jk->ki", a, b),
        )
    )
    cases.append(
        graph(
            "einsum/bool",
            lambda a, b: fn("einsum")("ij,jk", a, b),
            [data((2, 3), "bool"), data((3, 2), "bool", seed=1)],
            lambda a, b: np.einsum("ij,jk", a, b),
        )
    )
    return cases


_PADS: list[tuple[str, Any, dict[str, Any]]] = [
    ("constant", ((1, 2), (0, 1)), {}),
    ("constant", 1, {"constant_values": ((1.5, 2.5), (3.0, 4.0))}),
    ("edge", (2, 1), {}),
    ("wrap", ((3, 4), (1, 0)), {}),
    ("reflect", (4, 2), {}),
    ("reflect", (1, 5), {"reflect_type": "odd"}),
    ("symmetric", 3, {}),
    ("linear_ramp", (2, 3), {"end_values": (-1.0, 2.0)}),
    ("maximum", 1, {}),
    ("minimum", (1, 2), {"stat_length": 2}),
    ("mean", 2, {}),
    ("median", (1, 1), {"stat_length": 3}),
]


def _pad() -> list[Case]:
    cases = []
    for k, (mode, width, kw) in enumerate(_PADS):
        cases.append(
            graph(
                f"pad/{mode}-{k}",
                lambda x, _w=width, _m=mode, _kw=kw: fn("pad")(x, _w, mode=_m, **_kw),
                [data((3, 4))],
                lambda x, _w=width, _m=mode, _kw=kw: np.pad(x, _w, mode=_m, **_kw),
            )
        )
    cases.append(
        graph(
            "pad/int-mean",
            lambda x: fn("pad")(x, 2, mode="mean"),
            [data((3, 4), "int64", "small")],
            lambda x: np.pad(x, 2, mode="mean"),
        )
    )
    return cases


_EXTREME = np.array([[1000.0, 0.0], [-np.inf, 0.0], [-np.inf, -np.inf], [-3.0, -1000.0]])


def _softmax_family() -> list[Case]:
    m34 = data((3, 4))
    cases = []
    for name, ref in (("softmax", "softmax"), ("log_softmax", "log_softmax")):
        for label, kw in (("all", {}), ("axis1", {"axis": 1}), ("axes", {"axis": (0, 1)})):
            cases.append(
                graph(
                    f"{name}/{label}",
                    lambda x, _n=name, _kw=kw: fn(f"special.{_n}")(x, **_kw),
                    [m34],
                    lambda x, _r=ref, _kw=kw: _sp(_r)(x, **_kw),
                )
            )
        cases.append(
            graph(
                f"{name}/extreme",
                lambda x, _n=name: fn(f"special.{_n}")(x, axis=1),
                [_EXTREME],
                lambda x, _r=ref: _sp(_r)(x, axis=1),
            )
        )
        cases.append(
            graph(
                f"{name}/float32",
                lambda x, _n=name: fn(f"special.{_n}")(x, axis=0),
                [data((3, 4), "float32")],
                lambda x, _r=ref: _sp(_r)(x, axis=0).astype("float32"),
                rtol=1e-5,
            )
        )
    cases.append(
        graph(
            "logsumexp/extreme",
            lambda x: fn("logsumexp")(x, axis=1),
            [_EXTREME],
            lambda x: _sp("logsumexp")(x, axis=1),
        )
    )
    cases.append(
        graph(
            "logaddexp/extreme",
            fn("logaddexp"),
            [_EXTREME[:, 0], _EXTREME[:, 1]],
            np.logaddexp,
        )
    )
    cases.append(
        graph(
            "logaddexp/three-broadcast",
            fn("logaddexp"),
            [data((2, 3)), data(3, seed=1), data((2, 1), seed=2)],
            lambda a, b, c: np.logaddexp(np.logaddexp(a, b), c),
            static=True,
        )
    )
    return cases


CASES: list[Case] = [*_products(), *_einsum(), *_pad(), *_softmax_family()]
