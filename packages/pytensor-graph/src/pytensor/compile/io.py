"""``In`` and ``Out``: how a compiled function treats each input and output (layer: pytensor-graph)."""

from __future__ import annotations

from typing import Any

from pytensor.graph.basic import Variable

__all__ = ["In", "Out", "SymbolicInput", "SymbolicOutput"]


class SymbolicInput:
    """An input of a compiled function with its options.

    Parameters
    ----------
    variable
        The root variable this input gives a value to.
    name
        The keyword name of the input (defaults to ``variable.name``).
    update
        An expression whose value replaces this input's stored value after
        each call (only with a ``value``, making the input stateful).
    mutable
        Whether the function may overwrite the given array in place.
    strict
        Whether values must already be exactly of the variable's type.
    allow_downcast
        Whether lossy conversions of values are allowed (None: only for Python scalars).
    implicit
        Whether the input is filled by the function (shared variables), not by the caller.
    """

    def __init__(
        self,
        variable: Variable,
        name: str | None = None,
        update: Variable | None = None,
        mutable: bool | None = None,
        strict: bool = False,
        allow_downcast: bool | None = None,
        autoname: bool = True,
        implicit: bool = False,
    ) -> None:
        if not isinstance(variable, Variable):
            raise TypeError(f"In() needs a Variable, got {variable!r}")
        self.variable = variable
        self.name = variable.name if (autoname and name is None) else name
        if self.name is not None and not isinstance(self.name, str):
            raise TypeError(f"An input name must be a string, got {self.name!r}")
        self.update = update
        if update is not None and not variable.type.is_super(update.type):
            raise TypeError(
                f"The update of input {variable} has type {update.type}, which does not fit {variable.type}"
            )
        self.mutable = bool(mutable) if mutable is not None else bool(update is not None)
        self.strict = strict
        self.allow_downcast = allow_downcast
        self.implicit = implicit

    def __str__(self) -> str:
        return f"In({self.variable}{' -> ' + str(self.update) if self.update is not None else ''})"

    __repr__ = __str__


class In(SymbolicInput):
    """An input of :func:`pytensor.function` with options (see :class:`SymbolicInput`).

    ``value`` gives a default used when the caller omits the input.
    ``borrow`` lets the function keep and reuse the caller's array.
    """

    def __init__(
        self,
        variable: Variable,
        name: str | None = None,
        value: Any = None,
        update: Variable | None = None,
        mutable: bool | None = None,
        strict: bool = False,
        allow_downcast: bool | None = None,
        autoname: bool = True,
        implicit: bool | None = None,
        borrow: bool = False,
        shared: bool = False,
    ) -> None:
        from pytensor.compile.sharedvalue import SharedVariable

        if implicit is None:
            implicit = isinstance(value, SharedVariable) or isinstance(variable, SharedVariable)
        super().__init__(
            variable, name, update, mutable, strict, allow_downcast, autoname, implicit
        )
        self.value = value
        self.borrow = borrow
        self.shared = shared
        if self.mutable and not borrow:
            # Overwriting the caller's array is only allowed when they lend it.
            self.borrow = True


class SymbolicOutput:
    """An output of a compiled function with its options.

    ``borrow=True`` lets the function return its internal buffer, which a
    later call may overwrite; by default outputs never alias inputs, shared
    values or each other.
    """

    def __init__(self, variable: Variable, borrow: bool = False) -> None:
        if not isinstance(variable, Variable):
            raise TypeError(f"Out() needs a Variable, got {variable!r}")
        self.variable = variable
        self.borrow = borrow

    def __str__(self) -> str:
        return f"Out({self.variable}{', borrow=True' if self.borrow else ''})"

    __repr__ = __str__


Out = SymbolicOutput
