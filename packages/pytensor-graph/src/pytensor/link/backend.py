"""The Backend protocol every backend plugin implements (layer: pytensor-graph)."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from pytensor.graph.basic import Apply
    from pytensor.graph.fg import FunctionGraph

__all__ = [
    "Backend",
    "BackendError",
    "DirectCall",
    "DirectOutput",
    "Linker",
    "MissingImplementationError",
    "Runner",
]

#: What ``Backend.link`` returns: called with the input values, returns the output values.
Runner = Callable[..., list[Any]]


@dataclass(frozen=True)
class DirectOutput:
    """Where one output of a :class:`DirectCall` comes from.

    Attributes
    ----------
    index
        The position of the value in what ``fn`` returns (0 when ``fn``
        returns a bare value); None for an output that is always ``value``.
    value
        The output itself when ``index`` is None (a constant output).
    convert
        Called on the value before it is handed out (e.g. ``numpy.float64``
        to turn a 0-d array into a NumPy scalar), or None.
    """

    index: int | None = 0
    value: Any = None
    convert: Callable[[Any], Any] | None = None


@dataclass(frozen=True)
class DirectCall:
    """An optional shortcut a runner may offer as its ``direct_call`` attribute.

    ``Function`` generates, per compiled function, the code that checks the
    inputs and unpacks the outputs. When the runner has a ``direct_call``,
    that code calls ``fn`` itself instead of the runner, so a call costs one
    Python frame less and builds no list for a single output. The runner must
    still work on its own (``Function.vm`` and other callers use it), and the
    two must agree: ``runner(*args)`` equals ``[out(fn(*args, *extra_args))
    for out in outputs]`` with each output taken as described by
    :class:`DirectOutput`.

    Attributes
    ----------
    fn
        Called as ``fn(*inputs, *extra_args)`` with the runner's inputs.
    extra_args
        Appended to the inputs on every call (e.g. the graph's constants).
    outputs
        One :class:`DirectOutput` per output of the FunctionGraph.
    single
        ``fn`` returns one bare value (every computed output has index 0),
        not a sequence.
    on_error
        Called with any exception ``fn`` raises; it must raise (typically a
        clearer exception). None: the exception propagates unchanged.
    """

    fn: Callable[..., Any]
    extra_args: tuple[Any, ...]
    outputs: tuple[DirectOutput, ...]
    single: bool = False
    on_error: Callable[[BaseException], Any] | None = None

    def output_exprs(self, env: dict[str, Any], result: str = "r") -> list[str]:
        """One Python expression per output, in terms of ``result`` (what ``fn`` returned),
        for generated code; the constants and converters they use are bound in ``env``."""
        exprs = []
        for k, out in enumerate(self.outputs):
            if out.index is None:
                env[f"c{k}"] = out.value
                exprs.append(f"c{k}")
                continue
            item = result if self.single else f"{result}[{out.index}]"
            if out.convert is not None:
                env[f"t{k}"] = out.convert
                item = f"t{k}({item})"
            exprs.append(item)
        return exprs

    def make_runner(self, n_inputs: int, label: str = "runner") -> Runner:
        """The Backend protocol's runner ``runner(*inputs) -> list`` doing what this describes."""
        env: dict[str, Any] = {"fn": self.fn, "on_error": self.on_error}
        args = [f"i{k}" for k in range(n_inputs)]
        call_args = list(args)
        for j, value in enumerate(self.extra_args):
            env[f"x{j}"] = value
            call_args.append(f"x{j}")
        call = f"r = fn({', '.join(call_args)})"
        if self.on_error is None:
            body = [f"    {call}"]
        else:
            body = ["    try:", f"        {call}", "    except Exception as exc:"]
            body += ["        on_error(exc)", "        raise"]
        items = ", ".join(self.output_exprs(env))
        src = "\n".join([f"def runner({', '.join(args)}):", *body, f"    return [{items}]"])
        exec(compile(src + "\n", f"<pytensor {label}>", "exec"), env)
        runner: Runner = env["runner"]
        return runner


class BackendError(RuntimeError):
    """A backend cannot be found, is unavailable, or cannot compile a graph."""


class MissingImplementationError(BackendError, NotImplementedError):
    """A backend has no implementation for an Op; the message names the Op and the backend."""

    def __init__(self, backend: str, node: Apply, detail: str = "") -> None:
        self.backend = backend
        self.node = node
        msg = f"The {backend} backend cannot run {node.op} (Op class {type(node.op).__name__})"
        super().__init__(msg + (f": {detail}" if detail else ""))


class Backend:
    """A way to run a FunctionGraph. Plugins subclass this and expose an instance
    through the ``pytensor.backends`` entry-point group.

    Attributes
    ----------
    name
        The name users select it by (``Mode(linker="numba")``).
    priority
        Higher is preferred when the default backend is chosen.
    required_tags, excluded_tags
        Rewrite tags the backend needs, and tags it cannot run (the mode's
        rewrite query honours both).
    extra
        The ``pytensor[...]`` extra that installs it, for error messages.
    """

    name: str = ""
    priority: int = 0
    required_tags: tuple[str, ...] = ()
    excluded_tags: tuple[str, ...] = ()
    extra: str | None = None

    def is_available(self) -> tuple[bool, str]:
        """Whether the backend can be used here, and if not, why."""
        return True, ""

    def link(self, fgraph: FunctionGraph, **options: Any) -> Runner:
        """Compile ``fgraph`` into a callable ``runner(*input_values) -> list_of_outputs``.

        The runner gets the explicit inputs then the shared values, in
        ``fgraph.inputs`` order, already checked by ``Function``, and returns
        a list with one value per ``fgraph.outputs``. It may carry a
        ``direct_call`` attribute (a :class:`DirectCall`) that lets ``Function``
        skip the runner's own frame. Raises MissingImplementationError, at
        compile time, for an Op the backend cannot run.
        """
        raise NotImplementedError

    def make_linker(self, **options: Any) -> Linker:
        """The linker object a Mode holds for this backend (``mode.linker``)."""
        return Linker(self, **options)

    def op_status(self, op_class: type) -> str:
        """How this backend runs nodes of ``op_class``, for the generated coverage tables.

        One of ``"native"`` (its own implementation), ``"perform"`` (through the
        Op's Python ``perform``, reported at compile time) or ``"missing"``.
        """
        return "missing"

    def __repr__(self) -> str:
        return f"<{type(self).__name__} {self.name!r}>"


class Linker:
    """A backend together with its options, as held by a Mode.

    Backends may subclass it (``NumbaLinker``, ``JAXLinker``) so that code can
    test ``isinstance(mode.linker, ...)``.
    """

    def __init__(self, backend: Backend, **options: Any) -> None:
        self.backend = backend
        self.options = options

    @property
    def name(self) -> str:
        return self.backend.name

    @property
    def required_tags(self) -> tuple[str, ...]:
        return self.backend.required_tags

    @property
    def excluded_tags(self) -> tuple[str, ...]:
        return self.backend.excluded_tags

    def link(self, fgraph: FunctionGraph, **options: Any) -> Runner:
        return self.backend.link(fgraph, **{**self.options, **options})

    def clone(self, **options: Any) -> Linker:
        return type(self)(self.backend, **{**self.options, **options})

    def __eq__(self, other: object) -> bool:
        return (
            type(self) is type(other)
            and self.backend is other.backend
            and self.options == other.options
        )

    def __hash__(self) -> int:
        return hash((type(self), self.backend.name))

    def __repr__(self) -> str:
        opts = "".join(f", {k}={v!r}" for k, v in self.options.items())
        return f"{type(self).__name__}({self.backend.name!r}{opts})"
