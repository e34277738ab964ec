"""Test helper: an Op output's static shape, symbolic shape and computed shape agree."""

from __future__ import annotations

from typing import Any

import numpy as np

import pytensor.tensor as pt
from pytensor.compile.function import function
from pytensor.graph.basic import Constant


def check_shapes(out: Any, givens: dict[Any, Any] | None = None) -> Any:
    """Evaluate ``out`` (the output of one Op node) and compare its three shapes.

    The symbolic shape is ``op.infer_shape`` with the node inputs' shapes
    given as int64 scalars, so it does not rely on any shape rewrite.
    Returns the computed value.
    """
    givens = dict(givens or {})
    graph_inputs = list(givens)
    node = out.owner
    values = function(graph_inputs, list(node.outputs), on_unused_input="ignore")(*givens.values())
    value = values[node.outputs.index(out)]
    in_vals = function(
        graph_inputs,
        [i for i in node.inputs if not isinstance(i, Constant)],
        on_unused_input="ignore",
    )(*givens.values())
    in_vals = iter(in_vals)
    shape_vars, shape_vals, input_shapes = [], [], []
    for i in node.inputs:
        v = np.asarray(i.data) if isinstance(i, Constant) else np.asarray(next(in_vals))
        dims = tuple(pt.lscalar(f"{i}_dim{d}") for d in range(v.ndim))
        shape_vars.extend(dims)
        shape_vals.extend(v.shape)
        input_shapes.append(dims)
    symbolic = node.op.infer_shape(None, node, input_shapes)
    k = node.outputs.index(out)
    entries = [pt.as_tensor_variable(e) for e in symbolic[k]]
    fn = function(graph_inputs + shape_vars, entries, on_unused_input="ignore")
    sym_vals = tuple(int(e) for e in fn(*givens.values(), *shape_vals)) if entries else ()
    computed = np.shape(value)
    assert sym_vals == computed, f"symbolic shape {sym_vals} != computed {computed}"
    static = out.type.shape
    assert len(static) == len(computed)
    assert all(s is None or s == c for s, c in zip(static, computed, strict=True)), (
        f"static shape {static} disagrees with computed {computed}"
    )
    return value
