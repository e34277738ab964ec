"""Numba implementations of the linear-algebra Ops of ``pytensor.tensor.linalg``
(layer: pytensor-backend-numba). Importing this package registers them; the modules
mirror ``pytensor.tensor.linalg``.
"""

from pytensor.link.numba.dispatch.linalg import (  # noqa: F401 (imported for their registrations)
    constructors,
    decomposition,
    inverse,
    products,
    solvers,
    summary,
)

__all__: list[str] = []
