"""Non-tensor types used in tensor graphs: the None type and its constant (layer: pytensor-tensor)."""

from __future__ import annotations

from pytensor.tensor._type_other import *  # noqa: F403
from pytensor.tensor._type_other import __all__  # noqa: F401
