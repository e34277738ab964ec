"""Text printing of graphs: ``debugprint`` / ``dprint`` (layer: pytensor-graph)."""

from __future__ import annotations

import sys
from typing import Any, TextIO

from pytensor.graph.basic import Apply, Constant, Variable
from pytensor.graph.fg import FunctionGraph
from pytensor.graph.op import HasInnerGraph

__all__ = ["debugprint", "dprint"]


class _Ids:
    """Hands out short ids (A, B, ..., Z, BA, ...) in order of first appearance."""

    def __init__(self, id_type: str) -> None:
        self.id_type = id_type
        self.ids: dict[Any, str] = {}

    def __call__(self, obj: Any) -> str:
        if self.id_type == "":
            return ""
        key = obj.owner if isinstance(obj, Variable) and obj.owner is not None else obj
        if key not in self.ids:
            n = len(self.ids)
            if self.id_type == "id":
                self.ids[key] = str(id(obj))
            elif self.id_type == "int":
                self.ids[key] = str(n)
            elif self.id_type == "auto" and isinstance(obj, Variable):
                self.ids[key] = obj.auto_name
            else:
                s = ""
                while True:
                    s = chr(ord("A") + n % 26) + s
                    n //= 26
                    if n == 0:
                        break
                self.ids[key] = s
        return f"[id {self.ids[key]}]"


def _label(var: Variable, ids: _Ids, opts: dict[str, Any], topo: dict[Apply, int] | None) -> str:
    # PyTensor's layout: op[.k] [id X] <type> 'name' d={..} v={..} topo-index
    node = var.owner
    if node is None:
        text = str(var)
        if isinstance(var, Constant) and var.name is not None:
            text = f"{var.name}{{{var.data}}}"
        parts = [text, ids(var)]
        if opts["print_type"]:
            parts.append(f"<{var.type}>")
        return " ".join(p for p in parts if p)
    text = str(node.op)
    if len(node.outputs) > 1:
        text += f".{var.index}"
    parts = [text, ids(var)]
    if opts["print_type"]:
        parts.append(f"<{var.type}>")
    if var.name is not None:
        parts.append(f"'{var.name}'")
    if opts["print_destroy_map"] and node.op.destroy_map:
        parts.append(f"d={node.op.destroy_map}")
    if opts["print_view_map"] and node.op.view_map:
        parts.append(f"v={node.op.view_map}")
    if topo is not None and node in topo:
        parts.append(str(topo[node]))
    return " ".join(p for p in parts if p)


def _print_tree(
    root: Variable,
    lines: list[str],
    ids: _Ids,
    done: set[Apply],
    opts: dict[str, Any],
    topo: dict[Apply, int] | None,
    inner_nodes: list[Apply],
    prefix_first: str = "",
) -> None:
    # Iterative depth-first printing: (variable, depth, line prefix, child prefix).
    # A node already expanded, or a named one with stop_on_name, gets a "└─ ···"
    # line instead of its inputs.
    stack: list[tuple[Variable, int, str, str]] = [
        (root, 0, prefix_first, " " * (len(prefix_first) + 1))
    ]
    max_depth = opts["depth"]
    while stack:
        var, depth, first, rest = stack.pop()
        node = var.owner
        lines.append(first + _label(var, ids, opts, topo))
        if node is None:
            continue
        if isinstance(node.op, HasInnerGraph) and node not in inner_nodes:
            inner_nodes.append(node)
        if max_depth != -1 and depth + 1 >= max_depth:
            continue
        if node in done or (opts["stop_on_name"] and var.name is not None):
            if node.inputs:
                lines.append(rest + "└─ ···")
            continue
        done.add(node)
        children = node.inputs
        for k in reversed(range(len(children))):
            last = k == len(children) - 1
            stack.append(
                (
                    children[k],
                    depth + 1,
                    rest + ("└─ " if last else "├─ "),
                    rest + ("   " if last else "│  "),
                )
            )


def debugprint(
    graph_like: Any,
    depth: int = -1,
    print_type: bool = False,
    file: TextIO | str | None = None,
    id_type: str = "CHAR",
    stop_on_name: bool = False,
    done: Any = None,
    print_storage: bool = False,
    used_ids: Any = None,
    print_op_info: bool = False,
    print_destroy_map: bool = False,
    print_view_map: bool = False,
    print_fgraph_inputs: bool = False,
    print_shape: bool = False,
    print_memory_map: bool = False,
) -> Any:
    """Print a graph as an indented tree, one line per variable.

    Each line shows the Op (or the variable's name), an id such as ``[id A]``
    that is repeated when a node is used again (its inputs are then not
    printed twice: a ``└─ ···`` line stands for them), and with
    ``print_type=True`` the type, including the static shape. As in PyTensor,
    nodes of a FunctionGraph (or compiled function) also show their index in
    its topological order, and inner graphs (OpFromGraph, ...) are listed
    after the outer graph under "Inner graphs:".

    Parameters
    ----------
    graph_like
        A variable, an Apply, a FunctionGraph, a compiled function, or a list of them.
    depth
        Stop after this many levels (-1: print everything).
    file
        Where to print: a stream, ``"str"`` to return the text, or None for stdout.
    id_type
        ``"CHAR"`` (A, B, ...), ``"int"``, ``"id"`` (Python ids), ``"auto"``
        (``Variable.auto_name``) or ``""`` (no ids).
    stop_on_name
        Do not print the inputs of named variables (a ``└─ ···`` line stands for them).

    Returns
    -------
    The text when ``file="str"``, else ``graph_like``.
    """
    if print_memory_map:
        print_destroy_map = print_view_map = True
    opts = dict(
        depth=depth,
        print_type=print_type or print_shape,
        stop_on_name=stop_on_name,
        print_op_info=print_op_info,
        print_destroy_map=print_destroy_map,
        print_view_map=print_view_map,
        print_fgraph_inputs=print_fgraph_inputs,
    )
    items = graph_like if isinstance(graph_like, list | tuple) else [graph_like]
    roots: list[tuple[Variable, dict[Apply, int] | None]] = []
    fgraphs: list[FunctionGraph] = []
    for item in items:
        fgraph = getattr(getattr(item, "maker", None), "fgraph", None)
        if fgraph is not None:
            item = fgraph
        if isinstance(item, FunctionGraph):
            # As in PyTensor, nodes of a FunctionGraph show their position in its toposort.
            order = {node: k for k, node in enumerate(item.toposort())}
            roots.extend((o, order) for o in item.outputs)
            fgraphs.append(item)
        elif isinstance(item, Apply):
            roots.extend((o, None) for o in item.outputs)
        elif isinstance(item, Variable):
            roots.append((item, None))
        else:
            raise TypeError(f"debugprint cannot print a {type(item).__name__}: {item!r}")
    ids = _Ids(id_type)
    lines: list[str] = []
    done_nodes: set[Apply] = set()
    inner_nodes: list[Apply] = []
    if print_fgraph_inputs:
        for fg in fgraphs:
            for inp in fg.inputs:
                lines.append("→ " + _label(inp, ids, opts, None))
    for var, topo in roots:
        _print_tree(var, lines, ids, done_nodes, opts, topo, inner_nodes)
    if inner_nodes:
        lines.append("")
        lines.append("Inner graphs:")
        k = 0
        while k < len(inner_nodes):
            node = inner_nodes[k]
            k += 1
            lines.append("")
            lines.append(" ".join(p for p in (str(node.op), ids(node.outputs[0])) if p))
            for out in node.op.inner_outputs:  # type: ignore[attr-defined]
                _print_tree(
                    out, lines, ids, done_nodes, opts, None, inner_nodes, prefix_first=" ← "
                )
    text = "\n".join(lines) + "\n"
    if file == "str":
        return text
    stream = sys.stdout if file is None else file
    stream.write(text)  # type: ignore[union-attr]
    return graph_like


dprint = debugprint
