"""Entry point that hands the global rewrite database to the compile layer (layer: pytensor-rewrite).

Declared in pyproject.toml as ``pytensor.extensions: rewrite``; the compile
layer calls :func:`register` when it loads its extensions.
"""

from __future__ import annotations

from collections.abc import Iterable

from pytensor.graph.rewriting.db import RewriteDatabaseQuery

__all__ = ["make_query", "register"]


def make_query(
    include: Iterable[str] = (), exclude: Iterable[str] = (), require: Iterable[str] = ()
) -> RewriteDatabaseQuery:
    """The query a Mode uses to select rewrites from ``optdb``."""
    return RewriteDatabaseQuery(include=list(include), exclude=list(exclude), require=list(require))


def register() -> None:
    """Give ``optdb`` and :func:`make_query` to ``pytensor.compile.mode.register_optdb``."""
    from pytensor.compile.mode import register_optdb
    from pytensor.graph.rewriting._optdb import optdb

    register_optdb(optdb, make_query)
