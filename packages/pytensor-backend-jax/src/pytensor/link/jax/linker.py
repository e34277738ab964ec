"""Linking a FunctionGraph for the JAX backend: one ``jax.jit`` function and the runner that
calls it with 64-bit types enabled (layer: pytensor-backend-jax).

The runner is what ``Function`` calls (``f.vm``): it converts input values JAX cannot take
directly, calls the jitted function inside ``jax.enable_x64(True)`` (JAX's global
``jax_enable_x64`` flag is never changed), raises the first failed runtime check, and
returns the outputs as NumPy arrays (zero-copy, read-only views of JAX's CPU buffers).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

import numpy as np

import jax
from pytensor.graph.fg import FunctionGraph
from pytensor.link.backend import BackendError
from pytensor.link.jax.dispatch import fgraph_to_jax
from pytensor.link.jax.dispatch.basic import check_frame, fill_message

__all__ = ["JAXRunnerError", "link_fgraph"]


class JAXRunnerError(BackendError):
    """A graph input has a type the JAX backend cannot pass to JAX."""


def _input_converter(var: Any, k: int) -> Callable[[Any], Any] | None:
    """How to turn the value of input ``var`` into something ``jax.jit`` takes (None: as is)."""
    from pytensor.scalar.basic import ScalarType
    from pytensor.tensor.type import TensorType

    t = var.type
    if isinstance(t, TensorType):
        return None
    if isinstance(t, ScalarType):
        dtype = np.dtype(t.dtype)
        return lambda v: np.asarray(v, dtype=dtype)
    raise JAXRunnerError(
        f"The jax backend cannot take input {k} ({var}) of type {t}: JAX holds arrays and "
        "numbers only. Use a tensor (shared) variable, or another backend"
    )


class _Static:
    """A value passed to ``jax.jit`` as a static argument: hashable by its bytes."""

    __slots__ = ("_key", "value")

    def __init__(self, value: Any) -> None:
        self.value = np.asarray(value)
        self._key = (self.value.dtype.str, self.value.shape, self.value.tobytes())

    def __hash__(self) -> int:
        return hash(self._key)

    def __eq__(self, other: object) -> bool:
        return isinstance(other, _Static) and self._key == other._key


def _unwrap_static(run: Callable[..., Any]) -> Callable[..., Any]:
    def unwrapped(*args: Any) -> Any:
        return run(*(a.value if isinstance(a, _Static) else a for a in args))

    return unwrapped


def _checked(run: Callable[..., tuple[Any, ...]], messages: list[tuple[Any, ...]]) -> Any:
    """``run`` returning its outputs plus, when the trace has runtime checks, an int64 pair
    ``(code, bad, bad1)``: code is -1, or the first failed check's index in ``messages``
    (shared by every trace of this function, so codes stay valid across shapes), then its
    payload (the values its message shows)."""
    import jax.numpy as jnp

    def traced(*args: Any) -> tuple[Any, ...]:
        with check_frame(True) as frame:
            outs = run(*args)
        if not frame.checks:
            return tuple(outs)
        code = jnp.int64(-1)
        bad = jnp.zeros(2, "int64")
        for ok, exc_type, msg, value, fill, note in reversed(frame.checks):
            key = (exc_type, msg, fill, note)
            if key not in messages:
                messages.append(key)
            code = jnp.where(ok, code, jnp.int64(messages.index(key)))
            bad = jnp.where(ok, bad, value)
        return (*outs, jnp.concatenate([code[None], bad]))

    return traced


def _unchecked(run: Callable[..., tuple[Any, ...]]) -> Any:
    def traced(*args: Any) -> tuple[Any, ...]:
        with check_frame(False):
            return run(*args)

    return traced


def link_fgraph(
    fgraph: FunctionGraph, checks: bool = True, profile: Any = None, **options: Any
) -> Any:
    """The runner of ``fgraph``: ``runner(*input_values) -> list of NumPy outputs``.

    ``runner.jit_fn`` is the jitted JAX function (without checks), taking and returning JAX
    arrays; compose it with ``jax.grad`` or ``jax.vmap`` inside ``jax.enable_x64(True)``.
    """
    converters: list[Callable[[Any], Any] | None] = [
        _input_converter(v, k) for k, v in enumerate(fgraph.inputs)
    ]
    run = fgraph_to_jax(fgraph, **options)
    static = run.static_inputs  # type: ignore[attr-defined]
    if static:
        run = _unwrap_static(run)
        for k in static:
            converters[k] = _Static
    messages: list[tuple[Any, ...]] = []
    jitted = jax.jit(_checked(run, messages) if checks else _unchecked(run), static_argnums=static)
    jit_fn = jax.jit(_unchecked(run), static_argnums=static) if checks else jitted
    n_out = len(fgraph.outputs)
    x64 = _x64_context()
    # Update outputs become shared values, which other backends may overwrite in place:
    # those get their own writable copy; the others are read-only zero-copy views.
    copied = sorted((getattr(fgraph, "update_mapping", None) or {}).keys())
    asarray = _converter(n_out, copied) if copied else _views
    convert = [(k, c) for k, c in enumerate(converters) if c is not None]

    def raise_check(err: np.ndarray) -> None:
        exc_type, msg, fill, note = messages[int(err[0])]
        exc = exc_type(fill_message(msg, [int(v) for v in err[1:]]) if fill else msg)
        if note:
            exc.add_note(note)
        raise exc

    if checks:

        def runner(*args: Any) -> list[Any]:
            if convert:
                args = _convert(args, convert)
            with x64(True):
                res = jitted(*args)
            if len(res) != n_out:  # this trace has runtime checks
                err = np.asarray(res[n_out])
                if err[0] >= 0:
                    raise_check(err)
                res = res[:n_out]
            return asarray(res)

    else:

        def runner(*args: Any) -> list[Any]:
            if convert:
                args = _convert(args, convert)
            with x64(True):
                res = jitted(*args)
            return asarray(res)

    runner.jit_fn = jit_fn  # type: ignore[attr-defined]
    runner.fgraph = fgraph  # type: ignore[attr-defined]
    runner.checks = checks  # type: ignore[attr-defined]
    return runner


def _views(res: Sequence[Any]) -> list[np.ndarray]:
    return [np.asarray(o) for o in res]


def _converter(n_out: int, copied: Sequence[int]) -> Callable[[Sequence[Any]], list[Any]]:
    def convert(res: Sequence[Any]) -> list[Any]:
        outs = [np.asarray(o) for o in res]
        for k in copied:
            outs[k] = np.array(outs[k])
        return outs

    return convert


def _x64_context() -> Callable[[bool], Any]:
    """``jax.enable_x64`` (a context manager since JAX 0.8), else its experimental form."""
    top = getattr(jax, "enable_x64", None)
    if callable(top):
        return top  # type: ignore[no-any-return]
    import importlib

    return importlib.import_module("jax.experimental").enable_x64  # type: ignore[no-any-return]


def _convert(args: Sequence[Any], convert: Sequence[tuple[int, Callable[[Any], Any]]]) -> Any:
    out = list(args)
    for k, c in convert:
        out[k] = c(out[k])
    return tuple(out)
