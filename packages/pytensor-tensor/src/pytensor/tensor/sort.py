"""sort (layer: pytensor-tensor). Being filled in by the tensor-core work."""

__all__: list[str] = []
