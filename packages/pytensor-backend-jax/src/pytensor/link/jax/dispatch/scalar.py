"""JAX implementations of the scalar Ops (layer: pytensor-backend-jax), mirroring
``pytensor/scalar``. Each works elementwise on whole arrays, so ``Elemwise`` and
``Composite`` apply them directly.

Integer and boolean inputs of an Op with a float output are converted to that float type
first, as NumPy's ufuncs do (JAX's own promotion would keep ``reciprocal(int)`` an int).
"""

from __future__ import annotations

from collections.abc import Callable
from functools import reduce
from typing import Any

import numpy as np

import jax.numpy as jnp
import pytensor.scalar._elementary as pse
import pytensor.scalar.math as psm
from pytensor.graph.basic import Apply
from pytensor.link.jax.dispatch import special
from pytensor.link.jax.dispatch.basic import fgraph_to_jax, jax_funcify, report_host, ttype
from pytensor.scalar._composite import Composite
from pytensor.scalar.basic import ScalarOp

__all__ = ["jax_funcify_Composite", "jax_funcify_ScalarOp", "scalar_function", "scalar_status"]


def _second(a: Any, b: Any) -> Any:
    return jnp.broadcast_to(b, jnp.broadcast_shapes(jnp.shape(a), jnp.shape(b)))


def _round_half_away(x: Any) -> Any:
    return jnp.where(x >= 0, jnp.floor(x + 0.5), jnp.ceil(x - 0.5))


def _softplus(x: Any) -> Any:
    return jnp.logaddexp(jnp.zeros((), dtype=x.dtype), x)


def _log1mexp(x: Any) -> Any:
    near_zero = jnp.real(x) > -np.log(2.0)
    return jnp.where(near_zero, jnp.log(-jnp.expm1(x)), jnp.log1p(-jnp.exp(x)))


def _xlogx(x: Any) -> Any:
    return jnp.where(x == 0, jnp.zeros((), dtype=x.dtype), x * jnp.log(x))


def _xlogy0(x: Any, y: Any) -> Any:
    res = x * jnp.log(y)
    return jnp.where(x == 0, jnp.zeros((), dtype=res.dtype), res)


def _switch(c: Any, a: Any, b: Any) -> Any:
    return jnp.where(c, a, b)


def _int_div(a: Any, b: Any) -> Any:
    # NumPy gives 0 for an integer division by zero.
    if jnp.issubdtype(jnp.result_type(a, b), jnp.integer):
        zero = b == 0
        return jnp.where(zero, 0, jnp.floor_divide(a, jnp.where(zero, 1, b)))
    return jnp.floor_divide(a, b)


def _mod(a: Any, b: Any) -> Any:
    if jnp.issubdtype(jnp.result_type(a, b), jnp.integer):
        zero = b == 0
        return jnp.where(zero, 0, jnp.mod(a, jnp.where(zero, 1, b)))
    return jnp.mod(a, b)


#: Scalar Op class -> elementwise JAX function (for classes NumPy's names do not cover).
SCALAR_FUNCTIONS: dict[type, Callable[..., Any]] = {
    pse.Add: lambda *xs: reduce(jnp.add, xs),
    pse.Mul: lambda *xs: reduce(jnp.multiply, xs),
    pse.Second: _second,
    pse.Switch: _switch,
    pse.Identity: lambda x: x,
    pse.RoundHalfAwayFromZero: _round_half_away,
    pse.IntDiv: _int_div,
    pse.Mod: _mod,
    psm.Softplus: _softplus,
    psm.Log1mexp: _log1mexp,
    psm.XlogX: _xlogx,
    psm.XlogY0: _xlogy0,
    **special.SPECIAL_FUNCTIONS,
}


def _numpy_name_function(op_class: type) -> Callable[..., Any] | None:
    spec = getattr(op_class, "nfunc_spec", None)
    if not spec or "." in spec[0]:
        return None
    return getattr(jnp, spec[0], None)


def scalar_function(op_class: type) -> Callable[..., Any] | None:
    """The elementwise JAX function of a scalar Op class, or None."""
    for cls in op_class.__mro__:
        if cls in SCALAR_FUNCTIONS:
            return SCALAR_FUNCTIONS[cls]
    return _numpy_name_function(op_class)


def scalar_status(op_class: type) -> str:
    return "native" if scalar_function(op_class) is not None else "missing"


def _to_float_inputs(fn: Callable[..., Any], out_dtype: str | None) -> Callable[..., Any]:
    if out_dtype is None or np.dtype(out_dtype).kind not in "fc":
        return fn

    def wrapped(*xs: Any) -> Any:
        xs = tuple(
            x.astype(out_dtype) if np.dtype(getattr(x, "dtype", "float64")).kind in "biu" else x
            for x in xs
        )
        return fn(*xs)

    return wrapped


@jax_funcify.register(ScalarOp)
def jax_funcify_ScalarOp(op: ScalarOp, node: Apply | None = None, **kw: Any) -> Callable[..., Any]:
    fn = scalar_function(type(op))
    if fn is None:
        from pytensor.link.backend import MissingImplementationError

        raise MissingImplementationError(
            "jax", node if node is not None else Apply(op, [], []), "no JAX function for it"
        )
    if any(c in special.HOST_FUNCTIONS for c in type(op).__mro__):
        report_host(op)
    out_dtype = ttype(node.outputs[0]).dtype if node is not None and node.outputs else None
    if isinstance(op, pse.Switch | pse.Second | pse.Identity | psm.PolyGamma):
        return fn
    return _to_float_inputs(fn, out_dtype)


@jax_funcify.register(pse.Cast)
def jax_funcify_Cast(op: Any, node: Apply | None = None, **kw: Any) -> Callable[..., Any]:
    dtype = op.o_type.dtype
    return lambda x: jnp.asarray(x).astype(dtype)


@jax_funcify.register(Composite)
def jax_funcify_Composite(
    op: Composite, node: Apply | None = None, **kw: Any
) -> Callable[..., Any]:
    inner = fgraph_to_jax(op.fgraph, inner=True, **kw)
    if len(op.fgraph.outputs) == 1:
        return lambda *xs: inner(*xs)[0]
    return inner
