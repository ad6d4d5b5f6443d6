"""The gradebook's tables, and opening a connection to it.

One row per submission (``UNIQUE(name)``: a re-run updates it, never adds a second), one row
per exercise of a submission, and the full Gradescope results JSON per submission. The
database runs in WAL mode, so a process killed at any moment leaves it consistent: a
transaction is either wholly in it or not at all.
"""

import sqlite3
from pathlib import Path

SCHEMA_VERSION = 1

TABLES = """
CREATE TABLE IF NOT EXISTS meta (
    key   TEXT PRIMARY KEY,
    value TEXT NOT NULL
);
CREATE TABLE IF NOT EXISTS submissions (
    id             INTEGER PRIMARY KEY,
    name           TEXT NOT NULL UNIQUE,     -- the sub-folder or zip name (stem)
    source         TEXT NOT NULL,            -- the path it was graded from
    content_hash   TEXT NOT NULL,            -- sha256 over every (non-hidden) file of the submission
    status         TEXT NOT NULL CHECK (status IN ('running', 'graded', 'error')),
    score          REAL,
    max_score      REAL,
    error          TEXT,                     -- why it could not be graded (status 'error')
    grader_version TEXT NOT NULL,
    seed           INTEGER NOT NULL,
    topics         TEXT NOT NULL,            -- JSON list of the topics it was graded on
    started_at     TEXT NOT NULL,            -- UTC, ISO 8601, when its last grading started
    finished_at    TEXT,                     -- NULL while running (or when killed while running)
    seconds        REAL,                     -- wall time of the last grading
    attempts       INTEGER NOT NULL DEFAULT 0,  -- gradings started
    gradings       INTEGER NOT NULL DEFAULT 0   -- gradings finished and recorded
);
CREATE TABLE IF NOT EXISTS exercise_results (
    submission_id INTEGER NOT NULL REFERENCES submissions(id) ON DELETE CASCADE,
    exercise      TEXT NOT NULL,             -- the exercise id, e.g. derivatives.numerical_diff
    topic         TEXT NOT NULL,
    score         REAL NOT NULL,
    max_score     REAL NOT NULL,
    status        TEXT NOT NULL,             -- tensorkata.results.STATUSES
    diagnoses     TEXT NOT NULL,             -- JSON list of diagnosis ids
    PRIMARY KEY (submission_id, exercise)
);
CREATE TABLE IF NOT EXISTS results (
    submission_id INTEGER PRIMARY KEY REFERENCES submissions(id) ON DELETE CASCADE,
    json          TEXT NOT NULL              -- Gradescope results.json of the last grading
);
CREATE INDEX IF NOT EXISTS exercise_results_by_exercise ON exercise_results (exercise);
"""


class GradebookError(Exception):
    """The gradebook cannot be opened or is not one of ours."""


def connect(path: str | Path) -> sqlite3.Connection:
    """Open (creating if needed) the gradebook at ``path``; raise :class:`GradebookError` with a reason."""
    path = Path(path)
    if path.is_dir():
        raise GradebookError(f"{path} is a folder, not a database file")
    if not path.parent.is_dir():
        raise GradebookError(f"{path}: folder {path.parent} does not exist")
    try:
        db = sqlite3.connect(path, timeout=30, isolation_level=None)  # transactions are explicit
    except sqlite3.Error as error:
        raise GradebookError(f"{path}: cannot open the database ({error})") from None
    try:
        db.row_factory = sqlite3.Row
        db.execute("PRAGMA foreign_keys = ON")
        mode = db.execute("PRAGMA journal_mode = WAL").fetchone()[0]
        if mode.lower() != "wal":
            raise GradebookError(f"{path}: the database cannot use WAL mode (journal mode {mode})")
        db.execute("PRAGMA synchronous = FULL")  # a committed grade survives even a power cut
        db.execute("BEGIN IMMEDIATE")  # statements one by one: executescript would commit on its own
        for statement in TABLES.split(";"):
            if statement.strip():
                db.execute(statement)
        found = db.execute("SELECT value FROM meta WHERE key = 'schema_version'").fetchone()
        if found is None:
            db.execute("INSERT INTO meta (key, value) VALUES ('schema_version', ?)", (str(SCHEMA_VERSION),))
        elif found[0] != str(SCHEMA_VERSION):
            raise GradebookError(f"{path}: gradebook schema version {found[0]}, this tensorkata writes {SCHEMA_VERSION}")
        db.execute("COMMIT")
    except sqlite3.Error as error:
        db.close()
        raise GradebookError(f"{path}: cannot use it as a gradebook ({error})") from None
    except GradebookError:
        db.close()
        raise
    return db
