"""The numba dispatch modules: importing this package registers every ``numba_funcify``
(layer: pytensor-backend-numba). It imports numba; ``pytensor.link.numba`` imports it lazily.
"""

from pytensor.link.numba.dispatch import (  # noqa: F401 (imported for their registrations)
    advanced_subtensor,
    compile_ops,
    dot,
    elemwise,
    extra_ops,
    jacobian,
    linalg,
    ofg,
    raise_op,
    scalar,
    scalar_math,
    shape,
    sort,
    subtensor,
    tensor_basic,
    vecmath,
)
from pytensor.link.numba.dispatch.basic import numba_funcify

__all__ = ["numba_funcify"]
