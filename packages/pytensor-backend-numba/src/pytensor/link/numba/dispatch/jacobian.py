"""Numba kernel of IndexedMap, the loop Op behind jacobians (layer: pytensor-backend-numba).

Mirrors ``pytensor.tensor._jacobian``: the inner graph is compiled by the numba
linker (see ``ofg.inner_graph_call``) and called once per index inside one
jitted loop; each output is stacked or summed as the Op says.
"""

from __future__ import annotations

from typing import Any

from pytensor.link.numba.dispatch._op_utils import (
    Hole,
    compile_source,
    dtype_expr,
    indent,
    node_key,
    raise_stmt,
    shape_parts,
    tuple_parts,
)
from pytensor.link.numba.dispatch.basic import NumbaImpl, numba_funcify
from pytensor.link.numba.dispatch.ofg import inner_graph_call
from pytensor.tensor._jacobian import IndexedMap

__all__ = ["numba_funcify_IndexedMap"]


def _combine_lines(k: int, ndim: int, how: str, dtype: str) -> list[str]:
    """Lines adding inner output ``o{k}`` (of ``ndim`` dims) into the result ``res{k}``."""
    if how == "stack":
        return [f"res{k}[i] = o{k}" if ndim else f"res{k}[i] = o{k}[()]"]
    if dtype == "bool":
        return [f"res{k}[...] = res{k} | o{k}" if ndim else f"res{k}[()] = res{k}[()] | o{k}[()]"]
    return [f"res{k} += o{k}" if ndim else f"res{k}[()] += o{k}[()]"]


@numba_funcify.register(IndexedMap)
def numba_funcify_IndexedMap(op: IndexedMap, node: Any, **kwargs: Any) -> NumbaImpl:
    inner = inner_graph_call(op.fgraph)
    n_inv = len(op.input_types) - 1
    names = ["n", *(f"l{j}" for j in range(op.n_lengths)), *(f"v{j}" for j in range(n_inv))]
    lines = [
        "nn = int(n[()])",
        "if nn < 0:",
        "    "
        + raise_stmt("ValueError", f"{op}: the number of indices is negative (", Hole("nn"), ")"),
    ]
    j = 0
    rows: list[list[str]] = []
    for k, (t, how) in enumerate(zip(op.output_types, op.combine, strict=True)):
        row = [f"d{j + d}" for d in range(t.ndim)]
        lines += [f"d{j + d} = int(l{j + d}[()])" for d in range(t.ndim)]
        j += t.ndim
        rows.append(row)
        dims = "".join(f"{d}, " for d in row)
        alloc = "np.empty" if how == "stack" else "np.zeros"
        lead = "nn, " if how == "stack" else ""
        lines.append(f"res{k} = {alloc}(({lead}{dims}), {dtype_expr(t.dtype)})")
    index = "ii = np.empty((), np.int64)"
    call = inner.call(["ii", *(f"v{j}" for j in range(n_inv))])
    body = [index, "ii[()] = i", f"r = {call}"]
    for k, (expr, row, t, how) in enumerate(
        zip(inner.outputs("r"), rows, op.output_types, op.combine, strict=True)
    ):
        body.append(f"o{k} = {expr}")
        if row:
            cond = " or ".join(f"o{k}.shape[{d}] != {name}" for d, name in enumerate(row))
            msg = [
                f"{op}: at index ",
                Hole("i"),
                f", output {k} has shape ",
                shape_parts(f"o{k}", t.ndim),
                ", but its length inputs say ",
                tuple_parts(row),
            ]
            body += [f"if {cond}:", "    " + raise_stmt("ValueError", msg)]
        body += _combine_lines(k, t.ndim, how, t.dtype)
    lines += ["for i in range(nn):", *indent(body)]
    results = [f"res{k}" for k in range(len(op.output_types))]
    lines.append(f"return {results[0] if len(results) == 1 else ', '.join(results)}")
    src = "\n".join([f"def indexed_map({', '.join(names)}):", *indent(lines)])
    return compile_source(src, "indexed_map", inner.env), node_key(op, node)
