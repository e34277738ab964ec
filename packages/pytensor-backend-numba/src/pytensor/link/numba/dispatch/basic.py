"""The numba dispatch registry: one ``numba_funcify`` per Op class (layer: pytensor-backend-numba).

Contract (every ``numba_funcify_<OpClass>`` follows it):

``numba_funcify(op, node, **kwargs) -> (impl, key)``

``impl``
    A Python function numba compiles in nopython mode (a plain function, which
    the linker jits, or an existing numba dispatcher). It takes the node's input
    values positionally and returns the single output, or a tuple of outputs
    when the node has several. For a scalar Op (``pytensor.scalar``), ``node``
    is a scalar Apply and ``impl`` maps scalar values to scalar value(s) of
    exactly the output dtype(s); the Elemwise loops call it per element.
``key``
    A string identifying the generated code exactly (the Op's stable token plus
    whatever of the node's types the code depends on), used by the on-disk and
    in-process kernel caches; ``None`` when the implementation cannot be cached.

Raise :class:`pytensor.link.backend.MissingImplementationError` (or let the
default below do it) for an Op this backend cannot run.

Run-time errors with values in their message: numba cannot format strings
cheaply, so raise ``ValueError(error_template("text ", None, " more ", None), a, b)``
(a constant template with holes, then integers); the linker turns it into
``ValueError("text <a> more <b>")`` before it reaches the user.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import singledispatch
from typing import Any

from pytensor.link.backend import MissingImplementationError

__all__ = [
    "RUNTIME_MESSAGE",
    "NumbaImpl",
    "error_template",
    "format_runtime_error",
    "numba_funcify",
    "dynamic_module_name",
    "numba_njit",
    "op_key",
    "register_funcify_and_key",
]

#: What a ``numba_funcify`` implementation returns.
NumbaImpl = tuple[Callable[..., Any], str | None]

#: Prefix of an exception template that the linker formats with the exception's other args.
RUNTIME_MESSAGE = "\x00pytensor-numba:"


@singledispatch
def numba_funcify(op: Any, node: Any = None, **kwargs: Any) -> NumbaImpl:
    """Return ``(impl, key)`` for ``node`` (see the module docstring)."""
    raise MissingImplementationError("numba", node, "no numba_funcify registered for it")


def register_funcify_and_key(*op_classes: type) -> Callable[[Any], Any]:
    """Register one ``numba_funcify`` implementation for several Op classes.

    Examples
    --------
    >>> from pytensor.compile.ops import ViewOp
    >>> @register_funcify_and_key(ViewOp)
    ... def numba_funcify_ViewOp(op, node, **kwargs):
    ...     return (lambda x: x), "ViewOp"
    """

    def deco(fn: Any) -> Any:
        for cls in op_classes:
            numba_funcify.register(cls)(fn)
        return fn

    return deco


def op_key(op: Any, node: Any = None, *extra: Any) -> str:
    """A cache key from the Op's stable token, the node's input/output types and ``extra``.

    Good enough for any impl whose generated code depends only on those.
    """
    from pytensor.graph.hashing import stable_token

    parts = [type(op).__name__, repr(stable_token(op))]
    if node is not None:
        parts.append(repr(tuple(stable_token(i.type) for i in node.inputs)))
        parts.append(repr(tuple(stable_token(o.type) for o in node.outputs)))
    parts.extend(repr(e) for e in extra)
    return ":".join(parts)


def numba_njit(fn: Any = None, **kwargs: Any) -> Any:
    """``numba.njit`` with the backend's standard flags (NumPy error model).

    Usable as ``numba_njit(fn)``, ``@numba_njit`` or ``@numba_njit(inline="always")``.
    A function made by ``exec`` gets ``__name__ = "<dynamic>"`` in its globals, so
    numba can cache code that calls it (see :func:`dynamic_module_name`).
    """
    import numba

    opts = {"error_model": "numpy", "cache": False, **kwargs}
    if fn is None:
        return lambda f: numba_njit(f, **kwargs)
    py_func = getattr(fn, "__wrapped__", fn)
    glb = getattr(py_func, "__globals__", None)
    if isinstance(glb, dict) and "__name__" not in glb:
        glb["__name__"] = dynamic_module_name()
    return numba.njit(**opts)(fn)


def dynamic_module_name() -> str:
    """The module name numba gives generated code, made importable for cache loading.

    numba re-imports a function's module by name when it loads cached machine
    code; generated functions (``exec``) have none, so they share numba's
    placeholder module, registered in ``sys.modules`` here. Use it as
    ``__name__`` in the namespace of any code you ``exec`` and jit yourself.
    """
    import sys

    from numba.core.utils import _dynamic_modname, _dynamic_module

    sys.modules.setdefault(_dynamic_modname, _dynamic_module)
    return str(_dynamic_modname)


#: Marks where an integer argument goes in a run-time error template.
_HOLE = "\x01"


def error_template(*parts: str | None) -> str:
    """A run-time error template: ``str`` parts are literal text, ``None`` parts are holes.

    Examples
    --------
    >>> t = error_template("index ", None, " is out of bounds")
    >>> str(format_runtime_error(IndexError(t, 7)))
    'index 7 is out of bounds'
    """
    return RUNTIME_MESSAGE + "".join(_HOLE if p is None else p for p in parts)


def format_runtime_error(exc: BaseException) -> BaseException | None:
    """The user-facing exception for one raised from compiled code with a template, else None."""
    args = exc.args
    if not args or not isinstance(args[0], str) or not args[0].startswith(RUNTIME_MESSAGE):
        return None
    pieces = args[0][len(RUNTIME_MESSAGE) :].split(_HOLE)
    values = [str(v) for v in args[1:]]
    values += ["?"] * (len(pieces) - 1 - len(values))
    msg = pieces[0] + "".join(v + p for v, p in zip(values, pieces[1:], strict=False))
    try:
        return type(exc)(msg)
    except Exception:
        return RuntimeError(msg)
