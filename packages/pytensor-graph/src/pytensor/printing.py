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
                self.ids[key] = str(id(key))
            elif self.id_type == "int":
                self.ids[key] = str(n)
            else:
                s = ""
                while True:
                    s = chr(ord("A") + n % 26) + s
                    n //= 26
                    if n == 0:
                        break
                self.ids[key] = s
        return f"[id {self.ids[key]}]"


def _label(var: Variable, ids: _Ids, opts: dict[str, Any], fgraph: FunctionGraph | None) -> str:
    node = var.owner
    if node is None:
        text = str(var)
        if isinstance(var, Constant) and var.name is not None:
            text = f"{var.name}{{{var.data}}}"
    else:
        text = str(node.op)
        if len(node.outputs) > 1:
            text += f".{var.index}"
        if var.name is not None:
            text += f" '{var.name}'"
    parts = [text, ids(var)]
    if opts["print_type"]:
        parts.append(f"<{var.type}>")
    if node is not None:
        if opts["print_destroy_map"] and node.op.destroy_map:
            parts.append(f"d={node.op.destroy_map}")
        if opts["print_view_map"] and node.op.view_map:
            parts.append(f"v={node.op.view_map}")
        if opts["print_op_info"] and fgraph is not None and node.outputs[0] in fgraph.outputs:
            pass
    if fgraph is not None and var.owner is None and var in fgraph.inputs and opts["print_fgraph_inputs"]:
        parts.insert(0, "→")
    return " ".join(p for p in parts if p)


def _print_tree(
    root: Variable,
    lines: list[str],
    ids: _Ids,
    done: set[Apply],
    opts: dict[str, Any],
    fgraph: FunctionGraph | None,
    inner_ops: list[Any],
    prefix_first: str = "",
) -> None:
    # Iterative depth-first printing: (variable, depth, line prefix, child prefix).
    stack: list[tuple[Variable, int, str, str]] = [(root, 0, prefix_first, " " * (len(prefix_first) + 1))]
    max_depth = opts["depth"]
    while stack:
        var, depth, first, rest = stack.pop()
        node = var.owner
        label = _label(var, ids, opts, fgraph)
        repeated = node is not None and node in done
        lines.append(first + label + (" ···" if repeated and node.inputs else ""))
        if node is None or repeated:
            continue
        done.add(node)
        if isinstance(node.op, HasInnerGraph) and node.op not in inner_ops:
            inner_ops.append(node.op)
        if max_depth != -1 and depth + 1 >= max_depth:
            continue
        if opts["stop_on_name"] and var.name is not None and depth > 0:
            continue
        children = node.inputs
        for k in reversed(range(len(children))):
            last = k == len(children) - 1
            stack.append(
                (children[k], depth + 1, rest + ("└─ " if last else "├─ "), rest + ("   " if last else "│  "))
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
    printed twice), and with ``print_type=True`` the type, including the
    static shape.

    Parameters
    ----------
    graph_like
        A variable, an Apply, a FunctionGraph, a compiled function, or a list of them.
    depth
        Stop after this many levels (-1: print everything).
    file
        Where to print: a stream, ``"str"`` to return the text, or None for stdout.
    id_type
        ``"CHAR"`` (A, B, ...), ``"int"``, ``"id"`` (Python ids) or ``""`` (no ids).

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
    roots: list[tuple[Variable, FunctionGraph | None]] = []
    for item in items:
        fgraph = getattr(getattr(item, "maker", None), "fgraph", None)
        if fgraph is not None:
            item = fgraph
        if isinstance(item, FunctionGraph):
            roots.extend((o, item) for o in item.outputs)
        elif isinstance(item, Apply):
            roots.extend((o, None) for o in item.outputs)
        elif isinstance(item, Variable):
            roots.append((item, None))
        else:
            raise TypeError(f"debugprint cannot print a {type(item).__name__}: {item!r}")
    ids = _Ids(id_type)
    lines: list[str] = []
    done_nodes: set[Apply] = set()
    inner_ops: list[Any] = []
    fgraphs = {fg for _, fg in roots if fg is not None}
    if print_fgraph_inputs:
        for fg in fgraphs:
            for inp in fg.inputs:
                lines.append(_label(inp, ids, opts, fg))
    for var, fg in roots:
        _print_tree(var, lines, ids, done_nodes, opts, fg, inner_ops)
    if inner_ops:
        lines.append("")
        lines.append("Inner graphs:")
        k = 0
        while k < len(inner_ops):
            op = inner_ops[k]
            k += 1
            lines.append("")
            lines.append(f"{op}")
            for out in op.inner_outputs:
                _print_tree(out, lines, ids, set(), opts, None, inner_ops, prefix_first=" ← ")
    text = "\n".join(lines)
    if file == "str":
        return text
    stream = sys.stdout if file is None else file
    print(text, file=stream)  # type: ignore[arg-type]
    return graph_like


dprint = debugprint


