"""Matrix decompositions: one submodule each for Cholesky, eigen, LU, QR and SVD
(layer: pytensor-tensor).

The names are imported from the submodules (or from :mod:`pytensor.tensor.linalg`);
this package re-exports nothing, so that ``decomposition.cholesky`` stays the module.
"""

__all__: list[str] = []
