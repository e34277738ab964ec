"""The JAX dispatch registry (layer: pytensor-backend-jax): ``jax_funcify`` and the
implementations of every Op of pytensor-tensor, one module per ``pytensor/tensor`` module.

Importing this package imports JAX.
"""

from pytensor.link.jax.dispatch.basic import (
    StaticValueError,
    fgraph_to_jax,
    jax_funcify,
    needs_static,
    record_check,
)

# Importing the implementation modules registers them.
from pytensor.link.jax.dispatch import (  # noqa: E402, F401  isort: skip
    scalar,
    elemwise,
    tensor_basic,
    shape,
    subtensor,
    math,
    sort,
    raise_op,
    extra_ops,
    linalg,
    jacobian,
)

__all__ = [
    "StaticValueError",
    "fgraph_to_jax",
    "jax_funcify",
    "needs_static",
    "op_status",
    "record_check",
]


def op_status(op_class: type) -> str:
    """``"native"``, ``"perform"`` (run on the host through ``jax.pure_callback``) or
    ``"missing"`` for an Op class (scalar Op classes included)."""
    from pytensor.link.jax.dispatch.special import HOST_FUNCTIONS
    from pytensor.scalar._composite import Composite
    from pytensor.scalar.basic import ScalarOp

    impl = jax_funcify.dispatch(op_class)
    if impl is jax_funcify.dispatch(object):
        return "missing"
    if impl is scalar.jax_funcify_ScalarOp and issubclass(op_class, ScalarOp):
        if not issubclass(op_class, Composite) and scalar.scalar_function(op_class) is None:
            return "missing"
        if any(c in HOST_FUNCTIONS for c in op_class.__mro__):
            return "perform"
    if issubclass(op_class, linalg.HOST_OPS):
        return "perform"
    return "native"
