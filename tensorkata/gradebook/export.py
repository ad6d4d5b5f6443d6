"""The whole gradebook as CSV: one row per submission, then one column per exercise.

Columns: ``submission``, ``score``, ``max_score``, then every exercise id found in the
gradebook, in curriculum order (ids no longer in the catalogue last, alphabetically). A cell is
empty when the submission has no grade for that exercise (not graded on its topic, or its
grading has not finished).
"""

import csv
import os
from pathlib import Path

from tensorkata import catalog
from tensorkata.gradebook.store import Gradebook


def exercise_order() -> dict[str, int]:
    """Exercise id -> its position in the curriculum."""
    ids = [e.id for name in catalog.topic_names() for e in catalog.topic(name).exercises]
    return {exercise: index for index, exercise in enumerate(ids)}


def number(value: float) -> str:
    """Scores as written by hand: 2, 1.5, 0.6667."""
    return f"{value:.4f}".rstrip("0").rstrip(".")


def problem(path) -> str | None:
    """Why the CSV could not be written at ``path``, checked before grading starts; None when it can."""
    path = Path(path)
    folder = path.parent
    if path.is_dir():
        return f"{path} is a folder, not a CSV file"
    if not folder.is_dir():
        return f"{path}: folder {folder} does not exist"
    if not os.access(path if path.exists() else folder, os.W_OK):
        return f"{path}: not writable"
    return None


def rows(gradebook: Gradebook) -> list[list[str]]:
    """The CSV's rows, header first."""
    submissions = gradebook.submissions()
    exercises = gradebook.exercises()
    order = exercise_order()
    ids = sorted({e for table in exercises.values() for e in table}, key=lambda e: (order.get(e, len(order)), e))
    table = [["submission", "score", "max_score", *ids]]
    for row in submissions:
        if row["status"] == "running":
            table.append([row["name"], "", "", *[""] * len(ids)])
            continue
        mine = exercises.get(row["id"], {})
        table.append([row["name"], number(row["score"]), number(row["max_score"]),
                      *[number(mine[e]["score"]) if e in mine else "" for e in ids]])
    return table


def write_csv(db, path) -> int:
    """Write the gradebook ``db`` as CSV to ``path``; returns the number of submissions."""
    with Gradebook(db) as gradebook:
        table = rows(gradebook)
    with open(path, "w", newline="", encoding="utf-8") as handle:
        csv.writer(handle).writerows(table)
    return len(table) - 1
