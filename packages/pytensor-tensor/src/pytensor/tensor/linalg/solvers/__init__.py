"""Linear solvers: general, triangular and Cholesky-factored systems (layer: pytensor-tensor).

The names are imported from the submodules (or from :mod:`pytensor.tensor.linalg`).
"""

__all__: list[str] = []
