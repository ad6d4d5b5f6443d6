"""``solutions/<topic>.py`` -> ``exercises/<topic>.py``: solution regions become ``NotImplementedError``.

A region is the lines from ``### BEGIN SOLUTION`` to ``### END SOLUTION`` (nbgrader's markers).
Inside a function it becomes ``raise NotImplementedError("<topic>.<function>")`` at the same
indentation; signatures, docstrings and the explanatory text cells stay as they are.
"""

import ast
from pathlib import Path

BEGIN, END = "### BEGIN SOLUTION", "### END SOLUTION"
HEADER = (
    "# Exercises of the topic `{topic}`: replace every `raise NotImplementedError` with your code.\n"
    "# 課題 `{topic}`: `raise NotImplementedError` をあなたのコードに置き換えてください。\n"
    "# (Generated from solutions/{topic}.py by `tensorkata build`.)\n\n"
)


class StubError(ValueError):
    """The solution file's regions are malformed (unbalanced, or outside any function)."""


def _enclosing_functions(source: str) -> dict[int, str]:
    """Line number -> name of the innermost function containing it."""
    owner = {}
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)):
            for line in range(node.lineno, node.end_lineno + 1):
                if line not in owner or node.lineno > owner[line][0]:
                    owner[line] = (node.lineno, node.name)
    return {line: name for line, (_, name) in owner.items()}


def make_stub(source: str, topic: str) -> str:
    return HEADER.format(topic=topic) + strip_solutions(source, topic)


def strip_solutions(source: str, topic: str) -> str:
    """``source`` with every solution region replaced by its ``raise NotImplementedError``."""
    owners = _enclosing_functions(source)
    out, inside = [], False
    for number, line in enumerate(source.splitlines(keepends=True), start=1):
        marker = line.strip()
        if marker == BEGIN:
            if inside:
                raise StubError(f"line {number}: {BEGIN} inside another region")
            if number not in owners:
                raise StubError(f"line {number}: solution region outside a function")
            inside = True
            indent = line[: len(line) - len(line.lstrip())]
            out.append(f'{indent}raise NotImplementedError("{topic}.{owners[number]}")\n')
        elif marker == END:
            if not inside:
                raise StubError(f"line {number}: {END} without {BEGIN}")
            inside = False
        elif not inside:
            out.append(line)
    if inside:
        raise StubError(f"{BEGIN} is never closed")
    return "".join(out)


def build(solutions: Path, exercises: Path) -> list[Path]:
    """Write the stub of every ``solutions/*.py`` into ``exercises/``; return the files written."""
    exercises.mkdir(parents=True, exist_ok=True)
    written = []
    for source in sorted(solutions.glob("*.py")):
        target = exercises / source.name
        target.write_text(make_stub(source.read_text(encoding="utf-8"), source.stem), encoding="utf-8")
        written.append(target)
    return written
