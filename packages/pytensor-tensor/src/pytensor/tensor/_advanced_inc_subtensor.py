"""Writing into an advanced-indexed region: ``AdvancedIncSubtensor1``, ``AdvancedIncSubtensor``.

Layer: pytensor-tensor. Re-exported by :mod:`pytensor.tensor.subtensor`. An
increment with repeated indices accumulates, like ``np.add.at``; a set with
repeated indices keeps one of the values (NumPy's assignment).
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
from pytensor.tensor._advanced_subtensor import (
    AdvancedSubtensor,
    AdvancedSubtensor1,
    _indexable,
    as_index_vector,
)
from pytensor.tensor._inc_subtensor import (
    _sum_to,
    as_value_pair,
    check_value_runtime,
    check_value_static,
    write_pushforward,
)
from pytensor.tensor._shape_calc import ShapedOp
from pytensor.tensor.type import TensorType

__all__ = ["AdvancedIncSubtensor", "AdvancedIncSubtensor1"]


class _AdvancedWrite:
    """What the two advanced increment Ops share: flags, writing, gradients (a mixin, not an Op)."""

    inplace: bool
    set_instead_of_inc: bool

    def _init_flags(self, inplace: bool, set_instead_of_inc: bool) -> None:
        self.inplace = bool(inplace)
        self.set_instead_of_inc = bool(set_instead_of_inc)
        if self.inplace:
            self.destroy_map = {0: [0]}  # type: ignore[misc]

    @property
    def _verb(self) -> str:
        return "set" if self.set_instead_of_inc else "increment"

    def _name(self, base: str) -> str:
        name = base.replace("Inc", "Set") if self.set_instead_of_inc else base
        return name + ("{inplace}" if self.inplace else "")

    def _write(self, out: np.ndarray, index: Any, y: Any, accumulate: bool) -> None:
        if self.set_instead_of_inc:
            out[index] = y
        elif accumulate:
            np.add.at(out, index, y)
        else:
            out[index] += y

    def _getter(self) -> Op:
        raise NotImplementedError

    def _with(self, **flags: Any) -> Op:
        raise NotImplementedError

    def connection_pattern(self, node: Apply) -> list[list[bool]]:
        return [[True], [True]] + [[False]] * (len(node.inputs) - 2)

    def pullback(
        self, inputs: Sequence[Variable], outputs: Sequence[Variable], cotangents: Sequence[Any]
    ) -> list[Any]:
        """To ``x``: the cotangent (its region zeroed when setting); to ``y``: the region
        gathered, summed over the dimensions ``y`` was broadcast along; indices are
        disconnected."""
        from pytensor.gradient import disconnected_type
        from pytensor.tensor.basic import constant

        x, y, *idx = inputs
        (g,) = cotangents
        if self.set_instead_of_inc:
            zero = constant(np.zeros((), dtype=g.type.dtype))
            gx = self._with(inplace=False, set_instead_of_inc=True)(g, zero, *idx)
        else:
            gx = g
        gy = _sum_to(self._getter()(g, *idx), y)
        return [gx, gy] + [disconnected_type() for _ in idx]

    def pushforward(
        self, inputs: Sequence[Variable], outputs: Sequence[Variable], tangents: Sequence[Any]
    ) -> list[Any]:
        return write_pushforward(self._with(inplace=False), inputs, tangents)


class AdvancedIncSubtensor1(_AdvancedWrite, ShapedOp, Op):
    """A copy of ``x`` with ``x[ilist]`` incremented by (or set to) ``y``; ``ilist`` is an integer
    vector indexing the first axis.

    Repeated indices accumulate their increments (``np.add.at``). ``y``
    broadcasts into the region ``(len(ilist), *x.shape[1:])`` along missing
    leading dimensions and dimensions of static length 1.

    Parameters
    ----------
    inplace
        Write into ``x``'s memory (``destroy_map = {0: [0]}``).
    set_instead_of_inc
        Replace the region by ``y`` instead of adding ``y`` to it.

    Examples
    --------
    >>> import numpy as np
    >>> import pytensor.tensor as pt
    >>> x = pt.dvector("x")
    >>> pt.inc_subtensor(x[[0, 2, 0]], 1.0).eval({x: np.zeros(3)})
    array([2., 0., 1.])
    """

    __props__ = ("inplace", "set_instead_of_inc")

    def __init__(self, inplace: bool = False, set_instead_of_inc: bool = False) -> None:
        self._init_flags(inplace, set_instead_of_inc)

    def __str__(self) -> str:
        return self._name("AdvancedIncSubtensor1")

    def _getter(self) -> Op:
        return AdvancedSubtensor1()

    def _with(self, **flags: Any) -> Op:
        kw = {"inplace": self.inplace, "set_instead_of_inc": self.set_instead_of_inc, **flags}
        return AdvancedIncSubtensor1(**kw)

    def make_node(self, x: Any, y: Any, ilist: Any) -> Apply:  # type: ignore[override]
        x, y = as_value_pair(self, self._verb, _indexable(self, x), y)
        ilist = as_index_vector(self, ilist)
        (shape,) = self.static_shapes([x, y, ilist])
        return Apply(self, [x, y, ilist], [TensorType(x.type.dtype, shape)()])

    def _output_shapes(
        self, inputs: Sequence[Variable], input_shapes: Sequence[Any], S: Any
    ) -> list[Any]:
        x, y, ilist = inputs
        xs = input_shapes[0]
        if not S.symbolic:
            check_static_bounds(self, ilist, xs[0], 0)
            check_value_static(self, self._verb, x, y, (input_shapes[2][0], *xs[1:]))
        return [tuple(xs)]

    def perform(self, node: Apply, inputs: Sequence[Any], output_storage: list[list[Any]]) -> None:
        x, y, ilist = inputs
        out = x if self.inplace else x.copy()
        index = check_index_vector(self, ilist, x.shape[0])
        check_value_runtime(self, self._verb, node, (len(index), *x.shape[1:]), np.shape(y))
        self._write(out, index, y, accumulate=True)
        output_storage[0][0] = out


class AdvancedIncSubtensor(_AdvancedWrite, ShapedOp, Op):
    """A copy of ``x`` with the advanced-indexed region ``x[idx]`` incremented by (or set to) ``y``.

    Inputs are ``x``, ``y`` and the index inputs, laid out as for
    :class:`~pytensor.tensor.subtensor.AdvancedSubtensor` with the same
    ``idx_list``. An increment with repeated indices accumulates, like
    ``np.add.at``.

    Parameters
    ----------
    idx_list
        As for AdvancedSubtensor.
    inplace
        Write into ``x``'s memory (``destroy_map = {0: [0]}``).
    set_instead_of_inc
        Replace the region by ``y`` instead of adding ``y`` to it.
    ignore_duplicates
        Increment with ``x[idx] += y`` (faster; a repeated index then receives
        one increment only). Only correct when the indices are distinct.

    Examples
    --------
    >>> import numpy as np
    >>> import pytensor.tensor as pt
    >>> x = pt.dmatrix("x")
    >>> pt.set_subtensor(x[[0, 1], [1, 0]], [5.0, 6.0]).eval({x: np.zeros((2, 2))})
    array([[0., 5.],
           [6., 0.]])
    """

    __props__ = ("idx_list", "inplace", "set_instead_of_inc", "ignore_duplicates")

    def __init__(
        self,
        idx_list: Iterable[Any],
        inplace: bool = False,
        set_instead_of_inc: bool = False,
        ignore_duplicates: bool = False,
    ) -> None:
        self.idx_list = tuple(advanced_entry_type("AdvancedIncSubtensor", e) for e in idx_list)
        self._init_flags(inplace, set_instead_of_inc)
        self.ignore_duplicates = bool(ignore_duplicates)

    def __hash__(self) -> int:
        flags = (self.inplace, self.set_instead_of_inc, self.ignore_duplicates)
        return hash((type(self), entries_key(self.idx_list), flags))

    def __str__(self) -> str:
        return self._name(f"AdvancedIncSubtensor{{{entries_str(self.idx_list)}}}")

    def _getter(self) -> Op:
        return AdvancedSubtensor(self.idx_list)

    def _with(self, **flags: Any) -> Op:
        kw = {
            "inplace": self.inplace,
            "set_instead_of_inc": self.set_instead_of_inc,
            "ignore_duplicates": self.ignore_duplicates,
            **flags,
        }
        return AdvancedIncSubtensor(self.idx_list, **kw)

    def make_node(self, x: Any, y: Any, *inputs: Any) -> Apply:  # type: ignore[override]
        x, y = as_value_pair(self, self._verb, x, y)
        idx = advanced_index_inputs(self, self.idx_list, x, inputs)
        (shape,) = self.static_shapes([x, y, *idx])
        return Apply(self, [x, y, *idx], [TensorType(x.type.dtype, shape)()])

    def _output_shapes(
        self, inputs: Sequence[Variable], input_shapes: Sequence[Any], S: Any
    ) -> list[Any]:
        x, y, *idx = inputs
        if not S.symbolic:
            region = advanced_shape(
                self, self.idx_list, x, idx, input_shapes[0], input_shapes[2:], S
            )
            check_value_static(self, self._verb, x, y, region)
        return [tuple(input_shapes[0])]

    def perform(self, node: Apply, inputs: Sequence[Any], output_storage: list[list[Any]]) -> None:
        x, y, *values = inputs
        out = x if self.inplace else x.copy()
        index, region = numpy_advanced_index(self, self.idx_list, x.shape, node.inputs[2:], values)
        check_value_runtime(self, self._verb, node, region, np.shape(y))
        self._write(out, index, y, accumulate=not self.ignore_duplicates)
        output_storage[0][0] = out
