"""The global rewrite database ``optdb`` and its standard stages (layer: pytensor-rewrite).

Every layer registers its rewrites into the stages below (PyTensor's
positions); compile Modes query it by tags. ``pytensor.compile.mode``
receives it through the ``pytensor.extensions`` entry point (see
:mod:`pytensor.graph.rewriting._plugin`).
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from pytensor.graph.rewriting._core import GraphRewriter
from pytensor.graph.rewriting._merge import MergeOptimizer
from pytensor.graph.rewriting._replace import warn_inplace
from pytensor.graph.rewriting.db import EquilibriumDB, LocalGroupDB, SequenceDB, TopoDB
from pytensor.graph.rewriting.destroyhandler import DestroyHandler

if TYPE_CHECKING:
    from pytensor.graph.features import Feature
    from pytensor.graph.fg import FunctionGraph

__all__ = [
    "AddDestroyHandler",
    "AddFeatureOptimizer",
    "PrintCurrentFunctionGraph",
    "local_useless",
    "optdb",
]


class AddDestroyHandler(GraphRewriter):
    """Attaches a DestroyHandler, so that the inplace rewrites registered after it are checked."""

    def add_requirements(self, fgraph: FunctionGraph) -> None:
        fgraph.attach_feature(DestroyHandler())

    def apply(self, fgraph: FunctionGraph) -> None:
        return None


class AddFeatureOptimizer(GraphRewriter):
    """Attaches ``feature`` to the graph and changes nothing else."""

    def __init__(self, feature: Feature) -> None:
        self.feature = feature

    def add_requirements(self, fgraph: FunctionGraph) -> None:
        fgraph.attach_feature(self.feature)

    def apply(self, fgraph: FunctionGraph) -> None:
        return None


class PrintCurrentFunctionGraph(GraphRewriter):
    """Prints the graph (for debugging a pipeline: register it at a position)."""

    def __init__(self, header: str) -> None:
        self.header = header

    def apply(self, fgraph: FunctionGraph) -> Any:
        from pytensor.printing import debugprint

        print(f"PrintCurrentFunctionGraph: {self.header}")
        debugprint(fgraph)
        return None


def _build() -> tuple[SequenceDB, LocalGroupDB]:
    db = SequenceDB()
    from pytensor.graph.rewriting._ofg import inline_ofg_expansion
    from pytensor.graph.rewriting._walking import in2out

    # Inline OpFromGraphs first, so every later stage sees their inner graphs.
    db.register(
        "inline_ofg_expansion",
        in2out(inline_ofg_expansion),
        "fast_run",
        "fast_compile",
        "inline_ofg",
        position=-0.01,
    )
    db.register("merge1", MergeOptimizer(), "fast_run", "fast_compile", "merge", position=0)
    useless = LocalGroupDB(apply_all_rewrites=True, profile=True)
    db.register(
        "useless",
        TopoDB(useless, failure_callback=warn_inplace),
        "fast_run",
        "fast_compile",
        position=0.6,
    )
    db.register("merge1.1", MergeOptimizer(), "fast_run", "fast_compile", "merge", position=0.65)
    db.register(
        "canonicalize",
        EquilibriumDB(ignore_newtrees=False),
        "fast_run",
        "fast_compile",
        "canonicalize_db",
        position=1,
    )
    # Merge after every canonicalization, so equal sub-graphs made by different rewrites meet.
    db["canonicalize"].register("merge", MergeOptimizer(), "fast_run", "fast_compile", cleanup=True)
    db.register("merge1.2", MergeOptimizer(), "fast_run", "fast_compile", "merge", position=1.2)
    db.register("stabilize", EquilibriumDB(), "fast_run", position=1.5)
    db.register("specialize", EquilibriumDB(), "fast_run", "fast_compile", position=2)
    db.register("uncanonicalize", EquilibriumDB(), "fast_run", position=3)
    db.register("specialize_device", EquilibriumDB(), "fast_run", "fast_compile", position=48.6)
    db.register(
        "elemwise_fusion", SequenceDB(), "fast_run", "fusion", "local_elemwise_fusion", position=49
    )
    db.register("merge2", MergeOptimizer(), "fast_run", "merge", position=49)
    db.register("py_only", EquilibriumDB(), "fast_compile", position=49.1)
    db.register("add_destroy_handler", AddDestroyHandler(), "fast_run", "inplace", position=49.5)
    # The tag "inplace" also selects add_destroy_handler, so the stage needs another name.
    db.register("inplace_db", SequenceDB(), "fast_run", "inplace", position=75)
    db.register("merge3", MergeOptimizer(), "fast_run", "merge", position=100)
    return db, useless


#: The global rewrite database (PyTensor's ``pytensor.compile.mode.optdb``).
optdb, local_useless = _build()
