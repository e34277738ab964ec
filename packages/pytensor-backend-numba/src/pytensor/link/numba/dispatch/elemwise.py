"""Numba implementations of Elemwise, Composite, DimShuffle, CAReduce and ElemwiseReduce
(layer: pytensor-backend-numba).

An ``Elemwise`` is one loop nest over its output calling the scalar Op's
implementation per element (a ``Composite`` inlines its whole scalar graph, so
a fused chain is one pass and a multi-output Composite fills every output in
that pass). ``CAReduce`` and ``ElemwiseReduce`` accumulate while they loop,
without an intermediate array. Loop sources come from :mod:`._loops`.
"""

from __future__ import annotations

import math
import threading
from typing import Any

import numpy as np

from pytensor.graph.basic import Apply, Constant
from pytensor.graph.hashing import stable_token
from pytensor.link.backend import MissingImplementationError
from pytensor.link.numba.codegen import scalar_literal
from pytensor.link.numba.dispatch._inline import inline_calls
from pytensor.link.numba.dispatch._loops import elemwise_source, reduce_source
from pytensor.link.numba.dispatch._views import advise_hugepages
from pytensor.link.numba.dispatch.basic import NumbaImpl, numba_funcify, numba_njit
from pytensor.scalar._composite import Composite
from pytensor.scalar.basic import get_scalar_type
from pytensor.tensor._elemwise_reduce import ElemwiseReduce
from pytensor.tensor.elemwise import CAReduce, DimShuffle, Elemwise

__all__ = [
    "numba_funcify_CAReduce",
    "numba_funcify_Composite",
    "numba_funcify_DimShuffle",
    "numba_funcify_Elemwise",
    "numba_funcify_ElemwiseReduce",
    "scalar_kernel",
]

_lock = threading.Lock()
#: scalar key -> numba dispatcher of the scalar impl, shared by every loop of the process.
_scalar_kernels: dict[str, Any] = {}


#: Above this many lines a flattened kernel keeps the vectorizable exp/log kernels as calls:
#: numba's typing and lowering time grow faster than linearly with a function's size, and
#: each inlined copy of a kernel is ~30 lines.
BIG_KERNEL_LINES = 1000


def _shared_math_kernels() -> frozenset[int]:
    from pytensor.link.numba.dispatch.vecmath import VECTORIZED

    return frozenset(id(kernel) for kernel, _ in VECTORIZED.values())


def _exec(source: str, name: str, env: dict[str, Any]) -> Any:
    """Define ``name`` from ``source`` with the scalar calls in it inlined (see ``_inline``)."""
    namespace: dict[str, Any] = {"np": np, **env}
    # Inline with the math kernels kept as calls first (cheap), then estimate the fully
    # inlined size from the number of kept calls (each copy is ~30 lines).
    keep = _shared_math_kernels()
    trial = dict(namespace)
    flat = inline_calls(source, trial, keep=keep)
    calls = sum(flat.count(f"{n}(") for n, obj in trial.items() if id(obj) in keep)
    if calls and flat.count("\n") + 30 * calls <= BIG_KERNEL_LINES:
        trial = dict(namespace)
        flat = inline_calls(source, trial)
    namespace = trial
    exec(compile(flat, f"<pytensor numba {name}>", "exec"), namespace)
    fn = namespace[name]
    fn.__numba_source__ = flat
    return fn


def scalar_kernel(
    scalar_op: Any, in_dtypes: tuple[str, ...], tensor_node: Apply | None = None
) -> tuple[Any, str | None]:
    """(jitted scalar impl, key) of ``scalar_op`` applied to scalars of ``in_dtypes``."""
    snode = scalar_op.make_node(*[get_scalar_type(dt)() for dt in in_dtypes])
    try:
        impl, key = numba_funcify(snode.op, snode)
    except MissingImplementationError as exc:
        if tensor_node is None:
            raise
        raise MissingImplementationError("numba", tensor_node, str(exc)) from None
    if key is not None:
        with _lock:
            got = _scalar_kernels.get(key)
        if got is not None:
            return got, key
    disp = impl if hasattr(impl, "py_func") else numba_njit(impl)
    if key is not None:
        with _lock:
            disp = _scalar_kernels.setdefault(key, disp)
    return disp, key


def _patterns(node: Apply) -> tuple[tuple[tuple[bool, ...], ...], tuple[str, ...]]:
    pats = tuple(tuple(s == 1 for s in i.type.shape) for i in node.inputs)
    statics = tuple(repr(tuple(i.type.shape)) for i in node.inputs)
    return pats, statics


def _in_dtypes(node: Apply) -> tuple[str, ...]:
    return tuple(i.type.dtype for i in node.inputs)


@numba_funcify.register(Elemwise)
def numba_funcify_Elemwise(op: Elemwise, node: Apply, **kwargs: Any) -> NumbaImpl:
    fn, skey = scalar_kernel(op.scalar_op, _in_dtypes(node), node)
    pats, statics = _patterns(node)
    out_dtypes = tuple(o.type.dtype for o in node.outputs)
    source = elemwise_source(str(op), pats, statics, out_dtypes, op.inplace_pattern)
    impl = _exec(source, "elemwise", {"scalar_fn": fn, "advise_hugepages": advise_hugepages})
    key = None if skey is None else f"Elemwise|{skey}|{source}"
    return impl, key


@numba_funcify.register(Composite)
def numba_funcify_Composite(op: Composite, node: Apply, **kwargs: Any) -> NumbaImpl:
    """The inner scalar graph as one function calling each inner Op's scalar impl."""
    fgraph = op.fgraph
    names = {v: f"a{k}" for k, v in enumerate(fgraph.inputs)}
    env: dict[str, Any] = {}
    keys: list[str] = []
    lines = []
    for n, inner in enumerate(fgraph.toposort()):
        args = []
        for i in inner.inputs:
            if i in names:
                args.append(names[i])
                continue
            if not isinstance(i, Constant):
                raise MissingImplementationError("numba", node, f"inner variable {i} has no value")
            lit = scalar_literal(i.data, i.type.dtype)
            if lit is None:
                env[f"c{len(env)}"] = i.data
                lit = f"c{len(env) - 1}"
            args.append(lit)
        fn, skey = scalar_kernel(inner.op, tuple(i.type.dtype for i in inner.inputs), node)
        if skey is None:
            keys.append("<uncacheable>")
        keys.append(skey or "")
        env[f"f{n}"] = fn
        outs = [f"v{n}_{j}" for j in range(len(inner.outputs))]
        names.update(zip(inner.outputs, outs, strict=True))
        lhs = outs[0] if len(outs) == 1 else ", ".join(outs) + ","
        lines.append(f"    {lhs} = f{n}({', '.join(args)})")
    rets = []
    for o in fgraph.outputs:
        if o in names:
            rets.append(names[o])
        else:
            lit = scalar_literal(o.data, o.type.dtype)  # type: ignore[attr-defined]
            rets.append(lit if lit is not None else repr(o.data))  # type: ignore[attr-defined]
    for k, o in enumerate(node.outputs):
        rets[k] = f"{_scalar_ctor(o.type.dtype)}({rets[k]})"
    ret = rets[0] if len(rets) == 1 else "(" + ", ".join(rets) + ",)"
    params = ", ".join(f"a{k}" for k in range(len(fgraph.inputs)))
    source = f"def composite({params}):\n" + "\n".join(lines) + f"\n    return {ret}\n"
    impl = _exec(source, "composite", env)
    key = None
    if "<uncacheable>" not in keys and not any(k.startswith("c") for k in env):
        key = f"Composite|{stable_token(op)!r}|{_in_dtypes(node)}|{keys}|{source}"
    return impl, key


def _scalar_ctor(dtype: str) -> str:
    return "np.bool_" if dtype == "bool" else f"np.{dtype}"


# -- reductions -------------------------------------------------------------------------------
def _reduction(red: CAReduce, in_dtype: str, out_dtype: str) -> tuple[str, str | None, str, Any]:
    """(red_expr over ``a`` and ``v``, identity source or None, acc dtype, extra env)."""
    import pytensor.scalar.basic as ps
    from pytensor.tensor.math import All
    from pytensor.tensor.math import Any as AnyOp

    acc = red._acc_dtype(in_dtype)
    sop = red.scalar_op
    if isinstance(red, All):
        return "a and v", "True", "bool", {}
    if isinstance(red, AnyOp):
        return "a or v", "False", "bool", {}
    ident = getattr(sop, "identity", None)
    ident_src = None if ident is None else scalar_literal(ident, acc)
    if isinstance(sop, ps.Add):
        return "a + v", ident_src, acc, {}
    if isinstance(sop, ps.Mul):
        return "a * v", ident_src, acc, {}
    if isinstance(sop, ps.Maximum):
        return "v if (v > a or v != v) else a", None, acc, {}
    if isinstance(sop, ps.Minimum):
        return "v if (v < a or v != v) else a", None, acc, {}
    fn, _ = scalar_kernel(sop, (acc, acc))
    return "red_fn(a, v)", ident_src, acc, {"red_fn": fn}


def _reduce_impl(
    opname: str, red: CAReduce, node: Apply, value_fn: Any, vkey: str | None, elem_dtype: str
) -> NumbaImpl:
    """Reduce ``value_fn(*inputs)`` (broadcast elementwise) with ``red``'s scalar Op."""
    out_dtype = node.outputs[0].type.dtype
    red_expr, ident, acc, env = _reduction(red, elem_dtype, out_dtype)
    pats, statics = _patterns(node)
    ndim = len(pats[0]) if pats else 0
    axes = red.axis if red.axis is not None else tuple(range(ndim))
    # Independent partial sums/products let LLVM vectorize a float reduction; only
    # worth the code size when the value is a plain load (CAReduce).
    unroll = 8 if (vkey == "identity" and red_expr in ("a + v", "a * v") and ident) else 1
    if ndim and _static_inner_length(node) < 2 * unroll:
        unroll = 1  # e.g. a reduction over a static length-1 axis: no loop worth splitting
    source = reduce_source(
        opname, str(red), pats, statics, tuple(axes), red_expr, ident, acc, out_dtype, unroll
    )
    impl = _exec(source, "reduce", {"scalar_fn": value_fn, **env})
    key = None
    if vkey is not None and "red_fn" not in env:
        key = f"Reduce|{type(red).__name__}|{stable_token(red)!r}|{vkey}|{source}"
    return impl, key


def _static_inner_length(node: Apply) -> float:
    """The innermost dimension's static length (inf when some input does not say)."""
    lengths = [i.type.shape[-1] for i in node.inputs]
    return math.inf if any(n is None for n in lengths) else max(lengths)


def _identity_kernel() -> Any:
    with _lock:
        got = _scalar_kernels.get("<identity>")
    if got is None:
        got = numba_njit(lambda x: x)
        with _lock:
            got = _scalar_kernels.setdefault("<identity>", got)
    return got


@numba_funcify.register(CAReduce)
def numba_funcify_CAReduce(op: CAReduce, node: Apply, **kwargs: Any) -> NumbaImpl:
    dtype = node.inputs[0].type.dtype
    return _reduce_impl(str(op), op, node, _identity_kernel(), "identity", dtype)


@numba_funcify.register(ElemwiseReduce)
def numba_funcify_ElemwiseReduce(op: ElemwiseReduce, node: Apply, **kwargs: Any) -> NumbaImpl:
    fn, skey = scalar_kernel(op.elemwise.scalar_op, _in_dtypes(node), node)
    elem_dtype = op.elemwise.make_node(*node.inputs).outputs[0].type.dtype
    return _reduce_impl(str(op.elemwise), op.reduce, node, fn, skey, elem_dtype)


# -- DimShuffle -------------------------------------------------------------------------------
@numba_funcify.register(DimShuffle)
def numba_funcify_DimShuffle(op: DimShuffle, node: Apply, **kwargs: Any) -> NumbaImpl:
    from pytensor.link.numba.dispatch._views import dimshuffle_view

    view = dimshuffle_view(op.new_order)
    impl = _exec("def dimshuffle(x):\n    return view(x)\n", "dimshuffle", {"view": view})
    return impl, f"DimShuffle|{op.input_ndim}|{op.new_order!r}"
