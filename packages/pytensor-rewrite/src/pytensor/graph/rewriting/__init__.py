"""The rewrite engine of PyTensor (layer: pytensor-rewrite).

Node and graph rewriters (:mod:`.basic`), patterns (:mod:`.unify`),
databases and queries (:mod:`.db`), the DestroyHandler
(:mod:`.destroyhandler`) and :func:`rewrite_graph` (:mod:`.utils`).
"""

from pytensor.graph.rewriting.utils import rewrite_graph

__all__ = ["rewrite_graph"]
