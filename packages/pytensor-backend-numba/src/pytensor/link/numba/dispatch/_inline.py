"""Source-level inlining of generated scalar functions into loops (layer: pytensor-backend-numba).

Every numba function costs a separate compilation (typing, lowering, LLVM),
and calls between numba functions are not always inlined, which blocks
vectorization. Scalar implementations are generated source, so a Composite,
an Elemwise loop or a reduction is flattened into ONE function here: each
statement ``target = g(args)`` whose callee ``g`` carries its source
(``__numba_source__``) and has a single trailing ``return`` is replaced by the
callee's body with its names renamed apart. Callees without source stay calls.
"""

from __future__ import annotations

import ast
import builtins
import copy
import itertools
import math
from typing import Any

import numpy as np

__all__ = ["inline_calls", "source_of"]


def source_of(fn: Any) -> str | None:
    """The source of a generated scalar function (``__numba_source__``), or of a module
    function marked ``__numba_inline__ = True``; also through a numba dispatcher."""
    py = getattr(fn, "py_func", fn)
    src = getattr(py, "__numba_source__", None)
    if isinstance(src, str):
        return src
    if getattr(py, "__numba_inline__", False) or getattr(fn, "__numba_inline__", False):
        import inspect
        import textwrap

        try:
            src = textwrap.dedent(inspect.getsource(py))
        except (OSError, TypeError):
            return None
        py.__numba_source__ = src
        return src
    return None


def _parse_callee(src: str) -> ast.FunctionDef | None:
    try:
        tree = ast.parse(src)
    except SyntaxError:
        return None
    defs = [n for n in tree.body if isinstance(n, ast.FunctionDef)]
    if len(defs) != 1 or len(tree.body) != 1:
        return None
    fdef = defs[0]
    fdef.decorator_list = []
    fdef.returns = None
    for arg in fdef.args.args:
        arg.annotation = None
    a = fdef.args
    if a.vararg or a.kwarg or a.kwonlyargs or a.posonlyargs or a.defaults:
        return None
    if not fdef.body or not isinstance(fdef.body[-1], ast.Return) or fdef.body[-1].value is None:
        return None
    for node in ast.walk(ast.Module(body=fdef.body[:-1], type_ignores=[])):
        if isinstance(
            node,
            ast.Return | ast.FunctionDef | ast.Lambda | ast.Global | ast.Nonlocal | ast.Yield,
        ):
            return None
    return fdef


class _Renamer(ast.NodeTransformer):
    def __init__(self, mapping: dict[str, str], exprs: dict[str, ast.expr]) -> None:
        self.mapping = mapping
        self.exprs = exprs

    def visit_Name(self, node: ast.Name) -> ast.expr:
        if isinstance(node.ctx, ast.Load) and node.id in self.exprs:
            return copy.deepcopy(self.exprs[node.id])
        new = self.mapping.get(node.id)
        return ast.copy_location(ast.Name(id=new, ctx=node.ctx), node) if new else node


def _is_simple(arg: ast.expr) -> bool:
    """A name, a literal or ``np.<type>(literal)``: cheap and pure, so it may be repeated."""
    if isinstance(arg, ast.Name | ast.Constant):
        return True
    if isinstance(arg, ast.UnaryOp) and isinstance(arg.operand, ast.Constant):
        return True
    return (
        isinstance(arg, ast.Call)
        and isinstance(arg.func, ast.Attribute)
        and not arg.keywords
        and all(_is_simple(a) and not isinstance(a, ast.Name) for a in arg.args)
    )


def _expand(
    fdef: ast.FunctionDef,
    callee_globals: dict[str, Any],
    args: list[ast.expr],
    ns: dict[str, Any],
    counter: Any,
) -> tuple[list[ast.stmt], ast.expr] | None:
    """The callee's statements and result expression, renamed to fit into the caller.

    Names come from ``counter`` (one per :func:`inline_calls` call), so the result
    is the same text in every process: it names the disk-cache entry's code.
    """
    if len(args) != len(fdef.args.args):
        return None
    prefix = f"_i{next(counter)}"
    params = [a.arg for a in fdef.args.args]
    stored = {
        n.id for n in ast.walk(fdef) if isinstance(n, ast.Name) and isinstance(n.ctx, ast.Store)
    }
    mapping = {p: f"{prefix}_{p}" for p in params}
    mapping.update({s: f"{prefix}_{s}" for s in stored})
    for n in ast.walk(fdef):
        if not isinstance(n, ast.Name) or n.id in mapping:
            continue
        if n.id in callee_globals:
            obj = callee_globals[n.id]
            if ns.get(n.id, obj) is obj:
                ns[n.id] = obj
            else:
                alias = f"{prefix}_g_{n.id}"
                ns[alias] = obj
                mapping[n.id] = alias
        elif not hasattr(builtins, n.id):
            return None
    fdef = copy.deepcopy(fdef)  # the parsed callee is cached: rename a copy
    # Simple arguments of parameters the body never reassigns are substituted;
    # the others are bound once (fewer statements compile much faster in numba).
    exprs = {p: a for p, a in zip(params, args, strict=True) if p not in stored and _is_simple(a)}
    renamer = _Renamer(mapping, exprs)
    stmts: list[ast.stmt] = [
        ast.Assign(targets=[ast.Name(id=mapping[p], ctx=ast.Store())], value=arg, lineno=0)
        for p, arg in zip(params, args, strict=True)
        if p not in exprs
    ]
    body = [
        st
        for st in fdef.body[:-1]
        if not (isinstance(st, ast.Expr) and isinstance(st.value, ast.Constant))  # docstrings
    ]
    straight = all(isinstance(st, ast.Assign) for st in body)
    for stmt in body:
        if straight:
            # Single assignment: a fresh name per definition. numba repairs SSA for every
            # redefined variable over the whole function, which is quadratic in big loops.
            assert isinstance(stmt, ast.Assign)
            stmt.value = renamer.visit(stmt.value)
            defined = {
                n.id
                for t in stmt.targets
                for n in ast.walk(t)
                if isinstance(n, ast.Name) and isinstance(n.ctx, ast.Store)
            }
            for name in sorted(defined):
                mapping[name] = f"{prefix}_{name}_{next(counter)}"
            stmt.targets = [renamer.visit(t) for t in stmt.targets]
            stmts.append(stmt)
        else:
            stmts.append(renamer.visit(stmt))
    ret = fdef.body[-1]
    assert isinstance(ret, ast.Return) and ret.value is not None
    return stmts, renamer.visit(ret.value)


def _inline_stmt(
    stmt: ast.stmt,
    ns: dict[str, Any],
    cache: dict[str, Any],
    counter: Any,
    only: set[str] | None = None,
    keep: frozenset[int] = frozenset(),
) -> list[ast.stmt]:
    if not (isinstance(stmt, ast.Assign) and isinstance(stmt.value, ast.Call)):
        return [stmt]
    call = stmt.value
    if not isinstance(call.func, ast.Name) or call.keywords:
        return [stmt]
    if only is not None and call.func.id not in only:
        return [stmt]
    callee = ns.get(call.func.id)
    if id(callee) in keep:
        return [stmt]
    src = source_of(callee) if callee is not None else None
    if src is None:
        return [stmt]
    if src not in cache:
        cache[src] = _parse_callee(src)
    fdef = cache[src]
    if fdef is None:
        return [stmt]
    py = getattr(callee, "py_func", callee)
    if getattr(py, "__closure__", None):
        return [stmt]  # free variables live in cells, not in the globals we alias
    glb = getattr(py, "__globals__", {})
    got = _expand(fdef, glb, list(call.args), ns, counter)
    if got is None:
        return [stmt]
    body, result = got
    return [*body, ast.Assign(targets=stmt.targets, value=result, lineno=0)]


class _Inliner(ast.NodeTransformer):
    def __init__(self, ns: dict[str, Any], only: set[str] | None, keep: frozenset[int]) -> None:
        self.ns = ns
        self.only = only
        self.keep = keep
        self.cache: dict[str, Any] = {}
        self.counter = itertools.count()

    def _block(self, stmts: list[ast.stmt]) -> list[ast.stmt]:
        out: list[ast.stmt] = []
        for s in stmts:
            out.extend(self._expand_all(self.visit(s), depth=0))
        return out

    def _expand_all(self, stmt: ast.stmt, depth: int) -> list[ast.stmt]:
        got = _inline_stmt(
            stmt, self.ns, self.cache, self.counter, self.only if depth == 0 else None, self.keep
        )
        if len(got) == 1 and got[0] is stmt or depth > 8:
            return got
        out: list[ast.stmt] = []
        for s in got:
            out.extend(self._expand_all(s, depth + 1))
        return out

    def visit_FunctionDef(self, node: ast.FunctionDef) -> ast.FunctionDef:
        node.body = self._block(node.body)
        return node

    def visit_For(self, node: ast.For) -> ast.For:
        node.body = self._block(node.body)
        node.orelse = self._block(node.orelse)
        return node

    def visit_If(self, node: ast.If) -> ast.If:
        node.body = self._block(node.body)
        node.orelse = self._block(node.orelse)
        return node


class _FoldFloatCasts(ast.NodeTransformer):
    """``np.float64(<float literal>)`` and ``np.float64(np.float32(<literal>))`` -> a float
    literal (numba types Python floats as float64): one call less to type per constant."""

    def visit_Call(self, node: ast.Call) -> ast.expr:
        self.generic_visit(node)
        if _np_ctor(node) != "float64":
            return node
        arg = node.args[0]
        inner = _np_ctor(arg)
        if isinstance(arg, ast.Call) and inner in ("float32", "float64"):
            arg = arg.args[0]
        value = _float_constant(arg)
        if value is None or not math.isfinite(value):
            return node
        if inner == "float32":
            value = float(np.float32(value))
        if math.copysign(1.0, value) < 0:
            # A negative Constant unparses without parentheses: ``-0.5 ** 2``.
            return ast.UnaryOp(ast.USub(), ast.Constant(-value))
        return ast.Constant(value)


def _np_ctor(node: ast.expr) -> str | None:
    if not (isinstance(node, ast.Call) and len(node.args) == 1 and not node.keywords):
        return None
    f = node.func
    if isinstance(f, ast.Attribute) and isinstance(f.value, ast.Name) and f.value.id == "np":
        return f.attr
    return None


def _float_constant(node: ast.expr) -> float | None:
    sign = 1.0
    if isinstance(node, ast.UnaryOp) and isinstance(node.op, ast.USub):
        sign, node = -1.0, node.operand
    if isinstance(node, ast.Constant) and type(node.value) is float:
        return sign * node.value
    return None


def inline_calls(
    source: str,
    ns: dict[str, Any],
    only: set[str] | None = None,
    keep: frozenset[int] = frozenset(),
) -> str:
    """``source`` with statement-level calls to inlinable functions of ``ns`` expanded.

    ``ns`` is the namespace the result will be executed in; globals the inlined
    bodies need are added to it (renamed where they would clash). ``only``
    restricts the calls of ``source`` itself that are expanded (inside an
    expanded body every inlinable call is). Callees whose ``id`` is in ``keep``
    stay calls at every depth (one shared compiled function instead of copies).
    """
    tree = ast.parse(source)
    tree = _Inliner(ns, only, keep).visit(tree)
    tree = _FoldFloatCasts().visit(tree)
    ast.fix_missing_locations(tree)
    return ast.unparse(tree) + "\n"
