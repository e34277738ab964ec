"""Numba implementation of ``BlockDiagonal`` (layer: pytensor-backend-numba).

The kernel is generated for the Op's number of inputs.
"""

from __future__ import annotations

from typing import Any

import numpy as np

from pytensor.link.numba.dispatch._op_utils import compile_source, dtype_expr
from pytensor.link.numba.dispatch.basic import NumbaImpl, numba_funcify, op_key
from pytensor.tensor.linalg.constructors import BlockDiagonal

__all__: list[str] = []


@numba_funcify.register(BlockDiagonal)
def numba_funcify_BlockDiagonal(op: Any, node: Any, **kwargs: Any) -> NumbaImpl:
    names = [f"m{i}" for i in range(len(node.inputs))]
    lines = [f"def block_diag({', '.join(names)}):"]
    lines.append(f"    rows = {' + '.join(f'{m}.shape[0]' for m in names)}")
    lines.append(f"    cols = {' + '.join(f'{m}.shape[1]' for m in names)}")
    lines.append(f"    out = np.zeros((rows, cols), {dtype_expr(node.outputs[0].type.dtype)})")
    lines.append("    r = c = 0")
    for m in names:
        lines.append(f"    for i in range({m}.shape[0]):")
        lines.append(f"        for j in range({m}.shape[1]):")
        lines.append(f"            out[r + i, c + j] = {m}[i, j]")
        lines.append(f"    r += {m}.shape[0]")
        lines.append(f"    c += {m}.shape[1]")
    lines.append("    return out")
    return compile_source("\n".join(lines) + "\n", "block_diag", {"np": np}), op_key(op, node)
