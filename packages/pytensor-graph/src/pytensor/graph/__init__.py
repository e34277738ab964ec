"""The graph IR of PyTensor (layer: pytensor-graph).

Variables, Apply nodes, Ops, Types, FunctionGraph, traversal and replacement.
``pytensor.graph.rewriting`` is contributed by the pytensor-rewrite
distribution, so this package extends its ``__path__``.
"""

from pkgutil import extend_path

__path__ = extend_path(__path__, __name__)

import importlib  # noqa: E402
from typing import Any  # noqa: E402

from pytensor.graph.basic import (  # noqa: E402
    Apply,
    Constant,
    NominalVariable,
    Variable,
    clone,
    clone_get_equiv,
    equal_computations,
)
from pytensor.graph.fg import FunctionGraph  # noqa: E402
from pytensor.graph.op import HasInnerGraph, Op  # noqa: E402
from pytensor.graph.replace import clone_replace, graph_replace, vectorize_graph  # noqa: E402
from pytensor.graph.traversal import (  # noqa: E402
    ancestors,
    applys_between,
    explicit_graph_inputs,
    graph_inputs,
    io_toposort,
    toposort,
    variables_between,
    walk,
)
from pytensor.graph.type import Type  # noqa: E402

__all__ = [
    "Apply",
    "Constant",
    "FunctionGraph",
    "HasInnerGraph",
    "NominalVariable",
    "Op",
    "Type",
    "Variable",
    "ancestors",
    "applys_between",
    "clone",
    "clone_get_equiv",
    "clone_replace",
    "equal_computations",
    "explicit_graph_inputs",
    "graph_inputs",
    "graph_replace",
    "io_toposort",
    "toposort",
    "variables_between",
    "vectorize_graph",
    "walk",
]

# Names that PyTensor re-exports here but that the rewrite layer defines.
# They are resolved on first access, so the graph layer does not depend on
# pytensor-rewrite; without it installed, accessing one raises ImportError.
_FROM_REWRITE = {
    "node_rewriter": "pytensor.graph.rewriting.basic",
    "graph_rewriter": "pytensor.graph.rewriting.basic",
    "rewrite_graph": "pytensor.graph.rewriting.utils",
    "RewriteDatabaseQuery": "pytensor.graph.rewriting.db",
}


def __getattr__(name: str) -> Any:
    module = _FROM_REWRITE.get(name)
    if module is None:
        raise AttributeError(f"module 'pytensor.graph' has no attribute {name!r}")
    try:
        mod = importlib.import_module(module)
    except ImportError as exc:
        raise ImportError(
            f"pytensor.graph.{name} is provided by the pytensor-rewrite distribution: "
            'pip install "pytensor-rewrite" (or "pytensor")'
        ) from exc
    return getattr(mod, name)
