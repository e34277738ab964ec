"""Small shared helpers and exception types of the graph IR (layer: pytensor-graph)."""

from __future__ import annotations

import gc
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

__all__ = [
    "AssocList",
    "InconsistencyError",
    "MetaObject",
    "MetaType",
    "MethodNotDefined",
    "MissingInputError",
    "Scratchpad",
    "ValidatingScratchpad",
    "gc_paused",
]


@contextmanager
def gc_paused() -> Iterator[None]:
    """Pause Python's cyclic garbage collector for a bulk graph operation.

    Graphs are webs of reference cycles (a variable points to its owner and
    back), so every object a clone or import creates is tracked by the cyclic
    collector; the full collections it triggers while a 100k-node graph is
    being built make the operation superlinear. Nothing here creates garbage
    cycles, so pausing is safe; the previous state is restored on exit.
    """
    was_enabled = gc.isenabled()
    if was_enabled:
        gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()


class MethodNotDefined(Exception):
    """An optional method of an Op or Type was requested but is not defined."""


class InconsistencyError(Exception):
    """A change would leave a FunctionGraph in an invalid state (raised by Validators)."""


class MissingInputError(Exception):
    """A graph needs a variable that was not given as an input.

    The message names the missing variable and, when known, the node that uses it.
    """

    def __init__(self, *args: Any, variable: Any = None) -> None:
        self.variable = variable
        super().__init__(*args)


def _props_of(obj: Any) -> tuple[Any, ...]:
    return tuple(getattr(obj, name) for name in type(obj).__props__)


class MetaType(type):
    """Metaclass that derives equality, hashing and printing from ``__props__``.

    A class that sets ``__props__ = ("a", "b")`` gets ``_props()``,
    ``_props_dict()`` and, unless it defines them itself, ``__eq__`` and
    ``__hash__`` comparing the class and those attributes, and a ``__str__``
    that shows them. This makes Ops and Types values: two instances with the
    same parameters are interchangeable (merging, caching).
    """

    def __new__(mcs, name: str, bases: tuple[type, ...], dct: dict[str, Any]) -> MetaType:
        props = dct.get("__props__")
        if props is not None:
            if not isinstance(props, tuple):
                raise TypeError(
                    f"{name}.__props__ must be a tuple of attribute names, got {props!r}"
                )
            if not all(isinstance(p, str) for p in props):
                raise TypeError(f"{name}.__props__ must hold strings, got {props!r}")
            dct["_props"] = _props_of
            dct["_props_dict"] = lambda self: {p: getattr(self, p) for p in type(self).__props__}
            if "__hash__" not in dct:
                dct["__hash__"] = lambda self: hash((type(self), _props_of(self)))
            if "__eq__" not in dct:

                def __eq__(self: Any, other: Any) -> bool:
                    return type(self) is type(other) and _props_of(self) == _props_of(other)

                dct["__eq__"] = __eq__
            # Generate __str__ only when neither this class nor a base defines a
            # custom one (generated and root-class versions are marked _auto).
            inherited = next(
                (
                    b.__dict__["__str__"]
                    for base in bases
                    for b in base.__mro__
                    if "__str__" in b.__dict__
                ),
                None,
            )
            custom_base = (
                inherited is not None
                and not getattr(inherited, "_auto", False)
                and inherited is not object.__str__
            )
            if "__str__" not in dct and not custom_base:

                def __str__(self: Any) -> str:
                    if not props:
                        return type(self).__name__
                    inner = ", ".join(f"{p}={getattr(self, p)!r}" for p in props)
                    return f"{type(self).__name__}{{{inner}}}"

                __str__._auto = True  # type: ignore[attr-defined]
                dct["__str__"] = __str__
        return super().__new__(mcs, name, bases, dct)


class MetaObject(metaclass=MetaType):
    """Base class of objects whose identity is their ``__props__``."""

    __slots__: tuple[str, ...] = ()
    __props__: tuple[str, ...]


class Scratchpad:
    """A free-form attribute bag (``Variable.tag``, ``Apply.tag``)."""

    def clear(self) -> None:
        self.__dict__.clear()

    def update(self, other: Scratchpad | dict[str, Any]) -> Scratchpad:
        self.__dict__.update(other.__dict__ if isinstance(other, Scratchpad) else other)
        return self

    def __eq__(self, other: object) -> bool:
        return isinstance(other, Scratchpad) and self.__dict__ == other.__dict__

    __hash__ = None  # type: ignore[assignment]

    def __repr__(self) -> str:
        inner = ", ".join(f"{k}={v!r}" for k, v in self.__dict__.items())
        return f"{type(self).__name__}({inner})"


class ValidatingScratchpad(Scratchpad):
    """A Scratchpad whose attribute ``attr`` is filtered through ``attr_filter`` on set."""

    def __init__(self, attr: str, attr_filter: Any) -> None:
        object.__setattr__(self, "attr", attr)
        object.__setattr__(self, "attr_filter", attr_filter)

    def __setattr__(self, name: str, value: Any) -> None:
        if name == self.attr:
            value = self.attr_filter(value)
        object.__setattr__(self, name, value)


class AssocList:
    """A small mapping keyed by identity-or-equality, for unhashable keys."""

    def __init__(self) -> None:
        self._items: list[tuple[Any, Any]] = []

    def __setitem__(self, key: Any, value: Any) -> None:
        for i, (k, _) in enumerate(self._items):
            if k is key or k == key:
                self._items[i] = (key, value)
                return
        self._items.append((key, value))

    def __getitem__(self, key: Any) -> Any:
        for k, v in self._items:
            if k is key or k == key:
                return v
        raise KeyError(key)

    def __contains__(self, key: Any) -> bool:
        return any(k is key or k == key for k, _ in self._items)
