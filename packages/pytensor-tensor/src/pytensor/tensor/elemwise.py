"""``Elemwise``, ``DimShuffle`` and ``CAReduce``: scalar Ops over arrays (layer: pytensor-tensor)."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import numpy as np

from pytensor.graph.basic import Apply, Variable
from pytensor.graph.op import Op
from pytensor.scalar.basic import ScalarOp, array_function, get_scalar_type, upcast
from pytensor.tensor._shape_calc import ShapedOp
from pytensor.tensor.type import TensorType

__all__ = ["CAReduce", "DimShuffle", "Elemwise", "scalar_elemwise"]


class DimShuffle(ShapedOp, Op):
    """Reorder, add and drop dimensions of a tensor (as a view).

    Parameters
    ----------
    input_ndim
        Number of dimensions of the input.
    new_order
        For each output dimension, the input dimension it takes, or ``"x"``
        for a new length-1 dimension. Input dimensions not listed are
        dropped; they must have static length 1.

    Examples
    --------
    >>> import pytensor.tensor as pt
    >>> x = pt.matrix("x", shape=(2, 3))
    >>> x.dimshuffle(1, "x", 0).type.shape
    (3, 1, 2)
    """

    __props__ = ("input_ndim", "new_order")
    view_map = {0: [0]}

    def __init__(self, *, input_ndim: int, new_order: Sequence[int | str]) -> None:
        if not isinstance(input_ndim, int) or input_ndim < 0:
            raise TypeError(f"DimShuffle: input_ndim must be an int >= 0, got {input_ndim!r}")
        order = tuple(new_order)
        seen = set()
        for o in order:
            if o == "x":
                continue
            if not isinstance(o, int | np.integer) or not 0 <= o < input_ndim:
                raise ValueError(
                    f"DimShuffle: {o!r} in new_order {order} is not 'x' or an axis of a {input_ndim}-d input"
                )
            if o in seen:
                raise ValueError(f"DimShuffle: axis {o} appears twice in new_order {order}")
            seen.add(o)
        self.input_ndim = input_ndim
        self.new_order = tuple(o if o == "x" else int(o) for o in order)
        self.drop = tuple(d for d in range(input_ndim) if d not in seen)
        self.shuffle = tuple(o for o in self.new_order if o != "x")
        self.augment = tuple(k for k, o in enumerate(self.new_order) if o == "x")
        self.transposition = self.shuffle + self.drop
        self.is_transpose = (
            not self.augment and not self.drop and self.shuffle != tuple(range(input_ndim))
        )
        self.is_expand_dims = (
            bool(self.augment) and not self.drop and self.shuffle == tuple(sorted(self.shuffle))
        )
        self.is_left_expand_dims = self.is_expand_dims and self.augment == tuple(
            range(len(self.augment))
        )
        self.is_right_expand_dims = self.is_expand_dims and self.augment == tuple(
            range(len(self.new_order) - len(self.augment), len(self.new_order))
        )

    def make_node(self, x: Any) -> Apply:  # type: ignore[override]
        from pytensor.tensor.basic import as_tensor_variable

        x = as_tensor_variable(x)
        if x.type.ndim != self.input_ndim:
            raise TypeError(f"{self}: expected a {self.input_ndim}-d input, got {x.type} ({x})")
        (shape,) = self.static_shapes([x])
        return Apply(self, [x], [TensorType(x.type.dtype, shape)()])

    def _output_shapes(
        self, inputs: Sequence[Variable], input_shapes: Sequence[Any], S: Any
    ) -> list[Any]:
        (xs,) = input_shapes
        static = inputs[0].type.shape
        for d in self.drop:
            if static[d] != 1:
                raise ValueError(
                    f"{self}: cannot drop dimension {d} of {inputs[0]} (static shape {static}); only "
                    "dimensions of static length 1 can be dropped"
                )
        return [tuple(S.const(1) if o == "x" else xs[o] for o in self.new_order)]

    def perform(self, node: Apply, inputs: Sequence[Any], output_storage: list[list[Any]]) -> None:
        (x,) = inputs
        res = x.transpose(self.transposition)
        shape = list(res.shape[: len(self.shuffle)])
        for a in self.augment:
            shape.insert(a, 1)
        output_storage[0][0] = res.reshape(shape)

    def pullback(
        self,
        inputs: Sequence[Variable],
        outputs: Sequence[Variable],
        cotangents: Sequence[Variable],
    ) -> list[Any]:
        from pytensor.tensor.math import sum as pt_sum

        g = cotangents[0]
        if self.augment:
            g = pt_sum(g, axis=self.augment)
        order: list[Any] = [
            "x" if d in self.drop else self.shuffle.index(d) for d in range(self.input_ndim)
        ]
        if order != list(range(len(self.shuffle))):
            g = g.dimshuffle(order)
        return [g]

    def pushforward(
        self, inputs: Sequence[Variable], outputs: Sequence[Variable], tangents: Sequence[Any]
    ) -> list[Any]:
        return [self(tangents[0])]

    def __str__(self) -> str:
        if self.is_expand_dims:
            return (
                f"ExpandDims{{axis={self.augment[0] if len(self.augment) == 1 else self.augment}}}"
            )
        if self.is_transpose:
            return f"Transpose{{axes={self.shuffle}}}"
        if not self.augment and self.shuffle == tuple(sorted(self.shuffle)):
            return f"DropDims{{axis={self.drop[0] if len(self.drop) == 1 else self.drop}}}"
        return f"DimShuffle{{order=[{','.join(map(str, self.new_order))}]}}"


def _scalar_types(inputs: Sequence[Variable]) -> list[Any]:
    return [get_scalar_type(i.type.dtype) for i in inputs]


class Elemwise(ShapedOp, Op):
    """A scalar Op applied elementwise with broadcasting.

    Lower-rank inputs are padded with leading length-1 dimensions. A
    dimension broadcasts only if its static length is 1: inputs whose
    lengths are unknown statically must agree at run time, and a length-1
    value meeting a longer one then raises an error (declare the dimension's
    length as 1, e.g. ``pt.specify_broadcastable(x, axis)``, to broadcast it).

    Parameters
    ----------
    scalar_op
        The scalar Op.
    inplace_pattern
        ``{output_index: input_index}``: write the output over that input.
    """

    __props__ = ("scalar_op", "inplace_pattern")

    def __init__(
        self,
        scalar_op: ScalarOp,
        inplace_pattern: dict[int, int] | None = None,
        name: str | None = None,
    ) -> None:
        if not isinstance(scalar_op, ScalarOp):
            raise TypeError(f"Elemwise needs a ScalarOp, got {scalar_op!r}")
        self.scalar_op = scalar_op
        self.inplace_pattern = tuple(sorted((inplace_pattern or {}).items()))
        self.destroy_map = {o: [i] for o, i in self.inplace_pattern}  # type: ignore[misc]
        self.name = name
        self.nfunc_spec = scalar_op.nfunc_spec

    def __getstate__(self) -> dict[str, Any]:
        return self.__dict__.copy()

    def make_node(self, *inputs: Any) -> Apply:
        from pytensor.tensor.basic import as_tensor_variable

        inputs = tuple(as_tensor_variable(i) for i in inputs)
        if self.scalar_op.nin >= 0 and len(inputs) != self.scalar_op.nin:
            raise TypeError(f"{self} takes {self.scalar_op.nin} inputs, got {len(inputs)}")
        ndim = max((i.type.ndim for i in inputs), default=0)
        padded = [
            i
            if i.type.ndim == ndim
            else i.dimshuffle(["x"] * (ndim - i.type.ndim) + list(range(i.type.ndim)))
            for i in inputs
        ]
        try:
            out_stypes = self.scalar_op.output_types(_scalar_types(padded))
        except TypeError as exc:
            desc = ", ".join(f"{i} ({i.type.dtype})" for i in inputs)
            raise TypeError(f"{self}: unsupported input dtypes: {desc}: {exc}") from None
        shapes = self.static_shapes(padded)
        outputs = [
            TensorType(t.dtype, shape)() for t, shape in zip(out_stypes, shapes, strict=True)
        ]
        for o, i in self.inplace_pattern:
            inp, out = padded[i], outputs[o]
            if inp.type.dtype != out.type.dtype or inp.type.shape != out.type.shape:
                raise TypeError(
                    f"{self}: cannot write output {o} ({out.type}) in place over input {i} ({inp.type})"
                )
        return Apply(self, list(padded), outputs)

    def _output_shapes(
        self, inputs: Sequence[Variable], input_shapes: Sequence[Any], S: Any
    ) -> list[Any]:
        out = S.broadcast(self, inputs, list(input_shapes))
        return [out] * self.scalar_op.nout

    def _check_runtime_shapes(self, node: Apply, inputs: Sequence[np.ndarray]) -> None:
        ndim = len(node.outputs[0].type.shape)
        for d in range(ndim):
            length = None
            first = -1
            for k, (var, val) in enumerate(zip(node.inputs, inputs, strict=True)):
                if var.type.shape[d] == 1:
                    continue
                n = val.shape[d]
                if length is None:
                    length, first = n, k
                elif n != length:
                    small, big = (k, first) if n == 1 else (first, k) if length == 1 else (k, first)
                    raise ValueError(
                        f"{self}: shapes {inputs[first].shape} (input {first}) and {val.shape} (input {k}) "
                        f"do not match at dimension {d}. "
                        + (
                            f"Input {small} has length 1 there but its static shape "
                            f"{node.inputs[small].type.shape} does not say so, and runtime broadcasting is not "
                            f"allowed: declare the dimension as length 1 (e.g. shape=(1, ...) when creating the "
                            f"variable, or pt.specify_broadcastable(x, {d}))"
                            if 1 in (n, length)
                            else "The lengths must be equal"
                        )
                    )

    def perform(self, node: Apply, inputs: Sequence[Any], output_storage: list[list[Any]]) -> None:
        self._check_runtime_shapes(node, inputs)
        op = self.scalar_op
        with np.errstate(all="ignore"):
            results = array_function(op, tuple(o.type.dtype for o in node.outputs))(*inputs)
        if op.nout == 1:
            results = (results,)
        out_shape = tuple(
            max(
                (
                    v.shape[d]
                    for v, var in zip(inputs, node.inputs, strict=True)
                    if var.type.shape[d] != 1
                ),
                default=1,
            )
            for d in range(node.outputs[0].type.ndim)
        )
        for k, (cell, out, res) in enumerate(
            zip(output_storage, node.outputs, results, strict=True)
        ):
            arr = np.asarray(res, dtype=out.type.dtype)
            if arr.shape != out_shape:
                arr = np.broadcast_to(arr, out_shape)
            target = dict(self.inplace_pattern).get(k)
            if target is not None:
                dest = inputs[target]
                dest[...] = arr
                cell[0] = dest
            elif arr.base is not None and any(
                np.shares_memory(arr, i) for i in inputs if isinstance(i, np.ndarray)
            ):
                cell[0] = arr.copy()
            else:
                cell[0] = arr if arr.flags.writeable else arr.copy()

    def pullback(
        self,
        inputs: Sequence[Variable],
        outputs: Sequence[Variable],
        cotangents: Sequence[Variable],
    ) -> list[Any]:
        """The scalar Op's pullback applied to the tensors, summed over broadcast dimensions."""
        from pytensor.gradient import DisconnectedType, NullType
        from pytensor.tensor.basic import as_tensor_variable
        from pytensor.tensor.math import sum as pt_sum

        rule = getattr(self.scalar_op, "pullback", None)
        if rule is None:
            raise NotImplementedError(f"{self.scalar_op} has no pullback")
        grads = rule(list(inputs), list(outputs), list(cotangents))
        result: list[Any] = []
        for inp, g in zip(inputs, grads, strict=True):
            if g is None or isinstance(g.type, DisconnectedType | NullType):
                result.append(g)
                continue
            g = as_tensor_variable(g)
            if g.type.ndim < inp.type.ndim:
                g = g.dimshuffle(["x"] * (inp.type.ndim - g.type.ndim) + list(range(g.type.ndim)))
            axes = tuple(
                d for d in range(inp.type.ndim) if inp.type.shape[d] == 1 and g.type.shape[d] != 1
            )
            if axes:
                g = pt_sum(g, axis=axes, keepdims=True)
            result.append(g)
        return result

    def __str__(self) -> str:
        if self.name:
            return self.name
        base = (
            str(self.scalar_op).capitalize()
            if not hasattr(self.scalar_op, "fgraph")
            else str(self.scalar_op)
        )
        if self.inplace_pattern:
            return f"{base}{{inplace}}" if not base.endswith("}") else f"{base}_inplace"
        return base


def scalar_elemwise(scalar_op: ScalarOp, name: str, doc: str = "") -> Any:
    """Make the tensor function ``name`` applying ``scalar_op`` elementwise."""
    op = Elemwise(scalar_op)

    def fn(*inputs: Any, **kwargs: Any) -> Any:
        return op(*inputs, **kwargs)

    fn.__name__ = fn.__qualname__ = name
    fn.__doc__ = doc or f"Elementwise {name}."
    fn.op = op  # type: ignore[attr-defined]
    return fn


def _normalize_axis(op: Any, axis: Any, ndim: int, what: str = "input") -> tuple[int, ...]:
    if axis is None:
        return tuple(range(ndim))
    axes = (axis,) if isinstance(axis, int | np.integer) else tuple(axis)
    out = []
    for a in axes:
        if not isinstance(a, int | np.integer):
            raise TypeError(f"{op}: axis entries must be ints, got {a!r}")
        if not -ndim <= a < ndim:
            raise ValueError(f"{op}: axis {a} is out of range for a {ndim}-d {what}")
        a = int(a) % ndim if ndim else int(a)
        if a in out:
            raise ValueError(f"{op}: axis {a} is repeated")
        out.append(a)
    return tuple(sorted(out))


class CAReduce(ShapedOp, Op):
    """Reduce a tensor along ``axis`` with a commutative, associative scalar Op.

    Parameters
    ----------
    scalar_op
        The binary scalar Op (add for sum, mul for prod, maximum, ...).
    axis
        Axes to reduce (None: all). Normalised to a sorted tuple.
    dtype
        Output dtype (None: the Op's default for the input dtype).
    acc_dtype
        Dtype of the accumulator (None: as ``dtype``).
    """

    __props__ = ("scalar_op", "axis", "dtype", "acc_dtype")

    def __init__(
        self,
        scalar_op: ScalarOp,
        axis: Any = None,
        dtype: str | None = None,
        acc_dtype: str | None = None,
    ) -> None:
        self.scalar_op = scalar_op
        if axis is not None:
            axis = (
                (int(axis),)
                if isinstance(axis, int | np.integer)
                else tuple(sorted(int(a) for a in axis))
            )
        self.axis = axis
        self.dtype = dtype
        self.acc_dtype = acc_dtype

    def _out_dtype(self, in_dtype: str) -> str:
        if self.dtype is not None:
            return self.dtype
        return self._default_dtype(in_dtype)

    def _default_dtype(self, in_dtype: str) -> str:
        return in_dtype

    def _acc_dtype(self, in_dtype: str) -> str:
        return self.acc_dtype or self._out_dtype(in_dtype)

    def make_node(self, x: Any) -> Apply:  # type: ignore[override]
        from pytensor.tensor.basic import as_tensor_variable

        x = as_tensor_variable(x)
        axis = _normalize_axis(self, self.axis, x.type.ndim)
        op = self if axis == self.axis else self.clone_with_axis(axis)
        out_dtype = op._out_dtype(x.type.dtype)
        upcast(out_dtype)
        (shape,) = op.static_shapes([x])
        return Apply(op, [x], [TensorType(out_dtype, shape)()])

    def clone_with_axis(self, axis: tuple[int, ...]) -> CAReduce:
        props = self._props_dict()
        props["axis"] = axis
        return type(self)(**props)

    def _output_shapes(
        self, inputs: Sequence[Variable], input_shapes: Sequence[Any], S: Any
    ) -> list[Any]:
        (xs,) = input_shapes
        axis = self.axis if self.axis is not None else tuple(range(len(xs)))
        return [tuple(s for d, s in enumerate(xs) if d not in axis)]

    def perform(self, node: Apply, inputs: Sequence[Any], output_storage: list[list[Any]]) -> None:
        (x,) = inputs
        axis = self.axis if self.axis is not None else tuple(range(x.ndim))
        ufunc = self.scalar_op.ufunc
        acc = self._acc_dtype(node.inputs[0].type.dtype)
        with np.errstate(all="ignore"):
            if not axis:
                res = x.astype(acc)
            elif ufunc is not None and hasattr(ufunc, "reduce"):
                if (
                    x.size == 0
                    and self.scalar_op.identity is None
                    and any(x.shape[a] == 0 for a in axis)
                ):
                    raise ValueError(
                        f"{self}: cannot reduce an empty dimension (shape {x.shape}): the operation has no identity"
                    )
                res = ufunc.reduce(x, axis=axis, dtype=acc if self.scalar_op.nfunc_spec else None)
            else:
                raise NotImplementedError(f"{self}: no NumPy reduction for {self.scalar_op}")
        output_storage[0][0] = np.asarray(res, dtype=node.outputs[0].type.dtype)

    def pullback(
        self,
        inputs: Sequence[Variable],
        outputs: Sequence[Variable],
        cotangents: Sequence[Variable],
    ) -> list[Any]:
        """Gradients of sum, prod, max and min; logical reductions have none (boolean output)."""
        import pytensor.scalar.basic as ps
        from pytensor.tensor.basic import cast, second, switch
        from pytensor.tensor.math import eq, prod
        from pytensor.tensor.math import sum as pt_sum

        (x,), (out,), (g,) = inputs, outputs, cotangents
        axis = self.axis if self.axis is not None else tuple(range(x.type.ndim))
        pattern: list[Any] = []
        k = 0
        for d in range(x.type.ndim):
            if d in axis:
                pattern.append("x")
            else:
                pattern.append(k)
                k += 1
        g_exp = g.dimshuffle(pattern)
        out_exp = out.dimshuffle(pattern)
        op = self.scalar_op
        if isinstance(op, ps.Add):
            return [second(x, g_exp)]
        if isinstance(op, ps.Mul):
            if getattr(self, "no_zeros_in_input", False):
                return [g_exp * out_exp / x]
            is_zero = eq(x, 0)
            n_zeros = pt_sum(is_zero, axis=axis, keepdims=True)
            prod_nonzero = prod(switch(is_zero, 1, x), axis=axis, keepdims=True)
            at_zero = switch(eq(n_zeros, 1), prod_nonzero, 0)
            return [g_exp * switch(is_zero, at_zero, out_exp / switch(is_zero, 1, x))]
        if isinstance(op, ps.Maximum | ps.Minimum):
            return [g_exp * cast(eq(x, out_exp), g.type.dtype)]
        raise NotImplementedError(f"{self} has no pullback")

    def __str__(self) -> str:
        name = type(self).__name__ if type(self) is not CAReduce else f"CAReduce{{{self.scalar_op}"
        axis = (
            ""
            if self.axis is None
            else f"axis={self.axis[0] if len(self.axis) == 1 else self.axis}"
        )
        if type(self) is CAReduce:
            return name + (f", {axis}" if axis else "") + "}"
        return f"{name}{{{axis}}}" if axis else name
