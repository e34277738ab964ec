"""Toy Types and Ops for the unit tests of pytensor-graph.

They depend on nothing but the graph layer and numpy, so the tests check the
IR and the compile pipeline without pytensor-tensor.
"""

from __future__ import annotations

from typing import Any

import numpy as np

from pytensor.graph.basic import Apply, Constant, Variable
from pytensor.graph.op import Op
from pytensor.graph.type import Type

__all__ = [
    "Add",
    "ArrayType",
    "Count",
    "FloatType",
    "IfElse",
    "IncInplace",
    "Mul",
    "Neg",
    "NoPerform",
    "Scale",
    "SumDiff",
    "View",
    "add",
    "as_var",
    "ashared",
    "fshared",
    "evaluate",
    "fscalar",
    "fvector",
    "if_else",
    "inc_inplace",
    "mul",
    "neg",
    "no_perform",
    "sum_diff",
    "view",
]


class FloatType(Type):
    """A Python float scalar.

    ``filter`` accepts floats; ints (not bools) too unless ``strict``; anything
    else raises TypeError naming the type.
    """

    __props__ = ()
    variable_type = Variable
    constant_type = Constant
    shape: tuple[int | None, ...] = ()
    ndim = 0

    def filter(self, data: Any, strict: bool = False, allow_downcast: bool | None = None) -> Any:
        if isinstance(data, float | np.floating):
            return float(data)
        if not strict and isinstance(data, int | np.integer) and not isinstance(data, bool):
            return float(data)
        kind = "a float" if strict else "a float or an int"
        raise TypeError(f"{self} expects {kind}, got {type(data).__name__}: {data!r}")

    def __str__(self) -> str:
        return "float"


class ArrayType(Type):
    """A numpy array of a given dtype and static shape (entries int or None)."""

    __props__ = ("dtype", "shape")
    variable_type = Variable
    constant_type = Constant

    def __init__(self, dtype: str, shape: tuple[int | None, ...]) -> None:
        self.dtype = str(np.dtype(dtype))
        self.shape = tuple(shape)
        self.ndim = len(self.shape)

    def filter(self, data: Any, strict: bool = False, allow_downcast: bool | None = None) -> Any:
        if strict and not isinstance(data, np.ndarray):
            raise TypeError(f"{self} expects a numpy.ndarray (strict), got {type(data).__name__}")
        arr = np.asarray(data)
        if arr.dtype != self.dtype:
            if strict:
                raise TypeError(f"{self} expects dtype {self.dtype} (strict), got {arr.dtype}")
            if not (allow_downcast or np.can_cast(arr.dtype, self.dtype, casting="safe")):
                raise TypeError(
                    f"{self} expects dtype {self.dtype}; converting {arr.dtype} would lose "
                    "information (no silent downcast)"
                )
            arr = arr.astype(self.dtype)
        if arr.ndim != self.ndim:
            raise TypeError(f"{self} expects {self.ndim} dimension(s), got {arr.ndim}")
        for axis, (want, got) in enumerate(zip(self.shape, arr.shape, strict=True)):
            if want is not None and want != got:
                raise ValueError(
                    f"{self} expects static shape {self.shape}, got {arr.shape} (axis {axis})"
                )
        return arr

    def is_super(self, otype: Type) -> bool | None:
        if not isinstance(otype, ArrayType):
            return False
        if otype.dtype != self.dtype or otype.ndim != self.ndim:
            return False
        return all(s is None or s == o for s, o in zip(self.shape, otype.shape, strict=True))

    def in_same_class(self, otype: Type) -> bool | None:
        return isinstance(otype, ArrayType) and (otype.dtype, otype.ndim) == (self.dtype, self.ndim)

    def values_eq(self, a: Any, b: Any) -> bool:
        return bool(a.shape == b.shape and np.array_equal(a, b))

    def __str__(self) -> str:
        dims = ", ".join("?" if s is None else str(s) for s in self.shape)
        return f"Array({self.dtype}, ({dims}{',' if self.ndim == 1 else ''}))"


def fscalar(name: str | None = None) -> Variable:
    return FloatType()(name)


def fvector(name: str | None = None, length: int | None = None, dtype: str = "float64") -> Variable:
    return ArrayType(dtype, (length,))(name)


def fshared(value: float, name: str | None = None) -> Any:
    """A shared variable of the float type."""
    from pytensor.compile.sharedvalue import SharedVariable

    return SharedVariable(FloatType(), value, name=name)


def ashared(
    value: Any, name: str | None = None, shape: tuple[int | None, ...] | None = None
) -> Any:
    """A shared variable of an array type (static shape unknown unless given)."""
    from pytensor.compile.sharedvalue import SharedVariable

    value = np.asarray(value)
    shape = (None,) * value.ndim if shape is None else shape
    return SharedVariable(ArrayType(str(value.dtype), shape), value, name=name)


def as_var(x: Any, like: Type | None = None) -> Variable:
    """A Variable for ``x``: variables as they are, Python numbers as float constants."""
    if isinstance(x, Variable):
        return x
    if isinstance(x, np.ndarray):
        return Constant(ArrayType(str(x.dtype), x.shape), x)
    t = like if like is not None else FloatType()
    return Constant(t, t.filter(x))


class _Binary(Op):
    """Elementwise binary Op on two inputs of the same type."""

    __props__ = ()

    def make_node(self, x: Any, y: Any) -> Apply:  # type: ignore[override]
        x = as_var(x, getattr(y, "type", None))
        y = as_var(y, x.type)
        if x.type != y.type:
            raise TypeError(f"{self} needs inputs of one type, got {x.type} and {y.type}")
        return Apply(self, [x, y], [x.type()])

    def infer_shape(self, fgraph: Any, node: Apply, input_shapes: Any) -> list[Any]:
        return [input_shapes[0]]


class Add(_Binary):
    def perform(self, node: Apply, inputs: Any, output_storage: Any) -> None:
        output_storage[0][0] = inputs[0] + inputs[1]


class Mul(_Binary):
    def perform(self, node: Apply, inputs: Any, output_storage: Any) -> None:
        output_storage[0][0] = inputs[0] * inputs[1]


class Neg(Op):
    __props__ = ()

    def make_node(self, x: Any) -> Apply:  # type: ignore[override]
        x = as_var(x)
        return Apply(self, [x], [x.type()])

    def perform(self, node: Apply, inputs: Any, output_storage: Any) -> None:
        output_storage[0][0] = -inputs[0]

    def infer_shape(self, fgraph: Any, node: Apply, input_shapes: Any) -> list[Any]:
        return [input_shapes[0]]


class Scale(Op):
    """``x * factor`` with the factor as an Op parameter (a prop)."""

    __props__ = ("factor",)

    def __init__(self, factor: float) -> None:
        self.factor = factor

    def make_node(self, x: Any) -> Apply:  # type: ignore[override]
        x = as_var(x)
        return Apply(self, [x], [x.type()])

    def perform(self, node: Apply, inputs: Any, output_storage: Any) -> None:
        output_storage[0][0] = inputs[0] * self.factor


class SumDiff(Op):
    """Two outputs: ``x + y`` and ``x - y``."""

    __props__ = ()

    def make_node(self, x: Any, y: Any) -> Apply:  # type: ignore[override]
        x = as_var(x, getattr(y, "type", None))
        y = as_var(y, x.type)
        return Apply(self, [x, y], [x.type(), x.type()])

    def perform(self, node: Apply, inputs: Any, output_storage: Any) -> None:
        x, y = inputs
        output_storage[0][0] = x + y
        output_storage[1][0] = x - y

    def infer_shape(self, fgraph: Any, node: Apply, input_shapes: Any) -> list[Any]:
        return [input_shapes[0], input_shapes[0]]


class View(Op):
    """Returns its input object itself (declared in ``view_map``)."""

    __props__ = ()
    view_map = {0: [0]}

    def make_node(self, x: Any) -> Apply:  # type: ignore[override]
        x = as_var(x)
        return Apply(self, [x], [x.type()])

    def perform(self, node: Apply, inputs: Any, output_storage: Any) -> None:
        output_storage[0][0] = inputs[0]


class IncInplace(Op):
    """Adds 1 to an array in place and returns it (declared in ``destroy_map``)."""

    __props__ = ()
    destroy_map = {0: [0]}

    def make_node(self, x: Any) -> Apply:  # type: ignore[override]
        x = as_var(x)
        return Apply(self, [x], [x.type()])

    def perform(self, node: Apply, inputs: Any, output_storage: Any) -> None:
        x = inputs[0]
        x += 1
        output_storage[0][0] = x


class NoPerform(Op):
    """An Op with no Python implementation."""

    __props__ = ()

    def make_node(self, x: Any) -> Apply:  # type: ignore[override]
        x = as_var(x)
        return Apply(self, [x], [x.type()])


class IfElse(Op):
    """``a if cond else b``, computing only the branch it takes.

    ``lazy_perform`` asks the backend for input ``i`` through ``get_input(i)``.
    """

    __props__ = ()
    lazy = True

    def make_node(self, cond: Any, a: Any, b: Any) -> Apply:  # type: ignore[override]
        cond = as_var(cond)
        a = as_var(a, getattr(b, "type", None))
        b = as_var(b, a.type)
        if a.type != b.type:
            raise TypeError(f"{self}: both branches need one type, got {a.type} and {b.type}")
        return Apply(self, [cond, a, b], [a.type()])

    def lazy_perform(self, node: Apply, get_input: Any, output_storage: Any) -> None:
        output_storage[0][0] = get_input(1) if get_input(0) else get_input(2)


class Count(Op):
    """Calls ``fn`` on its input values and counts the calls in ``calls`` (not a prop)."""

    __props__ = ("label",)

    def __init__(self, label: str, fn: Any = None) -> None:
        self.label = label
        self.fn = fn if fn is not None else (lambda x: x + 1.0)
        self.calls = 0

    def make_node(self, x: Any) -> Apply:  # type: ignore[override]
        x = as_var(x)
        return Apply(self, [x], [x.type()])

    def perform(self, node: Apply, inputs: Any, output_storage: Any) -> None:
        self.calls += 1
        output_storage[0][0] = self.fn(inputs[0])


def evaluate(outputs: list[Variable], values: dict[Variable, Any]) -> list[Any]:
    """Plain evaluation of a graph through each node's ``perform`` (no backend involved)."""
    from pytensor.graph.traversal import io_toposort

    memo = dict(values)

    def value(v: Variable) -> Any:
        return memo[v] if v in memo else v.data  # type: ignore[attr-defined]

    for node in io_toposort(list(values), outputs):
        storage: list[list[Any]] = [[None] for _ in node.outputs]
        node.op.perform(node, [value(i) for i in node.inputs], storage)
        memo.update((o, s[0]) for o, s in zip(node.outputs, storage, strict=True))
    return [value(o) for o in outputs]


add = Add()
mul = Mul()
neg = Neg()
sum_diff = SumDiff()
view = View()
inc_inplace = IncInplace()
no_perform = NoPerform()
if_else = IfElse()
