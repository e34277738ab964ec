"""Numbers that summarise a matrix: ``Det``/``det``, ``SLogDet``/``slogdet``, ``norm`` and
``trace`` (layer: pytensor-tensor)."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import numpy as np

from pytensor.graph.basic import Apply, Variable
from pytensor.graph.op import Op
from pytensor.tensor._diag import trace
from pytensor.tensor._shape_calc import ShapedOp
from pytensor.tensor.linalg._common import as_matrix, check_square, linalg_dtype, square_dim
from pytensor.tensor.linalg._norm import norm
from pytensor.tensor.type import TensorType

__all__ = ["Det", "SLogDet", "det", "norm", "slogdet", "trace"]


class _SquareToScalars:
    """Mixin: a square matrix in, ``n_scalars`` 0-d outputs (the squareness check is shared).

    A mixin rather than a base Op: every ShapedOp class is applied in the shape tests.
    """

    n_scalars: int = 1

    def make_node(self, a: Any) -> Apply:  # type: ignore[override]
        a = as_matrix(self, a, "a")
        shapes = self.static_shapes([a])  # type: ignore[attr-defined]
        dtype = linalg_dtype(a.type.dtype)
        op: Any = self  # a mixin: the concrete class is also an Op
        return Apply(op, [a], [TensorType(dtype, s)() for s in shapes])

    def _output_shapes(
        self, inputs: Sequence[Variable], input_shapes: Sequence[Any], S: Any
    ) -> list[Any]:
        square_dim(self, S, input_shapes[0], inputs[0], "a")
        return [()] * self.n_scalars


class Det(_SquareToScalars, ShapedOp, Op):
    """The determinant of a square matrix (a non-square one raises, naming the shapes)."""

    __props__ = ()

    def perform(self, node: Any, inputs: Sequence[Any], output_storage: list[list[Any]]) -> None:
        (a,) = inputs
        check_square(self, a, "a")
        output_storage[0][0] = np.asarray(np.linalg.det(a), dtype=node.outputs[0].type.dtype)

    def pullback(
        self, inputs: Sequence[Variable], outputs: Sequence[Variable], cotangents: Sequence[Any]
    ) -> list[Any]:
        """``abar = dbar * det(a) * a^-T`` (needs an invertible ``a``)."""
        from pytensor.tensor.linalg.inverse import inv

        a: Any = inputs[0]
        inverse: Any = inv(a)
        return [cotangents[0] * outputs[0] * inverse.T]

    def __str__(self) -> str:
        return "Det"


class SLogDet(_SquareToScalars, ShapedOp, Op):
    """Sign and natural log of the absolute value of the determinant (NumPy's ``slogdet``).

    A singular matrix gives sign 0 and ``-inf``.
    """

    __props__ = ()
    n_scalars = 2

    def perform(self, node: Any, inputs: Sequence[Any], output_storage: list[list[Any]]) -> None:
        (a,) = inputs
        check_square(self, a, "a")
        sign, logabsdet = np.linalg.slogdet(a)
        output_storage[0][0] = np.asarray(sign, dtype=node.outputs[0].type.dtype)
        output_storage[1][0] = np.asarray(logabsdet, dtype=node.outputs[1].type.dtype)

    def pullback(
        self, inputs: Sequence[Variable], outputs: Sequence[Variable], cotangents: Sequence[Any]
    ) -> list[Any]:
        """The sign is piecewise constant; ``abar = lbar * a^-T`` for the log."""
        from pytensor.tensor.linalg.inverse import inv

        a: Any = inputs[0]
        inverse: Any = inv(a)
        return [cotangents[1] * inverse.T]

    def __str__(self) -> str:
        return "SLogDet"


def det(x: Any) -> Variable:
    """The determinant of a square matrix.

    Examples
    --------
    >>> import numpy as np
    >>> from pytensor.tensor.linalg import det
    >>> det(np.array([[1.0, 2.0], [3.0, 4.0]])).eval().round(12)
    np.float64(-2.0)
    """
    return Det()(x)  # type: ignore[no-any-return]


def slogdet(x: Any) -> tuple[Variable, Variable]:
    """Sign and log of the absolute value of the determinant (NumPy's ``slogdet``).

    Computed from an LU factorization, so it does not overflow where ``det`` would.

    Examples
    --------
    >>> import numpy as np
    >>> from pytensor.tensor.linalg import slogdet
    >>> sign, logabsdet = slogdet(np.diag([-1e200, 1e200]))
    >>> sign.eval(), logabsdet.eval().round(6)
    (array(-1.), np.float64(921.034037))
    """
    sign, logabsdet = SLogDet()(x)
    return sign, logabsdet
