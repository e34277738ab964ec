"""Base classes of rewriters and the Op index of node rewriters (layer: pytensor-rewrite).

A :class:`NodeRewriter` looks at one Apply node and proposes replacements; a
:class:`GraphRewriter` transforms a whole FunctionGraph. Both are re-exported
from :mod:`pytensor.graph.rewriting.basic`.
"""

from __future__ import annotations

import abc
import sys
import time
import warnings
from collections.abc import Callable, Iterable, Sequence
from typing import TYPE_CHECKING, Any, TextIO

from pytensor.configdefaults import config
from pytensor.graph.op import Op
from pytensor.graph.rewriting._profile import RewriteProfile, rewriter_name
from pytensor.graph.rewriting.unify import OpPattern

if TYPE_CHECKING:
    from pytensor.graph.basic import Apply
    from pytensor.graph.fg import FunctionGraph

__all__ = [
    "FromFunctionGraphRewriter",
    "FromFunctionNodeRewriter",
    "GraphRewriter",
    "NodeRewriter",
    "OpToRewriterTracker",
    "RewriteWarning",
    "Rewriter",
    "SequentialGraphRewriter",
    "SequentialNodeRewriter",
    "graph_rewriter",
    "inplace_graph_rewriter",
    "node_rewriter",
    "track_matcher",
]

TrackType = type[Op] | Op | OpPattern


class RewriteWarning(UserWarning):
    """A rewrite failed, returned something unusable, or an equilibrium gave up."""


class Rewriter(abc.ABC):  # noqa: B024 - the two kinds of rewriter declare the abstract method
    """Something that rewrites graphs. Rewriters compare and hash by identity."""

    name: str | None = None

    def add_requirements(self, fgraph: FunctionGraph) -> None:  # noqa: B027 - optional hook
        """Attach the features this rewriter needs to ``fgraph``."""

    def print_summary(self, stream: TextIO = sys.stdout, level: int = 0, depth: int = -1) -> None:
        """Print a one-line description, indented by ``level`` spaces."""
        print(
            f"{' ' * level}{type(self).__name__} {rewriter_name(self)} id={id(self)}", file=stream
        )

    def __eq__(self, other: object) -> bool:
        return self is other

    def __hash__(self) -> int:
        return id(self)

    def __repr__(self) -> str:
        return f"<{type(self).__name__} {rewriter_name(self)}>"


class GraphRewriter(Rewriter):
    """A rewriter of a whole :class:`~pytensor.graph.fg.FunctionGraph`.

    Subclasses implement :meth:`apply`, which changes the graph in place
    (through ``fgraph.replace*`` so that features see every change) and
    returns a :class:`~pytensor.graph.rewriting.basic.RewriteProfile` or None.

    Examples
    --------
    >>> from pytensor.graph.fg import FunctionGraph
    >>> from pytensor.graph.rewriting._examples import exp, log, x
    >>> class DropOutput(GraphRewriter):
    ...     def apply(self, fgraph):
    ...         fgraph.replace(fgraph.outputs[0], fgraph.inputs[0])
    >>> fg = FunctionGraph([x], [exp(log(x))])
    >>> DropOutput().rewrite(fg)
    >>> fg.outputs
    [x]
    """

    @abc.abstractmethod
    def apply(self, fgraph: FunctionGraph) -> Any:
        """Rewrite ``fgraph`` in place; return a profile or None."""

    def rewrite(self, fgraph: FunctionGraph, *args: Any, **kwargs: Any) -> Any:
        """Add this rewriter's requirements to ``fgraph``, then :meth:`apply` it."""
        self.add_requirements(fgraph)
        return self.apply(fgraph, *args, **kwargs)

    def __call__(self, fgraph: FunctionGraph) -> Any:
        return self.rewrite(fgraph)

    @classmethod
    def print_profile(cls, stream: TextIO, prof: Any, level: int = 0) -> None:
        """Print a profile returned by :meth:`apply`."""
        if prof is None:
            return
        summary = getattr(prof, "summary", None)
        print(summary(level) if summary is not None else prof, file=stream)


class NodeRewriter(Rewriter):
    """A rewrite of one Apply node.

    :meth:`transform` returns False (or None) when it does not apply, a list
    of new variables for the node's outputs, or a dict ``{old: new}``
    (optionally with a ``"remove"`` entry listing nodes that must leave the
    graph). :meth:`tracks` lists the Op classes, Op instances or
    :class:`~pytensor.graph.rewriting.unify.OpPattern` objects the rewrite
    cares about (None: every node); graph rewriters use it to show the
    rewrite only the nodes it tracks.
    """

    def tracks(self) -> Sequence[TrackType] | None:
        return None

    @abc.abstractmethod
    def transform(self, fgraph: FunctionGraph, node: Apply, *args: Any, **kwargs: Any) -> Any:
        """Replacements for ``node``'s outputs, or False."""


def track_matcher(tracks: Iterable[TrackType] | None) -> Callable[[Op], bool]:
    """A predicate telling whether an Op is covered by ``tracks`` (None: every Op)."""
    if tracks is None:
        return lambda op: True
    classes = tuple(t for t in tracks if isinstance(t, type))
    instances = [t for t in tracks if isinstance(t, Op)]
    patterns = [t for t in tracks if isinstance(t, OpPattern)]

    def matches(op: Op) -> bool:
        if classes and isinstance(op, classes):
            return True
        if any(op == t for t in instances):
            return True
        return any(p.match_op(op) for p in patterns)

    return matches


def _check_tracks(tracks: Sequence[Any] | None, what: str) -> list[TrackType] | None:
    if tracks is None:
        return None
    if isinstance(tracks, (Op, OpPattern, type)):
        raise TypeError(
            f"{what}: tracks must be a list of Op classes, Ops or OpPatterns, not a single {tracks!r}"
        )
    tracks = list(tracks)
    if not tracks:
        raise ValueError(
            f"{what}: use tracks=None (not an empty list) for a rewrite that sees every node"
        )
    for t in tracks:
        ok = isinstance(t, (Op, OpPattern)) or (isinstance(t, type) and issubclass(t, Op))
        if not ok:
            raise TypeError(f"{what}: {t!r} in tracks is not an Op class, an Op or an OpPattern")
    return tracks


class FromFunctionGraphRewriter(GraphRewriter):
    """A GraphRewriter whose ``apply`` is the function ``fn(fgraph)``."""

    def __init__(
        self, fn: Callable[..., Any], requirements: Sequence[Callable[[FunctionGraph], Any]] = ()
    ) -> None:
        self.fn = fn
        self.requirements = tuple(requirements)
        self.__name__ = getattr(fn, "__name__", type(self).__name__)

    def apply(self, *args: Any, **kwargs: Any) -> Any:
        return self.fn(*args, **kwargs)

    def add_requirements(self, fgraph: FunctionGraph) -> None:
        for req in self.requirements:
            req(fgraph)

    def __call__(self, *args: Any, **kwargs: Any) -> Any:
        return self.fn(*args, **kwargs)

    def __str__(self) -> str:
        return self.__name__


def graph_rewriter(fn: Callable[[FunctionGraph], Any]) -> FromFunctionGraphRewriter:
    """Decorator: make ``fn(fgraph)`` a :class:`GraphRewriter`.

    Examples
    --------
    >>> @graph_rewriter
    ... def do_nothing(fgraph):
    ...     return None
    >>> isinstance(do_nothing, GraphRewriter), str(do_nothing)
    (True, 'do_nothing')
    """
    return FromFunctionGraphRewriter(fn)


def _attach_destroy_handler(fgraph: FunctionGraph) -> None:
    from pytensor.graph.rewriting.destroyhandler import DestroyHandler

    fgraph.attach_feature(DestroyHandler())


def inplace_graph_rewriter(fn: Callable[[FunctionGraph], Any]) -> FromFunctionGraphRewriter:
    """As :func:`graph_rewriter`, also attaching a DestroyHandler before it runs."""
    return FromFunctionGraphRewriter(fn, (_attach_destroy_handler,))


class FromFunctionNodeRewriter(NodeRewriter):
    """A NodeRewriter whose ``transform`` is ``fn(fgraph, node)``; see :func:`node_rewriter`."""

    def __init__(
        self,
        fn: Callable[[FunctionGraph, Apply], Any],
        tracks: Sequence[TrackType] | None = None,
        requirements: Sequence[Callable[[FunctionGraph], Any]] = (),
    ) -> None:
        self.fn = fn
        self._tracks = _check_tracks(tracks, getattr(fn, "__name__", "node_rewriter"))
        self._matches = track_matcher(self._tracks)
        self.requirements = tuple(requirements)
        self.__name__ = getattr(fn, "__name__", type(self).__name__)

    def tracks(self) -> list[TrackType] | None:
        return self._tracks

    def transform(self, fgraph: FunctionGraph, node: Apply, enforce_tracks: bool = True) -> Any:
        if enforce_tracks and self._tracks is not None and not self._matches(node.op):
            return False
        return self.fn(fgraph, node)

    def add_requirements(self, fgraph: FunctionGraph) -> None:
        for req in self.requirements:
            req(fgraph)

    def __call__(self, fgraph: FunctionGraph, node: Apply) -> Any:
        return self.transform(fgraph, node)

    def __str__(self) -> str:
        return self.__name__

    __repr__ = __str__


def node_rewriter(
    tracks: Sequence[TrackType] | None,
    inplace: bool = False,
    requirements: Sequence[Callable[[FunctionGraph], Any]] = (),
) -> Callable[[Callable[[FunctionGraph, Apply], Any]], FromFunctionNodeRewriter]:
    """Decorator: make ``fn(fgraph, node)`` a :class:`NodeRewriter` tracking ``tracks``.

    Parameters
    ----------
    tracks
        Op classes, Op instances or OpPatterns whose nodes the rewrite should
        see, or None for every node.
    inplace
        The rewrite makes Ops that work in place: attach a DestroyHandler to
        the graph first, so unsafe replacements are refused.
    requirements
        Callables ``req(fgraph)`` that attach features the rewrite needs.

    Examples
    --------
    >>> from pytensor.graph.fg import FunctionGraph
    >>> from pytensor.graph.rewriting._examples import Exp, Log, exp, log, x
    >>> @node_rewriter([Log])
    ... def local_log_exp(fgraph, node):
    ...     [arg] = node.inputs
    ...     if arg.owner is not None and isinstance(arg.owner.op, Exp):
    ...         return [arg.owner.inputs[0]]
    ...     return False
    >>> fg = FunctionGraph([x], [log(exp(x))])
    >>> local_log_exp.transform(fg, fg.outputs[0].owner)
    [x]
    """
    reqs = tuple(requirements)
    if inplace:
        reqs = (*reqs, _attach_destroy_handler)

    def decorator(fn: Callable[[FunctionGraph, Apply], Any]) -> FromFunctionNodeRewriter:
        return FromFunctionNodeRewriter(fn, tracks, reqs)

    return decorator


class OpToRewriterTracker:
    """Index of node rewriters by the Ops they track.

    :meth:`get_trackers` returns, in registration order, the rewriters that
    track the Op's class (or a base class), the Op instance itself, a
    matching OpPattern, or nothing in particular (tracks None). The answer
    per Op class is cached, so a lookup costs one dict access however many
    rewriters are registered.
    """

    def __init__(self) -> None:
        self._order: dict[NodeRewriter, int] = {}
        self.untracked_rewriters: list[NodeRewriter] = []
        self.tracked_types: dict[type, list[NodeRewriter]] = {}
        self.tracked_instances: dict[Op, list[NodeRewriter]] = {}
        self.tracked_patterns: dict[type, list[tuple[OpPattern, NodeRewriter]]] = {}
        self._type_cache: dict[type, list[NodeRewriter]] = {}
        self._special_types: set[type] = set()

    def add_tracker(self, rewriter: NodeRewriter) -> None:
        """Index ``rewriter`` under everything its ``tracks()`` names."""
        if rewriter in self._order:
            return
        self._order[rewriter] = len(self._order)
        self._type_cache.clear()
        tracks = rewriter.tracks()
        if tracks is None:
            self.untracked_rewriters.append(rewriter)
            return
        for t in tracks:
            if isinstance(t, OpPattern):
                for cls in _pattern_types(t):
                    self.tracked_patterns.setdefault(cls, []).append((t, rewriter))
            elif isinstance(t, type):
                self.tracked_types.setdefault(t, []).append(rewriter)
            else:
                self.tracked_instances.setdefault(t, []).append(rewriter)
        self._special_types = {type(op) for op in self.tracked_instances} | set(
            self.tracked_patterns
        )

    def _for_type(self, cls: type) -> list[NodeRewriter]:
        found = self._type_cache.get(cls)
        if found is None:
            seen: dict[NodeRewriter, None] = dict.fromkeys(self.untracked_rewriters)
            for base in cls.__mro__:
                seen.update(dict.fromkeys(self.tracked_types.get(base, ())))
            found = sorted(seen, key=self._order.__getitem__)
            self._type_cache[cls] = found
        return found

    def get_trackers(self, op: Op) -> list[NodeRewriter]:
        """The rewriters that should see nodes of ``op``, in registration order."""
        cls = type(op)
        base = self._type_cache.get(cls)
        if base is None:
            base = self._for_type(cls)
        if not self._special_types or not any(issubclass(cls, s) for s in self._special_types):
            return base
        extra: dict[NodeRewriter, None] = {}
        try:
            extra.update(dict.fromkeys(self.tracked_instances.get(op, ())))
        except TypeError:  # an Op with unhashable props can only be tracked by class
            pass
        for pcls in cls.__mro__:
            for pattern, rw in self.tracked_patterns.get(pcls, ()):
                if rw not in extra and pattern.match_op(op):
                    extra[rw] = None
        if not extra:
            return base
        extra.update(dict.fromkeys(base))
        return sorted(extra, key=self._order.__getitem__)

    def get_rewriters(self) -> list[NodeRewriter]:
        """Every indexed rewriter, in registration order."""
        return list(self._order)


def _pattern_types(pattern: OpPattern) -> tuple[type, ...]:
    op_type = pattern.op_type
    if isinstance(op_type, type):
        return (op_type,)
    if isinstance(op_type, tuple):
        return op_type
    return tuple(getattr(op_type, "__args__", (Op,)))


class SequentialNodeRewriter(NodeRewriter):
    """Several node rewriters tried in turn on a node; the first that applies wins.

    With ``apply_all_rewrites=True``, the rewriters that come after the one
    that fired are tried on the node it produced, and so on.
    """

    def __init__(
        self, *rewriters: NodeRewriter, apply_all_rewrites: bool = False, profile: bool = False
    ) -> None:
        if len(rewriters) == 1 and isinstance(rewriters[0], (list, tuple)):
            rewriters = tuple(rewriters[0])
        for rw in rewriters:
            if not isinstance(rw, NodeRewriter):
                raise TypeError(f"SequentialNodeRewriter takes NodeRewriters, got {rw!r}")
        self.rewrites = list(rewriters)
        self.apply_all_rewrites = apply_all_rewrites
        self.profile = profile
        self.tracker = OpToRewriterTracker()
        for rw in self.rewrites:
            self.tracker.add_tracker(rw)
        self.time_rewrites: dict[NodeRewriter, float] = {}
        self.process_count: dict[NodeRewriter, int] = {}

    def tracks(self) -> list[TrackType] | None:
        out: list[TrackType] = []
        for rw in self.rewrites:
            t = rw.tracks()
            if t is None:
                return None
            out.extend(t)
        return out

    def _try(self, fgraph: FunctionGraph, node: Apply, rw: NodeRewriter) -> Any:
        if not self.profile:
            return rw.transform(fgraph, node)
        t0 = time.perf_counter()
        try:
            return rw.transform(fgraph, node)
        finally:
            self.time_rewrites[rw] = self.time_rewrites.get(rw, 0.0) + time.perf_counter() - t0

    def transform(self, fgraph: FunctionGraph, node: Apply, *args: Any, **kwargs: Any) -> Any:
        for rw in self.tracker.get_trackers(node.op):
            out = self._try(fgraph, node, rw)
            if out is False or out is None:
                continue
            self.process_count[rw] = self.process_count.get(rw, 0) + 1
            if not self.apply_all_rewrites:
                return out
            return self._chain(fgraph, out, {rw})
        return False

    def _chain(self, fgraph: FunctionGraph, out: Any, used: set[NodeRewriter]) -> Any:
        # Keep rewriting the node that produced a single-output replacement, using
        # each rewriter at most once, so that the chain always ends.
        while isinstance(out, (list, tuple)) and len(out) == 1 and out[0].owner is not None:
            new_node = out[0].owner
            for rw in self.tracker.get_trackers(new_node.op):
                if rw in used:
                    continue
                nxt = self._try(fgraph, new_node, rw)
                if isinstance(nxt, (list, tuple)) and len(nxt) == 1:
                    self.process_count[rw] = self.process_count.get(rw, 0) + 1
                    used.add(rw)
                    out = nxt
                    break
            else:
                break
        return out

    def add_requirements(self, fgraph: FunctionGraph) -> None:
        for rw in self.rewrites:
            rw.add_requirements(fgraph)

    def print_summary(self, stream: TextIO = sys.stdout, level: int = 0, depth: int = -1) -> None:
        super().print_summary(stream, level, depth)
        if depth != 0:
            for rw in self.rewrites:
                rw.print_summary(stream, level + 2, depth - 1)

    def __str__(self) -> str:
        return (
            getattr(self, "__name__", None)
            or f"{type(self).__name__}({', '.join(map(str, self.rewrites))})"
        )


def _as_graph_rewriter(rw: Any) -> GraphRewriter:
    if isinstance(rw, GraphRewriter):
        return rw
    if isinstance(rw, NodeRewriter):
        from pytensor.graph.rewriting._walking import in2out

        wrapped = in2out(rw, name=rewriter_name(rw))
        return wrapped
    raise TypeError(f"{rw!r} is neither a GraphRewriter nor a NodeRewriter")


class SequentialGraphRewriter(GraphRewriter):
    """Graph rewriters applied one after the other.

    A NodeRewriter in the list is walked over the graph in2out. When one
    rewriter raises, ``failure_callback(exc, self, rewriter)`` decides what
    happens (None: raise); the graph is first restored to what it was
    before that rewriter ran.
    """

    def __init__(self, *rewriters: Any, failure_callback: Callable[..., Any] | None = None) -> None:
        if len(rewriters) == 1 and isinstance(rewriters[0], (list, tuple)):
            rewriters = tuple(rewriters[0])
        self.data = [_as_graph_rewriter(r) for r in rewriters]
        self.failure_callback = failure_callback

    # list-like access (PyTensor's SequentialGraphRewriter is a UserList)
    def __iter__(self) -> Any:
        return iter(self.data)

    def __len__(self) -> int:
        return len(self.data)

    def __getitem__(self, i: int) -> GraphRewriter:
        return self.data[i]

    def append(self, rw: Any) -> None:
        self.data.append(_as_graph_rewriter(rw))

    @staticmethod
    def warn(exc: BaseException, rewriter_list: Any, rewriter: Any) -> None:
        """Failure callback that follows ``config.on_opt_error``."""
        mode = config.on_opt_error
        if mode == "raise":
            raise exc
        if mode == "pdb":
            import pdb

            pdb.post_mortem(exc.__traceback__)
            return
        if mode == "warn":
            warnings.warn(
                f"Graph rewrite {rewriter_name(rewriter)} failed and was skipped "
                f"({type(exc).__name__}: {exc}); the graph was left as it was before it",
                RewriteWarning,
                stacklevel=2,
            )

    def add_requirements(self, fgraph: FunctionGraph) -> None:
        for rw in self.data:
            rw.add_requirements(fgraph)

    def apply(self, fgraph: FunctionGraph) -> RewriteProfile:
        prof = RewriteProfile.start(self, fgraph)
        t_start = time.perf_counter()
        for rw in self.data:
            before = len(fgraph.apply_nodes)
            chk = fgraph.checkpoint()  # type: ignore[attr-defined]
            t0 = time.perf_counter()
            try:
                sub = rw.apply(fgraph)
            except Exception as exc:
                # Whatever happens next, the graph is as it was before this rewriter.
                fgraph.revert(chk)  # type: ignore[attr-defined]
                if self.failure_callback is None or isinstance(exc, AssertionError):
                    exc.add_note(f"Raised by graph rewrite {rewriter_name(rw)}")
                    raise
                self.failure_callback(exc, self, rw)
                sub = None
            elapsed = time.perf_counter() - t0
            if not isinstance(sub, RewriteProfile):
                sub = RewriteProfile(rewriter_name(rw), type(rw).__name__, nodes_before=before)
            sub.time = elapsed
            sub.nodes_after = len(fgraph.apply_nodes)
            prof.children.append(sub)
        prof.time = time.perf_counter() - t_start
        prof.nodes_after = len(fgraph.apply_nodes)
        return prof

    def print_summary(self, stream: TextIO = sys.stdout, level: int = 0, depth: int = -1) -> None:
        super().print_summary(stream, level, depth)
        if depth != 0:
            for rw in self.data:
                rw.print_summary(stream, level + 2, depth - 1)

    def __repr__(self) -> str:
        return f"{type(self).__name__}({self.data})"
