"""Shape rewrites (layer: pytensor-tensor): the ``ShapeFeature``, which answers ``x.shape``
from each Op's ``infer_shape`` without computing ``x``, and the rewrites that use it.

Safety (DESIGN.md §4): replacing ``Shape_i(x)`` by an expression of ``x``'s ancestors'
shapes can drop the nodes between them, and with them the errors they would raise (an
Elemwise meeting inputs of different lengths, a failing SpecifyShape, ...). The default
rewrite ``local_track_shape_i`` only does it when every node it could drop provably cannot
raise; ``local_shape_unsafe_track_shape_i`` (tag ``shape_unsafe``) does it always. The
same split holds for ``local_Shape_of_SpecifyShape`` (only while the SpecifyShape is still
computed for its value) and ``local_reshape_chain`` (only when the inner Reshape cannot
fail). ``UnShapeOpt`` (optdb position 99) detaches the ShapeFeature once rewriting is done.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from typing import Any

import numpy as np

from pytensor.graph.basic import Apply, Constant, Variable
from pytensor.graph.features import AlreadyThere, Feature
from pytensor.graph.fg import FunctionGraph
from pytensor.graph.rewriting.basic import GraphRewriter, node_rewriter
from pytensor.graph.rewriting.db import local_useless, optdb
from pytensor.tensor._alloc import Alloc, MakeVector
from pytensor.tensor.basic import TensorFromScalar, cast, constant
from pytensor.tensor.elemwise import CAReduce, DimShuffle, Elemwise
from pytensor.tensor.shape import Reshape, Shape, Shape_i, SpecifyShape, shape_i_op
from pytensor.tensor.type import TensorType, int_dtypes

__all__ = [
    "ShapeFeature",
    "UnShapeOptimizer",
    "is_shape_safe",
    "local_Shape_of_SpecifyShape",
    "local_reshape_chain",
    "local_shape_unsafe_Shape_of_SpecifyShape",
    "local_shape_unsafe_reshape_chain",
    "local_shape_to_shape_i",
    "local_shape_unsafe_track_shape_i",
    "local_track_shape_i",
]

ShapeTuple = tuple[Variable, ...]


def _as_dim(value: Any) -> Variable | None:
    """An int64 scalar for a shape entry an ``infer_shape`` returned, or None if unusable."""
    if isinstance(value, bool | np.bool_):
        return None
    if isinstance(value, int | np.integer):
        return constant(np.asarray(int(value), dtype="int64")) if value >= 0 else None
    if isinstance(value, Variable) and isinstance(value.type, TensorType):
        if value.type.ndim != 0 or value.type.dtype not in int_dtypes:
            return None
        if isinstance(value, Constant) and int(value.data) < 0:
            return None
        return value if value.type.dtype == "int64" else cast(value, "int64")
    return None


def _own_shape(var: Variable) -> ShapeTuple:
    """``var``'s shape read from ``var`` itself: static lengths as constants, else ``Shape_i``."""
    return tuple(
        constant(np.asarray(s, dtype="int64")) if s is not None else shape_i_op(d)(var)
        for d, s in enumerate(var.type.shape)
    )


def _elemwise_cannot_raise(node: Apply) -> bool:
    """Whether the inputs of an Elemwise provably agree on every length (so it cannot raise)."""
    ndim = node.outputs[0].type.ndim
    shapes = []
    for inp in dict.fromkeys(node.inputs):  # the same variable twice always agrees with itself
        st = inp.type.shape
        shapes.append((1,) * (ndim - len(st)) + tuple(st))
    for d in range(ndim):
        lengths = [s[d] for s in shapes if s[d] != 1]
        if len(lengths) > 1 and (None in lengths or len(set(lengths)) > 1):
            return False
    return True


def _entry_is_safe_length(entry: Variable) -> bool:
    if isinstance(entry, Constant):
        return int(np.asarray(entry.data)) >= 0
    return entry.owner is not None and isinstance(entry.owner.op, Shape_i)


def _cannot_raise(node: Apply) -> bool:
    """Whether ``node`` provably raises no error for any input values its types allow."""
    op = node.op
    if isinstance(op, Elemwise):
        return _elemwise_cannot_raise(node)
    if isinstance(op, DimShuffle | Shape | Shape_i | MakeVector | TensorFromScalar):
        return True
    if isinstance(op, CAReduce):
        # Reductions with an identity are defined on empty inputs; max/min raise there.
        return getattr(op.scalar_op, "identity", None) is not None
    if isinstance(op, Alloc):
        value, *entries = node.inputs
        return all(s == 1 for s in value.type.shape) and all(
            _entry_is_safe_length(e) for e in entries
        )
    if isinstance(op, SpecifyShape):
        x, *entries = node.inputs
        return all(
            not isinstance(e.type, TensorType)
            or (isinstance(e, Constant) and int(np.asarray(e.data)) == x.type.shape[d])
            for d, e in enumerate(entries)
        )
    return False


class _ShapeOf(Mapping[Variable, ShapeTuple | None]):
    """A read-only, lazily computed mapping ``variable -> shape tuple`` (PyTensor's ``shape_of``)."""

    def __init__(self, feature: ShapeFeature) -> None:
        self._feature = feature

    def __getitem__(self, var: Variable) -> ShapeTuple | None:
        return self._feature.shape_tuple_of(var)

    def __contains__(self, var: object) -> bool:
        return isinstance(var, Variable) and isinstance(var.type, TensorType)

    def __iter__(self) -> Iterator[Variable]:
        return iter(self._feature._cache)

    def __len__(self) -> int:
        return len(self._feature._cache)


class ShapeFeature(Feature):
    """Symbolic shapes of the variables of a graph, inferred from each Op's ``infer_shape``.

    Attach it to a FunctionGraph (it becomes ``fgraph.shape_feature``); then
    ``shape_of[x]`` is a tuple of int64 scalar variables giving ``x.shape`` in
    terms of the shapes of ``x``'s ancestors (constants where the lengths are
    static), computed on demand and kept up to date as the graph changes.
    :meth:`is_safe` says whether every node between them provably cannot raise.

    Examples
    --------
    >>> import pytensor.tensor as pt
    >>> from pytensor.graph.fg import FunctionGraph
    >>> x = pt.matrix("x")
    >>> y = pt.exp(x).T
    >>> fg = FunctionGraph([x], [y], clone=False)
    >>> fg.attach_feature(ShapeFeature())
    >>> [str(s) for s in fg.shape_feature.shape_of[y]]
    ['Shape_i{1}.0', 'Shape_i{0}.0']
    >>> fg.shape_feature.is_safe(y)
    True
    """

    def __init__(self) -> None:
        self.fgraph: FunctionGraph | None = None
        self._cache: dict[Variable, tuple[ShapeTuple | None, bool]] = {}

    @property
    def shape_of(self) -> _ShapeOf:
        return _ShapeOf(self)

    def clone(self) -> ShapeFeature:
        return ShapeFeature()

    def __getstate__(self) -> dict[str, Any]:
        return {"fgraph": self.fgraph, "_cache": {}}

    def on_attach(self, fgraph: FunctionGraph) -> None:
        if getattr(fgraph, "shape_feature", None) is not None:
            raise AlreadyThere("a ShapeFeature is already attached to this graph")
        self.fgraph = fgraph
        self._cache = {}
        fgraph.shape_feature = self  # type: ignore[attr-defined]

    def on_detach(self, fgraph: FunctionGraph) -> None:
        self._cache = {}
        self.fgraph = None
        if getattr(fgraph, "shape_feature", None) is self:
            del fgraph.shape_feature  # type: ignore[attr-defined]

    def on_prune(self, fgraph: FunctionGraph, node: Apply, reason: str | None) -> None:
        for out in node.outputs:
            self._cache.pop(out, None)

    def on_change_input(
        self,
        fgraph: FunctionGraph,
        node: Apply,
        i: int,
        var: Variable,
        new_var: Variable,
        reason: str | None = None,
    ) -> None:
        # Every cached shape computed through ``node`` may name the old input: forget them.
        stack = list(node.outputs)
        while stack:
            v = stack.pop()
            if self._cache.pop(v, None) is None:
                continue
            for client, _ in fgraph.clients.get(v, ()):
                stack.extend(client.outputs)

    # -- queries -----------------------------------------------------------------------------
    def shape_tuple_of(self, var: Variable) -> ShapeTuple | None:
        """The inferred shape of ``var`` (None for a non-tensor variable)."""
        return self._entry(var)[0]

    def get_shape(self, var: Variable, idx: int) -> Variable:
        """The inferred length of dimension ``idx`` of ``var``."""
        shape = self.shape_tuple_of(var)
        if shape is None:
            raise TypeError(f"ShapeFeature: {var} of type {var.type} has no shape")
        return shape[idx]

    def is_safe(self, var: Variable) -> bool:
        """Whether no node that ``var``'s inferred shape skips could raise (see module doc)."""
        return self._entry(var)[1]

    def _entry(self, var: Variable) -> tuple[ShapeTuple | None, bool]:
        found = self._cache.get(var)
        if found is not None:
            return found
        # Compute the missing ancestors first, iteratively (graphs can be deeper than the stack).
        order: list[Variable] = []
        stack: list[tuple[Variable, bool]] = [(var, False)]
        seen: set[Variable] = set()
        while stack:
            v, expanded = stack.pop()
            if expanded:
                order.append(v)
                continue
            if v in seen or v in self._cache:
                continue
            seen.add(v)
            stack.append((v, True))
            if v.owner is not None:
                stack.extend((i, False) for i in v.owner.inputs if i not in self._cache)
        for v in order:
            if v not in self._cache:
                self._compute_node(v)
        return self._cache[var]

    def _compute_node(self, var: Variable) -> None:
        node = var.owner
        if node is None:
            self._cache[var] = (
                _own_shape(var) if isinstance(var.type, TensorType) else None,
                True,
            )
            return
        safe = _cannot_raise(node) and all(self._cache[i][1] for i in node.inputs)
        inferred: list[Any] | None = None
        in_shapes = [self._cache[i][0] for i in node.inputs]
        if any(isinstance(o.type, TensorType) for o in node.outputs):
            try:
                inferred = list(node.op.infer_shape(self.fgraph, node, in_shapes))
            except Exception:  # noqa: BLE001 (no or failing infer_shape: read the outputs instead)
                inferred = None
        for k, out in enumerate(node.outputs):
            if not isinstance(out.type, TensorType):
                self._cache[out] = (None, safe)
                continue
            self._cache[out] = (self._normalise(out, inferred, k), safe)

    @staticmethod
    def _normalise(out: Variable, inferred: list[Any] | None, k: int) -> ShapeTuple:
        own = _own_shape(out)
        if inferred is None or k >= len(inferred) or inferred[k] is None:
            return own
        entries = tuple(inferred[k])
        if len(entries) != out.type.ndim:
            return own
        result = []
        for d, (mine, theirs) in enumerate(zip(own, entries, strict=True)):
            if out.type.shape[d] is not None:
                result.append(mine)
                continue
            dim = _as_dim(theirs)
            result.append(mine if dim is None else dim)
        return tuple(result)


def is_shape_safe(fgraph: FunctionGraph, var: Variable) -> bool:
    """Whether dropping the computation of ``var`` for its inferred shape hides no error."""
    return _shape_feature(fgraph).is_safe(var)


def _require_shape_feature(fgraph: FunctionGraph) -> None:
    if getattr(fgraph, "shape_feature", None) is None:
        fgraph.attach_feature(ShapeFeature())


def _shape_feature(fgraph: FunctionGraph) -> ShapeFeature:
    _require_shape_feature(fgraph)
    return fgraph.shape_feature  # type: ignore[attr-defined, no-any-return]


def _track(fgraph: FunctionGraph, node: Apply, unsafe: bool) -> list[Variable] | bool:
    (x,) = node.inputs
    feature = _shape_feature(fgraph)
    if not unsafe and not feature.is_safe(x):
        return False
    new = feature.get_shape(x, node.op.i)
    old = node.outputs[0]
    if new is old or new.type != old.type:
        return False
    if new.owner is not None and isinstance(new.owner.op, Shape_i) and new.owner.inputs[0] is x:
        return False  # the same read of ``x``: nothing to gain (and it would loop)
    return [new]


@node_rewriter([Shape_i], requirements=[_require_shape_feature])
def local_track_shape_i(fgraph: FunctionGraph, node: Apply) -> list[Variable] | bool:
    """``Shape_i(x)`` -> ``x``'s inferred length, when no node it skips could raise.

    So computations used only for their shape disappear, without hiding errors.
    """
    return _track(fgraph, node, unsafe=False)


@node_rewriter([Shape_i], requirements=[_require_shape_feature])
def local_shape_unsafe_track_shape_i(fgraph: FunctionGraph, node: Apply) -> list[Variable] | bool:
    """``Shape_i(x)`` -> ``x``'s inferred length, even when that skips nodes that could raise."""
    return _track(fgraph, node, unsafe=True)


@node_rewriter([Shape])
def local_shape_to_shape_i(fgraph: FunctionGraph, node: Apply) -> list[Variable] | bool:
    """``Shape(x)`` -> ``MakeVector(Shape_i(x, 0), ...)``: one read per dimension, so each
    length can be tracked on its own (static lengths are left to ``local_track_shape_i``)."""
    from pytensor.tensor._alloc import make_vector

    (x,) = node.inputs
    if x.type.ndim == 0:
        return False
    out = make_vector(*(shape_i_op(d)(x) for d in range(x.type.ndim)))
    if out.type != node.outputs[0].type:
        return False
    return [out]


# -- SpecifyShape and Reshape ----------------------------------------------------------------
def _read_for_shape_only(fgraph: FunctionGraph, var: Variable) -> bool:
    """Whether every client of ``var`` only reads its shape (so ``var`` may stop being computed)."""
    return all(isinstance(c.op, Shape | Shape_i) for c, _ in fgraph.clients.get(var, ()))


def _specified_length(fgraph: FunctionGraph, node: Apply, unsafe: bool) -> Variable | None:
    """The length a SpecifyShape states for the dimension a ``Shape_i`` node reads."""
    ss = node.inputs[0]
    if ss.owner is None or not isinstance(ss.owner.op, SpecifyShape):
        return None
    if not unsafe and _read_for_shape_only(fgraph, ss):
        return None  # dropping the SpecifyShape would drop its check
    entry = ss.owner.inputs[1 + node.op.i]
    return _as_dim(entry) if isinstance(entry.type, TensorType) else None


def _shape_of_specify_shape(
    fgraph: FunctionGraph, node: Apply, unsafe: bool
) -> list[Variable] | bool:
    dim = _specified_length(fgraph, node, unsafe)
    if dim is None or dim.type != node.outputs[0].type:
        return False
    return [dim]


@node_rewriter([Shape_i])
def local_Shape_of_SpecifyShape(fgraph: FunctionGraph, node: Apply) -> list[Variable] | bool:  # noqa: N802
    """``specify_shape(x, s).shape[i]`` -> ``s[i]``, while the SpecifyShape is also used for its
    value (it still runs and raises if ``x``'s length is not ``s[i]``)."""
    return _shape_of_specify_shape(fgraph, node, unsafe=False)


@node_rewriter([Shape_i])
def local_shape_unsafe_Shape_of_SpecifyShape(  # noqa: N802
    fgraph: FunctionGraph, node: Apply
) -> list[Variable] | bool:
    """``specify_shape(x, s).shape[i]`` -> ``s[i]`` always (the check may disappear)."""
    return _shape_of_specify_shape(fgraph, node, unsafe=True)


def _reshape_cannot_fail(x: Variable, shp: Variable) -> bool:
    """Whether ``reshape(x, shp)`` provably succeeds: ``shp`` is constant and fits ``x``."""
    if not isinstance(shp, Constant):
        return False
    entries = [int(v) for v in np.asarray(shp.data).ravel()]
    if entries == [-1]:
        return True  # flattening always works
    if any(v < -1 for v in entries) or entries.count(-1) > 1:
        return False
    if any(s is None for s in x.type.shape):
        return False
    size = int(np.prod(x.type.shape, dtype="int64"))
    known = int(np.prod([v for v in entries if v != -1], dtype="int64"))
    if -1 in entries:
        return known != 0 and size % known == 0
    return known == size


def _reshape_chain(fgraph: FunctionGraph, node: Apply, unsafe: bool) -> list[Variable] | bool:
    inner, shp = node.inputs
    if inner.owner is None or not isinstance(inner.owner.op, Reshape):
        return False
    x, inner_shp = inner.owner.inputs
    if not unsafe and not _reshape_cannot_fail(x, inner_shp):
        return False
    new = node.op.make_node(x, shp).outputs[0]
    old = node.outputs[0]
    if new.type != old.type and not old.type.is_super(new.type):
        return False
    return [new]


@node_rewriter([Reshape])
def local_reshape_chain(fgraph: FunctionGraph, node: Apply) -> list[Variable] | bool:
    """``reshape(reshape(x, s1), s2)`` -> ``reshape(x, s2)`` when ``reshape(x, s1)`` cannot fail.

    The outer check (``s2`` fits ``prod(s1)`` elements) then equals the merged one (``s2``
    fits ``x.size``), so no error is lost.
    """
    return _reshape_chain(fgraph, node, unsafe=False)


@node_rewriter([Reshape])
def local_shape_unsafe_reshape_chain(fgraph: FunctionGraph, node: Apply) -> list[Variable] | bool:
    """``reshape(reshape(x, s1), s2)`` -> ``reshape(x, s2)`` always (a bad ``s1`` no longer raises)."""
    return _reshape_chain(fgraph, node, unsafe=True)


class UnShapeOptimizer(GraphRewriter):
    """Detaches the ShapeFeature, so the compiled graph does not carry it (PyTensor's ``UnShapeOpt``)."""

    def apply(self, fgraph: FunctionGraph) -> None:
        feature = getattr(fgraph, "shape_feature", None)
        if feature is not None:
            fgraph.remove_feature(feature)


def _register() -> None:
    for stage in ("canonicalize", "specialize"):
        for name, rw, tags in (
            ("local_Shape_of_SpecifyShape", local_Shape_of_SpecifyShape, ()),
            ("local_reshape_chain", local_reshape_chain, ()),
            (
                "local_shape_unsafe_Shape_of_SpecifyShape",
                local_shape_unsafe_Shape_of_SpecifyShape,
                ("shape_unsafe",),
            ),
            (
                "local_shape_unsafe_reshape_chain",
                local_shape_unsafe_reshape_chain,
                ("shape_unsafe",),
            ),
        ):
            optdb[stage].register(name, rw, "fast_run", "fast_compile", "shape", *tags)
    local_useless.register(
        "local_Shape_of_SpecifyShape", local_Shape_of_SpecifyShape, "fast_run", "fast_compile"
    )
    optdb.register("UnShapeOpt", UnShapeOptimizer(), "fast_run", "fast_compile", position=99)
    for name, rw in (
        ("local_shape_to_shape_i", local_shape_to_shape_i),
        ("local_track_shape_i", local_track_shape_i),
    ):
        for stage in ("canonicalize", "specialize"):
            optdb[stage].register(name, rw, "fast_run", "fast_compile", "shape")
    local_useless.register(
        "local_shape_to_shape_i", local_shape_to_shape_i, "fast_run", "fast_compile"
    )
    for stage in ("canonicalize", "specialize"):
        optdb[stage].register(
            "local_shape_unsafe_track_shape_i",
            local_shape_unsafe_track_shape_i,
            "fast_run",
            "fast_compile",
            "shape",
            "shape_unsafe",
        )


_register()
