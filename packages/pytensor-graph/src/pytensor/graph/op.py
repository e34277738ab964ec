"""``Op``: the operations that Apply nodes apply (layer: pytensor-graph)."""

from __future__ import annotations

from abc import abstractmethod
from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

from pytensor.graph.basic import Apply, Variable
from pytensor.graph.utils import MetaObject, MethodNotDefined

if TYPE_CHECKING:
    from pytensor.graph.fg import FunctionGraph

__all__ = ["Apply", "HasInnerGraph", "Op", "OutputStorageType", "ShapeNotDefined"]

OutputStorageType = list[list[Any]]


class ShapeNotDefined(MethodNotDefined):
    """An Op cannot say the shape of one of its outputs symbolically."""


class Op(MetaObject):
    """An operation: builds Apply nodes (``make_node``) and computes them (``perform``).

    Ops are values: immutable once built, compared and hashed by the
    attributes named in ``__props__`` (a tuple of attribute names each
    subclass declares). Ops carry no backend code: backends implement an Op by
    registering a function for its class in their own dispatch registry.

    Attributes
    ----------
    default_output
        Index of the output that ``op(...)`` returns when there are several
        outputs (None: return them all).
    destroy_map
        ``{output_index: [input_index]}``: the output is written over that
        input's memory.
    view_map
        ``{output_index: [input_index]}``: the output is a view of that input.
    """

    default_output: int | None = None
    # Class-level defaults; an instance may set its own (e.g. an inplace pattern).
    destroy_map: dict[int, list[int]] = {}
    view_map: dict[int, list[int]] = {}
    #: Ops whose inputs are evaluated on demand by the backend (e.g. IfElse).
    lazy: bool = False

    @abstractmethod
    def make_node(self, *inputs: Any) -> Apply:
        """Check ``inputs`` and return an Apply of this Op with new output variables.

        Bad inputs (wrong type, dtype, number of dimensions) raise TypeError
        or ValueError naming this Op and the input.
        """

    def __call__(
        self, *inputs: Any, name: str | None = None, return_list: bool = False, **kwargs: Any
    ) -> Any:
        """Apply this Op symbolically and return its output variable(s)."""
        node = self.make_node(*inputs, **kwargs)
        if name is not None:
            if len(node.outputs) == 1:
                node.outputs[0].name = name
            else:
                for i, out in enumerate(node.outputs):
                    out.name = f"{name}_{i}"
        if return_list:
            return list(node.outputs)
        if self.default_output is not None:
            return node.outputs[self.default_output]
        if len(node.outputs) == 1:
            return node.outputs[0]
        return list(node.outputs)

    def perform(
        self, node: Apply, inputs: Sequence[Any], output_storage: OutputStorageType
    ) -> None:
        """Compute the outputs of ``node`` from the input values, in Python.

        Write output ``i`` into ``output_storage[i][0]``. The reference
        backend calls this; other backends use their own implementations.
        """
        raise MethodNotDefined(
            f"{type(self).__name__} has no Python implementation (perform); "
            "it can only run on a backend that implements it"
        )

    def do_constant_folding(self, fgraph: FunctionGraph, node: Apply) -> bool:
        """Whether a node of this Op whose inputs are all constants may be computed at compile time."""
        return True

    def infer_shape(
        self, fgraph: FunctionGraph, node: Apply, input_shapes: Sequence[Any]
    ) -> list[Any]:
        """The symbolic shape of each output, from the inputs' symbolic shapes."""
        raise ShapeNotDefined(f"{type(self).__name__} does not define infer_shape")

    def pullback(
        self,
        inputs: Sequence[Variable],
        outputs: Sequence[Variable],
        cotangents: Sequence[Variable],
    ) -> list[Variable]:
        """Vector-Jacobian product: the cotangent of each input given the outputs' cotangents."""
        raise NotImplementedError(f"{type(self).__name__} does not implement pullback")

    def connection_pattern(self, node: Apply) -> list[list[bool]]:
        """``[input][output]``: whether each output depends on each input (all True by default)."""
        return [[True] * len(node.outputs) for _ in node.inputs]

    def prepare_node(
        self, node: Apply, storage_map: Any = None, compute_map: Any = None, impl: Any = None
    ) -> None:
        """Hook called once per node before a backend runs it."""

    def __str__(self) -> str:  # replaced by MetaType's generated version when __props__ is set
        return type(self).__name__

    __str__._auto = True  # type: ignore[attr-defined]

    def __repr__(self) -> str:
        return str(self)

    def __setstate__(self, state: dict[str, Any]) -> None:
        self.__dict__.update(state)


class HasInnerGraph:
    """Mixin of Ops that hold an inner graph (OpFromGraph, Scan, Composite, ...)."""

    @property
    def fn(self) -> Any:
        """The compiled inner function, if any."""
        raise NotImplementedError

    @property
    def inner_inputs(self) -> list[Variable]:
        raise NotImplementedError

    @property
    def inner_outputs(self) -> list[Variable]:
        raise NotImplementedError

    def clone(self) -> Any:
        """A copy of this Op with a copied inner graph."""
        raise NotImplementedError
