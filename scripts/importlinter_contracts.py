"""A forbidden-import contract for a namespace split across distributions.

import-linter's built-in ``forbidden`` contract cannot say "pytensor.graph, except
its pytensor.graph.rewriting subpackage, must not import pytensor.graph.rewriting"
(a package and its own subpackage overlap, so the pair is skipped), and it fails
on forbidden modules that do not exist yet. This contract expands both module
lists itself, drops excluded subtrees and absent internal modules, and then runs
the built-in check module by module. Used by ``nox -s layering``.
"""

from __future__ import annotations

from importlinter.contracts.forbidden import ForbiddenContract
from importlinter.domain import fields
from importlinter.domain.imports import ModuleExpression

__all__ = ["LayerForbiddenContract"]


class LayerForbiddenContract(ForbiddenContract):
    """``forbidden`` with package semantics, ``exclude_source_modules`` and optional modules."""

    type_name = "layer_forbidden"

    exclude_source_modules = fields.SetField(subfield=fields.ModuleField(), required=False)

    def check(self, graph, verbose):  # noqa: D102 (documented on the class)
        roots = tuple(self.session_options["root_packages"])
        excluded = tuple(m.name for m in (self.exclude_source_modules or ()))

        def internal(name: str) -> bool:
            return any(name == r or name.startswith(r + ".") for r in roots)

        def expand(expressions) -> set[str]:
            names: set[str] = set()
            for expression in expressions:
                if expression.has_wildcard_expression():
                    matched = set(graph.find_matching_modules(expression.expression))
                elif expression.expression in graph.modules:
                    matched = {expression.expression}
                else:
                    matched = set()  # an internal module that does not exist (yet)
                for name in matched:
                    names.add(name)
                    if internal(name):
                        names |= set(graph.find_descendants(name))
            return names

        sources = {
            name
            for name in expand(self.source_modules)
            if not any(name == x or name.startswith(x + ".") for x in excluded)
        }
        external = {e for e in self.forbidden_modules if not internal(e.expression)}
        forbidden = expand(e for e in self.forbidden_modules if internal(e.expression))
        self.source_modules = {ModuleExpression(name) for name in sources}
        self.forbidden_modules = {ModuleExpression(name) for name in forbidden} | external
        self.as_packages = False
        return super().check(graph, verbose)
