"""The summary at the end of a batch: a table of the submissions found, then the totals."""

import json

from rich.console import Console
from rich.table import Table
from rich.text import Text

from tensorkata.formats.terminal import points
from tensorkata.gradebook.batch import Report
from tensorkata.gradebook.export import exercise_order
from tensorkata.gradebook.store import Gradebook
from tensorkata.gradebook.texts import say

TOP_DIAGNOSES = 3


def top_diagnoses(exercises: dict, order: dict[str, int]) -> str:
    """The diagnoses of a submission's exercises, in curriculum order, the first few of them."""
    found: list[str] = []
    for exercise in sorted(exercises, key=lambda e: (order.get(e, len(order)), e)):
        for diagnosis in json.loads(exercises[exercise]["diagnoses"]):
            if diagnosis not in found:
                found.append(diagnosis)
    more = len(found) - TOP_DIAGNOSES
    return ", ".join(found[:TOP_DIAGNOSES]) + (f" (+{more})" if more > 0 else "")


def render(report: Report, lang: str, console: Console | None = None) -> None:
    console = console or Console()
    with Gradebook(report.db) as gradebook:
        rows = {row["name"]: row for row in gradebook.submissions()}
        exercises = gradebook.exercises()
    order = exercise_order()
    table = Table(title=say("title", lang, directory=report.directory, seed=report.seed), title_justify="left")
    table.add_column(say("submission", lang), overflow="fold")
    table.add_column(say("score", lang), justify="right", no_wrap=True)
    table.add_column(say("status", lang), overflow="fold", max_width=50)
    table.add_column(say("diagnoses", lang), overflow="fold", max_width=45)
    scores, maxima, errors = [], [], 0
    for name in report.names:
        row = rows.get(name)
        if row is None or row["status"] == "running":
            table.add_row(Text(name), "", Text(say("unfinished", lang), style="yellow"), "")
            continue
        scores.append(row["score"])
        maxima.append(row["max_score"])
        if row["status"] == "error":
            errors += 1
            status = Text(say("error", lang, error=row["error"]), style="red")
        elif name in report.graded:
            status = Text(say("graded", lang), style="green")
        else:
            status = Text(say("unchanged", lang), style="dim")
        table.add_row(Text(name), f"{points(row['score'])}/{points(row['max_score'])}", status,
                      Text(top_diagnoses(exercises.get(row["id"], {}), order)))
    if report.names:
        console.print(table)
    else:
        console.print(say("none", lang, directory=report.directory))
    if report.ignored:
        console.print(Text(say("ignored", lang, names=", ".join(report.ignored)), style="dim"))
    mean = sum(scores) / len(scores) if scores else 0.0
    console.print(Text(say(
        "totals", lang, count=len(report.names), graded=len(report.graded), kept=len(report.names) - len(report.graded),
        errors=errors, mean=points(mean), max=points(max(maxima, default=0.0)), seconds=f"{report.seconds:.1f}",
    ), style="bold"))
    console.print(Text(say("gradebook", lang, db=report.db)))
