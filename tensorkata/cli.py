"""The ``tensorkata`` command line: one function per verb, each a thin layer over the library."""

import argparse
import sys
from pathlib import Path

from tensorkata import catalog
from tensorkata.i18n import Msg, choose_language

PROJECT = Path(__file__).resolve().parents[1]


def _fail(message: str) -> int:
    print(f"tensorkata: {message}", file=sys.stderr)
    return 2


def _unknown_topic(requested: list[str] | None, known: list[str]) -> str | None:
    unknown = [t for t in requested or [] if t not in known]
    return f"unknown topic {unknown[0]!r}; known topics: {', '.join(known)}" if unknown else None


def cmd_grade(args) -> int:
    from tensorkata.sandbox import fork_server

    fork_server()  # it imports torch while this process imports the engine: two cores, half the wait
    from graders import topics as hidden
    from graders.engine import grade
    from tensorkata.sandbox import Limits
    from tensorkata.formats import gradescope, junit, terminal
    from tensorkata.submission import SubmissionError

    problem = _unknown_topic(args.topic, [t for t in catalog.topic_names() if t in hidden.names()])
    if problem:
        return _fail(problem)
    if args.call_seconds <= 0 or args.memory_mb <= 0:
        return _fail("--call-seconds and --memory-mb must be positive")
    limits = Limits(call_seconds=args.call_seconds, memory_bytes=args.memory_mb * 1024**2)
    try:
        result = grade(args.path, topics=args.topic or None, seed=args.seed, limits=limits)
    except SubmissionError as error:
        return _fail(str(error))
    terminal.render(result, args.lang)
    if args.json:
        gradescope.write(result, args.json, args.lang)
    if args.junit:
        junit.write(result, args.junit, args.lang)
    return 0


def cmd_grade_batch(args) -> int:
    from tensorkata.gradebook import export, summary
    from tensorkata.gradebook.batch import BatchError, run_batch
    from tensorkata.gradebook.texts import say

    if args.csv and export.problem(args.csv):
        return _fail(export.problem(args.csv))
    try:
        report = run_batch(args.dir, args.db, topics=args.topic, seed=args.seed, workers=args.workers, lang=args.lang,
                           scheduler=args.scheduler)
    except BatchError as error:
        return _fail(str(error))
    except KeyboardInterrupt:
        _fail("interrupted; what was graded is kept, run the same command again to resume")
        return 130
    summary.render(report, args.lang)
    if args.csv:
        try:
            export.write_csv(args.db, args.csv)
        except OSError as error:
            return _fail(f"{args.csv}: cannot write the CSV ({error.strerror or error})")
        print(say("csv", args.lang, path=args.csv))
    return 0


def cmd_report(args) -> int:
    from tensorkata.report import ReportError, write

    try:
        write(args.db, args.html, args.lang)
    except ReportError as error:
        return _fail(str(error))
    print(args.html)
    return 0


def cmd_build(args) -> int:
    from tensorkata.build import public_checks
    from tensorkata.build.stubs import StubError, build

    if not args.solutions.is_dir():
        return _fail(f"{args.solutions}: no solutions folder (run from a clone of the project)")
    try:
        written = build(args.solutions, args.out) + public_checks.build()
    except StubError as error:
        return _fail(str(error))
    for path in written:
        print(path)
    return 0


def cmd_gradescope(args) -> int:
    from tensorkata.build import gradescope_bundle

    if args.out.suffix != ".zip":
        return _fail(f"{args.out}: the Gradescope bundle must be a .zip file")
    problem = _unknown_topic(args.topic, catalog.topic_names())
    if problem:
        return _fail(problem)
    try:
        gradescope_bundle.build(args.out, lang=args.lang, topics=args.topic)
    except OSError as error:
        return _fail(f"{args.out}: cannot write the bundle ({error.strerror or error})")
    print(args.out)
    return 0


def cmd_check(args) -> int:
    from tensorkata.checks import progress
    from tensorkata.checks.render import render
    from tensorkata.checks.run import TargetError, check, select

    try:
        selection = select(args.path, args.target)
    except TargetError as error:
        return _fail(error.message(args.lang))
    results = check(args.path, selection)
    whole = {t: v for t, v in results.items() if len(v) == len(catalog.topic(t).exercises)}
    counts = {t: (sum(v.passed for v in verdicts), len(verdicts)) for t, verdicts in whole.items()}
    render(str(args.path), results, progress.record(args.path, counts), args.lang)
    return 0 if all(v.passed for verdicts in results.values() for v in verdicts) else 1


def cmd_release(args) -> int:
    from tensorkata.build.release import ReleaseError, build, manifest

    try:
        out = build(args.out)
    except ReleaseError as error:
        return _fail(str(error))
    except OSError as error:
        return _fail(f"{args.out}: cannot write the bundle ({error.strerror or error})")
    print(Msg.of("release.written", path=out, files=len(manifest(out)))(args.lang))
    return 0


def cmd_nbgrader(args) -> int:
    from tensorkata.build.notebooks import write_course

    try:
        written = write_course(args.course_dir, args.assignment)
    except ModuleNotFoundError as error:
        return _fail(Msg.of("notebook.needs-extra", module=error.name)(args.lang))
    except OSError as error:
        return _fail(f"{args.course_dir}: cannot write the course ({error.strerror or error})")
    for path in written:
        print(path)
    return 0


def cmd_hint(args) -> int:
    try:
        exercise = catalog.exercise(args.exercise_id)
    except KeyError:
        return _fail(Msg.of("hint.unknown", id=args.exercise_id)(args.lang))
    hints = exercise.hints
    if not 1 <= args.level <= len(hints):
        print(Msg.of("hint.beyond", id=exercise.id, count=len(hints))(args.lang))
        return 0
    for level in range(1, args.level + 1):
        print(Msg.of("hint.level", level=level, count=len(hints), text=hints[level - 1](args.lang))(args.lang))
    if args.level < len(hints):
        print(Msg.of("hint.more", id=exercise.id, next=args.level + 1)(args.lang))
    return 0


def parser() -> argparse.ArgumentParser:
    common = argparse.ArgumentParser(add_help=False)
    common.add_argument("--lang", choices=["ja", "en"], default=None, help="language of all output (default: TENSORKATA_LANG, then the locale)")
    top = argparse.ArgumentParser(prog="tensorkata", description="Auto-graded exercises on the mathematics behind LLMs.")
    verbs = top.add_subparsers(dest="command", required=True, metavar="COMMAND")

    grade = verbs.add_parser("grade", parents=[common], help="grade one submission with the hidden suites")
    grade.add_argument("path", help="a folder or .zip of <topic>.py / <topic>.ipynb files")
    grade.add_argument("--topic", action="append", help="grade only this topic (repeatable)")
    grade.add_argument("--json", metavar="FILE", help="write Gradescope results.json")
    grade.add_argument("--junit", metavar="FILE", help="write JUnit XML")
    grade.add_argument("--seed", type=int, default=0, help="seed of the hidden inputs (default 0)")
    grade.add_argument("--call-seconds", type=float, default=10.0, help="time limit of one call (default 10)")
    grade.add_argument("--memory-mb", type=int, default=4096, help="address-space limit of a worker (default 4096)")
    grade.set_defaults(run=cmd_grade)

    batch = verbs.add_parser("grade-batch", parents=[common], help="grade a folder of submissions into a SQLite gradebook")
    batch.add_argument("dir", metavar="DIR", help="a folder with one sub-folder or .zip per submission")
    batch.add_argument("--db", metavar="FILE", required=True, help="the SQLite gradebook (created if missing; re-runs resume)")
    batch.add_argument("--workers", type=int, default=1, metavar="N", help="grade N submissions in parallel (default 1)")
    batch.add_argument("--csv", metavar="FILE", help="write the whole gradebook as CSV")
    batch.add_argument("--scheduler", metavar="ADDRESS", help="grade as tasks on this Dask cluster (e.g. tcp://host:8786) instead of --workers")
    batch.add_argument("--topic", action="append", help="grade only this topic (repeatable)")
    batch.add_argument("--seed", type=int, default=0, help="seed of the hidden inputs (default 0)")
    batch.set_defaults(run=cmd_grade_batch)

    report = verbs.add_parser("report", parents=[common], help="class report over a gradebook, as one HTML page")
    report.add_argument("db", metavar="DB", help="the SQLite gradebook written by grade-batch")
    report.add_argument("--html", metavar="FILE", required=True, help="the HTML page to write")
    report.set_defaults(run=cmd_report)

    build = verbs.add_parser("build", parents=[common], help="regenerate exercises/ and the public checks")
    build.add_argument("--solutions", type=Path, default=PROJECT / "solutions")
    build.add_argument("--out", type=Path, default=PROJECT / "exercises")
    build.set_defaults(run=cmd_build)

    gradescope = verbs.add_parser("gradescope", parents=[common], help="build a Gradescope autograder bundle (instructors only)")
    gradescope.add_argument("out", type=Path, metavar="OUT.zip", help="the bundle to write")
    gradescope.add_argument("--topic", action="append", help="the assignment covers only this topic (repeatable)")
    gradescope.set_defaults(run=cmd_gradescope)

    check = verbs.add_parser("check", parents=[common], help="check your exercises against the public checks")
    check.add_argument("target", nargs="*", metavar="TARGET", help="a topic or an exercise id (default: every topic in DIR)")
    check.add_argument("--path", type=Path, default=Path("exercises"), metavar="DIR", help="the folder to check (default ./exercises)")
    check.set_defaults(run=cmd_check)

    release = verbs.add_parser("release", parents=[common], help="build the student bundle (instructors only)")
    release.add_argument("out", type=Path, metavar="OUT", help="a new or empty folder for the bundle")
    release.set_defaults(run=cmd_release)

    course = verbs.add_parser("nbgrader", parents=[common], help="write an nbgrader course source (instructors only)")
    course.add_argument("course_dir", type=Path, metavar="COURSE_DIR", help="the course folder (nbgrader runs from there)")
    course.add_argument("--assignment", default="tensorkata", help="the assignment name (default tensorkata)")
    course.set_defaults(run=cmd_nbgrader)

    hint = verbs.add_parser("hint", parents=[common], help="progressive hints for one exercise")
    hint.add_argument("exercise_id", help="e.g. cross_entropy.softmax")
    hint.add_argument("--level", type=int, default=1, help="show hints up to this level (1 = gentle)")
    hint.set_defaults(run=cmd_hint)
    return top


# Parts of the project that the student bundle leaves out (tensorkata/build/release.py).
INSTRUCTOR_MODULES = ("graders", "reference", "tensorkata.build", "tensorkata.gradebook", "tensorkata.report")


def main(argv=None) -> int:
    args = parser().parse_args(argv)
    args.lang = choose_language(args.lang)
    try:
        return args.run(args)
    except ModuleNotFoundError as error:
        if not (error.name or "").startswith(INSTRUCTOR_MODULES):
            raise
        return _fail(Msg.of("cli.instructor-only", command=args.command)(args.lang))


if __name__ == "__main__":
    sys.exit(main())
