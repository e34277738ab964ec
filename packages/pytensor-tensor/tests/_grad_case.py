"""The format of a gradient test case, shared by the tables of tests/test_grad_ops.py.

``tests/test_grad_ops.py`` collects every Op class defined under ``pytensor.scalar``
and ``pytensor.tensor`` and requires each one to be covered by a ``GradCase`` in
one of the tables (its own table, plus ``STRUCTURAL_CASES`` exported by
``tests/_grad_cases_structural.py`` for shape/construction/extra_ops/sort/subtensor
Ops). An Op class that no case names makes the test fail.

A case is either

* a **differentiable case**: ``builder`` and ``points`` are given, ``reason`` is
  None. ``builder(*inputs)`` receives one symbolic tensor per array in
  ``points`` (float arrays only; the static shape of each input is ``None``
  except where the point has length 1) and returns ONE output variable. Integer
  or other non-differentiable arguments (an axis, an order, indices) are closed
  over as constants inside the builder. The test runs ``verify_grad(builder,
  points)`` (pullback against central finite differences) and compares
  ``pushforward(out, inputs, tangents)`` with the finite-difference directional
  derivative for random tangents. Points must be away from singularities and
  kinks (no ties for max/sort, no zeros for abs, inside domains).
  The graph built by ``builder`` must contain every class in ``op_classes``
  (a scalar Op counts when it is the ``scalar_op`` of an Elemwise, or inside a
  Composite); the test checks it, so a case cannot cover an Op by its name only.
* a **no-test entry**: ``reason`` says why the Op has no gradient test, one of
  ``NO_GRAD_REASONS`` or a sentence starting with one of them (e.g.
  ``"discrete output: a bool mask"``); ``builder`` is None.

``op_classes`` lists the Op classes the case covers (one or several). Several
cases may cover the same class (e.g. Elemwise is covered by many).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

import numpy as np

__all__ = ["NO_GRAD_REASONS", "GradCase"]

#: The accepted reasons for an Op to have no gradient test. A ``reason`` must
#: start with one of these.
NO_GRAD_REASONS = (
    "discrete output",  # integer/bool outputs: comparisons, argmax, shape, isnan, ...
    "not differentiable",  # the derivative does not exist (e.g. grad_undefined everywhere)
    "no inputs that can be differentiated",  # only integer/shape inputs, or no inputs
    "abstract",  # a base class never applied itself (e.g. ScalarOp, CAReduce helpers)
    "covered by",  # covered through another Op's case, followed by its name
)


@dataclass(frozen=True)
class GradCase:
    """One row of a gradient test table.

    Parameters
    ----------
    name
        A unique id for the case (used as the pytest id).
    op_classes
        The Op classes this case covers.
    builder
        ``builder(*tensor_inputs) -> output variable``; None for a no-test entry.
    points
        One float64 array per builder input (the point of differentiation).
    reason
        Why there is no gradient test (see ``NO_GRAD_REASONS``); None for a
        differentiable case.
    abs_tol, rel_tol, eps
        Optional overrides of the finite-difference tolerances and step.
    pushforward
        Set False only when the pushforward check cannot apply (say why in
        ``note``); the pullback is still checked.
    note
        Free text shown in failures.
    """

    name: str
    op_classes: tuple[type, ...]
    builder: Callable[..., Any] | None = None
    points: tuple[np.ndarray, ...] = field(default=())
    reason: str | None = None
    abs_tol: float | None = None
    rel_tol: float | None = None
    eps: float | None = None
    pushforward: bool = True
    note: str = ""

    def __post_init__(self) -> None:
        if not self.op_classes:
            raise ValueError(f"GradCase {self.name!r}: op_classes is empty")
        if self.reason is None:
            if self.builder is None or not self.points:
                raise ValueError(
                    f"GradCase {self.name!r}: a differentiable case needs a builder and points"
                )
            object.__setattr__(
                self, "points", tuple(np.asarray(p, dtype="float64") for p in self.points)
            )
        elif not self.reason.startswith(NO_GRAD_REASONS):
            raise ValueError(
                f"GradCase {self.name!r}: reason {self.reason!r} must start with one of "
                f"{NO_GRAD_REASONS}"
            )

    @property
    def differentiable(self) -> bool:
        return self.reason is None
