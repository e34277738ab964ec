"""Exceptions of the tensor layer (layer: pytensor-tensor)."""

from __future__ import annotations

__all__ = ["AdvancedIndexingError", "NotScalarConstantError", "ShapeError"]


class NotScalarConstantError(Exception):
    """A variable is not a constant scalar (raised by get_scalar_constant_value)."""


class EmptyConstantError(NotScalarConstantError):
    """A constant has no elements, so it has no scalar value."""


class ShapeError(ValueError):
    """Shapes are incompatible."""


class AdvancedIndexingError(TypeError):
    """An index needs advanced indexing where basic indexing was expected."""
