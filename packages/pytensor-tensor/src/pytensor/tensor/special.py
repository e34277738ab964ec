"""Special functions composed from existing Ops: softmax, log_softmax, logit, beta,
betaln, poch, factorial (layer: pytensor-tensor).

None of these is a new primitive, so every backend runs them unchanged:
softmax and log_softmax are ``OpFromGraph`` nodes (``Softmax``,
``LogSoftmax``) with closed-form gradients, the others elementwise graphs.
"""

from __future__ import annotations

from typing import Any

import numpy as np

import pytensor.scalar.basic as ps
from pytensor.tensor import math as ptm
from pytensor.tensor._softmax import LogSoftmax, Softmax, log_softmax_of, softmax_of
from pytensor.tensor.basic import as_tensor_variable

__all__ = [
    "LogSoftmax",
    "Softmax",
    "beta",
    "betaln",
    "factorial",
    "log_softmax",
    "logit",
    "poch",
    "softmax",
]


def softmax(c: Any, axis: Any = None) -> Any:
    """``exp(c) / sum(exp(c), axis)`` without overflow, as ``scipy.special.softmax``.

    ``axis`` is an int, a tuple of ints, or None for all axes. The maximum
    along ``axis`` is subtracted before exponentiating, so large inputs are
    safe; a lane that is all ``-inf`` gives NaN (0/0), as in SciPy. The
    result is one ``Softmax`` node whose gradient is ``s * (g - sum(g * s))``.
    Integer inputs are cast to float.

    Examples
    --------
    >>> import numpy as np
    >>> from pytensor.tensor.special import softmax
    >>> softmax(np.array([1000.0, 0.0])).eval()
    array([1., 0.])
    >>> softmax(np.log(np.array([[1.0, 3.0], [2.0, 2.0]])), axis=1).eval()
    array([[0.25, 0.75],
           [0.5 , 0.5 ]])
    """
    return softmax_of(c, axis, "softmax")


def log_softmax(c: Any, axis: Any = None) -> Any:
    """``c - logsumexp(c, axis)``, as ``scipy.special.log_softmax``.

    Stable for large inputs (the maximum along ``axis`` is subtracted first)
    and exact where the softmax underflows. One ``LogSoftmax`` node whose
    gradient is ``g - softmax(c) * sum(g)``.

    Examples
    --------
    >>> import numpy as np
    >>> from pytensor.tensor.special import log_softmax
    >>> log_softmax(np.array([1000.0, 0.0])).eval()
    array([    0., -1000.])
    """
    return log_softmax_of(c, axis, "log_softmax")


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
