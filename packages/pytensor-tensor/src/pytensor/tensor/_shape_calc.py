"""One shape definition per Op (layer: pytensor-tensor).

A tensor Op writes its output shapes once, in ``_output_shapes(inputs,
input_shapes, S)``, against a small algebra ``S``. Evaluated with
:data:`STATIC` (entries are ``int`` or ``None``) it gives the static shapes
``make_node`` puts on the output types; evaluated with :data:`SYMBOLIC`
(entries are int64 scalar variables or ints) it is ``infer_shape``. So the
two can never disagree.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import numpy as np

from pytensor.graph.basic import Apply, Constant, Variable

__all__ = ["STATIC", "SYMBOLIC", "ShapedOp", "StaticShapes", "SymbolicShapes", "broadcast_static"]

Dim = Any


def broadcast_static(
    op: Any, shapes: Sequence[tuple[int | None, ...]], names: Sequence[str] | None = None
) -> tuple[int | None, ...]:
    """Static broadcast of same-rank shapes; raises ValueError on known, different, non-1 lengths."""
    if not shapes:
        return ()
    ndim = len(shapes[0])
    out: list[int | None] = []
    for d in range(ndim):
        known = {s[d] for s in shapes if s[d] is not None and s[d] != 1}
        if len(known) > 1:
            desc = ", ".join(
                f"{names[k] if names else f'input {k}'} has shape {tuple('?' if x is None else x for x in s)}"
                for k, s in enumerate(shapes)
            )
            raise ValueError(f"{op}: incompatible shapes at dimension {d}: {desc}")
        if known:
            out.append(known.pop())
        elif all(s[d] == 1 for s in shapes):
            out.append(1)
        else:
            out.append(None)
    return tuple(out)


class StaticShapes:
    """Shape algebra over static shapes: ``int`` (known) or ``None`` (unknown)."""

    symbolic = False

    def const(self, k: int) -> Dim:
        return int(k)

    def known(self, d: Dim) -> int | None:
        return d

    def add(self, a: Dim, b: Dim) -> Dim:
        return None if a is None or b is None else a + b

    def sub(self, a: Dim, b: Dim) -> Dim:
        return None if a is None or b is None else a - b

    def mul(self, a: Dim, b: Dim) -> Dim:
        if a == 0 or b == 0:
            return 0
        return None if a is None or b is None else a * b

    def floordiv(self, a: Dim, b: Dim) -> Dim:
        return None if a is None or b is None or b == 0 else a // b

    def ceildiv(self, a: Dim, b: Dim) -> Dim:
        return None if a is None or b is None or b == 0 else -(-a // b)

    def maximum(self, a: Dim, b: Dim) -> Dim:
        return None if a is None or b is None else max(a, b)

    def minimum(self, a: Dim, b: Dim) -> Dim:
        return None if a is None or b is None else min(a, b)

    def prod(self, dims: Sequence[Dim]) -> Dim:
        result: Dim = 1
        for d in dims:
            result = self.mul(result, d)
        return result

    def sum(self, dims: Sequence[Dim]) -> Dim:
        result: Dim = 0
        for d in dims:
            result = self.add(result, d)
        return result

    def value(self, var: Variable) -> Dim:
        """The int value of a scalar integer input, when known statically."""
        from pytensor.tensor.basic import get_scalar_constant_value
        from pytensor.tensor.exceptions import NotScalarConstantError

        try:
            return int(get_scalar_constant_value(var))
        except (NotScalarConstantError, TypeError, ValueError):
            return None

    def values(self, var: Variable, n: int) -> tuple[Dim, ...]:
        """The int entries of a length-``n`` integer vector input, each when known statically."""
        return tuple(static_vector_entries(var, n))

    def broadcast(
        self, op: Any, inputs: Sequence[Variable], shapes: Sequence[tuple[Dim, ...]]
    ) -> tuple[Dim, ...]:
        return broadcast_static(op, shapes)

    def equal(self, op: Any, a: Dim, b: Dim, what: str) -> Dim:
        """Two lengths that must agree: raise if both are known and differ; return the known one."""
        if a is not None and b is not None and a != b:
            raise ValueError(f"{op}: {what}: {a} != {b}")
        return a if a is not None else b


class SymbolicShapes:
    """Shape algebra over symbolic shapes: int64 scalar variables (or Python ints)."""

    symbolic = True

    def const(self, k: int) -> Dim:
        return int(k)

    def known(self, d: Dim) -> int | None:
        if isinstance(d, int | np.integer):
            return int(d)
        if isinstance(d, Constant):
            return int(d.data)
        return None

    def _t(self, d: Dim) -> Any:
        from pytensor.tensor.basic import as_tensor_variable

        return as_tensor_variable(d, dtype="int64") if isinstance(d, int | np.integer) else d

    def add(self, a: Dim, b: Dim) -> Dim:
        return a + b if _both_int(a, b) else self._t(a) + self._t(b)

    def sub(self, a: Dim, b: Dim) -> Dim:
        return a - b if _both_int(a, b) else self._t(a) - self._t(b)

    def mul(self, a: Dim, b: Dim) -> Dim:
        return a * b if _both_int(a, b) else self._t(a) * self._t(b)

    def floordiv(self, a: Dim, b: Dim) -> Dim:
        return a // b if _both_int(a, b) else self._t(a) // self._t(b)

    def ceildiv(self, a: Dim, b: Dim) -> Dim:
        if _both_int(a, b):
            return -(-a // b)
        return -((-self._t(a)) // self._t(b))

    def maximum(self, a: Dim, b: Dim) -> Dim:
        from pytensor.tensor.math import maximum

        return max(a, b) if _both_int(a, b) else maximum(self._t(a), self._t(b))

    def minimum(self, a: Dim, b: Dim) -> Dim:
        from pytensor.tensor.math import minimum

        return min(a, b) if _both_int(a, b) else minimum(self._t(a), self._t(b))

    def prod(self, dims: Sequence[Dim]) -> Dim:
        result: Dim = 1
        for d in dims:
            result = self.mul(result, d)
        return result

    def sum(self, dims: Sequence[Dim]) -> Dim:
        result: Dim = 0
        for d in dims:
            result = self.add(result, d)
        return result

    def value(self, var: Variable) -> Dim:
        from pytensor.tensor.basic import cast

        static = STATIC.value(var)
        if static is not None:
            return static
        return cast(var, "int64")

    def values(self, var: Variable, n: int) -> tuple[Dim, ...]:
        from pytensor.tensor.basic import cast

        static = static_vector_entries(var, n)
        if var.owner is not None and type(var.owner.op).__name__ == "MakeVector":
            return tuple(
                s if s is not None else cast(i, "int64")
                for s, i in zip(static, var.owner.inputs, strict=True)
            )
        if var.owner is not None and type(var.owner.op).__name__ == "Shape":
            from pytensor.tensor.shape import shape_tuple

            return tuple(shape_tuple(var.owner.inputs[0]))
        return tuple(s if s is not None else cast(var[k], "int64") for k, s in enumerate(static))

    def broadcast(
        self, op: Any, inputs: Sequence[Variable], shapes: Sequence[tuple[Dim, ...]]
    ) -> tuple[Dim, ...]:
        """With no runtime broadcasting, an output length is any input length not statically 1."""
        statics = [getattr(i.type, "shape", None) for i in inputs]
        ndim = len(shapes[0]) if shapes else 0
        out = []
        for d in range(ndim):
            chosen: Dim = 1
            for st, shp in zip(statics, shapes, strict=True):
                if st is not None and st[d] == 1:
                    continue
                if st is not None and st[d] is not None:
                    chosen = st[d]
                    break
                if chosen == 1:
                    chosen = shp[d]
            out.append(chosen)
        return tuple(out)

    def equal(self, op: Any, a: Dim, b: Dim, what: str) -> Dim:
        ka, kb = self.known(a), self.known(b)
        if ka is not None:
            return ka
        if kb is not None:
            return kb
        return a


def _both_int(a: Any, b: Any) -> bool:
    return isinstance(a, int | np.integer) and isinstance(b, int | np.integer)


def static_vector_entries(var: Variable, n: int) -> list[int | None]:
    """Entries of an integer vector that are known at graph-build time (None where unknown)."""
    from pytensor.tensor.basic import get_scalar_constant_value
    from pytensor.tensor.exceptions import NotScalarConstantError

    if isinstance(var, Constant):
        data = np.asarray(var.data).reshape(-1)
        return [int(v) for v in data[:n]] + [None] * (n - min(n, data.size))
    node = var.owner
    if node is not None:
        name = type(node.op).__name__
        if name == "MakeVector":
            out: list[int | None] = []
            for i in node.inputs:
                try:
                    out.append(int(get_scalar_constant_value(i)))
                except (NotScalarConstantError, TypeError, ValueError):
                    out.append(None)
            return out
        if name == "Shape":
            shp = node.inputs[0].type.shape
            return [s for s in shp]
    return [None] * n


STATIC = StaticShapes()
SYMBOLIC = SymbolicShapes()


class ShapedOp:
    """Mixin for tensor Ops whose output shapes come from one definition.

    Subclasses implement ``_output_shapes(inputs, input_shapes, S)`` returning
    one shape tuple per output (or None for non-tensor outputs). ``infer_shape``
    is derived from it; ``make_node`` should call :meth:`static_shapes`.
    """

    def _output_shapes(
        self, inputs: Sequence[Variable], input_shapes: Sequence[Any], S: Any
    ) -> list[Any]:
        raise NotImplementedError(f"{type(self).__name__} must define _output_shapes")

    def static_shapes(self, inputs: Sequence[Variable]) -> list[Any]:
        """The static output shapes for these inputs (raises on static incompatibility)."""
        shapes = [getattr(i.type, "shape", None) for i in inputs]
        return self._output_shapes(inputs, shapes, STATIC)

    def infer_shape(self, fgraph: Any, node: Apply, input_shapes: Sequence[Any]) -> list[Any]:
        return self._output_shapes(node.inputs, input_shapes, SYMBOLIC)
