"""``function``: turn inputs, outputs, updates and givens into a FunctionMaker (layer: pytensor-graph)."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import Any

from pytensor.compile.function.types import Function, FunctionMaker
from pytensor.compile.io import In, SymbolicOutput
from pytensor.compile.mode import Mode
from pytensor.compile.profiling import ProfileStats
from pytensor.compile.sharedvalue import SharedVariable
from pytensor.graph.basic import Constant, Variable
from pytensor.graph.replace import clone_replace
from pytensor.graph.traversal import graph_inputs

__all__ = ["function", "pfunc"]

UpdatesLike = dict[Variable, Any] | Sequence[tuple[Variable, Any]] | None


def _pairs(arg: Any, what: str) -> list[tuple[Variable, Any]]:
    if arg is None:
        return []
    if isinstance(arg, dict):
        return list(arg.items())
    if isinstance(arg, Iterable) and not isinstance(arg, str | Variable):
        pairs = list(arg)
        for p in pairs:
            if not (isinstance(p, tuple | list) and len(p) == 2):
                raise TypeError(
                    f"function: {what} must be a dict or a list of (variable, value) pairs, got {p!r}"
                )
        return [tuple(p) for p in pairs]
    raise TypeError(f"function: {what} must be a dict or a list of pairs, got {type(arg).__name__}")


def _as_input(item: Any, k: int, allow_input_downcast: bool | None) -> In:
    if isinstance(item, In):
        spec = item
    elif isinstance(item, Variable):
        spec = In(item)
    else:
        raise TypeError(
            f"function: input {k} must be a Variable or In, got {type(item).__name__}: {item!r}"
        )
    var = spec.variable
    if isinstance(var, SharedVariable):
        raise TypeError(
            f"function: input {k} ({var}) is a shared variable; shared variables are read implicitly. "
            "To feed a value instead, replace it with a fresh variable through givens"
        )
    if isinstance(var, Constant):
        raise TypeError(f"function: input {k} ({var}) is a constant; constants cannot be inputs")
    if var.owner is not None:
        raise TypeError(
            f"function: input {k} ({var}) is computed by {var.owner.op}; inputs must be root variables "
            "(use givens to substitute a computed variable)"
        )
    if spec.allow_downcast is None and allow_input_downcast is not None:
        spec.allow_downcast = allow_input_downcast
    return spec


def _as_output(item: Any, k: int) -> SymbolicOutput:
    if isinstance(item, SymbolicOutput):
        return item
    if isinstance(item, Variable):
        return SymbolicOutput(item)
    raise TypeError(
        f"function: output {k} must be a Variable or Out, got {type(item).__name__}: {item!r}"
    )


def _check_update(shared: Any, expr: Any, strict: bool) -> tuple[SharedVariable, Variable]:
    if not isinstance(shared, SharedVariable):
        raise TypeError(
            f"function: update target {shared!r} is not a shared variable; only shared variables have updates"
        )
    if not isinstance(expr, Variable):
        expr = shared.type.filter_variable(expr)
    if expr.type != shared.type:
        converted = shared.type.convert_variable(expr)
        if converted is None:
            raise TypeError(
                f"function: the update of {shared} has type {expr.type}, which does not fit the "
                f"shared variable's type {shared.type}"
                + (". Cast it (e.g. expr.astype(...)) to match" if not strict else "")
            )
        expr = converted
    return shared, expr


def _normalize_inputs(params: Any, allow_input_downcast: bool | None) -> list[In]:
    if not isinstance(params, list | tuple):
        raise TypeError(
            f"function: inputs must be a list or tuple of variables, got {type(params).__name__}"
        )
    inputs = [_as_input(p, k, allow_input_downcast) for k, p in enumerate(params)]
    seen: set[Variable] = set()
    for k, spec in enumerate(inputs):
        if spec.variable in seen:
            raise ValueError(
                f"function: variable {spec.variable} is given twice as an input (position {k})"
            )
        seen.add(spec.variable)
    return inputs


def _normalize_outputs(outputs: Any) -> tuple[list[SymbolicOutput], bool]:
    if outputs is None:
        return [], False
    if isinstance(outputs, Variable | SymbolicOutput):
        return [_as_output(outputs, 0)], True
    if isinstance(outputs, list | tuple):
        return [_as_output(o, k) for k, o in enumerate(outputs)], False
    raise TypeError(
        f"function: outputs must be a Variable, Out, or a list of them, got {type(outputs).__name__}"
    )


def _normalize_updates(updates: UpdatesLike, strict: bool) -> list[tuple[SharedVariable, Variable]]:
    pairs = [_check_update(s, e, strict) for s, e in _pairs(updates, "updates")]
    targets = [s for s, _ in pairs]
    dup = {s for s in targets if targets.count(s) > 1}
    if dup:
        raise ValueError(
            f"function: shared variable(s) {', '.join(map(str, dup))} have more than one update"
        )
    return pairs


def _normalize_givens(givens: UpdatesLike) -> list[tuple[Variable, Variable]]:
    given_pairs = []
    for old, new in _pairs(givens, "givens"):
        if not isinstance(old, Variable):
            raise TypeError(f"function: givens keys must be Variables, got {old!r}")
        if not isinstance(new, Variable):
            new = old.type.filter_variable(new)
        given_pairs.append((old, new))
    return given_pairs


def _collect_shared(
    exprs: list[Variable],
    explicit: set[Variable],
    updates_by_var: dict[SharedVariable, Variable],
    no_default_updates: bool | Sequence[SharedVariable],
    given_pairs: list[tuple[Variable, Variable]],
    strict: bool,
) -> list[SharedVariable]:
    """The shared variables the graph reads, adding default updates (whose
    expressions may read further shared variables) until closure."""
    no_default = set(no_default_updates) if isinstance(no_default_updates, list | tuple) else set()
    use_defaults = no_default_updates is not True
    implicit: list[SharedVariable] = []
    frontier = exprs
    while frontier:
        new_exprs: list[Variable] = []
        for var in graph_inputs(frontier):
            if not isinstance(var, SharedVariable) or var in implicit or var in explicit:
                continue
            implicit.append(var)
            default = var.default_update
            if not use_defaults or default is None or var in updates_by_var or var in no_default:
                continue
            default = _check_update(var, default, strict)[1]
            if given_pairs:
                default = clone_replace(default, given_pairs, strict=strict)
            updates_by_var[var] = default
            new_exprs.append(default)
        frontier = new_exprs
    return implicit


def _make_profile(profile: bool | ProfileStats | None, name: str | None) -> ProfileStats | None:
    if isinstance(profile, ProfileStats):
        return profile
    if profile is True:
        return ProfileStats(name=name)
    from pytensor.configdefaults import config

    return ProfileStats(name=name) if config.profile else None


def pfunc(
    params: Sequence[Any],
    outputs: Any = None,
    mode: Mode | str | None = None,
    updates: UpdatesLike = None,
    givens: UpdatesLike = None,
    no_default_updates: bool | Sequence[SharedVariable] = False,
    accept_inplace: bool = False,
    name: str | None = None,
    rebuild_strict: bool = True,
    allow_input_downcast: bool | None = None,
    profile: bool | ProfileStats | None = None,
    on_unused_input: str | None = None,
    output_keys: Any = None,
    trust_input: bool = False,
) -> Function:
    """Compile ``outputs`` as a function of ``params`` (see :func:`function`)."""
    inputs = _normalize_inputs(params, allow_input_downcast)
    outs, unpack_single = _normalize_outputs(outputs)
    update_pairs = _normalize_updates(updates, rebuild_strict)
    targets = [s for s, _ in update_pairs]
    given_pairs = _normalize_givens(givens)

    # Apply givens to the outputs and update expressions together.
    exprs = [o.variable for o in outs] + [e for _, e in update_pairs]
    if given_pairs and exprs:
        exprs = clone_replace(exprs, given_pairs, strict=rebuild_strict)
    outs = [SymbolicOutput(e, o.borrow) for e, o in zip(exprs, outs, strict=False)]
    updates_by_var: dict[SharedVariable, Variable] = dict(
        zip(targets, exprs[len(outs) :], strict=True)
    )
    implicit = _collect_shared(
        exprs + list(targets),
        {i.variable for i in inputs},
        updates_by_var,
        no_default_updates,
        given_pairs,
        rebuild_strict,
    )
    specs = list(inputs)
    for sv in implicit:
        specs.append(
            In(sv, update=updates_by_var.get(sv), mutable=sv in updates_by_var, implicit=True)
        )
    maker = FunctionMaker(
        specs,
        outs,
        mode=mode,
        accept_inplace=accept_inplace,
        profile=_make_profile(profile, name),
        on_unused_input=on_unused_input,
        name=name,
        unpack_single=unpack_single,
        trust_input=trust_input,
    )
    return maker.create()


def function(
    inputs: Sequence[Any],
    outputs: Any = None,
    mode: Mode | str | None = None,
    updates: UpdatesLike = None,
    givens: UpdatesLike = None,
    no_default_updates: bool | Sequence[SharedVariable] = False,
    accept_inplace: bool = False,
    name: str | None = None,
    rebuild_strict: bool = True,
    allow_input_downcast: bool | None = None,
    profile: bool | ProfileStats | None = None,
    on_unused_input: str | None = None,
    trust_input: bool = False,
) -> Function:
    """Compile a graph into a callable :class:`~pytensor.compile.function.types.Function`.

    Parameters
    ----------
    inputs
        The root variables (or :class:`~pytensor.compile.io.In`) the caller
        gives values for, in call order.
    outputs
        A variable (the function returns one value) or a list (it returns a list).
    mode
        A Mode or a mode name (default: ``config.mode``).
    updates
        ``{shared_variable: expression}``: new values written after each call.
    givens
        ``{variable: replacement}`` substitutions made before compiling.
    no_default_updates
        True, or a list of shared variables whose ``default_update`` is ignored.
    name
        A name used in error messages and profiles.
    on_unused_input
        What to do with an input no output uses: "raise" (default), "warn" or "ignore".
    profile
        True, or a ProfileStats, to record timings.
    trust_input
        Skip the checks of input values (faster, unsafe for wrong inputs).

    Raises
    ------
    TypeError
        Inputs that are not root variables, wrong update or givens types.
    MissingInputError
        An output depends on a variable that is neither an input nor shared.
    UnusedInputError
        An input is unused and ``on_unused_input="raise"``.

    Examples
    --------
    >>> from pytensor.compile.function import function
    >>> from pytensor.compile.sharedvalue import shared
    >>> counter = shared(0, name="counter")
    >>> from pytensor.graph.type import generic
    >>> f = function([], counter, updates={counter: counter})
    >>> f()
    0
    """
    return pfunc(
        inputs,
        outputs,
        mode=mode,
        updates=updates,
        givens=givens,
        no_default_updates=no_default_updates,
        accept_inplace=accept_inplace,
        name=name,
        rebuild_strict=rebuild_strict,
        allow_input_downcast=allow_input_downcast,
        profile=profile,
        on_unused_input=on_unused_input,
        trust_input=trust_input,
    )
