"""Numba implementations of ``Det`` and ``SLogDet`` (layer: pytensor-backend-numba).

numba's ``np.linalg.det``/``slogdet`` are NumPy's computation (an LU factorization
and the product of its diagonal, in double precision as NumPy); the results are
0-d arrays of the output dtype.
"""

from __future__ import annotations

from typing import Any

import numpy as np

from pytensor.link.numba.dispatch.basic import NumbaImpl, numba_funcify, op_key
from pytensor.link.numba.dispatch.linalg._lapack import square_check
from pytensor.link.numba.dispatch.linalg.decomposition import numpy_work_dtype
from pytensor.tensor.linalg.summary import Det, SLogDet

__all__: list[str] = []


@numba_funcify.register(Det)
def numba_funcify_Det(op: Any, node: Any, **kwargs: Any) -> NumbaImpl:
    dt = np.dtype(node.outputs[0].type.dtype).type
    work = np.dtype(numpy_work_dtype(node.inputs[0].type.dtype)).type
    check = square_check(op)

    def det(a: Any) -> Any:
        check(a)
        out = np.empty((), dt)
        out[()] = 1.0 if a.shape[0] == 0 else np.linalg.det(a.astype(work))
        return out

    return det, op_key(op, node)


@numba_funcify.register(SLogDet)
def numba_funcify_SLogDet(op: Any, node: Any, **kwargs: Any) -> NumbaImpl:
    st = np.dtype(node.outputs[0].type.dtype).type
    lt = np.dtype(node.outputs[1].type.dtype).type
    work = np.dtype(numpy_work_dtype(node.inputs[0].type.dtype)).type
    check = square_check(op)

    def slogdet(a: Any) -> Any:
        check(a)
        sign, logabsdet = np.empty((), st), np.empty((), lt)
        if a.shape[0] == 0:
            sign[()], logabsdet[()] = 1.0, 0.0
        else:
            s, ld = np.linalg.slogdet(a.astype(work))
            sign[()], logabsdet[()] = s, ld
        return sign, logabsdet

    return slogdet, op_key(op, node)
