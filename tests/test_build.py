"""exercises/ is generated from solutions/: never stale, never holding a solution."""

import ast

import pytest

from tensorkata.build.stubs import BEGIN, StubError, build, make_stub


def test_exercises_are_up_to_date(root, tmp_path):
    written = build(root / "solutions", tmp_path)
    assert written, "no solutions found"
    for stub in written:
        committed = root / "exercises" / stub.name
        assert committed.exists(), f"exercises/{stub.name} is missing: run `tensorkata build`"
        assert committed.read_text() == stub.read_text(), f"exercises/{stub.name} is stale: run `tensorkata build`"


def public_functions(source: str) -> dict[str, ast.FunctionDef]:
    """Module-level functions and methods of module-level classes (nested helpers are solution)."""
    found = {}
    for node in ast.parse(source).body:
        if isinstance(node, ast.FunctionDef):
            found[node.name] = node
        elif isinstance(node, ast.ClassDef):
            found.update({f"{node.name}.{m.name}": m for m in node.body if isinstance(m, ast.FunctionDef)})
    return found


def test_stubs_keep_signatures_and_docstrings_but_no_solution(root):
    for solution in sorted((root / "solutions").glob("*.py")):
        source, stub = solution.read_text(), (root / "exercises" / solution.name).read_text()
        assert BEGIN not in stub
        full, bare = public_functions(source), public_functions(stub)
        assert full.keys() == bare.keys()
        for name, node in bare.items():
            assert ast.dump(node.args) == ast.dump(full[name].args), name
            assert ast.get_docstring(node) == ast.get_docstring(full[name]), name
            if BEGIN not in ast.get_source_segment(source, full[name]):
                assert ast.dump(node) == ast.dump(full[name]), f"{name} is given to students unchanged"
                continue
            body = [s for s in node.body if not (isinstance(s, ast.Expr) and isinstance(s.value, ast.Constant))]
            assert len(body) == 1 and isinstance(body[0], ast.Raise), f"{name}: the stub body must only raise"
            assert f"{solution.stem}.{name.split('.')[-1]}" in ast.unparse(body[0])


def test_a_region_becomes_a_raise_at_its_indentation():
    source = 'def f(x):\n    """Doc."""\n    ### BEGIN SOLUTION\n    return x\n    ### END SOLUTION\n'
    stub = make_stub(source, "topic")
    assert '    raise NotImplementedError("topic.f")\n' in stub and "return x" not in stub


@pytest.mark.parametrize("source", [
    "### BEGIN SOLUTION\nx = 1\n### END SOLUTION\n",
    "def f():\n    ### BEGIN SOLUTION\n    return 1\n",
    "def f():\n    return 1\n    ### END SOLUTION\n",
])
def test_malformed_regions_are_refused(source):
    with pytest.raises(StubError):
        make_stub(source, "topic")
