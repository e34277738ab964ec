"""Named dimensions (layer: pytensor-dims).

Skeleton only: filled in by the named-dimensions issue.
"""

__all__: list[str] = []
