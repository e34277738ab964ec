"""Config flags that only the rewrite engine reads (layer: pytensor-rewrite).

They are declared on import, the way every layer above pytensor-graph adds
its own flags to ``pytensor.config``.
"""

from __future__ import annotations

from pytensor.configdefaults import config
from pytensor.configparser import FloatParam

__all__ = ["config"]


def _declare() -> None:
    if "optdb__max_use_ratio" not in config:
        config.add(
            "optdb__max_use_ratio",
            "An equilibrium rewriter stops (with a warning) once one rewrite has fired more "
            "than this many times per node of the graph it started with.",
            FloatParam(8.0, validate=lambda v: v > 0),
        )
    if "optdb__position_cutoff" not in config:
        config.add(
            "optdb__position_cutoff",
            "Rewrites registered in a SequenceDB at this position or later are left out of queries.",
            FloatParam(float("inf")),
        )


_declare()
