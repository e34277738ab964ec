"""Products of tensors: ``Dot`` (vectors and matrices) and ``Matmul`` (stacks of
matrices), with ``dot``, ``matmul`` and ``outer`` (layer: pytensor-tensor).

Re-exported by :mod:`pytensor.tensor.math`.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import numpy as np

from pytensor.graph.basic import Apply, Variable
from pytensor.graph.op import Op
from pytensor.scalar.basic import upcast
from pytensor.tensor._shape_calc import ShapedOp
from pytensor.tensor.basic import as_tensor_variable
from pytensor.tensor.type import TensorType

__all__ = ["Dot", "Matmul", "dense_dot", "dot", "matmul", "outer"]


def _fmt(shape: Sequence[Any]) -> str:
    return (
        "("
        + ", ".join("?" if s is None else str(s) for s in shape)
        + (",)" if len(shape) == 1 else ")")
    )


class Dot(ShapedOp, Op):
    """Product of vectors and matrices with ``numpy.dot`` semantics.

    Inputs are 1-d or 2-d; the last dimension of ``x`` is contracted with the
    first of ``y``. Vector-vector gives a 0-d result. The output dtype is
    NumPy's promotion of the two input dtypes.

    Examples
    --------
    >>> import pytensor.tensor as pt
    >>> from pytensor.tensor.math import Dot
    >>> x, y = pt.matrix("x", shape=(2, 3)), pt.vector("y", shape=(3,))
    >>> Dot()(x, y).type.shape
    (2,)
    """

    __props__ = ()

    def make_node(self, x: Any, y: Any) -> Apply:  # type: ignore[override]
        x, y = as_tensor_variable(x), as_tensor_variable(y)
        v: Any
        for name, v in (("x", x), ("y", y)):
            if v.type.ndim not in (1, 2):
                raise TypeError(
                    f"Dot: input {name} ({v}) must be 1-d or 2-d, got type {v.type}; "
                    "use pt.dot or pt.matmul for other ranks"
                )
        (shape,) = self.static_shapes([x, y])
        return Apply(self, [x, y], [TensorType(upcast(x.type.dtype, y.type.dtype), shape)()])

    def _output_shapes(
        self, inputs: Sequence[Variable], input_shapes: Sequence[Any], S: Any
    ) -> list[Any]:
        xs, ys = input_shapes
        x: Any
        y: Any
        x, y = inputs
        S.equal(
            self,
            xs[-1],
            ys[0],
            f"the contracted dimensions of x ({x}, shape {_fmt(x.type.shape)}) and "
            f"y ({y}, shape {_fmt(y.type.shape)}) differ",
        )
        return [tuple(xs[:-1]) + tuple(ys[1:])]

    def perform(self, node: Any, inputs: Sequence[Any], output_storage: list[list[Any]]) -> None:
        x, y = inputs
        if x.shape[-1] != y.shape[0]:
            raise ValueError(
                f"Dot: the contracted dimensions of x (shape {x.shape}) and y (shape {y.shape}) differ: "
                f"{x.shape[-1]} != {y.shape[0]}"
            )
        output_storage[0][0] = np.asarray(np.dot(x, y), dtype=node.outputs[0].type.dtype)

    def pullback(
        self, inputs: Sequence[Variable], outputs: Sequence[Variable], cotangents: Sequence[Any]
    ) -> list[Any]:
        x: Any
        y: Any
        x, y = inputs
        g: Any = cotangents[0]
        if x.type.ndim == 1 and y.type.ndim == 1:
            return [g * y, g * x]
        if x.type.ndim == 2 and y.type.ndim == 1:
            return [g.dimshuffle(0, "x") * y.dimshuffle("x", 0), self(x.T, g)]
        if x.type.ndim == 1 and y.type.ndim == 2:
            return [self(y, g), x.dimshuffle(0, "x") * g.dimshuffle("x", 0)]
        return [self(g, y.T), self(x.T, g)]

    def __str__(self) -> str:
        return "Dot"


class Matmul(ShapedOp, Op):
    """Matrix product of stacks of matrices with ``numpy.matmul`` semantics.

    Both inputs have at least 2 dimensions: the last two are the matrices
    (``(m, k) @ (k, n) -> (m, n)``), the leading ones are batch dimensions
    that broadcast against each other. As everywhere, a batch dimension
    broadcasts only when its static length is 1.

    ``core_op`` is the ``Dot`` applied to each pair of matrices and
    ``signature`` its gufunc signature.
    """

    __props__ = ()
    signature = "(m,k),(k,n)->(m,n)"

    @property
    def core_op(self) -> Dot:
        return _dot

    def make_node(self, x: Any, y: Any) -> Apply:  # type: ignore[override]
        x, y = as_tensor_variable(x), as_tensor_variable(y)
        v: Any
        for name, v in (("x", x), ("y", y)):
            if v.type.ndim < 2:
                raise TypeError(
                    f"Matmul: input {name} ({v}) needs at least 2 dimensions, got type {v.type}; "
                    "use pt.matmul, which handles vectors"
                )
        (shape,) = self.static_shapes([x, y])
        return Apply(self, [x, y], [TensorType(upcast(x.type.dtype, y.type.dtype), shape)()])

    def _output_shapes(
        self, inputs: Sequence[Variable], input_shapes: Sequence[Any], S: Any
    ) -> list[Any]:
        x: Any
        y: Any
        x, y = inputs
        xs, ys = list(input_shapes[0]), list(input_shapes[1])
        xst, yst = list(x.type.shape), list(y.type.shape)
        desc = f"x ({x}, shape {_fmt(xst)}) and y ({y}, shape {_fmt(yst)})"
        S.equal(self, xs[-1], ys[-2], f"the contracted dimensions of {desc} differ")
        nb = max(len(xs), len(ys)) - 2
        xb = [(1, S.const(1))] * (nb - len(xs) + 2) + list(zip(xst[:-2], xs[:-2], strict=True))
        yb = [(1, S.const(1))] * (nb - len(ys) + 2) + list(zip(yst[:-2], ys[:-2], strict=True))
        batch = []
        for d, (xd, yd) in enumerate(zip(xb, yb, strict=True)):
            cands = [dim for static, dim in (xd, yd) if static != 1]
            if not cands:
                batch.append(S.const(1))
            elif len(cands) == 1:
                batch.append(cands[0])
            else:
                batch.append(
                    S.equal(self, cands[0], cands[1], f"batch dimension {d} of {desc} differs")
                )
        return [(*batch, xs[-2], ys[-1])]

    def perform(self, node: Any, inputs: Sequence[Any], output_storage: list[list[Any]]) -> None:
        x, y = inputs
        if x.shape[-1] != y.shape[-2]:
            raise ValueError(
                f"Matmul: the contracted dimensions of x (shape {x.shape}) and y (shape {y.shape}) "
                f"differ: {x.shape[-1]} != {y.shape[-2]}"
            )
        self._check_batch(node, x, y)
        output_storage[0][0] = np.asarray(np.matmul(x, y), dtype=node.outputs[0].type.dtype)

    def pullback(
        self, inputs: Sequence[Variable], outputs: Sequence[Variable], cotangents: Sequence[Any]
    ) -> list[Any]:
        x: Any
        y: Any
        x, y = inputs
        g: Any = cotangents[0]
        gx = self(g, _swap_last(y))
        gy = self(_swap_last(x), g)
        return [_reduce_to(gx, x), _reduce_to(gy, y)]

    def _check_batch(self, node: Any, x: np.ndarray, y: np.ndarray) -> None:
        nb = node.outputs[0].type.ndim - 2
        xst = (1,) * (nb + 2 - x.ndim) + node.inputs[0].type.shape[:-2]
        yst = (1,) * (nb + 2 - y.ndim) + node.inputs[1].type.shape[:-2]
        xsh = (1,) * (nb + 2 - x.ndim) + x.shape[:-2]
        ysh = (1,) * (nb + 2 - y.ndim) + y.shape[:-2]
        for d in range(nb):
            if xst[d] != 1 and yst[d] != 1 and xsh[d] != ysh[d]:
                hint = (
                    " Runtime broadcasting is not allowed: declare a length-1 batch dimension in the "
                    "static shape (e.g. pt.specify_broadcastable) to broadcast it."
                    if 1 in (xsh[d], ysh[d])
                    else ""
                )
                raise ValueError(
                    f"Matmul: batch dimension {d} of x (shape {x.shape}) and y (shape {y.shape}) "
                    f"differs: {xsh[d]} != {ysh[d]}.{hint}"
                )

    def __str__(self) -> str:
        return "Matmul"


_dot = Dot()
_matmul = Matmul()


def _drop_axis(v: Any, axis: int) -> Any:
    axis = axis % v.type.ndim
    return v.dimshuffle([d for d in range(v.type.ndim) if d != axis])


def matmul(x1: Any, x2: Any, dtype: str | None = None) -> Any:
    """Matrix product with ``numpy.matmul`` semantics (stacks of matrices broadcast).

    A 1-d first (second) input is treated as a row (column) vector and the
    added dimension is removed from the result. Scalars are not allowed.

    Examples
    --------
    >>> import numpy as np, pytensor.tensor as pt
    >>> a = np.ones((4, 2, 3)); b = np.ones((3, 5))
    >>> pt.matmul(a, b).type.shape
    (4, 2, 5)
    """
    x1, x2 = as_tensor_variable(x1), as_tensor_variable(x2)
    if x1.type.ndim == 0 or x2.type.ndim == 0:
        raise ValueError(
            f"matmul: operands cannot be scalars (got {x1.type} and {x2.type}); use mul"
        )
    if x1.type.ndim == 1 and x2.type.ndim == 1:
        out = _dot(x1, x2)
    elif x1.type.ndim == 1:
        out = _drop_axis(_matmul(x1.dimshuffle("x", 0), x2), -2)
    elif x2.type.ndim == 1:
        out = _drop_axis(_matmul(x1, x2.dimshuffle(0, "x")), -1)
    else:
        out = _matmul(x1, x2)
    if dtype is not None:
        out = out.astype(dtype)
    return out


def dot(l: Any, r: Any) -> Any:  # noqa: E741 (PyTensor's parameter names)
    """Product with ``numpy.dot`` semantics.

    0-d inputs multiply elementwise; vectors and matrices use ``Dot``; for
    higher ranks the last axis of ``l`` is contracted with the second-to-last
    of ``r`` (the result has shape ``l.shape[:-1] + r.shape[:-2] + r.shape[-1:]``).

    Examples
    --------
    >>> import numpy as np, pytensor.tensor as pt
    >>> pt.dot(np.ones((2, 3)), np.arange(3.0)).eval()
    array([3., 3.])
    """
    from pytensor.tensor.math import mul

    l, r = as_tensor_variable(l), as_tensor_variable(r)  # noqa: E741
    if l.type.ndim == 0 or r.type.ndim == 0:
        return mul(l, r)
    if l.type.ndim <= 2 and r.type.ndim <= 2:
        return _dot(l, r)
    if l.type.ndim == 1 or r.type.ndim == 1:
        return matmul(l, r)
    # l: (*A, k), r: (*J, k, n) -> (*A, *J, n): batch over A and J with a length-1 row.
    na, nj = l.type.ndim - 1, r.type.ndim - 2
    lx = l.dimshuffle(*range(na), *["x"] * nj, "x", na)
    rx = r.dimshuffle(*["x"] * na, *range(r.type.ndim))
    return _drop_axis(_matmul(lx, rx), -2)


dense_dot = dot


def outer(x: Any, y: Any) -> Any:
    """Outer product of two vectors (other inputs are flattened first), as ``numpy.outer``.

    Examples
    --------
    >>> import numpy as np, pytensor.tensor as pt
    >>> pt.outer(np.arange(2), np.arange(3)).eval()
    array([[0, 0, 0],
           [0, 1, 2]])
    """
    from pytensor.tensor.math import mul

    x, y = as_tensor_variable(x), as_tensor_variable(y)
    if x.type.ndim != 1:
        x = x.flatten()
    if y.type.ndim != 1:
        y = y.flatten()
    return mul(x.dimshuffle(0, "x"), y.dimshuffle("x", 0))


def _swap_last(v: Any) -> Any:
    order: list[Any] = list(range(v.type.ndim))
    order[-1], order[-2] = order[-2], order[-1]
    return v.dimshuffle(order)


def _reduce_to(g: Any, target: Any) -> Any:
    """Sum ``g`` over the batch dimensions that ``target`` broadcast along."""
    from pytensor.tensor.math import sum as pt_sum

    extra = g.type.ndim - target.type.ndim
    if extra:
        g = pt_sum(g, axis=tuple(range(extra)))
    axes = tuple(
        d for d in range(target.type.ndim - 2) if target.type.shape[d] == 1 and g.type.shape[d] != 1
    )
    return pt_sum(g, axis=axes, keepdims=True) if axes else g
