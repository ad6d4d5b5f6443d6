"""The class report (``tensorkata report DB --html FILE``).

A small class is written straight into a gradebook through its own store API (grading costs
seconds per topic), the report is generated from it in both languages, and its HTML is parsed
for the counts, which are worked out by hand below. The slow tests grade a real small batch
and open the page in a headless Chromium (installed with apt-get when missing and root).
"""

import base64
import fcntl
import io
import os
import shutil
import sqlite3
import subprocess
import warnings
from html.parser import HTMLParser
from pathlib import Path

import numpy as np
import pytest
from fontTools.ttLib import TTFont
from matplotlib import font_manager
from PIL import Image

from graders.mistakes import catalogue
from tensorkata import catalog
from tensorkata.cli import main as cli_main
from tensorkata.gradebook import outcome as outcomes
from tensorkata.gradebook.batch import run_batch
from tensorkata.gradebook.scan import Candidate
from tensorkata.gradebook.store import Gradebook
from tensorkata.report import figures, font, stats
from tests.conftest import ROOT
from tests.injection import replace_functions

D, N = "derivatives", "norms"
TOPICS = {name: {e.id: float(e.points) for e in catalog.topic(name).exercises} for name in (D, N)}


# --- a class written straight into the gradebook -----------------------------------------------


def results(topics: list[str], changes: dict[str, tuple], status: str = "passed", tests=()) -> dict:
    """Results JSON: every exercise of ``topics`` with full marks (or 0 unless ``status`` passes),
    except ``changes``: exercise -> (score, status, diagnoses)."""
    exercises = {}
    for topic in topics:
        for exercise, points in TOPICS[topic].items():
            score, state, diagnoses = changes.get(exercise, (points if status == "passed" else 0.0, status, []))
            exercises[exercise] = {"score": score, "max_score": points, "status": state, "diagnoses": diagnoses}
    return {"score": sum(e["score"] for e in exercises.values()), "execution_time": 0.1, "tests": list(tests),
            "extra_data": {"max_score": sum(e["max_score"] for e in exercises.values()), "exercises": exercises}}


def failed_test(exercise: str, output: str) -> dict:
    return {"name": f"{exercise}: a test", "score": 0.0, "max_score": 1.0, "status": "failed", "output": output,
            "extra_data": {"exercise": exercise, "diagnoses": []}}


def write_class(db: Path) -> None:
    """Seven submissions: one still running, one whole-submission error, one with nothing submitted."""
    timed_out = "derivatives.tangent_line did not finish within 10 s and was stopped (an endless loop?)."
    syntax = "The module could not be imported, so none of its exercises could run.\n  SyntaxError: invalid syntax (line 3)\nHint: look"
    graded = {
        "alice": results([D, N], {}),
        "bob": results([D, N], {
            "derivatives.numerical_diff": (0.0, "failed", ["forward-difference"]),
            "derivatives.numerical_gradient": (1.5, "failed", ["mutates-input", "no-restore"]),
            "norms.l1_norm": (0.0, "failed", ["l1-no-abs", "mutates-input"]),
        }),
        "chen": results([D], {
            "derivatives.numerical_diff": (0.0, "failed", ["forward-difference"]),
            "derivatives.tangent_line": (0.0, "timed-out", ["timed-out"]),
        }, tests=[failed_test("derivatives.numerical_diff", "wrong values"),
                  failed_test("derivatives.tangent_line", timed_out + "\nHint: look")]),
        "dana": results([D], {}, "import-error", [failed_test(e, syntax) for e in TOPICS[D]]),
        "fay": results([D], {}, "not-submitted"),
    }
    with Gradebook(db) as gradebook:
        for name in [*graded, "eve", "gus"]:
            gradebook.start(Candidate(name, "folder", (f"/class/{name}",), f"hash-{name}"), "test", 0, [D])
        for name, data in graded.items():
            gradebook.finish(name, outcomes.from_results(data, 0.1))
        gradebook.finish("eve", outcomes.from_error("eve.zip is not a readable zip file", [D], 0, "unreadable"))


class Page(HTMLParser):
    """The parts of the report a test reads: data-* attributes per element, images, visible text."""

    def __init__(self, text: str):
        super().__init__()
        self.elements: list[tuple[str, dict]] = []
        self.images: list[str] = []
        self.text: list[str] = []
        self.feed(text)

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        self.elements.append((tag, attrs))
        if tag == "img":
            self.images.append(attrs["src"])

    def handle_data(self, data):
        self.text.append(data)

    def rows(self, key: str) -> list[dict]:
        """Attributes of every element that has ``data-<key>``, in page order."""
        return [attrs for _, attrs in self.elements if f"data-{key}" in attrs]

    def one(self, key: str) -> dict:
        found = self.rows(key)
        assert len(found) == 1, found
        return found[0]

    def ids(self) -> dict[str, dict]:
        return {attrs["id"]: attrs for _, attrs in self.elements if "id" in attrs}


def report(db: Path, out: Path, lang: str) -> Page:
    assert cli_main(["report", str(db), "--html", str(out), "--lang", lang]) == 0
    return Page(out.read_text(encoding="utf-8"))


@pytest.fixture(scope="module")
def pages(tmp_path_factory) -> dict[str, Path]:
    folder = tmp_path_factory.mktemp("report")
    db = folder / "class.db"
    write_class(db)
    paths = {lang: folder / f"report-{lang}.html" for lang in ("en", "ja")}
    for lang, path in paths.items():
        assert cli_main(["report", str(db), "--html", str(path), "--lang", lang]) == 0
    return paths


def page(pages, lang: str) -> Page:
    return Page(pages[lang].read_text(encoding="utf-8"))


# --- counts -----------------------------------------------------------------------------------------


def test_the_report_counts_submissions_and_score_histograms(pages):
    html = page(pages, "en")
    main = html.one("finished")
    assert (main["data-submissions"], main["data-finished"], main["data-unfinished"]) == ("7", "6", "1")
    # alice 100 %, bob 24.5/28 = 87.5 %, chen 12/14 = 85.7 %; dana, eve, fay 0 %.
    assert html.ids()["score-histogram"]["data-counts"] == "3 0 0 0 0 0 0 0 2 1"
    topics = {row["data-topic"]: (row["data-submissions"], row["data-counts"]) for row in html.rows("topic")}
    assert topics == {D: ("6", "3 0 0 0 0 0 0 0 2 1"), N: ("2", "0 0 0 0 0 0 0 0 0 2")}


def test_exercises_come_hardest_first_with_their_pass_counts(pages):
    rows = page(pages, "en").rows("exercise")
    rows = [(r["data-exercise"], r["data-passed"], r["data-submissions"]) for r in rows if "data-passed" in r]
    assert len(rows) == len(TOPICS[D]) + len(TOPICS[N])
    assert rows[:3] == [("derivatives.numerical_diff", "1", "6"), ("derivatives.tangent_line", "2", "6"),
                        ("derivatives.numerical_gradient", "2", "6")]
    assert rows[3:8] == [(e, "3", "6") for e in list(TOPICS[D])[3:]]
    assert rows[8] == ("norms.l1_norm", "1", "2")
    assert rows[9:] == [(e, "2", "2") for e in list(TOPICS[N])[1:]]


def diagnosis_rows(html: Page) -> list[tuple[str, str, dict[str, str]]]:
    """(diagnosis, submissions, {exercise: count}) in page order."""
    found, current = [], None
    for tag, attrs in html.elements:
        if "data-diagnosis" in attrs:
            current = (attrs["data-diagnosis"], attrs["data-submissions"], {})
            found.append(current)
        elif tag == "li" and "data-count" in attrs:
            current[2][attrs["data-exercise"]] = attrs["data-count"]
    return found


def test_the_re_teach_list_ranks_diagnoses_and_explains_them_in_the_chosen_language(pages):
    for lang in ("en", "ja"):
        html = page(pages, lang)
        assert diagnosis_rows(html) == [
            ("forward-difference", "2", {"derivatives.numerical_diff": "2"}),
            ("l1-no-abs", "1", {"norms.l1_norm": "1"}),
            ("mutates-input", "1", {"derivatives.numerical_gradient": "1", "norms.l1_norm": "1"}),
            ("no-restore", "1", {"derivatives.numerical_gradient": "1"}),
            ("timed-out", "1", {"derivatives.tangent_line": "1"}),
        ]
        text = "".join(html.text)
        assert catalog.exercise("derivatives.numerical_diff").diagnoses["forward-difference"](lang) in text
        assert catalog.exercise("norms.l1_norm").diagnoses["l1-no-abs"](lang) in text


def test_submissions_that_could_not_be_graded_are_all_listed(pages):
    html = page(pages, "en")
    problems = [(r["data-submission"], r["data-scope"], r["data-status"]) for r in html.rows("status")]
    assert problems == [("chen", "derivatives.tangent_line", "timed-out"), ("dana", D, "import-error"),
                        ("eve", "", "unreadable"), ("fay", "", "not-submitted")]
    text = " ".join(html.text)
    for message in ("tangent_line did not finish within 10 s", "SyntaxError: invalid syntax (line 3)",
                    "eve.zip is not a readable zip file", "No file of the graded topics (derivatives)"):
        assert message in text


def decoded(src: str) -> Image.Image:
    prefix = "data:image/png;base64,"
    assert src.startswith(prefix), src[:40]
    image = Image.open(io.BytesIO(base64.b64decode(src[len(prefix):], validate=True)))
    image.load()
    return image


def test_the_page_is_self_contained_and_its_figures_are_png(pages):
    for lang in ("en", "ja"):
        text = pages[lang].read_text(encoding="utf-8")
        html = Page(text)
        assert len(html.images) == 3
        for src in html.images:
            image = decoded(src)
            assert image.format == "PNG" and image.width > 300 and image.height > 150
        assert "http://" not in text and "https://" not in text and "<script" not in text


def test_japanese_renders_in_the_figures_and_the_embedded_font_holds_every_character(pages):
    class_stats = stats.read(pages["ja"].with_name("class.db"))
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        for draw in (figures.scores, figures.topics, figures.exercises):
            decoded(draw(class_stats, "ja"))
    assert not [w for w in caught if "missing from font" in str(w.message)], [str(w.message) for w in caught]
    found = font_manager.findfont(font_manager.FontProperties(family=figures.FONTS["ja"]), fallback_to_default=False)
    assert Path(found).name == "ipaexg.ttf"

    text = pages["ja"].read_text(encoding="utf-8")
    prefix = 'url("data:font/woff;base64,'
    start = text.index(prefix) + len(prefix)
    embedded = TTFont(io.BytesIO(base64.b64decode(text[start:text.index('"', start)])))
    visible = "".join(Page(text).text)
    assert "クラスレポート" in visible
    assert set(font.characters(visible)) <= {chr(c) for c in embedded.getBestCmap()}


# --- errors and the empty gradebook ----------------------------------------------------------------


def test_a_missing_or_foreign_database_is_a_one_line_error(tmp_path, capsys):
    text_file = tmp_path / "notes.db"
    text_file.write_text("not a database")
    foreign = tmp_path / "other.db"
    connection = sqlite3.connect(foreign)
    connection.execute("CREATE TABLE people (name TEXT)")
    connection.commit()
    connection.close()
    out = tmp_path / "report.html"
    for db in (tmp_path / "missing.db", text_file, foreign, tmp_path):
        assert cli_main(["report", str(db), "--html", str(out)]) == 2
        error = capsys.readouterr().err
        assert error.startswith("tensorkata: ") and error.count("\n") == 1 and str(db) in error
    assert not (tmp_path / "missing.db").exists() and not out.exists()
    with sqlite3.connect(foreign) as connection:  # looked at, not turned into a gradebook
        assert [r[0] for r in connection.execute("SELECT name FROM sqlite_master")] == ["people"]


def test_an_unwritable_output_is_a_one_line_error(tmp_path, capsys):
    db = tmp_path / "class.db"
    Gradebook(db).close()
    for out in (tmp_path, tmp_path / "no-such-folder" / "report.html"):
        assert cli_main(["report", str(db), "--html", str(out)]) == 2
        error = capsys.readouterr().err
        assert error.startswith("tensorkata: ") and error.count("\n") == 1


def test_an_empty_gradebook_gives_a_page_that_says_so(tmp_path):
    db = tmp_path / "class.db"
    Gradebook(db).close()
    for lang in ("en", "ja"):
        html = report(db, tmp_path / f"{lang}.html", lang)
        assert html.one("finished")["data-finished"] == "0" and html.images == []
        assert "empty" in html.ids()
        assert "grade-batch" in "".join(html.text)


# --- a real batch, and a real browser ------------------------------------------------------------------


def solution() -> str:
    return (ROOT / "solutions" / f"{D}.py").read_text()


@pytest.mark.slow
def test_a_report_over_a_real_batch(tmp_path):
    folder = tmp_path / "class"
    mistakes = {m.exercise: m for m in catalogue() if m.exercise.startswith(f"{D}.")}
    chosen = {e: mistakes[e] for e in ("derivatives.numerical_diff", "derivatives.grad_check")}
    modules = {  # one real grading: the mistaken module is otherwise the solution
        "mistaken": replace_functions(solution(), {e.split(".", 1)[1]: m.function for e, m in chosen.items()}),
        "syntax-error": solution() + "\ndef oops(:\n",
    }
    for name, source in modules.items():
        (folder / name).mkdir(parents=True)
        (folder / name / f"{D}.py").write_text(source)
    (folder / "misnamed").mkdir()
    (folder / "misnamed" / f"{D}_final.py").write_text(solution())
    (folder / "corrupt.zip").write_bytes(b"not a zip")
    db = tmp_path / "class.db"
    run_batch(folder, db, topics=[D], workers=2, progress=False)

    html = report(db, tmp_path / "report.html", "en")
    assert html.one("finished")["data-finished"] == "4"
    counts = [int(c) for c in html.ids()["score-histogram"]["data-counts"].split()]
    assert counts[0] == 3 and sum(counts[5:]) == 1  # the two mistakes cost at most 3 of the 14 points
    passed = {r["data-exercise"]: (r["data-passed"], r["data-submissions"]) for r in html.rows("passed")}
    for exercise in TOPICS[D]:
        assert passed[exercise] == ("0" if exercise in chosen else "1", "4")
    assert {(d, n) for d, n, _ in diagnosis_rows(html)} >= {(m.diagnosis, "1") for m in chosen.values()}
    problems = {(r["data-submission"], r["data-scope"], r["data-status"]) for r in html.rows("status")}
    assert problems == {("syntax-error", D, "import-error"), ("corrupt", "", "unreadable"),
                        ("misnamed", "", "not-submitted")}
    for src in html.images:
        assert decoded(src).format == "PNG"


LOCK = Path("/tmp/tensorkata-chromium.lock")
FLAGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
         "--disable-background-networking", "--disable-component-update", "--disable-sync",
         "--enable-logging=stderr", "--v=0"]


def _apt(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run(["apt-get", *args, "-o", "DPkg::Lock::Timeout=900"], capture_output=True, text=True,
                          env={**os.environ, "DEBIAN_FRONTEND": "noninteractive"}, timeout=1800)


@pytest.fixture(scope="session")
def chromium() -> str:
    """Debian's chromium, installed once (one xdist worker installs, the other waits on the lock)."""
    if shutil.which("chromium"):
        return shutil.which("chromium")
    if os.geteuid() != 0 or not shutil.which("apt-get"):
        pytest.skip("chromium is not installed, and installing it needs root and apt-get")
    with open(LOCK, "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        if not shutil.which("chromium"):
            done = _apt("install", "-y", "-q", "chromium")
            if done.returncode:
                _apt("update", "-q")
                done = _apt("install", "-y", "-q", "chromium")
            if done.returncode:
                pytest.skip(f"chromium could not be installed: {(done.stderr.strip().splitlines() or ['?'])[-1]}")
    return shutil.which("chromium")


def browse(chromium: str, page: Path, screenshot: Path) -> tuple[str, list[str]]:
    """Open ``page`` headless: its DOM after rendering and the console messages; a screenshot too."""
    profile = screenshot.with_suffix(".profile")
    done = subprocess.run([chromium, *FLAGS, f"--user-data-dir={profile}", f"--screenshot={screenshot}",
                           "--window-size=1280,2000", "--dump-dom", page.resolve().as_uri()],
                          capture_output=True, text=True, timeout=180)
    assert done.returncode == 0, done.stderr[-2000:]
    return done.stdout, [line for line in done.stderr.splitlines() if ":CONSOLE" in line]


@pytest.mark.slow
def test_the_browser_sees_console_errors(chromium, tmp_path):
    """The check below can fail: a page with a script error does show up in the console lines."""
    bad = tmp_path / "bad.html"
    bad.write_text("<!DOCTYPE html><html><body><script>missing_function();</script></body></html>")
    _, console = browse(chromium, bad, tmp_path / "bad.png")
    assert any("missing_function" in line for line in console)


@pytest.mark.slow
@pytest.mark.parametrize("lang", ["en", "ja"])
def test_the_page_renders_in_a_real_browser(chromium, pages, lang, tmp_path):
    screenshot = tmp_path / f"report-{lang}.png"
    dom, console = browse(chromium, pages[lang], screenshot)
    assert console == []
    assert 'id="exercises"' in dom and 'data-diagnosis="forward-difference"' in dom
    image = Image.open(screenshot)
    image.load()
    assert image.format == "PNG" and image.size == (1280, 2000)
    pixels = np.asarray(image.convert("RGB"))[::4, ::4]
    assert (pixels.min(axis=2) < 200).mean() > 0.02, "the screenshot is (nearly) blank"
    assert len(np.unique(pixels.reshape(-1, 3), axis=0)) > 20
