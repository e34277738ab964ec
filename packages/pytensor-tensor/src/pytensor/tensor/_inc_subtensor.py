"""Writing into an indexed region: ``IncSubtensor``, ``set_subtensor``, ``inc_subtensor``.

Layer: pytensor-tensor. Re-exported by :mod:`pytensor.tensor.subtensor`, PyTensor's
path for these names. ``IncSubtensor`` handles basic indices (integers and
slices); ``inc_subtensor`` hands advanced ones to the Ops of
``_advanced_inc_subtensor``, and the value checks here serve both.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import Any

import numpy as np

from pytensor.graph.basic import Apply, Variable
from pytensor.graph.op import Op
from pytensor.tensor._shape_calc import ShapedOp
from pytensor.tensor.subtensor import (
    Subtensor,
    _entry_key,
    _entry_str,
    _index_inputs,
    _numpy_index,
    _region_shape,
    index_vars_to_types,
)
from pytensor.tensor.type import TensorType, _fmt_shape

__all__ = ["IncSubtensor", "inc_subtensor", "set_subtensor"]


class IncSubtensor(ShapedOp, Op):
    """A copy of ``x`` whose region ``x[idx]`` is incremented by (or set to) ``y``.

    Inputs are ``x``, ``y`` and the index inputs, laid out as for
    :class:`~pytensor.tensor.subtensor.Subtensor` with the same ``idx_list``.
    ``y`` is aligned with the trailing dimensions of the region; a dimension of
    ``y`` broadcasts only if its static length is 1. The output has the type
    of ``x``.

    Parameters
    ----------
    idx_list
        As for Subtensor: integer scalar types and slices of them.
    inplace
        Write into ``x``'s memory (``destroy_map = {0: [0]}``).
    set_instead_of_inc
        Replace the region by ``y`` instead of adding ``y`` to it.

    Examples
    --------
    >>> import numpy as np
    >>> import pytensor.tensor as pt
    >>> x = pt.dvector("x")
    >>> pt.set_subtensor(x[1:3], 5.0).eval({x: np.zeros(4)})
    array([0., 5., 5., 0.])
    """

    __props__ = ("idx_list", "inplace", "set_instead_of_inc")

    def __init__(
        self,
        idx_list: Iterable[Any],
        inplace: bool = False,
        set_instead_of_inc: bool = False,
        destroyhandler_tolerate_aliased: Sequence[Any] | None = None,
    ) -> None:
        self.idx_list = tuple(index_vars_to_types(e) for e in idx_list)
        if any(e is None for e in self.idx_list):
            raise TypeError(
                "IncSubtensor: idx_list entries are integer types or slices (no new axes)"
            )
        self.inplace = bool(inplace)
        self.set_instead_of_inc = bool(set_instead_of_inc)
        if self.inplace:
            self.destroy_map = {0: [0]}  # type: ignore[misc]
        self.destroyhandler_tolerate_aliased = list(destroyhandler_tolerate_aliased or [])

    def __hash__(self) -> int:
        key = tuple(_entry_key(e) for e in self.idx_list)
        return hash((type(self), key, self.inplace, self.set_instead_of_inc))

    def __str__(self) -> str:
        name = "SetSubtensor" if self.set_instead_of_inc else "IncSubtensor"
        flags = "{inplace}" if self.inplace else ""
        return f"{name}{{{', '.join(_entry_str(e) for e in self.idx_list)}}}{flags}"

    @property
    def _verb(self) -> str:
        return "set" if self.set_instead_of_inc else "increment"

    def make_node(self, x: Any, y: Any, *inputs: Any) -> Apply:  # type: ignore[override]
        x, y = as_value_pair(self, self._verb, x, y)
        idx_vars = _index_inputs(self, self.idx_list, x, inputs)
        (shape,) = self.static_shapes([x, y, *idx_vars])
        return Apply(self, [x, y, *idx_vars], [TensorType(x.type.dtype, shape)()])

    def _output_shapes(
        self, inputs: Sequence[Variable], input_shapes: Sequence[Any], S: Any
    ) -> list[Any]:
        x, y, *idx = inputs
        region = _region_shape(self, self.idx_list, idx, input_shapes[0], S)
        if not S.symbolic:
            check_value_static(self, self._verb, x, y, region)
        return [tuple(input_shapes[0])]

    def perform(self, node: Apply, inputs: Sequence[Any], output_storage: list[list[Any]]) -> None:
        x, y, *values = inputs
        out = x if self.inplace else x.copy()
        region = out[_numpy_index(self, self.idx_list, out, values)]
        check_value_runtime(self, self._verb, node, region.shape, np.shape(y))
        if self.set_instead_of_inc:
            region[...] = y
        else:
            np.add(region, y, out=region, casting="unsafe")
        output_storage[0][0] = out

    def connection_pattern(self, node: Apply) -> list[list[bool]]:
        return [[True], [True]] + [[False]] * (len(node.inputs) - 2)

    def pullback(
        self, inputs: Sequence[Variable], outputs: Sequence[Variable], cotangents: Sequence[Any]
    ) -> list[Any]:
        """To ``x``: the cotangent (its region zeroed when setting); to ``y``: the region, summed
        over the dimensions ``y`` was broadcast along; indices are disconnected."""
        from pytensor.gradient import disconnected_type
        from pytensor.tensor.basic import constant

        x, y, *idx = inputs
        (g,) = cotangents
        if self.set_instead_of_inc:
            zero = constant(np.zeros((), dtype=g.type.dtype))
            gx = IncSubtensor(self.idx_list, set_instead_of_inc=True)(g, zero, *idx)
        else:
            gx = g
        gy = _sum_to(Subtensor(self.idx_list)(g, *idx), y)
        return [gx, gy] + [disconnected_type() for _ in idx]

    def pushforward(
        self, inputs: Sequence[Variable], outputs: Sequence[Variable], tangents: Sequence[Any]
    ) -> list[Any]:
        op = IncSubtensor(self.idx_list, set_instead_of_inc=self.set_instead_of_inc)
        return write_pushforward(op, inputs, tangents)


def write_pushforward(op: Op, inputs: Sequence[Variable], tangents: Sequence[Any]) -> list[Any]:
    """Tangent of a region write: the same (non-inplace) write ``op`` applied to the tangents
    of ``x`` and of the value, at the same indices (the write is linear in both)."""
    from pytensor.tensor.basic import zeros_like

    x, y, *idx = inputs
    tx = tangents[0] if tangents[0] is not None else zeros_like(x)
    ty = tangents[1] if tangents[1] is not None else zeros_like(y)
    return [op(tx, ty, *idx)]


def as_value_pair(op: Any, verb: str, x: Any, y: Any) -> tuple[Variable, Variable]:
    """``x`` and the value ``y`` as tensors, ``y`` cast to ``x``'s dtype (within its kind)."""
    from pytensor.tensor.basic import as_tensor_variable, cast

    x, y = as_tensor_variable(x), as_tensor_variable(y)
    if y.type.dtype != x.type.dtype:
        if not np.can_cast(y.type.dtype, x.type.dtype, "same_kind"):
            raise TypeError(
                f"{op}: cannot {verb} a region of {x} (dtype {x.type.dtype}) with "
                f"{y} of dtype {y.type.dtype}: the value must convert to {x.type.dtype} "
                "within its kind (cast it explicitly)"
            )
        y = cast(y, x.type.dtype)
    return x, y


def check_value_static(
    op: Any, verb: str, x: Variable, y: Variable, region: Sequence[int | None]
) -> None:
    """The value ``y`` must fit the region of ``x`` (static shapes): ValueError naming ``op``."""
    if y.type.ndim > len(region):
        raise ValueError(
            f"{op}: cannot {verb} the {len(region)}-d region of {x} (static shape "
            f"{_fmt_shape(region)}) with the {y.type.ndim}-d value {y} (static shape "
            f"{_fmt_shape(y.type.shape)})"
        )
    offset = len(region) - y.type.ndim
    for j, ys in enumerate(y.type.shape):
        rs = region[offset + j]
        if ys is not None and ys != 1 and rs is not None and ys != rs:
            raise ValueError(
                f"{op}: cannot {verb} the region of {x} of static shape "
                f"{_fmt_shape(region)} with {y} of static shape {_fmt_shape(y.type.shape)}: "
                f"dimension {j} of the value has length {ys}, the region {rs}"
            )


def check_value_runtime(
    op: Any, verb: str, node: Apply, region: tuple[int, ...], yshape: tuple[int, ...]
) -> None:
    """The value (input 1 of ``node``) must fit the region exactly, except along its dimensions
    of static length 1 and missing leading ones: ValueError naming ``op``."""
    static = node.inputs[1].type.shape
    offset = len(region) - len(yshape)
    bad = offset < 0 or any(
        static[j] != 1 and n != region[offset + j] for j, n in enumerate(yshape)
    )
    if not bad:
        return
    hint = ""
    if offset >= 0 and any(
        n == 1 and static[j] != 1 and region[offset + j] != 1 for j, n in enumerate(yshape)
    ):
        hint = (
            "; runtime broadcasting is not allowed: declare the value's dimension as length 1 "
            "(e.g. with pt.specify_broadcastable)"
        )
    raise ValueError(
        f"{op}: cannot {verb} the region of {node.inputs[0]} of shape {region} with "
        f"the value {node.inputs[1]} of shape {yshape}{hint}"
    )


def _sum_to(g: Variable, y: Variable) -> Variable:
    """``g`` (the shape of a region) summed down to the shape of ``y``, which broadcast into it."""
    from pytensor.tensor.math import sum as pt_sum

    lead = g.type.ndim - y.type.ndim
    if lead:
        g = pt_sum(g, axis=tuple(range(lead)))
    axes = tuple(
        d
        for d, (ys, gs) in enumerate(zip(y.type.shape, g.type.shape, strict=True))
        if ys == 1 and gs != 1
    )
    if axes:
        g = pt_sum(g, axis=axes, keepdims=True)
    return g


def _drop_new_axes(x: Variable, y: Variable, what: str) -> tuple[Variable, Variable]:
    """For ``x = sub.dimshuffle(...)`` that only adds new axes: (sub, y without those axes)."""
    from pytensor.tensor.shape import specify_broadcastable

    op = x.owner.op  # type: ignore[union-attr]
    offset = x.type.ndim - y.type.ndim
    dropped = [p - offset for p in op.augment if p >= offset]
    for j in dropped:
        if y.type.shape[j] is not None and y.type.shape[j] != 1:
            raise ValueError(
                f"{what}: dimension {j} of the value {y} (static shape "
                f"{_fmt_shape(y.type.shape)}) has length {y.type.shape[j]}, but it meets a new "
                f"axis of length 1 in the indexed variable {x}"
            )
    if dropped:
        y = specify_broadcastable(y, *dropped)
        y = y.dimshuffle([d for d in range(y.type.ndim) if d not in dropped])  # type: ignore[attr-defined]
    return x.owner.inputs[0], y  # type: ignore[union-attr]


def _indexed_parts(
    x: Variable, y: Variable, what: str
) -> tuple[Variable, Variable, Any, list[Any]]:
    """(base tensor, value, idx_list, index inputs) for the indexed variable ``x = base[idx]``.

    A variable that is not the result of basic indexing (e.g. ``x[:]``, which is
    ``x`` itself) stands for the whole tensor: an empty ``idx_list``.
    """
    from pytensor.tensor.elemwise import DimShuffle

    node = x.owner
    if (
        node is not None
        and isinstance(node.op, DimShuffle)
        and node.op.is_expand_dims
        and node.inputs[0].owner is not None
        and isinstance(node.inputs[0].owner.op, Subtensor)
    ):
        x, y = _drop_new_axes(x, y, what)
        node = x.owner
    if node is not None and isinstance(node.op, Subtensor):
        return node.inputs[0], y, node.op.idx_list, list(node.inputs[1:])
    return x, y, (), []


def _advanced_write(
    x: Variable, y: Variable, inplace: bool, set_instead_of_inc: bool, ignore_duplicates: bool
) -> Variable | None:
    """The advanced increment Op applied for ``x = base[idx]`` with an advanced index, else None."""
    from pytensor.tensor._advanced_inc_subtensor import (
        AdvancedIncSubtensor,
        AdvancedIncSubtensor1,
    )
    from pytensor.tensor._advanced_subtensor import AdvancedSubtensor, AdvancedSubtensor1

    node = x.owner
    if node is None:
        return None
    if isinstance(node.op, AdvancedSubtensor1):
        op1 = AdvancedIncSubtensor1(inplace, set_instead_of_inc)
        return op1(node.inputs[0], y, node.inputs[1])  # type: ignore[no-any-return]
    if isinstance(node.op, AdvancedSubtensor):
        op = AdvancedIncSubtensor(node.op.idx_list, inplace, set_instead_of_inc, ignore_duplicates)
        return op(node.inputs[0], y, *node.inputs[1:])  # type: ignore[no-any-return]
    return None


def inc_subtensor(
    x: Any,
    y: Any,
    inplace: bool = False,
    set_instead_of_inc: bool = False,
    tolerate_inplace_aliasing: bool = False,
    ignore_duplicates: bool = False,
) -> Variable:
    """The tensor that ``x`` was indexed from, with the region ``x`` incremented by ``y``.

    Parameters
    ----------
    x
        The indexed variable ``a[idx]``: any index ``a[...]`` accepts (basic or
        advanced). A variable that is not an indexing result stands for the
        whole tensor.
    y
        The increment, broadcast into the region (only along dimensions of
        static length 1, or missing leading dimensions).
    inplace
        Build the destructive (inplace) Op; normally the rewriter does this.
    set_instead_of_inc
        Replace the region by ``y`` (see :func:`set_subtensor`).
    tolerate_inplace_aliasing
        Allow ``y`` to alias the destroyed input (with ``inplace``).
    ignore_duplicates
        For advanced indices: increment with ``a[idx] += y`` instead of
        accumulating repeated indices like ``np.add.at`` (faster; only correct
        when the indices are distinct). Basic indices have no duplicates.

    Examples
    --------
    >>> import numpy as np
    >>> import pytensor.tensor as pt
    >>> a = pt.dmatrix("a")
    >>> pt.inc_subtensor(a[0, ::2], [1.0, 2.0]).eval({a: np.zeros((2, 3))})
    array([[1., 0., 2.],
           [0., 0., 0.]])
    >>> v = pt.dvector("v")
    >>> pt.inc_subtensor(v[[0, 0, 2]], 1.0).eval({v: np.zeros(3)})
    array([2., 0., 1.])
    """
    from pytensor.tensor.basic import as_tensor_variable

    what = "set_subtensor" if set_instead_of_inc else "inc_subtensor"
    x, y = as_tensor_variable(x), as_tensor_variable(y)
    if y.type.ndim > x.type.ndim:
        raise ValueError(
            f"{what}: the value {y} has {y.type.ndim} dimensions, more than the {x.type.ndim} "
            f"of the indexed variable {x}"
        )
    advanced = _advanced_write(x, y, inplace, set_instead_of_inc, ignore_duplicates)
    if advanced is not None:
        return advanced
    base, y, idx_list, idx = _indexed_parts(x, y, what)
    aliased = [(0, 1)] if tolerate_inplace_aliasing else None
    op = IncSubtensor(
        idx_list, inplace, set_instead_of_inc, destroyhandler_tolerate_aliased=aliased
    )
    return op(base, y, *idx)  # type: ignore[no-any-return]


def set_subtensor(
    x: Any, y: Any, inplace: bool = False, tolerate_inplace_aliasing: bool = False
) -> Variable:
    """The tensor that ``x`` was indexed from, with the region ``x`` replaced by ``y``.

    ``x`` is the indexed variable ``a[idx]``; see :func:`inc_subtensor`.

    Examples
    --------
    >>> import numpy as np
    >>> import pytensor.tensor as pt
    >>> a = pt.dvector("a")
    >>> pt.set_subtensor(a[-1], 7.0).eval({a: np.zeros(3)})
    array([0., 0., 7.])
    """
    return inc_subtensor(
        x,
        y,
        inplace=inplace,
        set_instead_of_inc=True,
        tolerate_inplace_aliasing=tolerate_inplace_aliasing,
    )
