"""The core IR nouns: ``Variable``, ``Constant``, ``Apply`` and graph cloning (layer: pytensor-graph)."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from copy import copy
from functools import singledispatch
from itertools import count
from typing import TYPE_CHECKING, Any

from pytensor.graph.traversal import (
    ancestors,
    applys_between,
    graph_inputs,
    io_toposort,
    variables_between,
    walk,
)
from pytensor.graph.utils import Scratchpad, gc_paused

if TYPE_CHECKING:
    from pytensor.graph.op import Op
    from pytensor.graph.type import Type

__all__ = [
    "Apply",
    "as_symbolic",
    "AtomicVariable",
    "Constant",
    "Node",
    "NominalVariable",
    "Variable",
    "ancestors",
    "applys_between",
    "clone",
    "clone_get_equiv",
    "equal_computations",
    "graph_inputs",
    "io_toposort",
    "variables_between",
    "walk",
]

_auto_name_counter = count()


class Node:
    """Something that sits in a graph and has parents (a Variable or an Apply)."""

    name: str | None
    tag: Scratchpad

    def __getattr__(self, name: str) -> Any:
        # ``tag`` (and a variable's ``auto_name``) are made on first use: most
        # nodes never need them, and building large graphs is dominated by
        # allocations (and the garbage collector's work on them).
        if name == "tag":
            tag = Scratchpad()
            self.__dict__["tag"] = tag
            return tag
        if name == "auto_name" and isinstance(self, Variable):
            auto = f"auto_{next(Variable.__count__)}"
            self.__dict__["auto_name"] = auto
            return auto
        raise AttributeError(f"{type(self).__name__!r} object has no attribute {name!r}")

    def get_parents(self) -> list[Any]:
        raise NotImplementedError


class Apply(Node):
    """The application of an ``op`` to ``inputs``, producing ``outputs``.

    Constructing an Apply makes it the owner of each output. Ops build Apply
    nodes in ``make_node``; users rarely build them by hand.
    """

    def __init__(self, op: Op, inputs: Sequence[Variable], outputs: Sequence[Variable]) -> None:
        self.op = op
        self.inputs: list[Variable] = []
        for i, inp in enumerate(inputs):
            if not isinstance(inp, Variable):
                raise TypeError(
                    f"Input {i} of an Apply of {op} must be a Variable, got {type(inp).__name__}: {inp!r}"
                )
            self.inputs.append(inp)
        self.outputs: list[Variable] = []
        for i, out in enumerate(outputs):
            if not isinstance(out, Variable):
                raise TypeError(
                    f"Output {i} of an Apply of {op} must be a Variable, got {type(out).__name__}"
                )
            if out.owner is None:
                out.owner = self
                out.index = i
            elif out.owner is not self or out.index != i:
                raise ValueError(f"Output {i} of an Apply of {op} already belongs to another node")
            self.outputs.append(out)

    def default_output(self) -> Variable:
        """The output that stands for this node when a single output is needed."""
        do = getattr(self.op, "default_output", None)
        if do is None:
            if len(self.outputs) == 1:
                return self.outputs[0]
            raise ValueError(
                f"{self.op} has {len(self.outputs)} outputs and no default_output; "
                "pick one with node.outputs[i]"
            )
        if not isinstance(do, int):
            raise ValueError(f"{self.op}.default_output must be an int, got {do!r}")
        if not -len(self.outputs) <= do < len(self.outputs):
            raise ValueError(
                f"{self.op}.default_output={do} is out of range for {len(self.outputs)} outputs"
            )
        return self.outputs[do]

    @property
    def out(self) -> Variable:
        """Alias of :meth:`default_output`."""
        return self.default_output()

    def get_parents(self) -> list[Variable]:
        return list(self.inputs)

    def __str__(self) -> str:
        args = ", ".join(str(i) for i in self.inputs)
        return f"{self.op}({args})"

    def __repr__(self) -> str:
        return str(self)

    def clone(self, clone_inner_graph: bool = False) -> Apply:
        """A copy of this node with the same inputs and fresh outputs."""
        op = self.op
        if clone_inner_graph and hasattr(op, "clone"):
            op = op.clone()
        new = Apply.__new__(Apply)
        new.op = op
        new.inputs = list(self.inputs)
        if "tag" in self.__dict__:
            new.tag = copy(self.tag)
        new.outputs = []
        for i, out in enumerate(self.outputs):
            o = out.clone()
            o.owner = new
            o.index = i
            new.outputs.append(o)
        return new

    def clone_with_new_inputs(
        self, inputs: Sequence[Variable], strict: bool = True, clone_inner_graph: bool = False
    ) -> Apply:
        """A copy of this node applied to ``inputs``.

        With ``strict=True`` each new input must fit the type of the one it
        replaces (it is converted when that is exact, else TypeError). A type
        change (with ``strict=False``, or a more specific type with
        ``strict=True``) makes the Op build a new node, so the output types are
        inferred again, as in PyTensor.
        """
        if len(inputs) != len(self.inputs):
            raise ValueError(
                f"{self.op} takes {len(self.inputs)} inputs; clone_with_new_inputs got {len(inputs)}"
            )
        new_inputs = list(inputs)
        remake = False
        for i, (cur, new) in enumerate(zip(self.inputs, new_inputs, strict=True)):
            if cur.type != new.type:
                if strict:
                    new_inputs[i] = cur.type.filter_variable(new)
                    if new_inputs[i].type != cur.type:
                        remake = True
                else:
                    remake = True
        if remake:
            new_node = self.op.make_node(*new_inputs)
            new_node.tag = copy(self.tag).update(new_node.tag)
            return new_node
        new_node = self.clone(clone_inner_graph=clone_inner_graph)
        new_node.inputs = new_inputs
        return new_node

    @property
    def nin(self) -> int:
        return len(self.inputs)

    @property
    def nout(self) -> int:
        return len(self.outputs)

    @property
    def params_type(self) -> Any:
        return getattr(self.op, "params_type", None)

    def run_params(self) -> Any:
        """The parameters the Op wants at run time (``op.get_params``), or None."""
        get_params = getattr(self.op, "get_params", None)
        return get_params(self) if get_params is not None else None

    def __getstate__(self) -> dict[str, Any]:
        state = {"op": self.op, "inputs": self.inputs, "outputs": self.outputs}
        if "tag" in self.__dict__:
            state["tag"] = self.tag
        return state

    def __setstate__(self, state: dict[str, Any]) -> None:
        for k, v in state.items():
            setattr(self, k, v)


class Variable(Node):
    """A symbolic value in a graph.

    A variable has a ``type``; when computed by a node, ``owner`` is that
    Apply and ``index`` its position among the node's outputs. A variable with
    no owner is a root of the graph: an input, a constant or a shared value.
    Variables are compared and hashed by identity.
    """

    __count__ = count(0)

    def __init__(
        self,
        type: Type,
        owner: Apply | None = None,
        index: int | None = None,
        name: str | None = None,
    ) -> None:
        from pytensor.graph.type import Type as _Type

        if not isinstance(type, _Type):
            raise TypeError(f"A Variable's type must be a Type instance, got {type!r}")
        if owner is not None and not isinstance(owner, Apply):
            raise TypeError(f"A Variable's owner must be an Apply or None, got {owner!r}")
        if index is not None and not isinstance(index, int):
            raise TypeError(f"A Variable's index must be an int or None, got {index!r}")
        if name is not None and not isinstance(name, str):
            raise TypeError(f"A Variable's name must be a string or None, got {name!r}")
        self.type = type
        self.owner = owner
        self.index = index
        self.name = name

    def get_parents(self) -> list[Apply]:
        return [self.owner] if self.owner is not None else []

    def __str__(self) -> str:
        if self.name is not None:
            return self.name
        if self.owner is not None:
            op = self.owner.op
            if self.index == getattr(op, "default_output", None) or len(self.owner.outputs) == 1:
                return f"{op}.0" if self.index is None else f"{op}.{self.index}"
            return f"{op}.{self.index}"
        return f"<{self.type}>"

    def __repr__(self) -> str:
        return str(self)

    def clone(self, name: str | None = None) -> Variable:
        """A new variable with the same type, name and tag, and no owner."""
        cp = copy(self)
        cp.owner = None
        cp.index = None
        cp.name = name if name is not None else self.name
        if "tag" in self.__dict__:
            cp.tag = copy(self.tag)
        cp.__dict__.pop("auto_name", None)
        return cp

    def eval(self, inputs_to_values: dict[Variable | str, Any] | None = None, **kwargs: Any) -> Any:
        """Compile this variable as a function of the given inputs and compute it.

        ``inputs_to_values`` maps each root variable the graph needs (or its
        name) to a value. Compiled functions are cached on the variable, so
        repeated calls with the same inputs do not recompile.
        """
        from pytensor.compile.function import function

        inputs_to_values = dict(inputs_to_values or {})
        named = {k: v for k, v in inputs_to_values.items() if isinstance(k, str)}
        if named:
            by_name = {v.name: v for v in graph_inputs([self]) if v.name is not None}
            for key, value in named.items():
                if key not in by_name:
                    raise ValueError(f"eval: no input named {key!r} in the graph of {self}")
                del inputs_to_values[key]
                inputs_to_values[by_name[key]] = value
        inputs = sorted(inputs_to_values, key=id)
        cache_key = (tuple(inputs), tuple(sorted(kwargs.items())))
        cache = self.__dict__.setdefault("_fn_cache", {})
        if cache_key not in cache:
            cache[cache_key] = function(inputs, self, **kwargs)
        return cache[cache_key](*(inputs_to_values[i] for i in inputs))

    def __getstate__(self) -> dict[str, Any]:
        d = self.__dict__.copy()
        d.pop("_fn_cache", None)
        return d


class AtomicVariable(Variable):
    """A variable that is never computed by a node (a root of every graph it is in)."""

    def __init__(self, type: Type, name: str | None = None, **kwargs: Any) -> None:
        super().__init__(type=type, owner=None, index=None, name=name, **kwargs)

    def signature(self) -> Any:
        return self

    def merge_signature(self) -> Any:
        return self.signature()

    def equals(self, other: Any) -> bool:
        """Whether ``other`` is the same atomic value (by signature)."""
        return type(self) is type(other) and self.signature() == other.signature()

    @property
    def owner(self) -> None:
        return None

    @owner.setter
    def owner(self, value: Apply | None) -> None:
        if value is not None:
            raise ValueError(f"An {type(self).__name__} cannot have an owner")

    @property
    def index(self) -> None:
        return None

    @index.setter
    def index(self, value: int | None) -> None:
        if value is not None:
            raise ValueError(f"An {type(self).__name__} cannot have an index")


class NominalVariable(AtomicVariable):
    """A placeholder variable identified by an id and a type, used as an inner-graph input.

    Two NominalVariables with the same id and type are the same object, so
    inner graphs built separately compare equal.
    """

    _cache: dict[tuple[Any, Type], NominalVariable] = {}

    def __new__(cls, id: Any, typ: Type, **kwargs: Any) -> NominalVariable:
        key = (id, typ)
        obj = cls._cache.get(key)
        if obj is None:
            obj = super().__new__(cls)
            cls._cache[key] = obj
        return obj

    def __init__(self, id: Any, typ: Type, name: str | None = None) -> None:
        if getattr(self, "_initialized", False):
            return
        self.id = id
        super().__init__(type=typ, name=name)
        self._initialized = True

    def __getnewargs__(self) -> tuple[Any, Type]:
        return (self.id, self.type)

    def clone(self, name: str | None = None) -> NominalVariable:
        return self

    def signature(self) -> Any:
        return (type(self), self.id, self.type)

    def __str__(self) -> str:
        if self.name is not None:
            return self.name
        return f"*{self.id}-<{self.type}>"


class Constant(AtomicVariable):
    """A variable with a fixed value ``data``.

    ``signature()`` identifies the value (type plus a value signature), so
    equal constants can be merged; the constant object itself is hashed by
    identity like every variable.
    """

    def __init__(self, type: Type, data: Any, name: str | None = None) -> None:
        super().__init__(type=type, name=name)
        self.data = type.filter(data)

    @property
    def value(self) -> Any:
        return self.data

    def get_test_value(self) -> Any:
        return self.data

    def signature(self) -> Any:
        return (self.type, self.type.value_signature(self.data))

    def __str__(self) -> str:
        if self.name is not None:
            return self.name
        s = str(self.data)
        if len(s) > 20:
            s = s[:10] + "..." + s[-7:]
        return s

    def clone(self, name: str | None = None) -> Constant:
        cp = type(self).__new__(type(self))
        cp.__dict__.update(self.__dict__)
        if "tag" in self.__dict__:
            cp.tag = copy(self.tag)
        cp.name = name if name is not None else self.name
        cp.__dict__.pop("auto_name", None)
        return cp


def clone(
    inputs: Sequence[Variable],
    outputs: Sequence[Variable],
    copy_inputs: bool = True,
    copy_orphans: bool | None = None,
    clone_inner_graphs: bool = False,
) -> tuple[list[Variable], list[Variable]]:
    """Copy the graph between ``inputs`` and ``outputs``; return the new inputs and outputs."""
    if copy_orphans is None:
        copy_orphans = copy_inputs
    equiv = clone_get_equiv(
        inputs, outputs, copy_inputs, copy_orphans, clone_inner_graphs=clone_inner_graphs
    )
    return [equiv[i] for i in inputs], [equiv[o] for o in outputs]


def clone_get_equiv(
    inputs: Iterable[Variable],
    outputs: Iterable[Variable],
    copy_inputs: bool = True,
    copy_orphans: bool = True,
    memo: dict[Any, Any] | None = None,
    clone_inner_graphs: bool = False,
    **kwargs: Any,
) -> dict[Any, Any]:
    """Copy the graph between ``inputs`` and ``outputs``; return the old-to-new map.

    The map covers variables and Apply nodes. Entries already in ``memo`` are
    used as they are (that is how a replacement is given). Inputs are copied
    when ``copy_inputs``; roots that are not inputs (orphans, e.g. constants)
    when ``copy_orphans``.
    """
    inputs = list(inputs)
    outputs = list(outputs)
    memo = {} if memo is None else memo
    with gc_paused():
        _clone_into(inputs, outputs, memo, copy_inputs, copy_orphans, clone_inner_graphs)
    return memo


def _clone_into(
    inputs: list[Variable],
    outputs: list[Variable],
    memo: dict[Any, Any],
    copy_inputs: bool,
    copy_orphans: bool,
    clone_inner_graphs: bool,
) -> None:
    for inp in inputs:
        if inp not in memo:
            memo[inp] = inp.clone() if copy_inputs else inp
    for node in io_toposort(inputs, outputs):
        for i in node.inputs:
            if i not in memo:
                memo[i] = i.clone() if copy_orphans else i
        new_inputs = [memo[i] for i in node.inputs]
        new_node = node.clone_with_new_inputs(
            new_inputs, strict=False, clone_inner_graph=clone_inner_graphs
        )
        memo.setdefault(node, new_node)
        for old, new in zip(node.outputs, new_node.outputs, strict=True):
            memo.setdefault(old, new)
    for o in outputs:
        if o not in memo:
            memo[o] = o.clone() if copy_orphans else o


def _atomic_equal(x: Variable, y: Variable, strict_dtype: bool) -> bool:
    if isinstance(x, AtomicVariable) or isinstance(y, AtomicVariable):
        if isinstance(x, Constant) and isinstance(y, Constant):
            if strict_dtype:
                return bool(x.signature() == y.signature())
            return bool(x.type.values_eq(x.data, y.data))
        if isinstance(x, AtomicVariable) and isinstance(y, AtomicVariable):
            return x.equals(y)
        return False
    return x is y


def equal_computations(
    xs: Sequence[Variable],
    ys: Sequence[Variable],
    in_xs: Sequence[Variable] | None = None,
    in_ys: Sequence[Variable] | None = None,
    strict_dtype: bool = True,
) -> bool:
    """Whether the graphs ``xs`` and ``ys`` compute the same thing.

    Two graphs are equal when they apply equal Ops to equal inputs. Root
    variables are equal when they are the same object, equal constants
    (by signature), or corresponding entries of ``in_xs`` and ``in_ys``.
    """
    if len(xs) != len(ys):
        raise ValueError("equal_computations: xs and ys must have the same length")
    in_xs = list(in_xs or [])
    in_ys = list(in_ys or [])
    if len(in_xs) != len(in_ys):
        raise ValueError("equal_computations: in_xs and in_ys must have the same length")
    for x, y in zip(xs, ys, strict=True):
        if not isinstance(x, Variable) or not isinstance(y, Variable):
            return x == y
        if x.type != y.type:
            return False
    pairs: dict[Variable, Variable] = dict(zip(in_xs, in_ys, strict=True))
    in_ys_set = set(in_ys)
    stack = list(zip(xs, ys, strict=True))
    # Pairs already compared. Equality is structural, not a graph isomorphism:
    # one x-side node may match several equal y-side nodes (and vice versa),
    # which keeps the relation symmetric.
    seen: set[tuple[Variable, Variable]] = set()
    seen_nodes: set[tuple[Apply, Apply]] = set()
    while stack:
        x, y = stack.pop()
        if (x, y) in seen:
            continue
        seen.add((x, y))
        verdict = _compare_pair(x, y, pairs, in_ys_set, strict_dtype)
        if verdict is False:
            return False
        if verdict is True:
            continue
        nx, ny = x.owner, y.owner
        # _compare_pair decides every pair with an ownerless side.
        assert nx is not None and ny is not None
        if (nx, ny) in seen_nodes:
            continue
        seen_nodes.add((nx, ny))
        if nx.op != ny.op or len(nx.inputs) != len(ny.inputs) or len(nx.outputs) != len(ny.outputs):
            return False
        stack.extend(zip(nx.inputs, ny.inputs, strict=True))
    return True


def _compare_pair(
    x: Variable,
    y: Variable,
    pairs: dict[Variable, Variable],
    in_ys: set[Variable],
    strict_dtype: bool,
) -> bool | None:
    """True/False when the pair is decided without looking at owners; None to compare owners."""
    if x in pairs:
        return pairs[x] is y
    if y in in_ys or x.type != y.type:
        return False
    if x.owner is None or y.owner is None:
        if x.owner is not None or y.owner is not None:
            return False
        return _atomic_equal(x, y, strict_dtype)
    if x.index != y.index:
        return False
    return None


@singledispatch
def _as_symbolic(x: Any, **kwargs: Any) -> Variable:
    """Convert ``x`` to a symbolic variable; higher layers register converters for their values."""
    from pytensor.compile.mode import load_extensions

    load_extensions()  # the tensor layer registers converters for arrays and numbers
    impl = _as_symbolic.dispatch(type(x))
    if impl is _as_symbolic_default:
        raise TypeError(f"Cannot convert {type(x).__name__} {x!r} to a symbolic variable")
    return impl(x, **kwargs)


_as_symbolic_default = _as_symbolic.dispatch(object)


@_as_symbolic.register(Variable)
def _as_symbolic_variable(x: Variable, **kwargs: Any) -> Variable:
    return x


@_as_symbolic.register(Apply)
def _as_symbolic_apply(x: Apply, **kwargs: Any) -> Variable:
    return x.default_output()


def as_symbolic(x: Any, name: str | None = None, **kwargs: Any) -> Variable:
    """``x`` as a symbolic variable: variables pass through, values become constants of the
    type a registered converter picks (``_as_symbolic.register(cls)``)."""
    res = _as_symbolic(x, **kwargs)
    if name is not None and res.name is None and not isinstance(x, Variable):
        res.name = name
    return res
