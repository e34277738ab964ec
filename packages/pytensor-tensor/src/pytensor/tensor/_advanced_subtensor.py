"""Advanced indexing: ``AdvancedSubtensor1`` and ``AdvancedSubtensor`` (layer: pytensor-tensor).

Re-exported by :mod:`pytensor.tensor.subtensor`, PyTensor's path for these names.
Both return copies (no view_map). Their pullbacks scatter the cotangent into
zeros with the matching increment Op, so repeated indices accumulate.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import Any

import numpy as np

from pytensor.graph.basic import Apply, Variable
from pytensor.graph.op import Op
from pytensor.tensor._advanced_index import (
    advanced_entry_type,
    advanced_index_inputs,
    advanced_shape,
    check_index_vector,
    check_static_bounds,
    entries_key,
    entries_str,
    numpy_advanced_index,
)
from pytensor.tensor._shape_calc import ShapedOp
from pytensor.tensor.subtensor import _INT_DTYPES
from pytensor.tensor.type import TensorType

__all__ = ["AdvancedSubtensor", "AdvancedSubtensor1"]


def as_index_vector(op: Any, ilist: Any) -> Variable:
    """``ilist`` as an integer vector variable, or TypeError naming ``op``."""
    from pytensor.tensor.basic import as_tensor_variable

    ilist = as_tensor_variable(ilist)
    dtype = ilist.type.dtype
    if dtype not in _INT_DTYPES:
        hint = " (boolean masks go through AdvancedSubtensor)" if dtype == "bool" else ""
        raise TypeError(f"{op}: index {ilist} has dtype {dtype}; indices must be integers{hint}")
    if ilist.type.ndim != 1:
        raise TypeError(
            f"{op}: index {ilist} has {ilist.type.ndim} dimensions; {op} takes an integer vector"
        )
    return ilist  # type: ignore[no-any-return]


def _indexable(op: Any, x: Any) -> Variable:
    from pytensor.tensor.basic import as_tensor_variable

    x = as_tensor_variable(x)
    if x.type.ndim == 0:
        raise IndexError(f"{op}: cannot index the 0-d tensor {x} along its first axis")
    return x  # type: ignore[no-any-return]


class AdvancedSubtensor1(ShapedOp, Op):
    """``x[ilist]`` for an integer vector ``ilist`` indexing the first axis (a copy).

    The output has shape ``(len(ilist), *x.shape[1:])``; negative indices count
    from the end, an index out of bounds raises IndexError.

    Examples
    --------
    >>> import numpy as np
    >>> import pytensor.tensor as pt
    >>> x = pt.dmatrix("x")
    >>> y = x[[2, 0, 2]]
    >>> type(y.owner.op).__name__, y.type.shape
    ('AdvancedSubtensor1', (3, None))
    >>> y.eval({x: np.arange(6.0).reshape(3, 2)})
    array([[4., 5.],
           [0., 1.],
           [4., 5.]])
    """

    __props__ = ()

    def make_node(self, x: Any, ilist: Any) -> Apply:  # type: ignore[override]
        x = _indexable(self, x)
        ilist = as_index_vector(self, ilist)
        (shape,) = self.static_shapes([x, ilist])
        return Apply(self, [x, ilist], [TensorType(x.type.dtype, shape)()])

    def _output_shapes(
        self, inputs: Sequence[Variable], input_shapes: Sequence[Any], S: Any
    ) -> list[Any]:
        xs, (n,) = input_shapes
        if not S.symbolic:
            check_static_bounds(self, inputs[1], xs[0], 0)
        return [(n, *xs[1:])]

    def perform(self, node: Apply, inputs: Sequence[Any], output_storage: list[list[Any]]) -> None:
        x, ilist = inputs
        index = check_index_vector(self, ilist, x.shape[0])
        output_storage[0][0] = np.take(x, index, axis=0)

    def connection_pattern(self, node: Apply) -> list[list[bool]]:
        return [[True], [False]]

    def pullback(
        self, inputs: Sequence[Variable], outputs: Sequence[Variable], cotangents: Sequence[Any]
    ) -> list[Any]:
        """The cotangent added into zeros at ``ilist`` (repeats accumulate); the index is
        disconnected."""
        from pytensor.gradient import disconnected_type
        from pytensor.tensor._advanced_inc_subtensor import AdvancedIncSubtensor1
        from pytensor.tensor.basic import zeros_like

        x, ilist = inputs
        return [AdvancedIncSubtensor1()(zeros_like(x), cotangents[0], ilist), disconnected_type()]

    def pushforward(
        self, inputs: Sequence[Variable], outputs: Sequence[Variable], tangents: Sequence[Any]
    ) -> list[Any]:
        return [self(tangents[0], inputs[1])]


class AdvancedSubtensor(ShapedOp, Op):
    """NumPy's advanced indexing ``x[idx]``: integer arrays, boolean masks, mixed with slices and
    new axes (a copy).

    Parameters
    ----------
    idx_list
        One entry per index position: ``None`` (a new axis), a ``slice`` of
        integer scalar types (or None), or the ``TensorType`` of an index array
        (integers of any rank, or a boolean mask). The index values are the
        node's inputs after ``x``, in order; see
        :func:`~pytensor.tensor.subtensor.indices_from_subtensor`.

    Notes
    -----
    The index arrays broadcast together (a mask counts as the vector of its
    true positions), along dimensions of static length 1 only. Their
    dimensions replace the first array's position when the arrays are
    adjacent, and come first when a slice or new axis separates them. An
    integer out of bounds raises IndexError naming the axis, the index and the
    length; a mask whose shape differs from the dimensions it indexes raises
    IndexError with both shapes. A mask's number of true entries is static
    only when the mask is a constant.

    Examples
    --------
    >>> import numpy as np
    >>> import pytensor.tensor as pt
    >>> x = pt.tensor3("x", shape=(2, 3, 4))
    >>> x[[0, 1], :, [1, 2]].type.shape
    (2, 3)
    >>> x[:, [0, 2], [1, 3]].type.shape
    (2, 2)
    >>> m = pt.matrix("m", shape=(2, 3), dtype="bool")
    >>> x[m].type.shape
    (None, 4)
    """

    __props__ = ("idx_list",)

    def __init__(self, idx_list: Iterable[Any]) -> None:
        self.idx_list = tuple(advanced_entry_type("AdvancedSubtensor", e) for e in idx_list)

    def __hash__(self) -> int:
        return hash((type(self), entries_key(self.idx_list)))

    def __str__(self) -> str:
        return f"AdvancedSubtensor{{{entries_str(self.idx_list)}}}"

    def make_node(self, x: Any, *inputs: Any) -> Apply:  # type: ignore[override]
        from pytensor.tensor.basic import as_tensor_variable

        x = as_tensor_variable(x)
        idx = advanced_index_inputs(self, self.idx_list, x, inputs)
        (shape,) = self.static_shapes([x, *idx])
        return Apply(self, [x, *idx], [TensorType(x.type.dtype, shape)()])

    def _output_shapes(
        self, inputs: Sequence[Variable], input_shapes: Sequence[Any], S: Any
    ) -> list[Any]:
        x, *idx = inputs
        shape = advanced_shape(self, self.idx_list, x, idx, input_shapes[0], input_shapes[1:], S)
        return [shape]

    def perform(self, node: Apply, inputs: Sequence[Any], output_storage: list[list[Any]]) -> None:
        x, *values = inputs
        index, _ = numpy_advanced_index(self, self.idx_list, x.shape, node.inputs[1:], values)
        out = np.asarray(x[index])
        # A NumPy result that is a view (no index array left after NumPy's own
        # analysis) must not alias the input: this Op declares no view_map.
        if np.may_share_memory(out, x):
            out = out.copy()
        output_storage[0][0] = out

    def connection_pattern(self, node: Apply) -> list[list[bool]]:
        return [[True]] + [[False]] * (len(node.inputs) - 1)

    def pullback(
        self, inputs: Sequence[Variable], outputs: Sequence[Variable], cotangents: Sequence[Any]
    ) -> list[Any]:
        """The cotangent added into zeros at the index (repeats accumulate, like
        ``np.add.at``); indices are disconnected."""
        from pytensor.gradient import disconnected_type
        from pytensor.tensor._advanced_inc_subtensor import AdvancedIncSubtensor
        from pytensor.tensor.basic import zeros_like

        x, *idx = inputs
        gx = AdvancedIncSubtensor(self.idx_list)(zeros_like(x), cotangents[0], *idx)
        return [gx] + [disconnected_type() for _ in idx]

    def pushforward(
        self, inputs: Sequence[Variable], outputs: Sequence[Variable], tangents: Sequence[Any]
    ) -> list[Any]:
        return [self(tangents[0], *inputs[1:])]
