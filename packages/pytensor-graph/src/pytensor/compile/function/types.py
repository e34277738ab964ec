"""``Function`` (a compiled graph) and ``FunctionMaker`` (what builds it) (layer: pytensor-graph)."""

from __future__ import annotations

import copy as _copy
import inspect
import time
import warnings
from collections.abc import Callable, Sequence
from typing import Any, cast

from pytensor.compile.function._call import build_call, unalias
from pytensor.compile.io import In, SymbolicOutput
from pytensor.compile.mode import Mode, get_mode
from pytensor.compile.ops import deep_copy_op
from pytensor.compile.profiling import ProfileStats
from pytensor.compile.sharedvalue import SharedVariable
from pytensor.graph.basic import Apply, Constant, Variable
from pytensor.graph.features import Feature
from pytensor.graph.fg import FunctionGraph, Output
from pytensor.graph.traversal import CycleError
from pytensor.graph.utils import InconsistencyError, MissingInputError

__all__ = ["Function", "FunctionMaker", "Supervisor", "UnusedInputError"]


class UnusedInputError(Exception):
    """An explicit input of a compiled function is not used by any output."""


_MISSING = object()


def _aliased_root(var: Variable) -> Variable:
    """Follow view and destroy maps back to the variable whose memory ``var`` may share."""
    while var.owner is not None:
        node = var.owner
        idx = node.outputs.index(var)
        vmap = node.op.view_map.get(idx) or node.op.destroy_map.get(idx)
        if not vmap:
            return var
        var = node.inputs[vmap[0]]
    return var


def _alias_chain(var: Variable) -> list[Variable]:
    """``var`` and every variable whose memory it views or overwrites, back to the root."""
    chain = [var]
    while var.owner is not None:
        node = var.owner
        idx = node.outputs.index(var)
        vmap = node.op.view_map.get(idx) or node.op.destroy_map.get(idx)
        if not vmap:
            break
        var = node.inputs[vmap[0]]
        chain.append(var)
    return chain


class Supervisor(Feature):
    """Lists the graph inputs that no inplace Op may overwrite (PyTensor's ``Supervisor``).

    FunctionMaker attaches it before rewriting. The DestroyHandler reads
    ``protected`` and vetoes any change that would overwrite one of these
    inputs; the inplace rewrites treat the other inputs (those marked
    ``In(x, mutable=True)``) as writable. Without a Supervisor a rewriter
    must assume that every input is protected.
    """

    def __init__(self, protected: Sequence[Variable] = ()) -> None:
        self.protected = list(protected)

    def clone(self) -> Supervisor:
        return Supervisor(self.protected)


class _DestroyOrderings(Feature):
    """Orders the other readers of each value a node overwrites (``destroy_map``) before that node.

    A reader that can only run after the overwrite (it depends on the
    destroyer) makes the order cyclic, which the toposort reports.
    """

    def orderings(self, fgraph: FunctionGraph) -> dict[Apply, list[Apply]]:
        order: dict[Apply, list[Apply]] = {}
        for d in fgraph.apply_nodes:
            for in_idxs in d.op.destroy_map.values():
                for i in in_idxs:
                    root = _alias_chain(d.inputs[i])[-1]
                    after = set(d.outputs)
                    for n in fgraph.apply_nodes:
                        if n is d:
                            continue
                        for u in n.inputs:
                            chain = _alias_chain(u)
                            if chain[-1] is root and after.isdisjoint(chain):
                                order.setdefault(d, []).append(n)
                                break
        return order


class FunctionMaker:
    """Builds a :class:`Function`: makes the FunctionGraph, rewrites it and links it.

    Attributes
    ----------
    fgraph
        The rewritten graph (inputs: explicit then shared; outputs: user
        outputs then update expressions).
    inputs, outputs
        The In and Out specifications.
    mode, linker
        How it was compiled.
    """

    def __init__(
        self,
        inputs: Sequence[In],
        outputs: Sequence[SymbolicOutput],
        mode: Mode | str | None = None,
        accept_inplace: bool = False,
        profile: ProfileStats | None = None,
        on_unused_input: str | None = None,
        name: str | None = None,
        unpack_single: bool = True,
        trust_input: bool = False,
        fgraph: FunctionGraph | None = None,
    ) -> None:
        from pytensor.configdefaults import config

        t0 = time.perf_counter()
        self.inputs = list(inputs)
        self.outputs = list(outputs)
        self.mode = get_mode(mode)
        self.linker = self.mode.linker
        self.profile = profile
        self.accept_inplace = accept_inplace
        self.name = name
        self.unpack_single = unpack_single
        self.trust_input = trust_input
        self.on_unused_input = on_unused_input or config.on_unused_input
        self.n_user_outputs = len(self.outputs)
        if fgraph is None:
            fgraph = self._build_fgraph()
            self._check_unused(fgraph)
            writable = self._writable_inputs()
            fgraph.attach_feature(Supervisor([v for v in fgraph.inputs if v not in writable]))
            t1 = time.perf_counter()
            self.rewriter_profile = self.mode.optimizer.rewrite(fgraph)
            self.rewrite_time = time.perf_counter() - t1
            self._insert_deepcopy(fgraph)
        else:
            self.rewrite_time = 0.0
        self.fgraph = fgraph
        self._check_destroyers(fgraph)
        self._link()
        if profile is not None:
            profile.rewrite_time += self.rewrite_time
            profile.rewriter_profile = getattr(self, "rewriter_profile", None)
            profile.compile_time += time.perf_counter() - t0

    # -- building -----------------------------------------------------------
    def _build_fgraph(self) -> FunctionGraph:
        in_vars = [i.variable for i in self.inputs]
        out_vars = [o.variable for o in self.outputs]
        update_mapping: dict[int, int] = {}
        for k, inp in enumerate(self.inputs):
            if inp.update is not None:
                update_mapping[len(out_vars)] = k
                out_vars.append(inp.update)
        try:
            fgraph = FunctionGraph(
                in_vars, out_vars, update_mapping=update_mapping, clone=True, copy_inputs=False
            )
        except MissingInputError as exc:
            var = exc.variable
            raise MissingInputError(
                f"{self._label()}: the outputs depend on {var}"
                + (f" (type {var.type})" if var is not None else "")
                + ", which is not among the inputs. Add it to the inputs, give it a value with "
                "givens, or make it a shared variable",
                variable=var,
            ) from None
        try:
            fgraph.toposort()
        except CycleError as exc:
            raise ValueError(f"{self._label()}: the graph contains a cycle ({exc})") from None
        return fgraph

    def _label(self) -> str:
        return f"function {self.name!r}" if self.name else "function"

    def _check_unused(self, fgraph: FunctionGraph) -> None:
        unused = [
            (k, inp)
            for k, inp in enumerate(self.inputs)
            if not inp.implicit and not fgraph.clients.get(inp.variable)
        ]
        if not unused or self.on_unused_input == "ignore":
            return
        names = ", ".join(f"{inp.variable} (position {k})" for k, inp in unused)
        msg = (
            f"{self._label()}: input(s) {names} are not used to compute any output. "
            "Pass on_unused_input='warn' or 'ignore' to allow this"
        )
        if self.on_unused_input == "warn":
            warnings.warn(msg, stacklevel=4)
        else:
            raise UnusedInputError(msg)

    def _insert_deepcopy(self, fgraph: FunctionGraph) -> None:
        """Make sure no output aliases an input, a constant, a shared value or another output."""
        seen: set[Variable] = set()
        inputs = set(fgraph.inputs)
        for k, out in enumerate(list(fgraph.outputs)):
            borrow = self.outputs[k].borrow if k < self.n_user_outputs else False
            root = _aliased_root(out)
            aliases = root in inputs or isinstance(root, Constant) or root.owner is None
            if (aliases and not borrow) or out in seen:
                client = next(
                    c
                    for c in fgraph.clients[out]
                    if isinstance(c[0].op, Output) and c[0].op.idx == k
                )
                fgraph.change_node_input(client[0], 0, deep_copy_op(out), reason="insert_deepcopy")
            seen.add(fgraph.outputs[k])

    def _writable_inputs(self) -> set[Variable]:
        """The input variables whose values the compiled graph may overwrite in place.

        An input is writable when it is marked mutable (``In(x, mutable=True)``,
        or a shared variable with an update) and its value is not a default
        kept for later calls (an ``In(value=...)`` without update, or a
        shared variable given as the default of an explicit input).
        """
        writable = set()
        for inp in self.inputs:
            if not inp.mutable:
                continue
            value = getattr(inp, "value", None)
            if value is not None and (inp.update is None or isinstance(value, SharedVariable)):
                continue
            writable.add(inp.variable)
        return writable

    def _check_destroyers(self, fgraph: FunctionGraph) -> None:
        mutable = self._writable_inputs()
        for node in fgraph.apply_nodes:
            for out_idx, in_idxs in node.op.destroy_map.items():
                for i in in_idxs:
                    root = _aliased_root(node.inputs[i])
                    if isinstance(root, Constant) or (root.owner is None and root not in mutable):
                        raise InconsistencyError(
                            f"{node.op} (output {out_idx}) overwrites input {i}, which is "
                            f"{'the constant' if isinstance(root, Constant) else 'the non-mutable input'} "
                            f"{root}. Mark the input In(..., mutable=True) (without a default value) "
                            "or use an Op that does not work in place"
                        )
        if any(node.op.destroy_map for node in fgraph.apply_nodes):
            # Every other reader of an overwritten value must run before the
            # node that overwrites it; if that is impossible, refuse.
            fgraph.attach_feature(_DestroyOrderings())
            try:
                fgraph.toposort()
            except CycleError:
                raise InconsistencyError(
                    f"{self._label()}: a value is overwritten in place (destroy_map) while another "
                    "node still needs it, or two nodes overwrite the same value. Use an Op that "
                    "does not work in place"
                ) from None

    def _link(self) -> None:
        t0 = time.perf_counter()
        options = {"profile": self.profile} if self.profile is not None else {}
        self.runner = self.linker.link(self.fgraph, **options)
        self.linker_time = time.perf_counter() - t0
        if self.profile is not None:
            self.profile.linker_time += self.linker_time

    def create(self, input_storage: Any = None, storage_map: Any = None) -> Function:
        """A Function backed by this maker."""
        return Function(self)

    def __getstate__(self) -> dict[str, Any]:
        d = self.__dict__.copy()
        d.pop("runner", None)
        d.pop("linker", None)
        # The rewrite profile refers to the rewriters themselves; it describes a
        # past compilation and is not needed to rebuild the function.
        d.pop("rewriter_profile", None)
        return d

    def __setstate__(self, state: dict[str, Any]) -> None:
        self.__dict__.update(state)
        self.linker = self.mode.linker
        self._link()


class Function:
    """A compiled graph: call it with input values, get the output values.

    Arguments may be positional or keyword (by input name). Each value is
    checked against its input's type (dtype, number of dimensions, static
    shape) unless ``trust_input`` is True. Shared variables are read at
    each call and their updates written after it.

    Calling runs a function generated for this instance (see
    :mod:`pytensor.compile.function._call`), held in the ``__call__`` slot,
    so ``f(x)`` costs one Python frame on top of the backend.

    Attributes
    ----------
    maker
        The FunctionMaker; ``maker.fgraph`` is the compiled graph.
    vm
        The backend's runner: ``vm(*all_input_values) -> list``.
    """

    # Special methods are looked up on the type; a slot named ``__call__`` is a
    # C-level descriptor there that hands out this instance's generated call path,
    # rebuilt whenever what it depends on changes. It is the cheapest way to give
    # one instance its own ``__call__`` (a property costs more; a class per instance
    # breaks ``type(f) is Function`` and pickling by reference).
    __slots__ = ("__call__", "__dict__", "__weakref__")
    __call__: Callable[..., Any]

    def __init__(self, maker: FunctionMaker, name: str | None = None) -> None:
        self.maker = maker
        self.name = name if name is not None else maker.name
        self._trust_input = maker.trust_input
        self._profile = maker.profile
        self._setup()

    @property
    def __signature__(self) -> inspect.Signature:
        # ``inspect.signature`` does not look into the ``__call__`` slot.
        return inspect.signature(self._call_general)

    @property
    def trust_input(self) -> bool:
        """Skip input checks (faster; wrong inputs then give undefined results)."""
        return self._trust_input

    @trust_input.setter
    def trust_input(self, value: bool) -> None:
        self._trust_input = bool(value)
        self.__call__ = build_call(self)

    @property
    def profile(self) -> ProfileStats | None:
        """The ProfileStats that records calls of this function, or None."""
        return self._profile

    @profile.setter
    def profile(self, value: ProfileStats | None) -> None:
        self._profile = value
        self.__call__ = build_call(self)

    def _setup(self) -> None:
        maker = self.maker
        self.vm = maker.runner
        explicit = [(k, i) for k, i in enumerate(maker.inputs) if not i.implicit]
        self._explicit = [i for _, i in explicit]
        self._n_explicit = len(explicit)
        # Implicit inputs are the shared variables the graph reads (pfunc adds them).
        self._shared = cast(list[SharedVariable], [i.variable for i in maker.inputs if i.implicit])
        self._name_to_pos = {i.name: p for p, i in enumerate(self._explicit) if i.name is not None}
        self._defaults = [i.value if isinstance(i, In) else None for i in self._explicit]
        self._filters = [self._make_filter(p, i) for p, i in enumerate(self._explicit)]
        n_out = maker.n_user_outputs
        self._n_out = n_out
        update_mapping = (maker.fgraph.update_mapping or {}).items()
        self._updates = cast(
            list[tuple[int, SharedVariable]],
            [
                (out_idx, maker.inputs[in_idx].variable)
                for out_idx, in_idx in update_mapping
                if maker.inputs[in_idx].implicit
            ],
        )
        # Stateful explicit inputs (In(x, value=..., update=...)): the update
        # becomes the value used when the caller omits the input.
        explicit_pos = {id(inp): pos for pos, inp in enumerate(self._explicit)}
        self._state_updates = [
            (out_idx, explicit_pos[id(maker.inputs[in_idx])])
            for out_idx, in_idx in update_mapping
            if not maker.inputs[in_idx].implicit
        ]
        self._apply_updates = True
        self._unpack = maker.unpack_single
        self._overwritten = self._overwritten_inputs()
        self.__call__ = build_call(self)

    def _overwritten_inputs(self) -> list[tuple[int, Any]]:
        """``(position, type)`` of each backend argument that the graph overwrites in place."""
        fgraph = self.maker.fgraph
        roots: set[Variable] = {
            _aliased_root(node.inputs[i])
            for node in fgraph.apply_nodes
            for in_idxs in node.op.destroy_map.values()
            for i in in_idxs
        }
        if not roots:
            return []
        ordered = [i for i in self.maker.inputs if not i.implicit]
        ordered += [i for i in self.maker.inputs if i.implicit]
        pos_of = {id(inp): p for p, inp in enumerate(ordered)}
        return [
            (pos_of[id(inp)], var.type)
            for inp, var in zip(self.maker.inputs, fgraph.inputs, strict=True)
            if var in roots
        ]

    def _unalias(self, values: list[Any]) -> list[Any]:
        """Copy each value that will be overwritten and shares memory with another argument."""
        return unalias(self._overwritten, values)

    def _make_filter(self, pos: int, inp: In) -> Any:
        filt = inp.variable.type.filter
        strict = inp.strict
        downcast = inp.allow_downcast
        label = self._label()

        def check(value: Any) -> Any:
            try:
                return filt(value, strict, downcast)
            except (TypeError, ValueError) as exc:
                name = f" ('{inp.name}')" if inp.name else ""
                msg = f"Bad input argument {pos}{name} to {label}: {exc}"
                try:
                    new = type(exc)(msg)
                except Exception:
                    new = TypeError(msg)
                raise new from None

        return check

    def _label(self) -> str:
        return f"function {self.name!r}" if self.name else "compiled function"

    # -- calling ------------------------------------------------------------
    def _bind(self, args: tuple[Any, ...], kwargs: dict[str, Any]) -> list[Any]:
        n = self._n_explicit
        if len(args) > n:
            names = ", ".join(str(i.variable) for i in self._explicit) or "no arguments"
            raise TypeError(
                f"{self._label()} takes {n} argument(s) ({names}) but {len(args)} were given"
            )
        values: list[Any] = list(args) + [_MISSING] * (n - len(args))
        for key, value in kwargs.items():
            pos = self._name_to_pos.get(key)
            if pos is None:
                raise TypeError(
                    f"{self._label()} got an unexpected keyword argument {key!r}; "
                    f"input names: {', '.join(sorted(self._name_to_pos)) or 'none'}"
                )
            if values[pos] is not _MISSING:
                raise TypeError(f"{self._label()} got multiple values for argument {key!r}")
            values[pos] = value
        for pos, value in enumerate(values):
            if value is _MISSING:
                default = self._defaults[pos]
                if default is None:
                    inp = self._explicit[pos]
                    raise TypeError(
                        f"{self._label()} is missing argument {pos} ('{inp.variable}'); "
                        f"it takes {n} argument(s)"
                    )
                values[pos] = (
                    default.get_value(borrow=True)
                    if isinstance(default, SharedVariable)
                    else default
                )
        return values

    def _backend_args(self, args: tuple[Any, ...], kwargs: dict[str, Any]) -> list[Any]:
        """The backend's arguments: bound, checked, the shared values, mutable ones unaliased."""
        values: list[Any] = self._bind(args, kwargs)
        if not self.trust_input:
            values = [f(v) for f, v in zip(self._filters, values)]  # noqa: B905
        if self._shared:
            values = [*values, *(sv.container.storage[0] for sv in self._shared)]
        if self._overwritten:
            values = self._unalias(values)
        return values

    def _call_general(
        self, *args: Any, output_subset: Sequence[int] | None = None, **kwargs: Any
    ) -> Any:
        """Any call: keywords, defaults, ``output_subset``, profiling, inputs overwritten in place."""
        profile = self._profile
        t0 = time.perf_counter() if profile is not None else 0.0
        outs = self.vm(*self._backend_args(args, kwargs))
        if self._updates and self._apply_updates:
            for out_idx, sv in self._updates:
                sv.container.storage[0] = outs[out_idx]
        if self._state_updates and self._apply_updates:
            for out_idx, pos in self._state_updates:
                self._defaults[pos] = outs[out_idx]
        if profile is not None:
            profile.fct_callcount += 1
            profile.fct_call_time += time.perf_counter() - t0
        if self._n_out != len(outs):
            outs = outs[: self._n_out]
        if output_subset is not None:
            return [outs[k] for k in output_subset]
        if self._unpack:
            return outs[0] if outs else None
        return outs

    # -- copies and pickling ------------------------------------------------
    def get_shared(self) -> list[SharedVariable]:
        """The shared variables this function reads."""
        return list(self._shared)

    def copy(
        self,
        share_memory: bool = False,
        swap: dict[SharedVariable, SharedVariable] | None = None,
        delete_updates: bool = False,
        name: str | None = None,
        profile: Any = None,
    ) -> Function:
        """A copy of this function, optionally reading other shared variables or without updates.

        Parameters
        ----------
        swap
            ``{old_shared: new_shared}``: the copy reads (and updates)
            ``new_shared`` wherever this function uses ``old_shared``. Both
            must have the same type.
        delete_updates
            The copy does not write any updates.
        """
        maker = _copy.copy(self.maker)
        if swap:
            inputs = list(maker.inputs)
            fgraph = maker.fgraph.clone()
            for old, new in swap.items():
                if not isinstance(new, SharedVariable):
                    raise TypeError(f"copy(swap=...): {new!r} is not a shared variable")
                if old.type != new.type:
                    raise TypeError(
                        f"copy(swap=...): cannot swap {old} of type {old.type} for {new} of type {new.type}"
                    )
                pos = next((k for k, i in enumerate(inputs) if i.variable is old), None)
                if pos is None:
                    raise ValueError(f"copy(swap=...): {old} is not used by this function")
                spec = _copy.copy(inputs[pos])
                spec.variable = new
                inputs[pos] = spec
                fg_old = fgraph.inputs[pos]
                fgraph.inputs[pos] = new
                fgraph.clients.setdefault(new, [])
                fgraph.variables.add(new)
                fgraph.replace(fg_old, new, reason="swap")
                fgraph.variables.discard(fg_old)
                fgraph.clients.pop(fg_old, None)
            maker.inputs = inputs
            maker.fgraph = fgraph
        fn = Function(maker, name=name if name is not None else self.name)
        fn._trust_input = self.trust_input
        fn._apply_updates = not delete_updates and self._apply_updates
        fn.__call__ = build_call(fn)
        return fn

    def __copy__(self) -> Function:
        return self.copy()

    def __getstate__(self) -> dict[str, Any]:
        return {
            "maker": self.maker,
            "name": self.name,
            "trust_input": self.trust_input,
            "apply_updates": self._apply_updates,
        }

    def __setstate__(self, state: dict[str, Any]) -> None:
        self.maker = state["maker"]
        self.name = state["name"]
        self._profile = self.maker.profile
        self._trust_input = state["trust_input"]
        self._setup()
        self._apply_updates = state["apply_updates"]
        self.__call__ = build_call(self)

    def free(self) -> None:
        """Release intermediate storage (nothing is kept between calls here)."""

    def __str__(self) -> str:
        return f"<{self._label()} of {len(self.maker.fgraph.apply_nodes)} nodes on {self.maker.linker.name}>"

    __repr__ = __str__
