"""Conformance cases: ``ElemwiseOpFromGraph`` (a user elementwise composite applied to
tensors of any dtype and rank), and the softmax family next to elementwise Ops, which the
default mode inlines for fusion."""

from __future__ import annotations

from typing import Any

import numpy as np

from conformance._case import Case, data, inputs_like

__all__ = ["CASES"]


def _op() -> Any:
    import pytensor.tensor as pt
    from pytensor.tensor._elemwise_ofg import ElemwiseOpFromGraph

    a, b = pt.dscalar("a"), pt.dscalar("b")
    return ElemwiseOpFromGraph([a, b], [pt.exp(a) * b - a], name="exp_mul_sub")


def _ref(x: np.ndarray, y: np.ndarray) -> np.ndarray:
    return np.exp(x) * y - x


def _elemwise_ofg(name: str, values: list[np.ndarray], ref: Any, static: bool = False) -> Case:
    def build() -> tuple[list[Any], Any]:
        xs = inputs_like(values, static=static)
        return xs, _op()(*xs)

    return Case(f"ElemwiseOpFromGraph/{name}", build, tuple(values), ref)


def _softmax_times(name: str, values: list[np.ndarray], ref: Any) -> Case:
    def build() -> tuple[list[Any], Any]:
        from pytensor.tensor.special import softmax

        x, y = inputs_like(values)
        return [x, y], softmax(x, axis=1) * y + 1.0

    return Case(f"softmax/{name}", build, tuple(values), ref)


def _softmax_ref(x: np.ndarray, y: np.ndarray) -> np.ndarray:
    e = np.exp(x - x.max(axis=1, keepdims=True))
    return e / e.sum(axis=1, keepdims=True) * y + 1.0


def _cases() -> list[Case]:
    a, b = data((2, 3), "float64"), data((2, 3), "float64", "pos", seed=1)
    f32 = data((3, 4), "float32")
    return [
        _elemwise_ofg("float64", [a, b], _ref),
        _elemwise_ofg(
            "float32",
            [f32, data((3, 4), "float32", seed=2)],
            lambda x, y: (np.exp(x) * y - x).astype("float32"),
        ),
        _elemwise_ofg("broadcast", [data((1, 3)), b], _ref, static=True),
        _elemwise_ofg("rank-pad", [data((3,)), b], _ref),
        _elemwise_ofg("int", [data((4,), "int32", "small"), data((4,), "int32", "small", 1)], _ref),
        _elemwise_ofg("empty", [data((0, 2)), data((0, 2), seed=1)], _ref),
        _softmax_times("fused-with-mul", [data((3, 5)) * 10, data((3, 5), seed=1)], _softmax_ref),
    ]


CASES: list[Case] = _cases()
