"""Gradient cases of ``IndexedMap`` (the loop behind Jacobians of run-time lengths).

``CASES`` is merged into the table of ``tests/test_grad_ops.py``, which checks
the pullback (``verify_grad``) and the pushforward against finite differences.
The builders' inputs have run-time lengths, so each graph holds an IndexedMap;
differentiating it builds further IndexedMaps (a summing one for the pullback).
"""

from __future__ import annotations

import numpy as np
from _grad_case import GradCase

import pytensor.tensor as pt
from pytensor.gradient import grad, hessian, jacobian
from pytensor.tensor._jacobian import IndexedMap

__all__ = ["CASES"]


def _third(x: pt.TensorVariable, c: pt.TensorVariable) -> pt.TensorVariable:
    # Differentiating this differentiates an IndexedMap{sum}.
    return grad(pt.sum(jacobian(pt.sin(x) * pt.sum(x**2), x) * c), x)


CASES = [
    GradCase(
        "indexed_map-jacobian-vector",
        (IndexedMap,),
        lambda x: jacobian(pt.sin(x) * pt.sum(x**2), x),
        (np.array([0.4, -1.1, 0.7]),),
    ),
    GradCase(
        "indexed_map-jacobian-matrix",
        (IndexedMap,),
        lambda a, w: jacobian(pt.tanh(a @ w) * pt.sum(w**2), w),
        (np.array([[0.3, -0.2], [0.5, 0.9], [-0.6, 0.1]]), np.array([[0.4], [-0.7]])),
    ),
    GradCase(
        "indexed_map-hessian",
        (IndexedMap,),
        lambda x: hessian(pt.sum(pt.exp(x) * x) * pt.sum(x), x),
        (np.array([0.3, -0.5, 0.8]),),
    ),
    GradCase(
        "indexed_map-sum",
        (IndexedMap,),
        _third,
        (
            np.array([0.4, -1.1, 0.7]),
            np.array([[0.5, -1.0, 0.2], [1.3, 0.6, -0.4], [0.1, 0.9, 0.3]]),
        ),
    ),
]
