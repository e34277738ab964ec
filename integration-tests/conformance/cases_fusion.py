"""Conformance cases: the fused Ops that the fusion rewrites build (``ElemwiseReduce``),
applied explicitly so that every backend runs them even without rewrites."""

from __future__ import annotations

from typing import Any

import numpy as np

from conformance._case import Case, data, inputs_like

__all__ = ["CASES"]


def _exp_mul():  # type: ignore[no-untyped-def]
    """``Elemwise(Composite{exp(a) * b})``."""
    import pytensor.scalar as ps
    from pytensor.tensor.elemwise import Elemwise

    a, b = ps.float64("a"), ps.float64("b")
    return Elemwise(ps.Composite([a, b], [ps.exp(a) * b]))


def _elemwise_reduce(name: str, reduce: str, axis: Any, values: list[np.ndarray], ref: Any) -> Case:
    def build() -> tuple[list[Any], Any]:
        import pytensor.tensor as pt
        from pytensor.tensor import math as m
        from pytensor.tensor._elemwise_reduce import ElemwiseReduce

        xs = inputs_like(values)
        elemwise = _exp_mul() if len(xs) == 2 else pt.sqr(xs[0]).owner.op
        red = {"sum": m.Sum, "prod": m.Prod, "max": m.Max, "min": m.Min}[reduce](axis=axis)
        return xs, ElemwiseReduce(elemwise, red)(*xs)

    return Case(f"ElemwiseReduce/{name}", build, values, ref)


def _cases() -> list[Case]:
    a, b = data((2, 3, 4), "float64"), data((2, 3, 4), "float64", "pos")
    return [
        _elemwise_reduce("sum-all", "sum", None, [a, b], lambda x, y: np.sum(np.exp(x) * y)),
        _elemwise_reduce(
            "sum-axis1", "sum", (1,), [a, b], lambda x, y: np.sum(np.exp(x) * y, axis=1)
        ),
        _elemwise_reduce("max-axes", "max", (0, 2), [a], lambda x: np.max(x * x, axis=(0, 2))),
        _elemwise_reduce("min-axis0", "min", (0,), [a], lambda x: np.min(x * x, axis=0)),
        _elemwise_reduce(
            "prod-axis2",
            "prod",
            (2,),
            [data((2, 3, 2), "float32")],
            lambda x: np.prod(x * x, axis=2),
        ),
        _elemwise_reduce(
            "sum-empty", "sum", (0,), [data((0, 3), "float64")], lambda x: np.sum(x * x, axis=0)
        ),
    ]


CASES: list[Case] = _cases()
