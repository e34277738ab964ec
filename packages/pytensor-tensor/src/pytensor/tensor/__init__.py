"""The tensor Op library (layer: pytensor-tensor).

This distribution is a skeleton until the tensor-core issue fills it in; it
ships no Ops yet, so importing it gives an empty namespace.
"""

__all__: list[str] = []
