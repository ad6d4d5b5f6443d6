"""Banned calls in *scratch* exercises, found in the parse tree of the submitted source.

Patterns in a catalogue's ``banned`` list:

- ``"@"``: the matrix-product operator (also ``@=``);
- ``".name"``: any attribute access ``something.name`` (``.T``, ``.dot``, ``.transpose``);
- ``"np.name"``: ``numpy.name`` however numpy was imported (``np.dot``, ``numpy.dot``,
  ``from numpy import dot``).

The exercise's own function is inspected together with the module's helpers it calls,
transitively; other functions of the module may use anything.
"""

import ast


def _numpy_names(tree: ast.Module) -> tuple[set[str], dict[str, str]]:
    """Aliases of the numpy module, and names imported from it (local name -> numpy name)."""
    modules, members = set(), {}
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            modules.update(a.asname or a.name for a in node.names if a.name == "numpy")
        elif isinstance(node, ast.ImportFrom) and node.module == "numpy":
            members.update({a.asname or a.name: a.name for a in node.names})
    return modules, members


def _uses(node: ast.AST, modules: set[str], members: dict[str, str]) -> set[str]:
    found = set()
    for sub in ast.walk(node):
        if isinstance(sub, (ast.BinOp, ast.AugAssign)) and isinstance(sub.op, ast.MatMult):
            found.add("@")
        elif isinstance(sub, ast.Attribute):
            found.add(f".{sub.attr}")
            if isinstance(sub.value, ast.Name) and sub.value.id in modules:
                found.add(f"np.{sub.attr}")
        elif isinstance(sub, ast.Name) and sub.id in members:
            found.add(f"np.{members[sub.id]}")
    return found


def _reachable(functions: dict[str, ast.FunctionDef], start: str) -> list[ast.FunctionDef]:
    """``start`` and every module-level function it calls by name, transitively."""
    seen, stack = [], [start]
    while stack:
        name = stack.pop()
        if name in seen or name not in functions:
            continue
        seen.append(name)
        stack.extend(n.id for n in ast.walk(functions[name]) if isinstance(n, ast.Name) and n.id in functions)
    return [functions[name] for name in seen]


def banned_calls(source: str, function: str, banned: tuple[str, ...]) -> list[str]:
    """The banned patterns that ``function`` (or a helper it calls) uses, in catalogue order."""
    if not banned:
        return []
    tree = ast.parse(source)
    functions = {n.name: n for n in tree.body if isinstance(n, (ast.FunctionDef, ast.AsyncFunctionDef))}
    modules, members = _numpy_names(tree)
    used = set()
    for node in _reachable(functions, function):
        used |= _uses(node, modules, members)
    return [pattern for pattern in banned if pattern in used]
