"""Benchmark: tensorkata grading at class scale, side by side with ``nbgrader autograde``.

``.venv/bin/python bench/run.py`` measures, as medians over ``--repeats`` runs on this machine:
(a) ``tensorkata grade`` of one complete correct submission, cold (a new process each time);
(b) the cost per submission inside ``tensorkata grade-batch`` for ``--batch`` submissions with
each of ``--workers``; (c) ``nbgrader autograde`` of the same topics as notebooks (from
``tensorkata nbgrader``) for one and for ``--students`` students; (d) the ratios of (c) to (a)
and (b); (e) the peak memory of the processes of one batch worker. The table goes to ``--out``
(default ``bench/RESULTS.md``) with a description of the machine and its load during each run.
"""

import argparse
import json
import os
import platform
import shutil
import sqlite3
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
BIN = Path(sys.executable).parent
ASSIGNMENT = "bench"


@dataclass
class Run:
    seconds: float
    load: float  # 1-minute load average when the run ended
    rss_mb: float = 0.0  # peak resident memory of the command's own process


@dataclass
class Memory:
    """Peak resident memory (VmHWM) seen per kind of process, in MB."""

    peaks: dict = field(default_factory=dict)

    def see(self, kind: str, mb: float) -> None:
        self.peaks[kind] = max(self.peaks.get(kind, 0.0), mb)


def load() -> float:
    return round(os.getloadavg()[0], 2)


def timed(command: list[str], cwd: Path, env: dict | None = None, watch: Memory | None = None) -> Run:
    """Run ``command`` to completion; its wall time, the load after it, and its own peak memory."""
    started = time.monotonic()
    with open(cwd / "bench-command.log", "ab") as log:
        process = subprocess.Popen(command, cwd=cwd, env=env, stdout=log, stderr=subprocess.STDOUT)
        sampler = threading.Thread(target=_sample, args=(process, watch), daemon=True) if watch else None
        if sampler:
            sampler.start()
        _, status, usage = os.wait4(process.pid, 0)
        process.returncode = os.waitstatus_to_exitcode(status)
    seconds = time.monotonic() - started
    if process.returncode != 0:
        raise SystemExit(f"bench: {' '.join(command[:3])} failed (exit {process.returncode}); see {cwd / 'bench-command.log'}")
    return Run(round(seconds, 3), load(), round(usage.ru_maxrss / 1024, 1))


def _descendants(pid: int) -> dict[int, int]:
    """pid -> parent pid for every process below ``pid``, from the kernel's lists of children."""
    found, todo = {}, [pid]
    while todo:
        parent = todo.pop()
        try:
            children = Path(f"/proc/{parent}/task/{parent}/children").read_text().split()
        except OSError:
            continue
        for child in map(int, children):
            found[child] = parent
            todo.append(child)
    return found


def _command(pid: int) -> str:
    try:
        return Path(f"/proc/{pid}/cmdline").read_bytes().replace(b"\0", b" ").decode(errors="replace")
    except OSError:
        return ""


def _peak_mb(pid: int) -> float:
    try:
        status = Path(f"/proc/{pid}/status").read_text()
    except OSError:
        return 0.0
    return next((float(line.split()[1]) / 1024 for line in status.splitlines() if line.startswith("VmHWM")), 0.0)


def _kind(command: str, parent_command: str) -> str | None:
    if "tensorkata.worker.forkserver" in command:
        return "sandbox worker" if "tensorkata.worker.forkserver" in parent_command else "sandbox fork server"
    if "multiprocessing" in command and "multiprocessing" in parent_command:
        return "judge (grading process)"
    return None


def _sample(process: subprocess.Popen, memory: Memory) -> None:
    """Every 0.2 s until ``process`` ends: the peak memory of each kind of process below it.

    Only the command's own process tree is read, so sampling costs next to nothing."""
    while process.returncode is None:
        below = _descendants(process.pid)
        commands = {pid: _command(pid) for pid in [*below, *below.values()]}
        for pid, parent in below.items():
            if kind := _kind(commands[pid], commands[parent]):
                memory.see(kind, _peak_mb(pid))
        time.sleep(0.2)


def median(runs: list[Run]) -> float:
    return round(statistics.median(r.seconds for r in runs), 2)


# --- (a) and (b): tensorkata --------------------------------------------------------------------


def correct_submission(folder: Path, topics: list[str]) -> Path:
    folder.mkdir(parents=True)
    for topic in topics:
        shutil.copy(ROOT / "solutions" / f"{topic}.py", folder / f"{topic}.py")
    return folder


def topic_flags(topics: list[str], all_topics: list[str]) -> list[str]:
    return [] if topics == all_topics else [flag for t in topics for flag in ("--topic", t)]


def bench_grade(work: Path, topics: list[str], flags: list[str], repeats: int) -> list[Run]:
    submission = correct_submission(work / "one", topics)
    return [timed([str(BIN / "tensorkata"), "grade", str(submission), *flags, "--json", str(work / "one.json")], work)
            for _ in range(repeats)]


def bench_batch(work: Path, topics: list[str], flags: list[str], size: int, workers: int, repeats: int,
                memory: Memory) -> tuple[list[Run], list[float]]:
    """Whole-batch runs, and the median grading time of one submission inside each run."""
    folder = work / "class"
    if not folder.exists():
        for number in range(size):
            correct_submission(folder / f"student-{number:03d}", topics)
    runs, inside = [], []
    for repeat in range(repeats):
        db = work / f"batch-{workers}-{repeat}.db"
        runs.append(timed([str(BIN / "tensorkata"), "grade-batch", str(folder), "--db", str(db), "--workers", str(workers),
                           *flags], work, watch=memory))
        with sqlite3.connect(db) as connection:
            rows = connection.execute("SELECT seconds, score, max_score FROM submissions").fetchall()
        assert len(rows) == size and all(score == full for _, score, full in rows), "a correct submission lost points"
        inside.append(statistics.median(seconds for seconds, _, _ in rows))
    return runs, inside


# --- (c): nbgrader --------------------------------------------------------------------------------


def jupyter_env(work: Path) -> dict:
    """Jupyter folders of the benchmark's own, with a kernel running this interpreter."""
    kernel = work / "jupyter" / "data" / "kernels" / "python3"
    kernel.mkdir(parents=True, exist_ok=True)
    (kernel / "kernel.json").write_text(json.dumps({
        "argv": [sys.executable, "-m", "ipykernel_launcher", "-f", "{connection_file}"],
        "display_name": "Python 3 (tensorkata)", "language": "python"}))
    jupyter = work / "jupyter"
    return {**os.environ, "PATH": f"{BIN}{os.pathsep}{os.environ.get('PATH', '')}", "TENSORKATA_LANG": "en",
            "JUPYTER_PATH": str(jupyter / "data"), "JUPYTER_DATA_DIR": str(jupyter / "data"),
            "JUPYTER_CONFIG_DIR": str(jupyter / "config"), "IPYTHONDIR": str(jupyter / "ipython")}


def nbgrader_course(work: Path, topics: list[str], env: dict) -> Path:
    """``tensorkata nbgrader`` then ``nbgrader generate_assignment``: a course ready for submissions."""
    import nbformat

    course = work / "course"
    subprocess.run([str(BIN / "tensorkata"), "nbgrader", str(course), "--assignment", ASSIGNMENT], check=True,
                   capture_output=True)
    for extra in set(p.stem for p in (course / "source" / ASSIGNMENT).glob("*.ipynb")) - set(topics):
        (course / "source" / ASSIGNMENT / f"{extra}.ipynb").unlink()
    subprocess.run([str(BIN / "nbgrader"), "generate_assignment", ASSIGNMENT], cwd=course, env=env, check=True,
                   capture_output=True)
    complete = course / "complete"  # the release with every solution cell filled in from the source
    complete.mkdir()
    for topic in topics:
        source = nbformat.read(course / "source" / ASSIGNMENT / f"{topic}.ipynb", 4)
        answers = {c.metadata.nbgrader.grade_id: c.source for c in source.cells if c.metadata.get("nbgrader", {}).get("solution")}
        released = nbformat.read(course / "release" / ASSIGNMENT / f"{topic}.ipynb", 4)
        for cell in released.cells:
            if cell.metadata.get("nbgrader", {}).get("solution"):
                cell.source = answers[cell.metadata.nbgrader.grade_id]
        nbformat.write(released, complete / f"{topic}.ipynb")
    return course


def bench_nbgrader(work: Path, course: Path, students: int, repeats: int, env: dict) -> list[Run]:
    runs = []
    for repeat in range(repeats):
        copy = work / f"course-{students}-{repeat}"
        shutil.copytree(course, copy)
        for number in range(students):
            shutil.copytree(copy / "complete", copy / "submitted" / f"student-{number:03d}" / ASSIGNMENT)
        runs.append(timed([str(BIN / "nbgrader"), "autograde", ASSIGNMENT, "--create"], copy, env))
        _check_nbgrader_scores(copy, students)
    return runs


def _check_nbgrader_scores(course: Path, students: int) -> None:
    from nbgrader.api import Gradebook

    with Gradebook(f"sqlite:///{course / 'gradebook.db'}", ASSIGNMENT) as gradebook:
        for number in range(students):
            submission = gradebook.find_submission(ASSIGNMENT, f"student-{number:03d}")
            assert submission.score == submission.max_score > 0, "nbgrader did not give the correct submission full marks"


# --- the report -----------------------------------------------------------------------------------


def machine() -> list[str]:
    model = next((line.split(":", 1)[1].strip() for line in Path("/proc/cpuinfo").read_text().splitlines()
                  if line.startswith("model name")), platform.processor() or "unknown")
    memory = next((line.split()[1] for line in Path("/proc/meminfo").read_text().splitlines()
                   if line.startswith("MemTotal")), "0")
    versions = {}
    for name in ("torch", "numpy", "pytest", "hypothesis", "nbgrader"):
        try:
            versions[name] = __import__(name).__version__
        except ImportError:
            versions[name] = "not installed"
    return [f"- CPU: {model}, {len(os.sched_getaffinity(0))} cores available ({os.cpu_count()} online)",
            f"- memory: {int(memory) / 1024**2:.1f} GiB; {platform.platform()}; Python {platform.python_version()}",
            "- " + ", ".join(f"{k} {v}" for k, v in versions.items())]


def loads(runs: list[Run]) -> str:
    return "/".join(f"{r.load:g}" for r in runs)


def write_report(out: Path, args, figures: dict, memory: Memory, load_before: float) -> None:
    lines = ["# Benchmark results", "",
             f"Written by `bench/run.py` on {time.strftime('%Y-%m-%d %H:%M UTC', time.gmtime())}: "
             f"topics {', '.join(args.topics)}; medians of {args.repeats} run(s); batch of {args.batch} "
             f"submissions; nbgrader with 1 and {args.students} students. Load average (1 min) before the "
             f"runs: {load_before:g}; after each run in the last column.", "", *machine(), "",
             "| measurement | median | per submission | per notebook | load after each run |",
             "|---|---|---|---|---|"]
    lines += [f"| {name} | {total} | {each} | {notebook} | {load_text} |" for name, total, each, notebook, load_text
              in figures["rows"]]
    lines += ["", "| ratio | value |", "|---|---|"] + [f"| {name} | {value} |" for name, value in figures["ratios"]]
    lines += ["", "Peak resident memory (VmHWM; shared library pages counted in every process):", "",
              "| process | peak MB |", "|---|---|"]
    lines += [f"| {kind} | {mb:.0f} |" for kind, mb in sorted(memory.peaks.items())]
    lines += [f"| `tensorkata grade` (the judge process, cold) | {figures['grade_rss']:.0f} |"]
    out.write_text("\n".join(lines) + "\n")


def measure(args) -> None:
    from tensorkata import catalog

    all_topics = catalog.topic_names()
    flags = topic_flags(args.topics, all_topics)
    per_topic = len(args.topics)
    before = load()
    memory = Memory()
    rows, ratios, figures = [], [], {"grade_rss": 0.0}

    def report() -> None:  # after every measurement: a run stopped early keeps what it measured
        write_report(args.out, args, {**figures, "rows": rows, "ratios": ratios}, memory, before)

    with tempfile.TemporaryDirectory(prefix="tensorkata-bench-") as tmp:
        work = Path(tmp)
        grade = bench_grade(work, args.topics, flags, args.repeats)
        cold = median(grade)
        figures["grade_rss"] = max(r.rss_mb for r in grade)
        rows.append(("(a) `tensorkata grade`, cold, one submission", f"{cold} s", f"{cold} s",
                     f"{cold / per_topic:.2f} s", loads(grade)))
        report()
        batch = {}
        for workers in args.workers:
            runs, inside = bench_batch(work, args.topics, flags, args.batch, workers, args.repeats, memory)
            each = median(runs) / args.batch
            batch[workers] = each
            rows.append((f"(b) `grade-batch --workers {workers}`, {args.batch} submissions", f"{median(runs)} s",
                         f"{each:.2f} s wall, {each * workers:.2f} s x core; {statistics.median(inside):.2f} s inside",
                         f"{each / per_topic:.2f} s", loads(runs)))
            report()
        if not args.skip_nbgrader:
            env = jupyter_env(work)
            course = nbgrader_course(work, args.topics, env)
            for students in sorted({1, args.students}):
                runs = bench_nbgrader(work, course, students, args.repeats, env)
                each = median(runs) / students
                rows.append((f"(c) `nbgrader autograde`, {students} student(s)", f"{median(runs)} s", f"{each:.2f} s",
                             f"{each / per_topic:.2f} s", loads(runs)))
                if students == 1:
                    ratios.append(("(d) nbgrader, 1 student / (a) cold grade", f"{each / cold:.1f}x"))
                if students == args.students:
                    ratios += [(f"(d) nbgrader, {students} student(s) / (b) batch, {w} worker(s), per submission",
                                f"{each / b:.1f}x") for w, b in batch.items()]
                report()
    print(args.out.read_text())


def main(argv=None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeats", type=int, default=3, help="runs per measurement (default 3)")
    parser.add_argument("--batch", type=int, default=100, help="submissions in the grade-batch runs (default 100)")
    parser.add_argument("--workers", type=int, nargs="+", default=[1, 2], help="grade-batch worker counts (default 1 2)")
    parser.add_argument("--students", type=int, default=10, help="students in the larger nbgrader run (default 10)")
    parser.add_argument("--topic", dest="topics", action="append", help="benchmark only this topic (repeatable)")
    parser.add_argument("--skip-nbgrader", action="store_true", help="measure tensorkata only")
    parser.add_argument("--out", type=Path, default=ROOT / "bench" / "RESULTS.md", help="the Markdown table to write")
    args = parser.parse_args(argv)
    sys.path.insert(0, str(ROOT))
    from tensorkata import catalog

    args.topics = args.topics or catalog.topic_names()
    measure(args)


if __name__ == "__main__":
    main()
