"""The ``Type`` of a variable: what values it holds and how to check them (layer: pytensor-graph)."""

from __future__ import annotations

from abc import abstractmethod
from typing import TYPE_CHECKING, Any

import numpy as np

from pytensor.graph.utils import MetaObject

if TYPE_CHECKING:
    from pytensor.graph.basic import Constant, Variable

__all__ = ["GenericType", "HasDataType", "HasShape", "Type", "generic"]


class Type(MetaObject):
    """The type of a symbolic variable.

    A Type is a value (compared by its ``__props__``). It decides which runtime
    values a variable may take (:meth:`filter`), builds variables of itself
    (calling the type), and says when a variable of another type may stand in
    for one of its own (:meth:`is_super`, :meth:`convert_variable`).

    Subclasses set ``variable_type`` and ``constant_type`` to the Variable and
    Constant classes they produce.
    """

    variable_type: type[Variable]
    constant_type: type[Constant]

    @abstractmethod
    def filter(self, data: Any, strict: bool = False, allow_downcast: bool | None = None) -> Any:
        """Return ``data`` as a value of this type, or raise TypeError/ValueError.

        With ``strict=True`` the value must already be exactly of this type.
        ``allow_downcast`` permits lossy conversions (False never, None only
        for Python scalars, True always).
        """

    def filter_inplace(
        self, value: Any, storage: Any, strict: bool = False, allow_downcast: bool | None = None
    ) -> Any:
        return self.filter(value, strict=strict, allow_downcast=allow_downcast)

    def is_valid_value(self, data: Any, strict: bool = True) -> bool:
        """Whether ``data`` is a valid value of this type."""
        try:
            self.filter(data, strict=strict)
        except (TypeError, ValueError):
            return False
        return True

    def is_super(self, otype: Type) -> bool | None:
        """Whether every value of ``otype`` is a value of this type (None: unknown)."""
        return self == otype or None

    def in_same_class(self, otype: Type) -> bool | None:
        """Whether this type and ``otype`` describe the same kind of values."""
        return self == otype or None

    def convert_variable(self, var: Variable) -> Variable | None:
        """Return ``var`` as a variable of this type, or None when it cannot be done exactly."""
        if self.is_super(var.type):
            return var
        return None

    def filter_variable(self, other: Any, allow_convert: bool = True) -> Variable:
        """Return ``other`` as a variable of this type, or raise TypeError naming both types."""
        from pytensor.graph.basic import Variable

        var: Variable = (
            other if isinstance(other, Variable) else self.constant_type(type=self, data=other)
        )
        if var.type == self:
            return var
        if allow_convert:
            converted = self.convert_variable(var)
            if converted is not None:
                return converted
        raise TypeError(f"Cannot convert variable {var} of type {var.type} to type {self}")

    def make_variable(self, name: str | None = None) -> Variable:
        return self.variable_type(self, None, name=name)

    def make_constant(self, value: Any, name: str | None = None) -> Constant:
        return self.constant_type(type=self, data=value, name=name)

    def __call__(self, name: str | None = None) -> Variable:
        """Create a new variable of this type."""
        return self.make_variable(name)

    def clone(self, *args: Any, **kwargs: Any) -> Type:
        """A copy of this type with some ``__props__`` changed."""
        props = self._props_dict()
        props.update(dict(zip(type(self).__props__, args, strict=False)))
        props.update(kwargs)
        return type(self)(**props)

    def values_eq(self, a: Any, b: Any) -> bool:
        """Whether two values of this type are equal."""
        return bool(a == b)

    def values_eq_approx(self, a: Any, b: Any) -> bool:
        """Whether two values of this type are approximately equal (defaults to equality)."""
        return self.values_eq(a, b)

    def value_signature(self, data: Any) -> Any:
        """A hashable object that identifies ``data`` (used to merge equal constants)."""
        if isinstance(data, np.ndarray):
            return ("ndarray", data.dtype.str, data.shape, data.tobytes())
        if isinstance(data, np.generic):
            return ("npscalar", data.dtype.str, data.tobytes())
        try:
            hash(data)
        except TypeError:
            return ("id", id(data))
        return (type(data).__name__, data)

    def may_share_memory(self, a: Any, b: Any) -> bool:
        if isinstance(a, np.ndarray) and isinstance(b, np.ndarray):
            return bool(np.may_share_memory(a, b))
        return a is b

    def __repr__(self) -> str:
        return str(self)


class HasDataType:
    """Mixin for types that have a ``dtype``."""

    dtype: str


class HasShape:
    """Mixin for types that have a static ``shape`` (entries ``int`` or ``None``) and ``ndim``."""

    shape: tuple[int | None, ...]
    ndim: int


class GenericType(Type):
    """A type whose values are any Python object."""

    __props__ = ()

    def __init__(self) -> None:
        from pytensor.graph.basic import Constant, Variable

        self.variable_type = Variable
        self.constant_type = Constant

    def filter(self, data: Any, strict: bool = False, allow_downcast: bool | None = None) -> Any:
        return data

    def is_valid_value(self, data: Any, strict: bool = True) -> bool:
        return True

    def __str__(self) -> str:
        return "Generic"


generic = GenericType()
