"""numba implementations of the scalar exp/log family with vectorizable kernels
(layer: pytensor-backend-numba).

Registers ``numba_funcify`` for the scalar Ops Exp, Exp2, Expm1, Log, Log2,
Log10 and Log1p, and Sigmoid (SciPy's ``expit`` formula ``1 / (1 + exp(-x))``
on the vectorizable exp). Real inputs use the branch-free kernels of
:mod:`._vecmath_impl` (computed in float64, rounded once to the output
dtype), so the fused loops calling them vectorize; complex inputs use
numba's ``np.exp``/``np.log``. Integer and boolean inputs are converted to
float first, as ``ScalarOp.perform`` does.
"""

from __future__ import annotations

from typing import Any

import numpy as np

from pytensor.graph.basic import Apply
from pytensor.link.numba.dispatch import _vecmath_impl as vm
from pytensor.link.numba.dispatch.basic import NumbaImpl, numba_funcify, op_key
from pytensor.scalar import _elementary as se
from pytensor.scalar import math as sm

__all__ = ["VECTORIZED"]

#: Scalar Op class name -> (vectorizable kernel, NumPy function name for complex inputs).
VECTORIZED: dict[str, tuple[Any, str]] = {
    "Exp": (vm.vexp, "exp"),
    "Exp2": (vm.vexp2, "exp2"),
    "Expm1": (vm.vexpm1, "expm1"),
    "Log": (vm.vlog, "log"),
    "Log2": (vm.vlog2, "log2"),
    "Log10": (vm.vlog10, "log10"),
    "Log1p": (vm.vlog1p, "log1p"),
}


def _ctor(dtype: str) -> str:
    return "np.float32" if dtype == "float16" else f"np.{dtype}"


def _funcify(kernel: Any, ufunc: str) -> Any:
    def funcify(op: Any, node: Apply, **kwargs: Any) -> NumbaImpl:
        out = node.outputs[0].type.dtype
        kind = np.dtype(out).kind
        if kind == "c":
            call = f"np.{ufunc}({_ctor(out)}(a0))"
        elif kind == "f":
            call = "kernel(np.float64(a0))"
        else:
            raise TypeError(f"{op}: no numba implementation for output dtype {out}")
        # The call is a statement of its own so the loops can inline the kernel too.
        # The float kernels return float64: a float64 output needs no cast.
        ret = "y" if out == "float64" and kind == "f" else f"{_ctor(out)}(y)"
        source = f"def numba_scalar_{ufunc}(a0):\n    y = {call}\n    return {ret}\n"
        namespace: dict[str, Any] = {"np": np, "kernel": kernel}
        exec(compile(source, f"<numba scalar {ufunc}>", "exec"), namespace)
        fn = namespace[f"numba_scalar_{ufunc}"]
        fn.__numba_source__ = source  # lets the loops inline it (and the kernel)
        return fn, op_key(op, node, "vecmath1")

    return funcify


for _name, (_kernel, _ufunc) in VECTORIZED.items():
    numba_funcify.register(getattr(se, _name))(_funcify(_kernel, _ufunc))


@numba_funcify.register(sm.Sigmoid)
def numba_funcify_Sigmoid(op: Any, node: Apply, **kwargs: Any) -> NumbaImpl:
    """``1 / (1 + exp(-x))`` in float64, rounded once to the output dtype: the formula of
    SciPy's ``expit`` (exact limits 0 and 1, NaN kept), vectorizable in fused loops."""
    out = node.outputs[0].type.dtype
    if np.dtype(out).kind != "f":
        raise TypeError(f"{op}: no numba implementation for output dtype {out}")
    ret = "y" if out == "float64" else f"{_ctor(out)}(y)"
    source = (
        "def numba_scalar_sigmoid(a0):\n"
        "    e = kernel(-np.float64(a0))\n"
        "    y = 1.0 / (1.0 + e)\n"
        f"    return {ret}\n"
    )
    namespace: dict[str, Any] = {"np": np, "kernel": vm.vexp}
    exec(compile(source, "<numba scalar sigmoid>", "exec"), namespace)
    fn = namespace["numba_scalar_sigmoid"]
    fn.__numba_source__ = source
    return fn, op_key(op, node, "vecmath1")
