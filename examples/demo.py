"""Demo: build a small model with NumPy-like tensors, differentiate it, compile and run it.

A logistic-regression log-likelihood and its gradient, compiled together on
the best installed backend (Numba in the workspace), then on every other
available backend, each checked against NumPy. Run with
``uv run python examples/demo.py``.
"""

from __future__ import annotations

import numpy as np

import pytensor
import pytensor.tensor as pt
from pytensor.compile.mode import Mode


def main() -> None:
    X = pt.matrix("X", shape=(None, 3))
    y = pt.vector("y")
    w = pt.vector("w", shape=(3,))
    p = pt.sigmoid(X @ w)
    loglik = pt.sum(y * pt.log(p) + (1 - y) * pt.log1p(-p))
    dloglik = pytensor.grad(loglik, w)

    f = pytensor.function([X, y, w], [loglik, dloglik])
    pytensor.dprint(f, print_type=True)

    rng = np.random.default_rng(0)
    Xv = rng.normal(size=(5, 3))
    yv = (rng.random(5) > 0.5).astype("float64")
    wv = np.array([0.5, -1.0, 0.25])
    value, gradient = f(Xv, yv, wv)

    pv = 1 / (1 + np.exp(-Xv @ wv))
    np.testing.assert_allclose(value, np.sum(yv * np.log(pv) + (1 - yv) * np.log1p(-pv)))
    np.testing.assert_allclose(gradient, Xv.T @ (yv - pv))
    print(f"default backend: {f.maker.linker.name}")
    print(f"log-likelihood = {value:.6f}")
    print(f"gradient       = {np.array2string(gradient, precision=6)}")
    print("both match NumPy")

    from pytensor.link.registry import available_backends

    for name in available_backends():
        g = pytensor.function([X, y, w], [loglik, dloglik], mode=Mode(linker=name))
        other_value, other_gradient = g(Xv, yv, wv)
        np.testing.assert_allclose(other_value, value, rtol=1e-12)
        np.testing.assert_allclose(other_gradient, gradient, rtol=1e-12)
        print(f"{name:>5} backend agrees")


if __name__ == "__main__":
    main()
