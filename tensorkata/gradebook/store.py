"""Reading and writing the gradebook.

A submission's grading is recorded in two steps: :meth:`Gradebook.start` marks its row
``running`` (a row left ``running`` by a killed run is regraded by the next one), and
:meth:`Gradebook.finish` writes its status, scores, every exercise row and its results JSON in a
single transaction, so a submission is either wholly graded in the database or not at all.
"""

import json
import sqlite3
from contextlib import contextmanager
from datetime import datetime, timezone

from tensorkata.gradebook import schema
from tensorkata.gradebook.outcome import Outcome
from tensorkata.gradebook.scan import Candidate


def now() -> str:
    return datetime.now(timezone.utc).isoformat(timespec="microseconds")


@contextmanager
def transaction(db: sqlite3.Connection):
    db.execute("BEGIN IMMEDIATE")
    try:
        yield
    except BaseException:
        db.execute("ROLLBACK")
        raise
    db.execute("COMMIT")


class Gradebook:
    def __init__(self, path):
        self.path = path
        self.db = schema.connect(path)

    def close(self) -> None:
        self.db.close()

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.close()

    # --- what needs grading -----------------------------------------------------------------

    def row(self, name: str) -> sqlite3.Row | None:
        return self.db.execute("SELECT * FROM submissions WHERE name = ?", (name,)).fetchone()

    def reason_to_grade(self, candidate: Candidate, version: str, seed: int, topics: list[str]) -> str | None:
        """Why ``candidate`` must be (re)graded now, or None when its recorded grade still holds."""
        row = self.row(candidate.name)
        if row is None:
            return "new"
        if row["status"] == "running":
            return "unfinished"
        if row["content_hash"] != candidate.content_hash:
            return "changed"
        if row["grader_version"] != version:
            return "grader"
        if row["seed"] != seed or json.loads(row["topics"]) != topics:
            return "settings"
        return None

    # --- recording --------------------------------------------------------------------------

    def start(self, candidate: Candidate, version: str, seed: int, topics: list[str]) -> None:
        """Mark ``candidate`` as being graded (its previous grade stays until the new one replaces it)."""
        with transaction(self.db):
            self.db.execute(
                """INSERT INTO submissions (name, source, content_hash, status, grader_version, seed, topics,
                                            started_at, attempts)
                   VALUES (?, ?, ?, 'running', ?, ?, ?, ?, 1)
                   ON CONFLICT (name) DO UPDATE SET
                       source = excluded.source, content_hash = excluded.content_hash, status = 'running',
                       grader_version = excluded.grader_version, seed = excluded.seed, topics = excluded.topics,
                       started_at = excluded.started_at, finished_at = NULL, attempts = attempts + 1""",
                (candidate.name, candidate.source, candidate.content_hash, version, seed, json.dumps(topics), now()),
            )

    def finish(self, name: str, outcome: Outcome) -> None:
        """Record a finished grading: the submission, all its exercise rows and its JSON, atomically."""
        with transaction(self.db):
            found = self.db.execute("SELECT id FROM submissions WHERE name = ?", (name,)).fetchone()
            if found is None:
                raise KeyError(f"submission {name!r} was never started")
            submission_id = found[0]
            self.db.execute(
                """UPDATE submissions SET status = ?, score = ?, max_score = ?, error = ?, finished_at = ?,
                                          seconds = ?, gradings = gradings + 1
                   WHERE id = ?""",
                (outcome.status, outcome.score, outcome.max_score, outcome.error, now(), round(outcome.seconds, 3),
                 submission_id),
            )
            self.db.execute("DELETE FROM exercise_results WHERE submission_id = ?", (submission_id,))
            self.db.executemany(
                """INSERT INTO exercise_results (submission_id, exercise, topic, score, max_score, status, diagnoses)
                   VALUES (?, ?, ?, ?, ?, ?, ?)""",
                [(submission_id, e["id"], e["id"].split(".")[0], e["score"], e["max_score"], e["status"],
                  json.dumps(e["diagnoses"])) for e in outcome.exercises],
            )
            self.db.execute(
                "INSERT OR REPLACE INTO results (submission_id, json) VALUES (?, ?)",
                (submission_id, json.dumps(outcome.results, ensure_ascii=False)),
            )

    # --- reading ----------------------------------------------------------------------------

    def submissions(self) -> list[sqlite3.Row]:
        return self.db.execute("SELECT * FROM submissions ORDER BY name").fetchall()

    def exercises(self) -> dict[int, dict[str, sqlite3.Row]]:
        """Per submission id, its exercise rows keyed by exercise id."""
        table: dict[int, dict[str, sqlite3.Row]] = {}
        for row in self.db.execute("SELECT * FROM exercise_results"):
            table.setdefault(row["submission_id"], {})[row["exercise"]] = row
        return table

    def results(self, name: str) -> dict | None:
        found = self.db.execute(
            "SELECT r.json FROM results r JOIN submissions s ON s.id = r.submission_id WHERE s.name = ?", (name,)
        ).fetchone()
        return json.loads(found[0]) if found else None
