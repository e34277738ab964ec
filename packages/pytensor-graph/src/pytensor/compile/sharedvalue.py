"""Shared variables: symbolic variables with a value that persists between calls (layer: pytensor-graph)."""

from __future__ import annotations

import copy
from collections.abc import Callable
from typing import Any

from pytensor.graph.basic import Variable
from pytensor.graph.type import Type, generic

__all__ = ["Container", "SharedVariable", "shared", "shared_constructor"]


class Container:
    """A one-slot box holding a value of a given Type; values are filtered on write."""

    def __init__(
        self,
        type: Type,
        storage: list[Any],
        readonly: bool = False,
        strict: bool = False,
        allow_downcast: bool | None = None,
        name: str | None = None,
    ) -> None:
        if not isinstance(storage, list) or len(storage) < 1:
            raise TypeError("A Container's storage must be a one-element list")
        self.type = type
        self.storage = storage
        self.readonly = readonly
        self.strict = strict
        self.allow_downcast = allow_downcast
        self.name = name

    @property
    def value(self) -> Any:
        return self.storage[0]

    @value.setter
    def value(self, value: Any) -> None:
        if self.readonly:
            raise ValueError(f"Cannot set read-only container {self.name}")
        self.storage[0] = self.type.filter(
            value, strict=self.strict, allow_downcast=self.allow_downcast
        )

    def __repr__(self) -> str:
        return f"<{self.storage[0]!r}>"


class SharedVariable(Variable):
    """A variable whose value is stored with it and shared by every function that uses it.

    Compiled functions read the current value at each call and, when the
    variable has an update, write the new value after the call.

    Attributes
    ----------
    default_update
        An expression used as this variable's update in every function that
        does not say otherwise (see ``no_default_updates``).
    """

    def __init__(
        self,
        type: Type,
        value: Any,
        strict: bool = False,
        allow_downcast: bool | None = None,
        container: Container | None = None,
        name: str | None = None,
    ) -> None:
        super().__init__(type=type, owner=None, index=None, name=name)
        if container is not None:
            self.container = container
        else:
            self.container = Container(
                type,
                storage=[type.filter(value, strict=strict, allow_downcast=allow_downcast)],
                strict=strict,
                allow_downcast=allow_downcast,
                name=name,
            )
        self.default_update: Variable | None = None

    def get_value(self, borrow: bool = False, return_internal_type: bool = False) -> Any:
        """The current value; a copy unless ``borrow=True``."""
        value = self.container.value
        return value if borrow else copy.deepcopy(value)

    def set_value(self, new_value: Any, borrow: bool = False) -> None:
        """Set the value (filtered through the type); stores a copy unless ``borrow=True``."""
        if not borrow:
            new_value = copy.deepcopy(new_value)
        self.container.value = new_value

    def get_test_value(self) -> Any:
        return self.get_value(borrow=True, return_internal_type=True)

    def zero(self, borrow: bool = False) -> None:
        """Set the value to zeros of the same shape (arrays only)."""
        import numpy as np

        value = self.container.value
        if borrow and isinstance(value, np.ndarray):
            value[...] = 0
        else:
            self.container.value = np.zeros_like(value)

    def clone(self, name: str | None = None) -> SharedVariable:
        """A new variable that shares this one's value (same container)."""
        cp = type(self).__new__(type(self))
        cp.__dict__.update(self.__dict__)
        cp.name = name if name is not None else self.name
        if "tag" in self.__dict__:
            cp.tag = copy.copy(self.tag)
        cp.__dict__.pop("auto_name", None)
        return cp

    def __str__(self) -> str:
        return self.name if self.name is not None else f"<{self.type}>"

    def __getstate__(self) -> dict[str, Any]:
        return super().__getstate__()


_constructors: list[Callable[..., SharedVariable]] = []


def shared_constructor(
    ctor: Callable[..., SharedVariable], remove: bool = False
) -> Callable[..., SharedVariable]:
    """Register (or with ``remove=True`` unregister) a constructor used by :func:`shared`.

    A constructor takes ``(value, name=None, strict=False, allow_downcast=None, **kwargs)``
    and returns a SharedVariable, or raises TypeError to let the next one try.
    The most recently registered constructor is tried first.
    """
    if remove:
        _constructors.remove(ctor)
    else:
        _constructors.append(ctor)
    return ctor


def shared(
    value: Any,
    name: str | None = None,
    strict: bool = False,
    allow_downcast: bool | None = None,
    **kwargs: Any,
) -> SharedVariable:
    """A shared variable holding ``value``, of the type its registered constructors pick.

    Values of no registered kind get the generic type (any Python object).

    Examples
    --------
    >>> from pytensor.compile.sharedvalue import shared
    >>> s = shared({"a": 1}, name="state")
    >>> s.get_value()
    {'a': 1}
    """
    if isinstance(value, Variable):
        raise TypeError(
            f"shared() got the symbolic variable {value}; shared variables hold values, not graphs"
        )
    from pytensor.compile.mode import load_extensions

    load_extensions()  # higher layers register their constructors (e.g. tensors for arrays)
    errors = []
    ctor: Callable[..., SharedVariable]  # mypy infers Any for reversed() of a list of callables
    for ctor in reversed(_constructors):
        try:
            var = ctor(value, name=name, strict=strict, allow_downcast=allow_downcast, **kwargs)
        except TypeError as exc:
            errors.append(f"{getattr(ctor, '__name__', ctor)}: {exc}")
            continue
        return var
    if kwargs:
        raise TypeError(
            f"shared(): no constructor accepts {type(value).__name__} with arguments {sorted(kwargs)}"
            + (f" ({'; '.join(errors)})" if errors else "")
        )
    return SharedVariable(
        type=generic, value=value, strict=strict, allow_downcast=allow_downcast, name=name
    )
