"""The backend conformance suite (DESIGN.md §5): one table of cases, run on every backend.

A case is a graph builder (no arguments, returns ``(inputs, outputs)``), the
input values, and a function computing the expected outputs with NumPy or
SciPy alone. :class:`BackendConformance` compiles every case with a
backend's mode and compares; a backend's test module subclasses it::

    from pytensor.compile.mode import Mode
    from conformance import BackendConformance

    class TestNumbaConformance(BackendConformance):
        mode = Mode(linker="numba")
        known_failures = {"unique/axis": "axis= not implemented yet"}

Adding a case (once, for every backend): append a :class:`Case` to the
``CASES`` list of the matching module (``cases_elemwise``, ``cases_reduce``,
``cases_shape`` or ``cases_extra``), usually with :func:`graph`::

    graph("exp/float64", lambda x: pt.exp(x), [data(5)], np.exp)

builds ``exp`` of a float64 vector input (shapes unknown; ``static=True``
declares them), feeds it ``data(5)`` and compares with ``np.exp`` of the
same values. Names are ``"<function or Op>/<variant>"`` and must be unique.
A new Op class that appears in no case makes
``test_every_op_class_has_a_case`` fail. See ``README.md`` for details.

Errors are cases too: ``ERROR_CASES`` (``conformance.errors``) lists graphs
and values whose call must raise the Python backend's exception, with a
message matching a pattern (runtime broadcasting, out-of-bounds indices,
shape mismatches, failed asserts, call-time input checks);
``test_error_case`` runs them on every backend. Their names start with
``error/`` and may appear in ``known_failures`` like any other case.
"""

from __future__ import annotations

from conformance._case import ANY_VALUES, Case, data, fn, graph, inputs_like, ints
from conformance.base import BackendConformance, case_op_classes, required_op_classes
from conformance.cases import CASES
from conformance.errors import ERROR_CASES, ErrorCase

__all__ = [
    "ANY_VALUES",
    "CASES",
    "ERROR_CASES",
    "BackendConformance",
    "Case",
    "ErrorCase",
    "case_op_classes",
    "data",
    "fn",
    "graph",
    "inputs_like",
    "ints",
    "required_op_classes",
]
