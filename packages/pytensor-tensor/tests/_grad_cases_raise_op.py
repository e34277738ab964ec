"""Gradient cases of ``pytensor.raise_op`` (merged by ``test_grad_ops.py``): the cotangent
passes to the checked value, the conditions are disconnected."""

from __future__ import annotations

import numpy as np
from _grad_case import GradCase

import pytensor.tensor as pt
from pytensor.raise_op import Assert, CheckAndRaise, assert_op

CASES = [
    GradCase(
        "assert-value",
        (Assert,),
        lambda x: pt.exp(assert_op(x, pt.all(x > 0))),
        (np.array([0.4, 1.3, 2.6]),),
    ),
    GradCase(
        "check-and-raise-value",
        (CheckAndRaise,),
        lambda x: CheckAndRaise(ValueError, "empty")(x, x.shape[0] > 0) * x,
        (np.array([[0.3, -0.7], [1.4, 0.2]]),),
    ),
]
