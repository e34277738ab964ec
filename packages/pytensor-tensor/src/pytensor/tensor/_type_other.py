"""The type of ``None`` inputs and its constant ``NoneConst`` (layer: pytensor-tensor).

``SpecifyShape`` takes one input per dimension; a dimension whose length is
not specified gets ``NoneConst``. PyTensor's path for these names is
``pytensor.tensor.type_other``.
"""

from __future__ import annotations

from typing import Any

from pytensor.graph.basic import Constant, Variable
from pytensor.graph.type import Type

__all__ = ["NoneConst", "NoneTypeT", "none_type_t"]


class NoneTypeT(Type):
    """The type whose only value is ``None``."""

    __props__ = ()
    variable_type = Variable
    constant_type = Constant

    def filter(self, data: Any, strict: bool = False, allow_downcast: bool | None = None) -> Any:
        if data is None:
            return None
        raise TypeError(f"{self} only holds None, got {type(data).__name__} {data!r}")

    def __str__(self) -> str:
        return "NoneTypeT"


none_type_t = NoneTypeT()

#: The constant ``None``; stands for an unspecified entry (e.g. a dimension in SpecifyShape).
NoneConst = Constant(none_type_t, None, name="NoneConst")
