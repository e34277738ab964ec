"""The c backend (layer: pytensor-backend-c).

Skeleton only: the backend is implemented by its own issue. Until then this
distribution registers no entry point, so the backend registry does not list it.
"""

__all__: list[str] = []
