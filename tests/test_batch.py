"""Whole-class grading: ``tensorkata grade-batch`` into a SQLite gradebook.

The main test builds a class of over 40 submissions (correct ones in every format, every
catalogued derivatives mistake injected into otherwise correct modules, hostile and broken ones),
grades it with ``--workers 2`` killed by SIGKILL halfway and resumed, and checks the gradebook
against the expected scores, the CSV, an uninterrupted ``--workers 1`` run, and re-runs. It is one
test because every check needs the same two gradings of the class, and xdist would otherwise
grade the class once per worker. Grading is restricted to the derivatives topic to stay cheap.
"""

import csv
import json
import os
import signal
import sqlite3
import subprocess
import sys
import time
import zipfile
from collections import defaultdict
from dataclasses import dataclass, field
from pathlib import Path

import nbformat
import pytest

from graders.mistakes import catalogue
from tensorkata import catalog
from tensorkata.cli import main as cli_main
from tensorkata.gradebook import export
from tensorkata.gradebook.batch import run_batch
from tensorkata.gradebook.child import grade_job
from tensorkata.gradebook.scan import scan
from tensorkata.gradebook.store import Gradebook
from tensorkata.gradebook.version import grader_version
from tests.conftest import ROOT
from tests.injection import replace_functions

pytestmark = pytest.mark.slow

TOPIC = "derivatives"
CLASS = "class"  # the folder's name, and so the name of the submission made of its loose files
EXERCISES = {e.id: float(e.points) for e in catalog.topic(TOPIC).exercises}
CLI = [str(Path(sys.executable).with_name("tensorkata"))]


# --- building the class ---------------------------------------------------------------------


@dataclass
class Expect:
    """What the gradebook must say about one submission."""

    status: str = "graded"  # or "error": the submission as a whole could not be graded
    full: bool = True  # every exercise not named below scores full marks (else 0)
    mistakes: dict[str, str] = field(default_factory=dict)  # exercise -> diagnosis: < full and diagnosed
    zero: set[str] = field(default_factory=set)  # exercises that score 0


class Hostile:
    """Replacements for single functions of an otherwise correct module."""

    @staticmethod
    def numerical_diff(f, x, h=1e-4):
        while True:
            pass

    @staticmethod
    def tangent_line(f, a, h=1e-4):
        raise ValueError("no tangent today")


def solution() -> str:
    return (ROOT / "solutions" / f"{TOPIC}.py").read_text()


def write_zip(path: Path, members: dict[str, str | bytes]) -> None:
    with zipfile.ZipFile(path, "w") as archive:
        for name, data in members.items():
            archive.writestr(name, data)


def notebook(source: str) -> str:
    return nbformat.writes(nbformat.v4.new_notebook(cells=[
        nbformat.v4.new_markdown_cell("# My homework"), nbformat.v4.new_code_cell(source),
    ]))


def mistakes_by_exercise() -> dict[str, list]:
    found = defaultdict(list)
    for mistake in catalogue():
        if mistake.exercise.startswith(f"{TOPIC}."):
            found[mistake.exercise].append(mistake)
    return found


def inject(mistakes: dict) -> str:
    return replace_functions(solution(), {e.split(".", 1)[1]: m.function for e, m in mistakes.items()})


def make_class(root: Path) -> tuple[Path, dict[str, Expect]]:
    """A folder of submissions and what each one must score."""
    folder = root / CLASS
    folder.mkdir(parents=True)
    expect: dict[str, Expect] = {}
    module = f"{TOPIC}.py"

    def student(name: str, files: dict[str, str | bytes], expectation: Expect) -> None:
        (folder / name).mkdir()
        for relative, data in files.items():
            path = folder / name / relative
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_bytes(data.encode() if isinstance(data, str) else data)
        expect[name] = expectation

    def zipped(name: str, members: dict[str, str | bytes], expectation: Expect) -> None:
        write_zip(folder / f"{name}.zip", members)
        expect[name] = expectation

    # Correct, in every format.
    student("correct-solution", {module: solution()}, Expect())
    student("correct-alternative", {module: (ROOT / "tests/alternatives" / module).read_text()}, Expect())
    student("correct-notebook", {f"{TOPIC}.ipynb": notebook(solution())}, Expect())
    student("correct-with-extras", {module: solution(), "README.md": "hi", ".DS_Store": b"\0\1",
                                    "cross_entropy.py": "def softmax(:\n"}, Expect())
    zipped("correct-nested-zip", {f"homework/{module}": solution(), "__MACOSX/._x": b"\0"}, Expect())
    (folder / module).write_text(solution())  # loose files in the folder: one more submission
    expect[CLASS] = Expect()

    # Mistaken: every catalogued mistake, one round per index (each exercise's r-th mistake), and
    # a few single mistakes.
    by_exercise = mistakes_by_exercise()
    for index in range(max(map(len, by_exercise.values()))):
        chosen = {e: ms[index] for e, ms in by_exercise.items() if index < len(ms)}
        student(f"mistakes-round-{index}", {module: inject(chosen)},
                Expect(mistakes={e: m.diagnosis for e, m in chosen.items()}))
    for number, (exercise, ms) in enumerate(list(by_exercise.items())[:2]):
        chosen = {exercise: ms[-1]}
        expectation = Expect(mistakes={exercise: ms[-1].diagnosis})
        if number % 2:
            zipped(f"single-mistake-{number}", {module: inject(chosen)}, expectation)
        else:
            student(f"single-mistake-{number}", {module: inject(chosen)}, expectation)

    # Hostile: one function hangs or raises; the rest of the module is correct.
    student("endless-loop", {module: replace_functions(solution(), {"numerical_diff": Hostile.numerical_diff})},
            Expect(zero={f"{TOPIC}.numerical_diff"}))
    student("raises", {module: replace_functions(solution(), {"tangent_line": Hostile.tangent_line})},
            Expect(zero={f"{TOPIC}.tangent_line"}))
    student("stub", {module: (ROOT / "exercises" / module).read_text()}, Expect(full=False))

    # Broken: the topic scores 0, or the submission as a whole is an error with 0.
    broken = Expect(full=False)
    student("syntax-error", {module: solution() + "\ndef oops(:\n"}, broken)
    student("indentation-error", {module: "def numerical_diff(f, x, h=1e-4):\nreturn 0\n"}, broken)
    student("nul-bytes", {module: solution().encode() + b"\0\n"}, broken)
    student("non-utf8", {module: "# café\n".encode("latin-1") + solution().encode()}, broken)
    student("utf16", {module: solution().encode("utf-16")}, broken)
    student("import-error", {module: "raise RuntimeError('at import')\n" + solution()}, broken)
    student("missing-import", {module: "import no_such_module_here\n" + solution()}, broken)
    student("exit-at-import", {module: "import sys\nsys.exit(3)\n" + solution()}, broken)
    student("corrupt-notebook", {f"{TOPIC}.ipynb": "{not json"}, broken)
    student("binary-garbage", {module: bytes(range(256)) * 8}, broken)
    student("misnamed", {f"{TOPIC}_final.py": solution(), f"{TOPIC.capitalize()}.py": solution()}, broken)
    student("folder-named-like-a-module", {f"{module}/{module}.txt": solution()}, broken)
    student("too-large", {module: solution() + "#" * (6 * 1024 * 1024) + "\n"}, broken)
    student("wrong-topic", {"cross_entropy.py": (ROOT / "solutions/cross_entropy.py").read_text()}, broken)
    student("empty", {}, broken)
    (folder / "symlink-only").mkdir()
    (folder / "symlink-only" / module).symlink_to(ROOT / "solutions" / module)
    expect["symlink-only"] = broken
    zipped("syntax-error-zip", {module: "def f(:\n"}, broken)
    zipped("zip-slip", {f"../{module}": solution(), f"/tmp/{module}": solution()}, broken)
    zipped("only-readme", {"README.txt": "I did not do it"}, broken)
    zipped("empty-zip", {}, broken)
    with zipfile.ZipFile(folder / "zip-bomb.zip", "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr(module, b"#" * (64 * 1024 * 1024))  # 64 MB that compress to 64 KB
    expect["zip-bomb"] = broken  # the oversized member makes its topic unreadable
    with zipfile.ZipFile(folder / "zip-symlink.zip", "w") as archive:
        link = zipfile.ZipInfo(module)
        link.external_attr = 0o120777 << 16  # a symbolic link to the solution
        archive.writestr(link, str(ROOT / "solutions" / module))
    expect["zip-symlink"] = broken
    error = Expect(status="error", full=False)
    (folder / "corrupt.zip").write_bytes(b"this is not a zip at all")
    (folder / "fake-header.zip").write_bytes(b"PK\x03\x04" + bytes(range(200)))
    good = folder / "truncated.zip"
    write_zip(good, {module: solution()})
    good.write_bytes(good.read_bytes()[: good.stat().st_size // 2])
    expect.update({"corrupt": error, "fake-header": error, "truncated": error})
    student("dup", {}, broken)  # dup/ and dup.zip: the zip keeps its suffix
    (folder / "dup.zip").write_bytes(b"not a zip either")
    expect["dup.zip"] = error

    # Not submissions: hidden entries and other files.
    (folder / ".hidden-student").mkdir()
    (folder / ".hidden-student" / module).write_text(solution())
    (folder / ".DS_Store").write_bytes(b"\0")
    (folder / "notes.txt").write_text("grade these by Friday")
    return folder, expect


# --- reading the gradebook ------------------------------------------------------------------


def snapshot(db: Path) -> dict[str, dict]:
    """Every submission row, with its exercise rows under "exercises"."""
    connection = sqlite3.connect(db)
    connection.row_factory = sqlite3.Row
    try:
        rows = {r["name"]: dict(r) for r in connection.execute("SELECT * FROM submissions")}
        by_id = {row["id"]: row for row in rows.values()}
        for row in rows.values():
            row["exercises"] = {}
        for e in connection.execute("SELECT * FROM exercise_results"):
            by_id[e["submission_id"]]["exercises"][e["exercise"]] = {
                "score": e["score"], "max_score": e["max_score"], "status": e["status"],
                "diagnoses": json.loads(e["diagnoses"])}
        return rows
    finally:
        connection.close()


def grades(rows: dict[str, dict]) -> dict[str, tuple]:
    """What must not depend on how the batch ran: status, score, error and every exercise."""
    return {name: (r["status"], r["score"], r["max_score"], r["error"], r["exercises"]) for name, r in rows.items()}


def problems_with(rows: dict[str, dict], expect: dict[str, Expect]) -> list[str]:
    problems = []
    if set(rows) != set(expect):
        problems.append(f"submissions: extra {sorted(set(rows) - set(expect))}, missing {sorted(set(expect) - set(rows))}")
    for name, want in expect.items():
        row = rows.get(name)
        if row is None:
            continue
        if row["status"] != want.status:
            problems.append(f"{name}: status {row['status']} ({row['error']}), expected {want.status}")
        if set(row["exercises"]) != set(EXERCISES):
            problems.append(f"{name}: exercises {sorted(row['exercises'])}")
            continue
        for exercise, points in EXERCISES.items():
            got = row["exercises"][exercise]
            if got["max_score"] != points:
                problems.append(f"{name} {exercise}: max_score {got['max_score']}, expected {points}")
            if exercise in want.mistakes:
                diagnosis = want.mistakes[exercise]
                if not got["score"] < points or diagnosis not in got["diagnoses"]:
                    problems.append(f"{name} {exercise}: {got['score']}/{points} {got['diagnoses']}, expected < full "
                                    f"and diagnosed {diagnosis}")
            elif want.full and exercise not in want.zero:
                if got["score"] != points:
                    problems.append(f"{name} {exercise}: {got['score']}/{points} ({got['status']}), expected full")
            elif got["score"] != 0:
                problems.append(f"{name} {exercise}: {got['score']}/{points} ({got['status']}), expected 0")
        total = sum(e["score"] for e in row["exercises"].values())
        if abs(row["score"] - total) > 1e-6 or row["max_score"] != sum(EXERCISES.values()):
            problems.append(f"{name}: score {row['score']}/{row['max_score']} but exercises sum to {total}")
    return problems


def finished(db: Path) -> tuple[int, int]:
    """(finished, running) submissions in the gradebook while another process writes it."""
    if not db.exists():
        return 0, 0
    try:
        connection = sqlite3.connect(db, timeout=5)
        try:
            counts = dict(connection.execute("SELECT status, COUNT(*) FROM submissions GROUP BY status").fetchall())
        finally:
            connection.close()
    except sqlite3.OperationalError:  # tables not created yet
        return 0, 0
    return counts.get("graded", 0) + counts.get("error", 0), counts.get("running", 0)


def grade_batch_cli(folder: Path, db: Path, *extra: str) -> list[str]:
    return [*CLI, "grade-batch", str(folder), "--db", str(db), "--topic", TOPIC, "--lang", "en", *extra]


# --- the class --------------------------------------------------------------------------------


def test_a_class_killed_halfway_resumes_to_exactly_the_expected_grades(tmp_path):
    folder, expect = make_class(tmp_path / "batch")
    assert len(expect) >= 40

    # 1. --workers 2, killed with SIGKILL (the whole process group) once some but not all are recorded.
    db = tmp_path / "parallel.db"
    log = open(tmp_path / "killed.log", "w")
    process = subprocess.Popen(grade_batch_cli(folder, db, "--workers", "2"), cwd=ROOT, start_new_session=True,
                               stdout=log, stderr=subprocess.STDOUT)
    deadline = time.monotonic() + 300
    while True:
        done, running = finished(db)
        if done >= 12 and running and done < len(expect) - 8:
            break
        assert process.poll() is None, f"the batch ended before it could be killed: {(tmp_path / 'killed.log').read_text()}"
        assert time.monotonic() < deadline, "the batch made no progress"
        time.sleep(0.1)
    os.killpg(process.pid, signal.SIGKILL)
    process.wait()
    log.close()
    at_kill = snapshot(db)
    kept = {n: r for n, r in at_kill.items() if r["status"] != "running"}
    interrupted = {n for n, r in at_kill.items() if r["status"] == "running"}
    assert kept and interrupted and len(kept) < len(expect)

    # 2. Re-run to the end: the kept grades stay, the interrupted and the rest are graded once.
    csv_path = tmp_path / "grades.csv"
    resumed = subprocess.run(grade_batch_cli(folder, db, "--workers", "2", "--csv", str(csv_path)), cwd=ROOT,
                             capture_output=True, text=True, timeout=900, env={**os.environ, "COLUMNS": "200"})
    assert resumed.returncode == 0, resumed.stderr
    assert f"{len(expect)} submissions: {len(expect) - len(kept)} graded now, {len(kept)} unchanged" in resumed.stdout
    assert "error: corrupt.zip is not a readable zip file" in resumed.stdout
    assert "forward-difference" in resumed.stdout  # the top diagnoses of mistakes-round-0
    assert "Ignored (not a submission): notes.txt" in resumed.stdout
    parallel = snapshot(db)
    assert not problems_with(parallel, expect), "\n".join(problems_with(parallel, expect))
    for name, row in parallel.items():
        assert row["status"] in ("graded", "error") and row["finished_at"], name
        assert row["gradings"] == 1, f"{name} was graded {row['gradings']} times"
        if name in kept:
            assert row["finished_at"] == kept[name]["finished_at"] and row["attempts"] == 1, name
        if name in interrupted:
            assert row["attempts"] == 2, name
    connection = sqlite3.connect(db)
    assert connection.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
    assert connection.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
    results = connection.execute("SELECT COUNT(*) FROM results").fetchone()[0]
    connection.close()
    assert results == len(expect)
    with Gradebook(db) as gradebook:
        stored = gradebook.results("mistakes-round-0")
    assert stored["extra_data"]["exercises"].keys() == EXERCISES.keys() and stored["tests"]

    # 3. The CSV: one row per submission, exercise columns in curriculum order, the gradebook's values.
    with open(csv_path, newline="", encoding="utf-8") as handle:
        table = list(csv.reader(handle))
    assert table[0] == ["submission", "score", "max_score", *EXERCISES]
    assert [row[0] for row in table[1:]] == sorted(expect)
    for row in table[1:]:
        graded = parallel[row[0]]
        assert [float(v) for v in row[1:3]] == pytest.approx([graded["score"], graded["max_score"]], abs=1e-4)
        assert [float(v) for v in row[3:]] == pytest.approx(
            [graded["exercises"][e]["score"] for e in EXERCISES], abs=1e-4)

    # 4. An uninterrupted run with one worker gives the very same grades.
    serial_db = tmp_path / "serial.db"
    report = run_batch(folder, serial_db, topics=[TOPIC], workers=1)
    assert set(report.graded) == set(expect)
    serial = snapshot(serial_db)
    versions = {r["grader_version"] for r in [*serial.values(), *parallel.values()]}
    assert len(versions) == 1, f"the grading files changed while the test ran: {versions}"
    assert grades(serial) == grades(parallel)

    # 5. Re-running grades nothing; changing one submission regrades exactly that one.
    again = run_batch(folder, serial_db, topics=[TOPIC], workers=1)
    assert again.graded == {}
    unchanged = snapshot(serial_db)
    assert unchanged == serial
    (folder / "empty" / f"{TOPIC}.py").write_text(solution())
    changed = run_batch(folder, serial_db, topics=[TOPIC], workers=1)
    assert changed.graded == {"empty": "changed"}
    after = snapshot(serial_db)
    for name, row in after.items():
        if name == "empty":
            assert row["gradings"] == 2 and row["score"] == sum(EXERCISES.values())
            assert row["finished_at"] > serial[name]["finished_at"]
        else:
            assert row == serial[name], name
    candidates = {c.name: c for c in scan(folder, catalog.topic_names())[0]}
    with Gradebook(serial_db) as gradebook:
        version = grader_version()
        assert gradebook.reason_to_grade(candidates["raises"], version, 0, [TOPIC]) is None
        assert gradebook.reason_to_grade(candidates["raises"], version + "-changed", 0, [TOPIC]) == "grader"
        assert gradebook.reason_to_grade(candidates["raises"], version, 1, [TOPIC]) == "settings"


# --- grading processes that die or hang --------------------------------------------------------


def dying_grader(job: dict) -> dict:
    """A grader whose process dies on one submission and hangs on another (run in the pool's processes)."""
    if job["name"] == "b-dies":
        os._exit(7)
    if job["name"] == "d-hangs":
        time.sleep(600)
    return grade_job(job)


def test_a_grading_process_that_dies_or_hangs_costs_only_its_submission(tmp_path):
    folder = tmp_path / "class"
    for name in ("a-ok", "b-dies", "c-ok", "d-hangs", "e-ok", "f-ok"):
        (folder / name).mkdir(parents=True)
    db = tmp_path / "g.db"
    report = run_batch(folder, db, topics=[TOPIC], workers=2, seconds=8, grader="tests.test_batch:dying_grader")
    assert set(report.graded) == set(report.names)
    rows = snapshot(db)
    assert rows["b-dies"]["status"] == "error" and "died (exit code 7)" in rows["b-dies"]["error"]
    assert rows["d-hangs"]["status"] == "error" and "longer than 8 s" in rows["d-hangs"]["error"]
    assert {r["status"] for r in rows["d-hangs"]["exercises"].values()} == {"timed-out"}
    for name in ("a-ok", "c-ok", "e-ok", "f-ok"):
        assert rows[name]["status"] == "graded" and rows[name]["score"] == 0, name
        assert {r["status"] for r in rows[name]["exercises"].values()} == {"not-submitted"}
    assert all(r["gradings"] == 1 and len(r["exercises"]) == len(EXERCISES) for r in rows.values())


# --- arguments and folder layout --------------------------------------------------------------


def test_bad_arguments_are_one_line_errors(tmp_path, capsys):
    folder = tmp_path / "class"
    folder.mkdir()
    (tmp_path / "file.txt").write_text("x")
    (tmp_path / "not-a-db.db").write_text("this is text, not SQLite " * 100)
    cases = [
        ([str(tmp_path / "nowhere"), "--db", str(tmp_path / "g.db")], "no such folder"),
        ([str(tmp_path / "file.txt"), "--db", str(tmp_path / "g.db")], "is not a folder"),
        ([str(folder), "--db", str(tmp_path / "missing" / "g.db")], "does not exist"),
        ([str(folder), "--db", str(tmp_path)], "is a folder"),
        ([str(folder), "--db", "/proc/tensorkata-gradebook.db"], "cannot"),
        ([str(folder), "--db", str(tmp_path / "not-a-db.db")], "not a database"),
        ([str(folder), "--db", str(tmp_path / "g.db"), "--workers", "0"], "--workers must be at least 1"),
        ([str(folder), "--db", str(tmp_path / "g.db"), "--topic", "nope"], "unknown topic 'nope'"),
        ([str(folder), "--db", str(tmp_path / "g.db"), "--csv", str(tmp_path / "missing" / "g.csv")], "does not exist"),
    ]
    for arguments, message in cases:
        assert cli_main(["grade-batch", *arguments]) == 2, arguments
        err = capsys.readouterr().err
        assert err.startswith("tensorkata: ") and message in err and err.count("\n") == 1, (arguments, err)
    assert cli_main(["grade-batch", str(folder), "--db", str(tmp_path / "g.db"), "--lang", "en"]) == 0
    assert "No submissions found" in capsys.readouterr().out


def test_what_counts_as_a_submission_and_its_content_hash(tmp_path):
    folder = tmp_path / "course"
    (folder / "alice").mkdir(parents=True)
    (folder / "alice" / "derivatives.py").write_text("x = 1\n")
    write_zip(folder / "alice.zip", {"derivatives.py": "x = 1\n"})
    write_zip(folder / "bob.zip", {"derivatives.py": "x = 2\n"})
    (folder / "derivatives.py").write_text("x = 3\n")
    (folder / "cross_entropy.ipynb").write_text("{}")
    (folder / ".git").mkdir()
    (folder / "notes.txt").write_text("n")
    (folder / "alice" / ".DS_Store").write_bytes(b"\0")
    found, ignored = scan(folder, catalog.topic_names())
    assert [(c.name, c.kind) for c in found] == [
        ("alice", "folder"), ("alice.zip", "zip"), ("bob", "zip"), ("course", "files")]
    assert ignored == ["notes.txt"]
    assert sorted(Path(p).name for p in found[3].paths) == ["cross_entropy.ipynb", "derivatives.py"]
    before = {c.name: c.content_hash for c in found}
    (folder / "alice" / ".DS_Store").write_bytes(b"\1")  # hidden files are not content
    (folder / "alice" / "__pycache__").mkdir()
    assert {c.name: c.content_hash for c in scan(folder, catalog.topic_names())[0]} == before
    (folder / "alice" / "derivatives.py").write_text("x = 10\n")
    after = {c.name: c.content_hash for c in scan(folder, catalog.topic_names())[0]}
    assert [n for n in before if before[n] != after[n]] == ["alice"]


def test_the_csv_of_a_gradebook_without_grades_is_its_header(tmp_path):
    path = tmp_path / "g.csv"
    Gradebook(tmp_path / "g.db").close()
    assert export.write_csv(tmp_path / "g.db", path) == 0
    assert path.read_bytes() == b"submission,score,max_score\r\n"
