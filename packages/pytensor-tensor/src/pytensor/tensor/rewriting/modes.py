"""What the named modes run (layer: pytensor-tensor): the stages of ``optdb`` and the rewrites
a mode's query selects, for the documentation, for tests and for users inspecting a mode.

The modes themselves (FAST_RUN, FAST_COMPILE, PY, ``Mode.including``/``excluding``/
``requiring``, a backend's required and excluded tags) live in ``pytensor.compile.mode``
and need nothing from this layer; importing this module registers nothing.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

from pytensor.compile.mode import Mode, get_mode

__all__ = ["Stage", "rewrite_stages", "selected_rewrites", "stage_table"]

# Attributes through which a rewriter holds the rewriters it runs (SequentialGraphRewriter,
# EquilibriumGraphRewriter, SequentialNodeRewriter, walking rewriters).
_CHILD_LISTS = (
    "data",
    "global_rewriters",
    "node_rewriters",
    "final_rewriters",
    "cleanup_rewriters",
)
_CHILD_LISTS += ("rewrites",)


@dataclass(frozen=True)
class Stage:
    """One entry of a SequenceDB: its name, position, kind and tags (without its own name)."""

    name: str
    position: float
    kind: str
    tags: tuple[str, ...]


def _optdb() -> Any:
    from pytensor.graph.rewriting.db import optdb

    return optdb


def rewrite_stages(db: Any = None) -> list[Stage]:
    """The entries of a SequenceDB (by default the global ``optdb``), in the order they run.

    Examples
    --------
    >>> from pytensor.tensor.rewriting.modes import rewrite_stages
    >>> stages = {s.name: s for s in rewrite_stages()}
    >>> stages["canonicalize"].position, stages["canonicalize"].kind
    (1.0, 'EquilibriumDB')
    >>> "fast_compile" in stages["stabilize"].tags
    False
    """
    db = _optdb() if db is None else db
    entries = {name: db[name] for name in db.names()}
    class_names = {type(obj).__name__ for obj in entries.values()}
    stages = []
    for name, obj in entries.items():
        tags = tuple(
            sorted(
                tag
                for tag, members in db.__db__.items()
                if obj in members and tag not in entries and tag not in class_names
            )
        )
        stages.append(Stage(name, db.position(name), type(obj).__name__, tags))
    stages.sort(key=lambda s: (s.position, s.name))
    return stages


def stage_table(db: Any = None) -> str:
    """The stages of ``db`` (default ``optdb``) as a Markdown table: stage, position, kind, tags."""
    lines = ["| stage | position | kind | tags |", "|---|---|---|---|"]
    for s in rewrite_stages(db):
        lines.append(f"| `{s.name}` | {s.position:g} | {s.kind} | {', '.join(s.tags)} |")
    return "\n".join(lines)


def _walk(rewriter: Any, seen: set[int]) -> Iterator[Any]:
    if id(rewriter) in seen:
        return
    seen.add(id(rewriter))
    yield rewriter
    for attr in _CHILD_LISTS:
        for child in getattr(rewriter, attr, None) or ():
            yield from _walk(child, seen)
    inner = getattr(rewriter, "node_rewriter", None)
    if inner is not None:
        yield from _walk(inner, seen)


def selected_rewrites(mode: Mode | str | None = None) -> list[str]:
    """Names of the stages and rewrites that ``mode`` (default: the default mode) runs, in order.

    The query honours the mode's ``including``/``excluding``/``requiring`` tags and the
    tags its backend requires or excludes.

    Examples
    --------
    >>> from pytensor.compile.mode import get_mode
    >>> from pytensor.tensor.rewriting.modes import selected_rewrites
    >>> "merge1" in selected_rewrites("FAST_RUN")
    True
    >>> "merge1" in selected_rewrites(get_mode("FAST_RUN").excluding("merge"))
    False
    >>> "stabilize" in selected_rewrites("FAST_COMPILE")
    False
    """
    names: list[str] = []
    for rw in _walk(get_mode(mode).optimizer, set()):
        name = getattr(rw, "name", None)
        if isinstance(name, str) and name not in names:
            names.append(name)
    return names
