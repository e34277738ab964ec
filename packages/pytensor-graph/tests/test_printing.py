"""Tests of pytensor.printing.debugprint. Expected texts follow PyTensor's own test suite."""

import io
from textwrap import dedent

import pytest
from toy import (
    ArrayType,
    FloatType,
    add,
    fscalar,
    inc_inplace,
    mul,
    neg,
    sum_diff,
    view,
)

from pytensor.compile.builders import OpFromGraph
from pytensor.compile.function import function
from pytensor.compile.mode import Mode
from pytensor.graph.basic import Apply, Constant, NominalVariable
from pytensor.graph.fg import FunctionGraph
from pytensor.graph.op import HasInnerGraph, Op
from pytensor.graph.replace import clone_replace
from pytensor.printing import debugprint, dprint


class Named(Op):
    """An Op that prints as a given name (like PyTensor's test ``MyOp``)."""

    __props__ = ("label",)

    def __init__(self, label):
        self.label = label

    def make_node(self, *inputs):
        return Apply(self, list(inputs), [FloatType()()])

    def perform(self, node, inputs, output_storage):
        output_storage[0][0] = float(sum(inputs))

    def __str__(self):
        return self.label


class InnerGraphOp(Op, HasInnerGraph):
    """An inner-graph Op whose inner inputs are NominalVariables (like PyTensor's test one)."""

    __props__ = ()

    def __init__(self, inputs, outputs):
        self._inputs = [NominalVariable(k, v.type) for k, v in enumerate(inputs)]
        self._outputs = clone_replace(outputs, replace=dict(zip(inputs, self._inputs, strict=True)))

    @property
    def inner_inputs(self):
        return self._inputs

    @property
    def inner_outputs(self):
        return self._outputs

    def make_node(self, *inputs):
        return Apply(self, list(inputs), [o.type() for o in self._outputs])

    def __str__(self):
        return "MyInnerGraphOp"


def text(s):
    return dedent(s).lstrip("\n")


@pytest.fixture
def abcde():
    A, B, D, E = (fscalar(n) for n in "ABDE")
    C = add(A, B)
    C.name = "C"
    F = add(D, E)
    return add(C, F)


class TestLayout:
    def test_int_ids(self, abcde):
        assert debugprint(abcde, file="str", id_type="int") == text(
            """
            Add [id 0]
             ├─ Add [id 1] 'C'
             │  ├─ A [id 2]
             │  └─ B [id 3]
             └─ Add [id 4]
                ├─ D [id 5]
                └─ E [id 6]
            """
        )

    def test_char_ids(self, abcde):
        assert debugprint(abcde, file="str") == text(
            """
            Add [id A]
             ├─ Add [id B] 'C'
             │  ├─ A [id C]
             │  └─ B [id D]
             └─ Add [id E]
                ├─ D [id F]
                └─ E [id G]
            """
        )

    def test_stop_on_name(self, abcde):
        assert debugprint(abcde, file="str", stop_on_name=True) == text(
            """
            Add [id A]
             ├─ Add [id B] 'C'
             │  └─ ···
             └─ Add [id C]
                ├─ D [id D]
                └─ E [id E]
            """
        )

    def test_no_ids(self, abcde):
        assert debugprint(abcde, file="str", id_type="") == text(
            """
            Add
             ├─ Add 'C'
             │  ├─ A
             │  └─ B
             └─ Add
                ├─ D
                └─ E
            """
        )

    def test_auto_and_python_ids(self):
        x = fscalar()
        z = neg(x)
        out = debugprint(z, file="str", id_type="auto")
        assert out == f"Neg [id {z.auto_name}]\n └─ <float> [id {x.auto_name}]\n"
        out = debugprint(z, file="str", id_type="id")
        assert f"[id {id(z)}]" in out and f"[id {id(x)}]" in out

    def test_repeated_node_marker(self):
        x, y = fscalar("x"), fscalar("y")
        a = neg(x)
        z = add(mul(a, y), a)
        assert debugprint(z, file="str") == text(
            """
            Add [id A]
             ├─ Mul [id B]
             │  ├─ Neg [id C]
             │  │  └─ x [id D]
             │  └─ y [id E]
             └─ Neg [id C]
                └─ ···
            """
        )

    def test_repeated_root_variable_has_no_marker(self):
        x = fscalar("x")
        assert debugprint(add(x, x), file="str") == text(
            """
            Add [id A]
             ├─ x [id B]
             └─ x [id B]
            """
        )

    def test_multi_output_suffix(self):
        x, y = fscalar("x"), fscalar("y")
        s, d = sum_diff(x, y)
        assert debugprint(mul(s, d), file="str") == text(
            """
            Mul [id A]
             ├─ SumDiff.0 [id B]
             │  ├─ x [id C]
             │  └─ y [id D]
             └─ SumDiff.1 [id B]
                └─ ···
            """
        )

    def test_print_type_shows_static_shape(self):
        v = ArrayType("float64", (3,))("v")
        w = ArrayType("float64", (None,))("w")
        from toy import Scale

        z = add(Scale(2.0)(v), v)
        assert debugprint([z, neg(w)], file="str", print_type=True) == text(
            """
            Add [id A] <Array(float64, (3,))>
             ├─ Scale{factor=2.0} [id B] <Array(float64, (3,))>
             │  └─ v [id C] <Array(float64, (3,))>
             └─ v [id C] <Array(float64, (3,))>
            Neg [id D] <Array(float64, (?,))>
             └─ w [id E] <Array(float64, (?,))>
            """
        )

    def test_named_output_with_type(self):
        x = fscalar("x")
        z = neg(x)
        z.name = "z"
        assert (
            debugprint(z, file="str", print_type=True)
            == "Neg [id A] <float> 'z'\n └─ x [id B] <float>\n"
        )

    def test_constant(self):
        x = fscalar("x")
        assert debugprint(add(x, 2.0), file="str") == text(
            """
            Add [id A]
             ├─ x [id B]
             └─ 2.0 [id C]
            """
        )

    def test_depth(self):
        x, y = fscalar("x"), fscalar("y")
        z = add(mul(neg(x), y), x)
        assert debugprint(z, file="str", depth=1) == "Add [id A]\n"
        assert debugprint(z, file="str", depth=2) == text(
            """
            Add [id A]
             ├─ Mul [id B]
             └─ x [id C]
            """
        )

    def test_memory_maps(self):
        x = fscalar("x")
        assert debugprint(inc_inplace(view(x)), file="str", print_memory_map=True) == text(
            """
            IncInplace [id A] d={0: [0]}
             └─ View [id B] v={0: [0]}
                └─ x [id C]
            """
        )
        plain = debugprint(inc_inplace(view(x)), file="str")
        assert "d=" not in plain and "v=" not in plain

    def test_apply_and_list(self):
        x, y = fscalar("x"), fscalar("y")
        s, d = sum_diff(x, y)
        assert debugprint(s.owner, file="str") == text(
            """
            SumDiff.0 [id A]
             ├─ x [id B]
             └─ y [id C]
            SumDiff.1 [id A]
             └─ ···
            """
        )

    def test_bad_input(self):
        with pytest.raises(TypeError, match="cannot print a str"):
            debugprint("blah")


class TestFunctionGraphAndFunction:
    def test_function_graph_shows_topological_index(self):
        x, y = fscalar("x"), fscalar("y")
        a = neg(x)
        z = add(mul(a, y), a)
        fg = FunctionGraph([x, y], [z], clone=False)
        assert debugprint(fg, file="str", print_fgraph_inputs=True) == text(
            """
            → x [id A]
            → y [id B]
            Add [id C] 2
             ├─ Mul [id D] 1
             │  ├─ Neg [id E] 0
             │  │  └─ x [id A]
             │  └─ y [id B]
             └─ Neg [id E] 0
                └─ ···
            """
        )

    def test_function(self):
        x, y = fscalar("x"), fscalar("y")
        f = function([x, y], [mul(neg(x), y), x], mode=Mode(linker="py", optimizer=None))
        # The second output aliases an input, so the compiled graph copies it.
        assert debugprint(f, file="str") == text(
            """
            Mul [id A] 1
             ├─ Neg [id B] 0
             │  └─ x [id C]
             └─ y [id D]
            DeepCopyOp [id E] 2
             └─ x [id C]
            """
        )


class TestInnerGraphs:
    def test_inner_graph(self):
        # Ported from PyTensor's test_debugprint_inner_graph.
        r1, r2 = fscalar("1"), fscalar("2")
        o1 = Named("op1")(r1, r2)
        o1.name = "o1"
        igo_in_1, igo_in_2 = fscalar("4"), fscalar("5")
        igo_out_1 = Named("op2")(igo_in_1, igo_in_2)
        igo_out_1.name = "igo1"
        igo = InnerGraphOp([igo_in_1, igo_in_2], [igo_out_1])
        r3, r4 = fscalar("3"), fscalar("4")
        out = igo(r3, r4)
        assert debugprint(out, file="str") == text(
            """
            MyInnerGraphOp [id A]
             ├─ 3 [id B]
             └─ 4 [id C]

            Inner graphs:

            MyInnerGraphOp [id A]
             ← op2 [id D] 'igo1'
                ├─ *0-<float> [id E]
                └─ *1-<float> [id F]
            """
        )

        # Nested inner graphs are listed too, in the order they are found.
        igo_2 = InnerGraphOp([r3, r4], [out])
        out_2 = igo_2(fscalar("5"))
        assert debugprint(out_2, file="str") == text(
            """
            MyInnerGraphOp [id A]
             └─ 5 [id B]

            Inner graphs:

            MyInnerGraphOp [id A]
             ← MyInnerGraphOp [id C]
                ├─ *0-<float> [id D]
                └─ *1-<float> [id E]

            MyInnerGraphOp [id C]
             ← op2 [id F] 'igo1'
                ├─ *0-<float> [id D]
                └─ *1-<float> [id E]
            """
        )

    def test_op_from_graph(self):
        i, j = fscalar("i"), fscalar("j")
        ofg = OpFromGraph([i, j], [add(mul(i, j), i)], name="MyOFG")
        x, y = fscalar("x"), fscalar("y")
        assert debugprint(ofg(x, neg(y)), file="str") == text(
            """
            MyOFG [id A]
             ├─ x [id B]
             └─ Neg [id C]
                └─ y [id D]

            Inner graphs:

            MyOFG [id A]
             ← Add [id E]
                ├─ Mul [id F]
                │  ├─ i [id G]
                │  └─ j [id H]
                └─ i [id G]
            """
        )


class TestOutputs:
    def test_file_stream_stdout_and_return(self, capsys):
        x = fscalar("x")
        z = neg(x)
        buf = io.StringIO()
        assert debugprint(z, file=buf) is z
        assert buf.getvalue() == "Neg [id A]\n └─ x [id B]\n"
        assert dprint(z) is z
        assert capsys.readouterr().out == "Neg [id A]\n └─ x [id B]\n"

    def test_deep_chain(self):
        x = fscalar("x")
        out = x
        n = 5000
        for _ in range(n):
            out = neg(out)
        lines = debugprint(out, file="str", id_type="int").splitlines()
        assert len(lines) == n + 1
        assert lines[0] == "Neg [id 0]"
        assert lines[1] == " └─ Neg [id 1]"
        assert lines[-1] == " " + "   " * (n - 1) + "└─ x [id 5000]"

    def test_constant_with_name(self):
        c = Constant(FloatType(), 1.5, name="c")
        assert debugprint(c, file="str") == "c{1.5} [id A]\n"
