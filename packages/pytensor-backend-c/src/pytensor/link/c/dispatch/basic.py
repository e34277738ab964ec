"""The C dispatch registry: one ``c_funcify`` per Op class (layer: pytensor-backend-c).

Ops carry no C code; every C kernel lives in this package, registered here.

Contract (every ``c_funcify_<OpClass>`` follows it):

``c_funcify(op, node, **kwargs) -> CImpl | CScalarImpl | None``

``None`` means "no C implementation": the node runs through its Python
``perform`` inside the generated driver (reported once per Op at compile time).

Tensor-level Ops return a :class:`CImpl` whose ``code`` defines, with the name
given in ``kwargs["name"]``::

    static int NAME(PyObject **inputs, PyObject **outputs)

``inputs[i]`` are borrowed references to the node's input values, exactly as
the Python backend would pass them to ``perform`` (an ndarray for a tensor
input, a NumPy scalar for a ``pytensor.scalar`` input). The kernel stores a new
reference to each output value in ``outputs[j]`` and returns 0, or sets a
Python exception (with the same type and message as ``perform``) and returns
-1. The module is compiled with ``Python.h`` and NumPy's C API
(``numpy/arrayobject.h``, ``import_array`` done by the module) available.

Scalar Ops (``pytensor.scalar``) return a :class:`CScalarImpl`: a C expression
template, used by the fused Elemwise/Composite loops per element.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import singledispatch
from typing import Any

__all__ = ["CImpl", "CScalarImpl", "c_funcify", "op_class_status", "set_op_class_status"]


@dataclass(frozen=True)
class CImpl:
    """C source of one node's kernel.

    Attributes
    ----------
    code
        C source defining ``static int <kwargs["name"]>(PyObject **inputs, PyObject **outputs)``.
    key
        A string identifying the code exactly (for the compile cache and for
        sharing one kernel between equal nodes); the generated source is hashed
        too, so this is an optimisation, never the only guard.
    support
        Shared C snippets (helper functions, includes) the code needs; equal
        snippets from several nodes are emitted once.
    """

    code: str
    key: str
    support: tuple[str, ...] = field(default=())


@dataclass(frozen=True)
class CScalarImpl:
    """A scalar Op as a C expression.

    ``expr`` is a :meth:`str.format` template with ``{0}``, ``{1}``, ... for the
    input expressions (already of the inputs' C types) and yields a value of the
    output's C type. Statements belong in a ``support`` function the expression calls.
    """

    expr: str
    key: str
    support: tuple[str, ...] = field(default=())


@singledispatch
def c_funcify(op: Any, node: Any = None, **kwargs: Any) -> CImpl | CScalarImpl | None:
    """Return the C implementation of ``node`` or ``None`` (see the module docstring)."""
    return None


#: Explicit coverage statuses (``"native"``/``"perform"``) of Op classes whose
#: ``c_funcify`` registration is inherited or may return None.
_status: dict[type, str] = {}


def set_op_class_status(op_class: type, status: str) -> None:
    """Record how the C backend runs ``op_class`` ("native" or "perform"), for coverage tables."""
    if status not in ("native", "perform"):
        raise ValueError(f"status must be 'native' or 'perform', got {status!r}")
    _status[op_class] = status


def op_class_status(op_class: type) -> str | None:
    """The status recorded for ``op_class`` (or a base class), else whether c_funcify has a
    registration for it other than the default: "native", or None when it has none."""
    for cls in op_class.__mro__:
        if cls in _status:
            return _status[cls]
    if c_funcify.dispatch(op_class) is not c_funcify.dispatch(object):
        return "native"
    return None
