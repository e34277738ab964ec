"""Special functions composed from elementwise Ops: logit, beta, betaln, poch,
factorial (layer: pytensor-tensor).

None of these is a new primitive, so every backend runs them unchanged.
"""

from __future__ import annotations

from typing import Any

import numpy as np

import pytensor.scalar.basic as ps
from pytensor.tensor import math as ptm
from pytensor.tensor.basic import as_tensor_variable

__all__ = ["beta", "betaln", "factorial", "logit", "poch"]


def _as_float(*xs: Any) -> list[Any]:
    """The inputs as tensors of their common float dtype (``upgrade_to_float``: int8 -> float32, ...)."""
    from pytensor.tensor.basic import cast

    tensors = [as_tensor_variable(x) for x in xs]
    (target,) = ps.upgrade_to_float_no_complex(*[ps.get_scalar_type(t.dtype) for t in tensors])
    return [cast(t, target.dtype) for t in tensors]


def logit(x: Any) -> Any:
    """``log(x / (1 - x))``, the inverse of the sigmoid, computed as ``log(x) - log1p(-x)``.

    Examples
    --------
    >>> import pytensor.tensor as pt
    >>> from pytensor.tensor.special import logit
    >>> logit([0.5, 0.75]).eval()
    array([0.        , 1.09861229])
    """
    (x,) = _as_float(x)
    return ptm.sub(ptm.log(x), ptm.log1p(ptm.neg(x)))


def betaln(a: Any, b: Any) -> Any:
    """Log of the absolute value of the beta function, ``gammaln(a) + gammaln(b) - gammaln(a + b)``.

    Examples
    --------
    >>> from pytensor.tensor.special import betaln
    >>> float(betaln(1.0, 1.0).eval())
    0.0
    """
    a, b = _as_float(a, b)
    return ptm.sub(ptm.add(ptm.gammaln(a), ptm.gammaln(b)), ptm.gammaln(ptm.add(a, b)))


def beta(a: Any, b: Any) -> Any:
    """The beta function ``gamma(a) * gamma(b) / gamma(a + b)``."""
    a, b = _as_float(a, b)
    return ptm.true_div(ptm.mul(ptm.gamma(a), ptm.gamma(b)), ptm.gamma(ptm.add(a, b)))


def poch(z: Any, m: Any) -> Any:
    """Pochhammer symbol (rising factorial) ``gamma(z + m) / gamma(z)``."""
    z, m = _as_float(z, m)
    return ptm.true_div(ptm.gamma(ptm.add(z, m)), ptm.gamma(z))


def factorial(n: Any) -> Any:
    """``n!`` as ``gamma(n + 1)``, elementwise (a float result)."""
    (n,) = _as_float(n)
    return ptm.gamma(ptm.add(n, as_tensor_variable(np.asarray(1, dtype=n.dtype))))
