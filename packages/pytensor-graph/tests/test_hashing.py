"""Tests of pytensor.graph.hashing: structural graph hashes stable across processes."""

import enum
import os
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest
from toy import ArrayType, Count, FloatType, Scale, add, fscalar, fvector, mul, neg, sum_diff

from pytensor.graph.basic import Apply, Constant
from pytensor.graph.fg import FunctionGraph
from pytensor.graph.hashing import UnhashableGraphError, graph_hash, stable_token
from pytensor.graph.op import Op

HERE = Path(__file__).parent


def build(names=("x", "y"), factor=2.0, const=1.5):
    x, y = fscalar(names[0]), fscalar(names[1])
    s, d = sum_diff(Scale(factor)(x), y)
    return [mul(add(s, const), neg(d))]


class TestGraphHash:
    def test_separately_built_graphs_are_equal(self):
        assert graph_hash(build()) == graph_hash(build())

    def test_names_do_not_matter(self):
        a = build(names=("x", "y"))
        b = build(names=("first", "second"))
        b[0].name = "output"
        assert graph_hash(a) == graph_hash(b)

    def test_hex_sha256(self):
        h = graph_hash(build())
        assert len(h) == 64 and int(h, 16) >= 0

    def test_op_prop_changes_hash(self):
        assert graph_hash(build(factor=2.0)) != graph_hash(build(factor=3.0))

    def test_constant_value_changes_hash(self):
        assert graph_hash(build(const=1.5)) != graph_hash(build(const=2.5))
        t = ArrayType("float64", (2,))
        v = t("v")
        h1 = graph_hash([add(v, Constant(t, np.array([1.0, 2.0])))])
        h2 = graph_hash([add(v, Constant(t, np.array([1.0, 2.0])))])
        h3 = graph_hash([add(v, Constant(t, np.array([2.0, 1.0])))])
        assert h1 == h2 != h3

    def test_connection_changes_hash(self):
        x, y = fscalar("x"), fscalar("y")
        a = add(x, y)
        assert graph_hash([mul(a, x)], [x, y]) != graph_hash([mul(a, y)], [x, y])
        assert graph_hash([add(x, y)], [x, y]) != graph_hash([add(y, x)], [x, y])
        assert graph_hash([neg(x)]) != graph_hash([neg(neg(x))])

    def test_shared_subgraph_differs_from_duplicate(self):
        x = fscalar("x")
        n = neg(x)
        assert graph_hash([add(n, n)]) != graph_hash([add(neg(x), neg(x))])

    def test_op_class_changes_hash(self):
        x, y = fscalar("x"), fscalar("y")
        assert graph_hash([add(x, y)]) != graph_hash([mul(x, y)])

    def test_type_changes_hash(self):
        assert graph_hash([neg(fvector("a", 3))]) != graph_hash([neg(fvector("a"))])
        assert graph_hash([neg(fvector("a", 3))]) != graph_hash([neg(fvector("a", 3, "float32"))])

    def test_outputs_matter(self):
        x, y = fscalar("x"), fscalar("y")
        s, d = sum_diff(x, y)
        assert graph_hash([s, d]) != graph_hash([d, s])
        assert graph_hash([s]) != graph_hash([s, s])

    def test_function_graph(self):
        out = build()
        fg = FunctionGraph(outputs=out, clone=True)
        assert graph_hash(fg) == graph_hash(fg.outputs, fg.inputs)
        assert graph_hash(fg) == graph_hash(build())

    def test_input_order_given(self):
        x, y = fscalar("x"), fscalar("y")
        z = add(mul(x, x), y)
        assert graph_hash([z], [x, y]) != graph_hash([z], [y, x])

    def test_root_not_among_inputs(self):
        x, y = fscalar("x"), fscalar("y")
        with pytest.raises(UnhashableGraphError, match="not one of its inputs"):
            graph_hash([add(x, y)], [x])

    def test_op_without_props_is_unhashable(self):
        class NoProps(Op):
            def make_node(self, x):
                return Apply(self, [x], [x.type()])

        with pytest.raises(UnhashableGraphError, match="give it __props__ or a _stable_token"):
            graph_hash([NoProps()(fscalar("x"))])

    def test_stable_token_hook(self):
        class Tokened(Op):
            def __init__(self, k):
                self.k = k

            def _stable_token(self):
                return ("tokened", self.k)

            def make_node(self, x):
                return Apply(self, [x], [x.type()])

        x = fscalar("x")
        assert graph_hash([Tokened(1)(x)]) == graph_hash([Tokened(1)(x)])
        assert graph_hash([Tokened(1)(x)]) != graph_hash([Tokened(2)(x)])

    def test_deep_chain(self):
        x = fscalar("x")
        out = x
        for _ in range(20_000):
            out = neg(out)
        assert graph_hash([out]) == graph_hash([out])

    def test_same_across_processes(self):
        script = (
            "import sys\n"
            f"sys.path.insert(0, {str(HERE)!r})\n"
            "from test_hashing import build\n"
            "from pytensor.graph.hashing import graph_hash\n"
            "print(graph_hash(build()))\n"
        )
        expected = graph_hash(build())
        for seed in ("0", "12345", "random"):
            env = dict(os.environ, PYTHONHASHSEED=seed)
            res = subprocess.run(
                [sys.executable, "-c", script], env=env, capture_output=True, text=True, timeout=120
            )
            assert res.returncode == 0, res.stderr
            assert res.stdout.strip() == expected


class Color(enum.Enum):
    RED = 1


def helper():
    pass


class TestStableToken:
    def test_plain_values(self):
        assert stable_token(1) != stable_token(1.0) != stable_token(True)
        assert stable_token(0.1) == ("float", (0.1).hex())
        assert stable_token((1, "a")) != stable_token([1, "a"])
        assert stable_token({"b": 1, "a": 2}) == stable_token({"a": 2, "b": 1})
        assert stable_token({3, 1, 2}) == stable_token({2, 3, 1})
        assert stable_token(slice(1, None)) == (
            "slice",
            ("int", 1),
            ("NoneType", None),
            ("NoneType", None),
        )
        assert stable_token(Color.RED) == ("enum", f"{__name__}.Color", "RED")
        assert stable_token(1 + 2j) == ("complex", (1.0).hex(), (2.0).hex())

    def test_numpy_values(self):
        a = np.arange(4.0)
        assert stable_token(a) == stable_token(a.copy())
        assert stable_token(a) != stable_token(a.astype("float32"))
        assert stable_token(a) != stable_token(a.reshape(2, 2))
        assert stable_token(a[::2]) == stable_token(np.array([0.0, 2.0]))
        assert stable_token(np.float32(1)) != stable_token(np.float64(1))
        assert stable_token(np.dtype("int8")) == ("dtype", "|i1")

    def test_objects(self):
        assert stable_token(FloatType()) == ("props", "toy.FloatType", ())
        assert stable_token(Scale(2.0)) != stable_token(Scale(2))
        assert stable_token(helper) == ("function", __name__, "helper")
        assert stable_token(int) == ("class", "builtins.int")
        assert stable_token(np.add) == ("ufunc", "add")
        with pytest.raises(UnhashableGraphError, match="lambda"):
            stable_token(lambda: 0)
        with pytest.raises(UnhashableGraphError):
            stable_token(object())

    def test_op_with_function_prop(self):
        # Count holds a lambda, but only its label is a prop: hashable.
        x = fscalar("x")
        assert graph_hash([Count("a")(x)]) != graph_hash([Count("b")(x)])
