"""Building test submissions: a correct module with some functions replaced by wrong ones.

Each replaced function's original stays in the module under another name, and every other
function (the replacements included) keeps calling the originals, so a mistake in one exercise
can only cost that exercise, however many exercises carry a mistake at once.
"""

import ast
import inspect
import textwrap


DEFINITIONS = (ast.FunctionDef, ast.ClassDef)


def _definition(function) -> ast.FunctionDef | ast.ClassDef:
    definition = ast.parse(textwrap.dedent(inspect.getsource(function))).body[0]
    definition.decorator_list = []
    return definition


class Rename(ast.NodeTransformer):
    def __init__(self, names: dict[str, str]):
        self.names = names

    def visit_Name(self, node):
        node.id = self.names.get(node.id, node.id)
        return node


def replace_functions(module_source: str, replacements: dict) -> str:
    """``module_source`` with each function (or class) named in ``replacements`` swapped for the given one."""
    originals = {name: f"_correct_{name}" for name in replacements}
    tree = ast.parse(module_source)
    defined = {node.name for node in tree.body if isinstance(node, DEFINITIONS)}
    missing = set(replacements) - defined
    if missing:
        raise KeyError(f"no function {sorted(missing)} in the module")
    tree.body += [_definition(function) for function in replacements.values()]
    for node in tree.body:
        if isinstance(node, DEFINITIONS):
            own = node.name
            if own in originals and node not in tree.body[-len(replacements):]:
                node.name = originals[own]
            Rename({k: v for k, v in originals.items() if k != own}).visit(node)
    return ast.unparse(tree) + "\n"
