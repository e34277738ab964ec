"""Rewrite databases: named rewriters grouped by tags, and the queries that select them (layer: pytensor-rewrite).

Layers register their rewrites into databases under a name and tags; a
:class:`RewriteDatabaseQuery` (include, require, exclude) picks a subset and
turns it into one rewriter. The global database that compile Modes query is
``optdb`` (also importable from here).
"""

from __future__ import annotations

import math
import sys
from collections.abc import Callable, Iterable, Sequence
from typing import Any, TextIO

from pytensor.configdefaults import config
from pytensor.graph.rewriting import _config  # noqa: F401  (declares the optdb__* flags)
from pytensor.graph.rewriting._core import (
    GraphRewriter,
    NodeRewriter,
    Rewriter,
    SequentialGraphRewriter,
    SequentialNodeRewriter,
)
from pytensor.graph.rewriting._equilibrium import EquilibriumGraphRewriter
from pytensor.graph.rewriting._replace import warn_inplace
from pytensor.graph.rewriting._walking import _DEFAULT, WalkingGraphRewriter

__all__ = [
    "EquilibriumDB",
    "LocalGroupDB",
    "ProxyDB",
    "RewriteDatabase",
    "RewriteDatabaseQuery",
    "SequenceDB",
    "TopoDB",
    # Built from the classes above in ._optdb, provided by the module __getattr__.
    "local_useless",  # noqa: F822
    "optdb",  # noqa: F822
]


class RewriteDatabaseQuery:
    """Which rewrites to take from a database.

    A rewrite is selected when it has at least one ``include`` tag, every
    ``require`` tag and no ``exclude`` tag (a rewrite's name is also one of
    its tags). Sub-databases are queried with the same query, or with
    ``subquery[name]`` when given.

    Parameters
    ----------
    include, require, exclude
        Tags.
    subquery
        ``{database name: query}`` for the sub-databases.
    position_cutoff
        Leave out rewrites of a SequenceDB at or after this position.
    extra_rewrites
        ``(rewriter, position)`` pairs added to a SequenceDB's result.

    Examples
    --------
    >>> q = RewriteDatabaseQuery(include=["fast_run"]).excluding("fusion")
    >>> q.include, q.exclude
    (('fast_run',), ('fusion',))
    """

    def __init__(
        self,
        include: Iterable[str],
        require: Iterable[str] | None = None,
        exclude: Iterable[str] | None = None,
        subquery: dict[str, RewriteDatabaseQuery] | None = None,
        position_cutoff: float = math.inf,
        extra_rewrites: Sequence[tuple[Any, float]] | None = None,
        name: str | None = None,
    ) -> None:
        for label, tags in (("include", include), ("require", require), ("exclude", exclude)):
            if isinstance(tags, str):
                raise TypeError(
                    f"RewriteDatabaseQuery: {label} must be a sequence of tags, not the string {tags!r}"
                )
        self.include = tuple(dict.fromkeys(include))
        self.require = tuple(dict.fromkeys(require or ()))
        self.exclude = tuple(dict.fromkeys(exclude or ()))
        self.subquery = dict(subquery or {})
        self.position_cutoff = position_cutoff
        self.extra_rewrites = list(extra_rewrites or ())
        self.name = name

    def _copy(self, **changes: Any) -> RewriteDatabaseQuery:
        fields: dict[str, Any] = {
            "include": self.include,
            "require": self.require,
            "exclude": self.exclude,
            "subquery": self.subquery,
            "position_cutoff": self.position_cutoff,
            "extra_rewrites": self.extra_rewrites,
        }
        fields.update(changes)
        return RewriteDatabaseQuery(**fields)

    def including(self, *tags: str) -> RewriteDatabaseQuery:
        """This query with ``tags`` added to ``include`` (and removed from ``exclude``)."""
        return self._copy(
            include=(*self.include, *tags), exclude=[t for t in self.exclude if t not in tags]
        )

    def excluding(self, *tags: str) -> RewriteDatabaseQuery:
        """This query with ``tags`` added to ``exclude`` (and removed from ``include``)."""
        return self._copy(
            include=[t for t in self.include if t not in tags], exclude=(*self.exclude, *tags)
        )

    def requiring(self, *tags: str) -> RewriteDatabaseQuery:
        """This query with ``tags`` added to ``require``."""
        return self._copy(require=(*self.require, *tags))

    def register(self, *rewrites: tuple[Any, float]) -> RewriteDatabaseQuery:
        """This query with extra ``(rewriter, position)`` pairs for SequenceDBs."""
        return self._copy(extra_rewrites=[*self.extra_rewrites, *rewrites])

    def _key(self) -> tuple[Any, ...]:
        return (
            self.include,
            self.require,
            self.exclude,
            tuple(sorted(self.subquery.items())),
            self.position_cutoff,
            tuple((id(r), p) for r, p in self.extra_rewrites),
        )

    def __eq__(self, other: object) -> bool:
        return isinstance(other, RewriteDatabaseQuery) and self._key() == other._key()

    def __hash__(self) -> int:
        return hash(self._key()[:3] + (self.position_cutoff,))

    def __str__(self) -> str:
        parts = [f"include={list(self.include)}"]
        if self.require:
            parts.append(f"require={list(self.require)}")
        if self.exclude:
            parts.append(f"exclude={list(self.exclude)}")
        if self.subquery:
            parts.append(f"subquery={self.subquery}")
        if self.position_cutoff != math.inf:
            parts.append(f"position_cutoff={self.position_cutoff}")
        if self.extra_rewrites:
            parts.append(f"extra_rewrites={self.extra_rewrites}")
        return f"RewriteDatabaseQuery({', '.join(parts)})"

    __repr__ = __str__


def _set_name(obj: Any, name: str | None) -> None:
    try:
        obj.name = name
    except AttributeError:
        pass


class RewriteDatabase:
    """A set of named rewriters (and sub-databases), each with tags.

    Examples
    --------
    >>> from pytensor.graph.rewriting._examples import local_log_exp
    >>> db = RewriteDatabase()
    >>> db.register("local_log_exp", local_log_exp, "fast_run", "simplify")
    >>> [str(r) for r in db.query("+simplify")]
    ['local_log_exp']
    >>> db.query("+simplify", "-fast_run")
    []
    """

    def __init__(self) -> None:
        self.__db__: dict[str, dict[Any, None]] = {}
        self._names: dict[str, None] = {}
        self.name: str | None = None

    def register(
        self, name: str, rewriter: Any, *tags: str, use_db_name_as_tag: bool = True
    ) -> None:
        """Add ``rewriter`` under ``name`` with ``tags``.

        Inside a named database (a sub-database of another) the database's
        own name is added to the tags, so that including a stage by name
        selects what is registered in it.
        """
        if not isinstance(rewriter, (RewriteDatabase, Rewriter)):
            raise TypeError(
                f"Cannot register {rewriter!r} as {name!r}: it is neither a Rewriter nor a RewriteDatabase"
            )
        if name in self.__db__:
            raise ValueError(
                f"{name!r} is already used in this database, as a rewrite name or a tag"
            )
        if use_db_name_as_tag and self.name is not None:
            tags = (*tags, self.name)
        _set_name(rewriter, name)
        self.__db__[name] = {rewriter: None}
        self._names[name] = None
        self.__db__.setdefault(type(rewriter).__name__, {})[rewriter] = None
        self.add_tags(name, *tags)

    def add_tags(self, name: str, *tags: str) -> None:
        """Give the rewrite registered as ``name`` more tags."""
        obj = self[name]
        for tag in tags:
            self.__db__.setdefault(tag, {})[obj] = None

    def remove_tags(self, name: str, *tags: str) -> None:
        """Remove tags from the rewrite registered as ``name``."""
        obj = self[name]
        for tag in tags:
            if tag in self._names:
                raise ValueError(f"Cannot remove {tag!r}: it is the name of a rewrite")
            self.__db__.get(tag, {}).pop(obj, None)

    def __getitem__(self, name: str) -> Any:
        if name not in self._names:
            raise KeyError(f"No rewrite named {name!r} in this database")
        return next(iter(self.__db__[name]))

    def __contains__(self, name: object) -> bool:
        return name in self.__db__

    def names(self) -> list[str]:
        return list(self._names)

    def __query__(self, q: RewriteDatabaseQuery) -> list[Any]:
        selected: dict[Any, None] = {}
        for tag in q.include:
            selected.update(self.__db__.get(tag, {}))
        for tag in q.require:
            having = self.__db__.get(tag, {})
            selected = {o: None for o in selected if o in having}
        for tag in q.exclude:
            dropping = self.__db__.get(tag, {})
            selected = {o: None for o in selected if o not in dropping}
        plain = q._copy(extra_rewrites=()) if q.extra_rewrites else q
        out = []
        for obj in selected:
            if isinstance(obj, RewriteDatabase):
                result = obj.query(q.subquery.get(obj.name or "", plain))
                _set_name(result, obj.name)
                out.append(result)
            else:
                out.append(obj)
        return out

    def query(self, *tags: Any, **kwtags: Any) -> Any:
        """Select rewrites with a RewriteDatabaseQuery, or with ``"+tag"``/``"&tag"``/``"-tag"`` strings.

        Keyword arguments give sub-queries by sub-database name.
        """
        if tags and isinstance(tags[0], RewriteDatabaseQuery):
            if len(tags) > 1 or kwtags:
                raise TypeError(
                    "query() takes either one RewriteDatabaseQuery or tag strings, not both"
                )
            return self.__query__(tags[0])
        include = [t[1:] for t in tags if t.startswith("+")]
        require = [t[1:] for t in tags if t.startswith("&")]
        exclude = [t[1:] for t in tags if t.startswith("-")]
        if len(include) + len(require) + len(exclude) != len(tags):
            raise ValueError(f"Every tag must start with '+', '&' or '-': {tags}")
        return self.__query__(RewriteDatabaseQuery(include, require, exclude, subquery=kwtags))

    def print_summary(self, stream: TextIO = sys.stdout) -> None:
        print(f"{type(self).__name__} (id {id(self)})", file=stream)
        for name in self._names:
            obj = self[name]
            tags = sorted(t for t, objs in self.__db__.items() if obj in objs and t != name)
            print(f"  {name}: {tags}", file=stream)

    def __str__(self) -> str:
        return f"{type(self).__name__}({self.name or ''})"

    __repr__ = __str__


class EquilibriumDB(RewriteDatabase):
    """A database whose query is an :class:`EquilibriumGraphRewriter` of the selected rewrites.

    ``register(..., final_rewriter=True)`` makes a graph rewriter run at the
    end of each iteration, ``cleanup=True`` after every change.
    """

    def __init__(self, ignore_newtrees: bool = True, tracks_on_change_inputs: bool = False) -> None:
        super().__init__()
        self.ignore_newtrees = ignore_newtrees
        self.tracks_on_change_inputs = tracks_on_change_inputs
        self.__final__: dict[str, bool] = {}
        self.__cleanup__: dict[str, bool] = {}

    def register(
        self,
        name: str,
        rewriter: Any,
        *tags: str,
        final_rewriter: bool = False,
        cleanup: bool = False,
        **kwargs: Any,
    ) -> None:
        if final_rewriter and cleanup:
            raise ValueError(f"{name!r} cannot be both a final and a cleanup rewriter")
        super().register(name, rewriter, *tags, **kwargs)
        self.__final__[name] = final_rewriter
        self.__cleanup__[name] = cleanup

    def query(self, *tags: Any, **kwtags: Any) -> EquilibriumGraphRewriter:
        found = super().query(*tags, **kwtags)
        final = [o for o in found if self.__final__.get(getattr(o, "name", None) or "", False)]
        cleanup = [o for o in found if self.__cleanup__.get(getattr(o, "name", None) or "", False)]
        main = [o for o in found if o not in final and o not in cleanup]
        return EquilibriumGraphRewriter(
            main,
            failure_callback=warn_inplace,
            ignore_newtrees=self.ignore_newtrees,
            tracks_on_change_inputs=self.tracks_on_change_inputs,
            max_use_ratio=config.optdb__max_use_ratio,
            final_rewriters=final,
            cleanup_rewriters=cleanup,
        )


class _Positioned(RewriteDatabase):
    def __init__(self) -> None:
        super().__init__()
        self.__position__: dict[str, float] = {}

    def register(
        self, name: str, rewriter: Any, *tags: str, position: float | str = "last", **kwargs: Any
    ) -> None:
        if position == "last":
            position = max(self.__position__.values(), default=-1) + 1
        elif not isinstance(position, (int, float)) or isinstance(position, bool):
            raise TypeError(f"position must be a number or 'last', got {position!r}")
        super().register(name, rewriter, *tags, **kwargs)
        self.__position__[name] = float(position)

    def position(self, name: str) -> float:
        return self.__position__[name]

    def _ordered(self, found: list[Any], cutoff: float, positions: dict[str, float]) -> list[Any]:
        kept = [o for o in found if positions[o.name] < cutoff]
        kept.sort(key=lambda o: (positions[o.name], o.name))
        return kept


class SequenceDB(_Positioned):
    """A database whose query runs the selected rewriters one after the other, by position.

    Examples
    --------
    >>> from pytensor.graph.rewriting.basic import MergeOptimizer
    >>> db = SequenceDB()
    >>> db.register("late", MergeOptimizer(), "fast_run", position=2)
    >>> db.register("early", MergeOptimizer(), "fast_run", position=1)
    >>> [r.name for r in db.query("+fast_run")]
    ['early', 'late']
    """

    seq_rewriter_type = SequentialGraphRewriter

    def __init__(
        self, failure_callback: Callable[..., Any] | None = SequentialGraphRewriter.warn
    ) -> None:
        super().__init__()
        self.failure_callback = failure_callback

    def query(
        self, *tags: Any, position_cutoff: float | None = None, **kwtags: Any
    ) -> SequentialGraphRewriter:
        found = super().query(*tags, **kwtags)
        cutoff = config.optdb__position_cutoff if position_cutoff is None else position_cutoff
        positions = self.__position__
        q = tags[0] if tags and isinstance(tags[0], RewriteDatabaseQuery) else None
        if q is not None:
            if q.position_cutoff != math.inf:
                cutoff = q.position_cutoff
            if q.extra_rewrites:
                positions = dict(positions)
                for rw, pos in q.extra_rewrites:
                    rw.name = f"{type(rw).__name__}_{id(rw)}"
                    positions[rw.name] = pos
                    found.append(rw)
        ret = self.seq_rewriter_type(
            self._ordered(found, cutoff, positions), failure_callback=self.failure_callback
        )
        if q is not None and q.name:
            ret.name = q.name
        return ret

    def print_summary(self, stream: TextIO = sys.stdout) -> None:
        super().print_summary(stream)
        order = sorted(self.__position__.items(), key=lambda kv: (kv[1], kv[0]))
        print(f"  positions: {order}", file=stream)


class LocalGroupDB(_Positioned):
    """A database of node rewriters whose query is one node rewriter trying them in position order."""

    def __init__(
        self,
        apply_all_rewrites: bool = False,
        profile: bool = False,
        node_rewriter: Callable[..., NodeRewriter] = SequentialNodeRewriter,
    ) -> None:
        super().__init__()
        self.apply_all_rewrites = apply_all_rewrites
        self.profile = profile
        self.node_rewriter = node_rewriter

    def register(
        self, name: str, rewriter: Any, *tags: str, position: float | str = "last", **kwargs: Any
    ) -> None:
        if not isinstance(rewriter, NodeRewriter):
            raise TypeError(f"LocalGroupDB holds node rewriters; {name!r} is {rewriter!r}")
        super().register(name, rewriter, *tags, position=position, **kwargs)

    def query(self, *tags: Any, **kwtags: Any) -> NodeRewriter:
        found = self._ordered(super().query(*tags, **kwtags), math.inf, self.__position__)
        ret = self.node_rewriter(
            *found, apply_all_rewrites=self.apply_all_rewrites, profile=self.profile
        )
        ret.name = self.name
        return ret


class TopoDB(RewriteDatabase):
    """Wraps a database of node rewriters; its query walks the graph applying them."""

    def __init__(
        self,
        db: RewriteDatabase,
        order: str = "in_to_out",
        ignore_newtrees: bool = False,
        failure_callback: Callable[..., Any] | None = _DEFAULT,
    ) -> None:
        super().__init__()
        self.db = db
        self.order = order
        self.ignore_newtrees = ignore_newtrees
        self.failure_callback = failure_callback

    def query(self, *tags: Any, **kwtags: Any) -> GraphRewriter:
        found = self.db.query(*tags, **kwtags)
        rw = found if isinstance(found, NodeRewriter) else SequentialNodeRewriter(*found)
        return WalkingGraphRewriter(rw, self.order, self.ignore_newtrees, self.failure_callback)  # type: ignore[arg-type]


class ProxyDB(RewriteDatabase):
    """Forwards queries to another database (so one database can appear under several names)."""

    def __init__(self, db: RewriteDatabase) -> None:
        super().__init__()
        self.db = db

    def query(self, *tags: Any, **kwtags: Any) -> Any:
        return self.db.query(*tags, **kwtags)


def __getattr__(name: str) -> Any:
    # ``optdb`` is built from the classes above, so it lives in its own module.
    if name in ("optdb", "local_useless"):
        from pytensor.graph.rewriting import _optdb

        return getattr(_optdb, name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
