"""Building test submissions: a correct module with exactly one function replaced.

The replaced function's original stays in the module under another name and every other
function keeps calling the original, so a mistake in one exercise can only cost that exercise.
"""

import ast
import inspect
import textwrap


def _source_of(function) -> str:
    tree = ast.parse(textwrap.dedent(inspect.getsource(function)))
    definition = tree.body[0]
    definition.decorator_list = []
    return ast.unparse(definition)


class _Rename(ast.NodeTransformer):
    def __init__(self, old: str, new: str):
        self.old, self.new = old, new

    def visit_Name(self, node):
        if node.id == self.old:
            node.id = self.new
        return node


def replace_function(module_source: str, name: str, replacement) -> str:
    """``module_source`` with function ``name`` swapped for ``replacement`` (a function object)."""
    original = f"_correct_{name}"
    tree = ast.parse(module_source)
    found = False
    for node in tree.body:
        if isinstance(node, ast.FunctionDef):
            if node.name == name:
                node.name, found = original, True
            else:
                _Rename(name, original).visit(node)
    if not found:
        raise KeyError(f"no function {name!r} in the module")
    return ast.unparse(tree) + "\n\n\n" + _source_of(replacement) + "\n"
