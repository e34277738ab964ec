"""Linear algebra on matrices (layer: pytensor-tensor): PyTensor 3.0's ``pytensor.tensor.linalg``.

Decompositions (``cholesky``, ``eigh``, ``lu``, ``qr``, ``svd``, ...), solvers
(``solve``, ``solve_triangular``, ``cho_solve``, ``lu_solve``), inverses,
determinants, norms and products. The Ops compute with NumPy/SciPy and have
pullbacks; they take 2-d matrices (batched inputs come with Blockwise).
"""

from __future__ import annotations

from pytensor.tensor._diag import diagonal
from pytensor.tensor.linalg.constructors import BlockDiagonal, block_diag
from pytensor.tensor.linalg.decomposition.cholesky import Cholesky, cholesky
from pytensor.tensor.linalg.decomposition.eigen import Eig, Eigh, Eigvalsh, eig, eigh, eigvalsh
from pytensor.tensor.linalg.decomposition.lu import (
    LU,
    LUFactor,
    PivotToPermutations,
    lu,
    lu_factor,
    pivot_to_permutation,
)
from pytensor.tensor.linalg.decomposition.qr import QR, qr
from pytensor.tensor.linalg.decomposition.svd import SVD, svd
from pytensor.tensor.linalg.inverse import (
    MatrixInverse,
    MatrixPinv,
    inv,
    matrix_inverse,
    pinv,
    tensorinv,
)
from pytensor.tensor.linalg.products import Expm, expm, kron, matrix_dot, matrix_power, multi_dot
from pytensor.tensor.linalg.solvers.core import SolveBase
from pytensor.tensor.linalg.solvers.general import Solve, lu_solve, solve
from pytensor.tensor.linalg.solvers.psd import CholeskySolve, cho_solve
from pytensor.tensor.linalg.solvers.triangular import SolveTriangular, solve_triangular
from pytensor.tensor.linalg.summary import Det, SLogDet, det, norm, slogdet, trace

__all__ = [
    "LU",
    "QR",
    "SVD",
    "BlockDiagonal",
    "Cholesky",
    "CholeskySolve",
    "Det",
    "Eig",
    "Eigh",
    "Eigvalsh",
    "Expm",
    "LUFactor",
    "MatrixInverse",
    "MatrixPinv",
    "PivotToPermutations",
    "SLogDet",
    "Solve",
    "SolveBase",
    "SolveTriangular",
    "block_diag",
    "cho_solve",
    "cholesky",
    "det",
    "diagonal",
    "eig",
    "eigh",
    "eigvalsh",
    "expm",
    "inv",
    "kron",
    "lu",
    "lu_factor",
    "lu_solve",
    "matrix_dot",
    "matrix_inverse",
    "matrix_power",
    "multi_dot",
    "norm",
    "pinv",
    "pivot_to_permutation",
    "qr",
    "slogdet",
    "solve",
    "solve_triangular",
    "svd",
    "tensorinv",
    "trace",
]
