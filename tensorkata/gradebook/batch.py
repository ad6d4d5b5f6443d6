"""One batch run: find the submissions, grade those that need it in processes, record each one.

Only this process writes the gradebook. A submission is marked ``running`` just before it is
handed to a grading process and recorded, with all its exercises, in one transaction when its
reply arrives. A re-run grades what is new, changed, graded by another grader version or with
other settings (seed, topics), or left ``running`` by a run that was killed; everything else is
kept as it is.
"""

import dataclasses
import sqlite3
import time
from dataclasses import dataclass, field
from pathlib import Path

from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, SpinnerColumn, TextColumn, TimeElapsedColumn

from tensorkata import catalog
from tensorkata.gradebook import outcome as outcomes
from tensorkata.gradebook.child import PRELOAD
from tensorkata.gradebook.cluster import DaskPool
from tensorkata.gradebook.pool import Failure, Pool, PoolError
from tensorkata.gradebook.scan import Candidate, scan
from tensorkata.gradebook.schema import GradebookError
from tensorkata.gradebook.store import Gradebook
from tensorkata.gradebook.texts import say
from tensorkata.gradebook.version import grader_version

GRADER = "tensorkata.gradebook.child:grade_job"
WARM_UP = "tensorkata.gradebook.child:warm_up"
# A safety net for a grader that is stuck, not a limit on submissions: a hanging function costs
# its call limit (10 s) once, so even a submission that hangs everywhere finishes far sooner.
SUBMISSION_SECONDS = 30 * 60.0


class BatchError(Exception):
    """The batch cannot run (bad arguments, unusable gradebook); the message is one line."""


@dataclass
class Report:
    directory: Path
    db: Path
    seed: int
    topics: list[str]
    names: list[str]  # every submission found, sorted
    graded: dict[str, str] = field(default_factory=dict)  # graded in this run: name -> why
    ignored: list[str] = field(default_factory=list)
    seconds: float = 0.0


def known_topics() -> list[str]:
    from graders import topics as hidden

    return [t for t in catalog.topic_names() if t in hidden.names()]


def _outcome(reply, topics: list[str], seed: int, seconds: float) -> outcomes.Outcome:
    if isinstance(reply, Failure):
        status = "timed-out" if reply.kind == "timed-out" else "grader-error"
        return outcomes.from_error(reply.message, topics, seed, status, seconds)
    if "failed" in reply:
        return outcomes.from_error(f"grader error: {reply['failed']}", topics, seed, "grader-error", seconds)
    if reply["status"] == "error":
        return outcomes.from_error(reply["error"], topics, seed, reply["exercise_status"], seconds)
    return outcomes.from_results(reply["results"], seconds)


def _progress(console: Console, show: bool | None) -> Progress:
    return Progress(
        SpinnerColumn(), TextColumn("{task.description}"), BarColumn(), MofNCompleteColumn(), TimeElapsedColumn(),
        TextColumn("{task.fields[current]}", markup=False, style="dim"), console=console,
        disable=not console.is_terminal if show is None else not show, transient=False,
    )


def run_batch(directory, db, *, topics: list[str] | None = None, seed: int = 0, workers: int = 1, lang: str = "en",
              limits=None, seconds: float = SUBMISSION_SECONDS, grader: str = GRADER,
              console: Console | None = None, progress: bool | None = None, scheduler: str | None = None) -> Report:
    """Grade every submission in ``directory`` that needs it into the gradebook ``db``, in ``workers``
    local processes or, given a ``scheduler`` address, as tasks on that Dask cluster."""
    directory, db = Path(directory), Path(db)
    if not directory.exists():
        raise BatchError(f"{directory}: no such folder")
    if not directory.is_dir():
        raise BatchError(f"{directory} is not a folder (grade-batch takes a folder of submissions)")
    if workers < 1:
        raise BatchError(f"--workers must be at least 1 (got {workers})")
    known = known_topics()
    unknown = [t for t in topics or [] if t not in known]
    if unknown:
        raise BatchError(f"unknown topic {unknown[0]!r}; known topics: {', '.join(known)}")
    names = [t for t in known if t in topics] if topics else known  # curriculum order, no repeats
    try:
        gradebook = Gradebook(db)
    except GradebookError as error:
        raise BatchError(str(error)) from None
    pool = DaskPool(scheduler, seconds) if scheduler else Pool(workers, grader, seconds, warm_up=WARM_UP, preload=PRELOAD)
    with gradebook:
        return _run(gradebook, directory, names, seed, pool, lang, limits, console or Console(stderr=True), progress)


def _run(gradebook: Gradebook, directory: Path, topics: list[str], seed: int, pool: Pool | DaskPool, lang: str, limits,
         console: Console, show: bool | None) -> Report:
    started = time.monotonic()
    version = grader_version()
    try:
        candidates, ignored = scan(directory, catalog.topic_names())
    except OSError as error:
        raise BatchError(f"{directory}: cannot read it ({error.strerror or error})") from None
    own = Path(gradebook.path)
    if own.resolve().parent == directory.resolve():  # the gradebook's own files are no news
        ignored = [name for name in ignored if not name.startswith(own.name)]
    report = Report(directory, Path(gradebook.path), seed, topics, [c.name for c in candidates], ignored=ignored)
    todo: dict[str, tuple[Candidate, str]] = {}
    for candidate in candidates:
        reason = gradebook.reason_to_grade(candidate, version, seed, topics)
        if reason:
            todo[candidate.name] = (candidate, reason)
    limits_data = dataclasses.asdict(limits) if limits is not None else None
    jobs = [(name, {"name": name, "kind": c.kind, "paths": list(c.paths), "topics": topics, "seed": seed,
                    "lang": lang, "limits": limits_data}) for name, (c, _) in todo.items()]
    began: dict[str, float] = {}
    with _progress(console, show) as bar:
        task = bar.add_task(say("progress", lang), total=len(jobs), current="")

        def on_start(name: str) -> None:
            gradebook.start(todo[name][0], version, seed, topics)
            began[name] = time.monotonic()
            bar.update(task, current=", ".join(began))

        try:
            for name, reply in pool.run(jobs, on_start):
                gradebook.finish(name, _outcome(reply, topics, seed, time.monotonic() - began.pop(name)))
                report.graded[name] = todo[name][1]
                bar.update(task, advance=1, current=", ".join(began))
        except PoolError as error:
            raise BatchError(str(error)) from None
        except sqlite3.Error as error:  # e.g. the disk is full: what was recorded stays recorded
            raise BatchError(f"{gradebook.path}: cannot write the gradebook ({error})") from None
    report.seconds = round(time.monotonic() - started, 3)
    return report
