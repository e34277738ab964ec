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

__all__ = ["CImpl", "CScalarImpl", "c_funcify"]


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
