"""``BackendConformance``: the test class every backend subclasses (DESIGN.md §5)."""

from __future__ import annotations

import importlib
import pkgutil
from collections.abc import Iterable, Mapping
from typing import Any, ClassVar

import numpy as np
import pytest

from conformance._case import ANY_VALUES, Case
from conformance.cases import CASES
from conformance.errors import ERROR_CASES, ErrorCase

__all__ = ["BackendConformance", "case_op_classes", "required_op_classes", "uncovered_functions"]


def tolerance(dtype: str) -> tuple[float, float]:
    """Default (rtol, atol) for a float output dtype; backends may use other libm implementations."""
    if dtype in ("float16",):
        return 1e-2, 1e-3
    if dtype in ("float32", "complex64"):
        return 1e-5, 1e-6
    return 1e-9, 1e-12


def _as_list(outputs: Any) -> list[Any]:
    return list(outputs) if isinstance(outputs, list | tuple) else [outputs]


def _compare(case: Case, k: int, out_var: Any, result: Any, expected: Any) -> None:
    result = np.asarray(result)
    where = f"{case.name}, output {k}"
    out_dtype = getattr(out_var.type, "dtype", None)
    if out_dtype is not None:
        assert result.dtype.name == out_dtype, (
            f"{where}: the backend returned {result.dtype}, the graph says {out_dtype}"
        )
    if expected is ANY_VALUES:
        assert (
            result.shape == tuple(getattr(out_var.type, "shape", result.shape))
            or None in out_var.type.shape
        )
        return
    with np.errstate(all="ignore"):
        expected = np.asarray(expected).astype(result.dtype)
    assert result.shape == expected.shape, (
        f"{where}: shape {result.shape}, NumPy gives {expected.shape}"
    )
    if result.dtype.kind in "fc":
        rtol, atol = tolerance(result.dtype.name)
        rtol = case.rtol if case.rtol is not None else rtol
        atol = case.atol if case.atol is not None else atol
        np.testing.assert_allclose(
            result, expected, rtol=rtol, atol=atol, equal_nan=True, err_msg=where
        )
    else:
        np.testing.assert_array_equal(result, expected, err_msg=where)


# ---------------------------------------------------------------------------
# Coverage: which Op classes must appear in the cases
# ---------------------------------------------------------------------------
def _import_all(package: str) -> None:
    pkg = importlib.import_module(package)
    for info in pkgutil.walk_packages(pkg.__path__, package + "."):
        importlib.import_module(info.name)


def _subclasses(base: type) -> Iterable[type]:
    stack = list(base.__subclasses__())
    while stack:
        cls = stack.pop()
        stack.extend(cls.__subclasses__())
        yield cls


#: Generic scalar base classes that are never applied themselves.
SCALAR_BASES = frozenset({"ScalarOp", "UnaryScalarOp", "BinaryScalarOp"})


def required_op_classes() -> set[type]:
    """Every tensor Op class (ShapedOp) and every scalar Op class of pytensor-tensor.

    Private base classes (a leading underscore) and the generic scalar bases
    are left out: their subclasses are what runs.
    """
    from pytensor.scalar.basic import ScalarOp
    from pytensor.tensor._shape_calc import ShapedOp

    _import_all("pytensor.scalar")
    _import_all("pytensor.tensor")
    ops = set(_subclasses(ShapedOp)) | set(_subclasses(ScalarOp))
    return {
        c
        for c in ops
        if c.__module__.startswith("pytensor.")
        and not c.__name__.startswith("_")
        and c.__name__ not in SCALAR_BASES
    }


def case_op_classes(cases: Iterable[Case]) -> set[type]:
    """The Op classes (tensor and scalar, including inside Composites) in the cases' graphs."""
    from pytensor.graph.traversal import apply_ancestors

    found: set[type] = set()

    def add_scalar(op: Any) -> None:
        found.add(type(op))
        fgraph = getattr(op, "fgraph", None)
        if fgraph is not None:
            for node in fgraph.apply_nodes:
                add_scalar(node.op)

    for case in cases:
        _, outputs = case.build()
        for node in apply_ancestors(_as_list(outputs)):
            found.add(type(node.op))
            scalar_op = getattr(node.op, "scalar_op", None)
            if scalar_op is not None:
                add_scalar(scalar_op)
    return found


#: Public callables of ``pytensor.tensor`` that compute nothing a backend runs.
NOT_COMPUTATIONS: dict[str, str] = {
    "as_index_constant": "index bookkeeping for Subtensor",
    "as_index_literal": "index bookkeeping",
    "basic_shape": "static shape helper",
    "broadcast_shape_iter": "shape helper behind broadcast_shape",
    "flatten_index_variables": "index bookkeeping",
    "get_canonical_form_slice": "slice helper (symbolic)",
    "get_constant_idx": "index bookkeeping",
    "get_idx_list": "index bookkeeping",
    "get_slice_elements": "index bookkeeping",
    "index_vars_to_types": "index bookkeeping",
    "indices_from_subtensor": "index bookkeeping",
    "unflatten_index_variables": "index bookkeeping",
    "slice_len": "slice helper (symbolic)",
    "get_scalar_constant_value": "graph inspection",
    "get_underlying_scalar_constant_value": "graph inspection",
    "get_vector_length": "graph inspection",
    "infer_static_shape": "graph inspection",
    "is_flat": "graph inspection",
    "shape_i_op": "Op factory",
    "scalar_elemwise": "Op factory",
    "values_eq_approx_always_true": "type comparison helper",
    "none_type_t": "a type",
    "grad": "gradients: later issue",
    "hessian": "gradients: later issue",
    "jacobian": "gradients: later issue",
}


def uncovered_functions(cases: Iterable[Case]) -> list[str]:
    """Public computing functions of ``pytensor.tensor`` that no case name starts with (aliases count)."""
    import pytensor.tensor as pt
    from pytensor.tensor import type as pt_type

    prefixes = {c.name.split("/")[0] for c in cases}
    covered = {id(getattr(pt, p)) for p in prefixes if hasattr(pt, p)}
    missing = []
    for name in pt.__all__:
        obj = getattr(pt, name)
        if (
            isinstance(obj, type)
            or not callable(obj)
            or name in pt_type.__all__
            or name in NOT_COMPUTATIONS
        ):
            continue
        if name not in prefixes and id(obj) not in covered:
            missing.append(name)
    return missing


# ---------------------------------------------------------------------------
# The base class
# ---------------------------------------------------------------------------
class BackendConformance:
    """Run every conformance case on one backend.

    Subclass it in a test module (the class name must start with ``Test``)
    and set ``mode`` (anything ``pytensor.function(mode=...)`` accepts) or
    ``backend`` (a backend name, compiled with ``Mode(linker=backend)``).
    ``known_failures`` maps case names (value cases and ``error/...`` cases of
    ``conformance.errors``) to the reason the backend cannot run them yet;
    those cases are strict xfails, so fixing one is noticed.
    """

    mode: ClassVar[Any] = None
    backend: ClassVar[str | None] = None
    known_failures: ClassVar[Mapping[str, str]] = {}

    def get_mode(self) -> Any:
        if self.mode is not None:
            return self.mode
        if self.backend is not None:
            from pytensor.compile.mode import Mode

            return Mode(linker=self.backend)
        return None

    def compile(self, inputs: list[Any], outputs: list[Any]) -> Any:
        import pytensor

        # Outputs known statically (a broadcast shape of static inputs) leave inputs unused.
        return pytensor.function(inputs, outputs, mode=self.get_mode(), on_unused_input="ignore")

    @pytest.mark.parametrize("case", CASES, ids=[c.name for c in CASES])
    def test_case(self, case: Case, request: pytest.FixtureRequest) -> None:
        reason = self.known_failures.get(case.name)
        if reason is not None:
            request.applymarker(pytest.mark.xfail(reason=reason, strict=True))
        inputs, outputs = case.build()
        outs = _as_list(outputs)
        fn = self.compile(inputs, outs)
        values = case.fresh_values()
        results = fn(*values)
        for value, original in zip(values, case.values, strict=True):
            np.testing.assert_array_equal(
                value, original, err_msg=f"{case.name}: the backend changed an input"
            )
        expected = case.expected(*case.fresh_values())
        expected = list(expected) if isinstance(expected, tuple | list) else [expected]
        assert len(results) == len(outs) == len(expected), (
            f"{case.name}: {len(results)} results, {len(outs)} outputs, {len(expected)} expected values"
        )
        for k, (var, result, want) in enumerate(zip(outs, results, expected, strict=True)):
            _compare(case, k, var, result, want)

    @pytest.mark.parametrize("case", ERROR_CASES, ids=[c.name for c in ERROR_CASES])
    def test_error_case(self, case: ErrorCase, request: pytest.FixtureRequest) -> None:
        """The call raises the Python backend's exception type, with a message matching it."""
        reason = self.known_failures.get(case.name)
        if reason is not None:
            request.applymarker(pytest.mark.xfail(reason=reason, strict=True))
        inputs, outputs = case.build()
        fn = self.compile(inputs, _as_list(outputs))
        with pytest.raises(case.exc_type, match=case.match):
            fn(*case.fresh_values())

    def test_known_failures_name_cases(self) -> None:
        names = {c.name for c in CASES} | {c.name for c in ERROR_CASES}
        unknown = sorted(set(self.known_failures) - names)
        assert not unknown, f"known_failures names no case: {unknown}"

    def test_every_function_has_a_case(self) -> None:
        """A new public function of pytensor.tensor without a case (named after it) fails here."""
        missing = uncovered_functions(CASES)
        assert not missing, f"pytensor.tensor functions without a conformance case: {missing}"

    def test_every_op_class_has_a_case(self) -> None:
        """A new tensor Op (or scalar Op behind a math function) without a case fails here."""
        missing = required_op_classes() - case_op_classes(CASES)
        names = sorted(f"{c.__module__}.{c.__qualname__}" for c in missing)
        assert not names, (
            f"Op classes without a conformance case (add one in integration-tests/conformance/): {names}"
        )
