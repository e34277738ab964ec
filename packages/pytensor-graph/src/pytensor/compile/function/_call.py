"""The generated per-function call path of :class:`~pytensor.compile.function.types.Function`
(layer: pytensor-graph).

Each Function holds, in its ``__call__`` slot, a function written out for it
alone: it checks exactly that function's inputs, reads its shared values,
calls the backend (through the runner's :class:`~pytensor.link.backend.DirectCall`
when it offers one, so the runner's own frame is skipped), writes the updates
and returns the outputs in their final form, with no loops, no list for a single
output and no keyword handling. Any call it does not cover (keyword arguments,
omitted inputs, ``output_subset``, too many arguments) goes to the general path
``Function._call_general``, which names the problem; so do profiled functions and
those with stateful inputs (``In(value=..., update=...)``).
"""

from __future__ import annotations

import copy
import weakref
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from pytensor.link.backend import DirectCall, DirectOutput

if TYPE_CHECKING:
    from pytensor.compile.function.types import Function

__all__ = ["build_call", "direct_call_of", "unalias"]

#: Default of the generated parameters: tells an omitted input from any value.
_MISSING = object()


def direct_call_of(runner: Any, n_outputs: int) -> DirectCall:
    """The runner's own DirectCall, or one that calls the runner and indexes its list."""
    plan = getattr(runner, "direct_call", None)
    if isinstance(plan, DirectCall):
        if len(plan.outputs) != n_outputs:
            raise ValueError(
                f"the runner's direct_call describes {len(plan.outputs)} outputs, "
                f"the graph has {n_outputs}"
            )
        return plan
    return DirectCall(runner, (), tuple(DirectOutput(k) for k in range(n_outputs)))


def unalias(overwritten: list[tuple[int, Any]], values: list[Any]) -> list[Any]:
    """Copy each value that will be overwritten (``(position, type)`` in ``overwritten``)
    and shares memory with another argument."""
    for pos, typ in overwritten:
        mine = values[pos]
        if any(q != pos and typ.may_share_memory(mine, v) for q, v in enumerate(values)):
            values[pos] = copy.deepcopy(mine)
    return values


def _general_path(fn: Function) -> Callable[..., Any]:
    """``fn._call_general`` reached through a weak reference.

    The generated code is held by ``fn`` itself, so a strong reference would make
    every Function a reference cycle, freed only by the cyclic garbage collector.
    """
    ref = weakref.ref(fn)

    def slow(*args: Any, **kwargs: Any) -> Any:
        target = ref()
        if target is None:
            raise ReferenceError("the compiled function this call path belongs to was deleted")
        return target._call_general(*args, **kwargs)

    return slow


def _given(values: tuple[Any, ...], rest: tuple[Any, ...]) -> tuple[Any, ...]:
    """The positional arguments actually passed: the generated defaults dropped."""
    return tuple(v for v in values if v is not _MISSING) + rest


def _return_stmt(fn: Function, plan: DirectCall, exprs: list[str]) -> str:
    n_out = fn._n_out
    if fn._unpack:
        return f"return {exprs[0] if n_out else 'None'}"
    plain = not plan.single and all(
        o.index == k and o.convert is None for k, o in enumerate(plan.outputs)
    )
    if plain and n_out == len(plan.outputs) and plan.fn is fn.vm:
        return "return r"  # the runner's list, fresh at each call, as before
    return f"return [{', '.join(exprs[:n_out])}]"


def _on_error(fn: Function, plan: DirectCall) -> Callable[..., None] | None:
    """What the generated code calls when the backend raises: name a bad input, then reraise."""
    on_error = plan.on_error
    if fn.trust_input:
        if on_error is None:
            return None
        report = on_error

        def fail_trusted(exc: BaseException, values: tuple[Any, ...]) -> None:
            report(exc)

        return fail_trusted
    filters = fn._filters

    def fail(exc: BaseException, values: tuple[Any, ...]) -> None:
        if isinstance(exc, TypeError | ValueError):
            # A failing check is redone on its own so that the error names the input.
            for check, value in zip(filters, values, strict=True):
                check(value)
        if on_error is not None:
            on_error(exc)

    return fail


def build_call(fn: Function) -> Callable[..., Any]:
    """What calling ``fn`` runs: the generated path, or the general one where it does not apply."""
    if fn.profile is not None or fn._state_updates:
        return fn._call_general
    plan = direct_call_of(fn.vm, len(fn.maker.fgraph.outputs))
    env: dict[str, Any] = {"fn": plan.fn, "_M": _MISSING, "_given": _given}
    env["slow"] = _general_path(fn)
    params = [f"a{k}" for k in range(fn._n_explicit)]
    args = []
    for k, inp in enumerate(fn._explicit):
        if fn.trust_input:
            args.append(f"a{k}")
        else:
            env[f"f{k}"] = inp.variable.type.filter
            args.append(f"f{k}(a{k}, {inp.strict!r}, {inp.allow_downcast!r})")
    for k, sv in enumerate(fn._shared):
        env[f"s{k}"] = sv.container.storage
        args.append(f"s{k}[0]")
    if fn._overwritten:
        # Arguments the graph overwrites in place are copied when they share memory.
        env["unalias"], env["overwritten"] = unalias, fn._overwritten
        args = [f"*unalias(overwritten, [{', '.join(args)}])"]
    for k, value in enumerate(plan.extra_args):
        env[f"x{k}"] = value
        args.append(f"x{k}")
    exprs = plan.output_exprs(env)
    guard = " or ".join(["rest", "kw"] + ([f"{params[-1]} is _M"] if params else []))
    given = f"({', '.join(params)}{',' if len(params) == 1 else ''})"
    lines = [
        f"def call({''.join(p + '=_M, ' for p in params)}*rest, **kw):",
        f"    if {guard}:",
        f"        return slow(*_given({given}, rest), **kw)",
    ]
    fail = _on_error(fn, plan)
    call = f"r = fn({', '.join(args)})"
    if fail is None:
        lines.append(f"    {call}")
    else:
        env["fail"] = fail
        lines += ["    try:", f"        {call}", "    except Exception as exc:"]
        lines += [f"        fail(exc, {given})", "        raise"]
    if fn._apply_updates:
        for j, (out_idx, sv) in enumerate(fn._updates):
            env[f"u{j}"] = sv.container.storage
            lines.append(f"    u{j}[0] = {exprs[out_idx]}")
    lines.append(f"    {_return_stmt(fn, plan, exprs)}")
    src = "\n".join(lines) + "\n"
    exec(compile(src, f"<pytensor function {fn.name or ''}>", "exec"), env)
    call_fn: Callable[..., Any] = env["call"]
    call_fn.source = src  # type: ignore[attr-defined]
    return call_fn
