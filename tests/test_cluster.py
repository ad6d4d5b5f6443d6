"""``grade-batch --scheduler``: a Dask cluster grades a batch exactly as the local processes do.

A ``LocalCluster`` of two worker processes stands in for a real cluster; the submissions' files
travel with the tasks, as they would to machines without a shared file system.
"""

import pytest

from tensorkata.gradebook.batch import BatchError, run_batch
from tests.conftest import ROOT
from tests.test_batch import TOPIC, Hostile, grades, inject, mistakes_by_exercise, snapshot, solution, write_zip
from tests.injection import replace_functions

pytestmark = pytest.mark.slow
distributed = pytest.importorskip("distributed")


def small_class(folder):
    """Four submissions that score differently: correct (zipped), a catalogued mistake, a hang, a stub."""
    module = f"{TOPIC}.py"
    exercise, mistakes = next(iter(mistakes_by_exercise().items()))
    files = {
        "mistaken": inject({exercise: mistakes[0]}),
        "hangs": replace_functions(solution(), {"numerical_diff": Hostile.numerical_diff}),
        "stub": (ROOT / "exercises" / module).read_text(),
    }
    for name, source in files.items():
        (folder / name).mkdir(parents=True)
        (folder / name / module).write_text(source)
    write_zip(folder / "correct.zip", {f"homework/{module}": solution()})
    return exercise


def test_a_dask_cluster_grades_a_batch_identically_to_local_processes(tmp_path):
    folder = tmp_path / "class"
    mistaken_exercise = small_class(folder)
    local = run_batch(folder, tmp_path / "local.db", topics=[TOPIC], workers=2)
    with distributed.LocalCluster(n_workers=2, threads_per_worker=1, processes=True, dashboard_address=None) as cluster:
        remote = run_batch(folder, tmp_path / "dask.db", topics=[TOPIC], scheduler=cluster.scheduler_address)
        again = run_batch(folder, tmp_path / "dask.db", topics=[TOPIC], scheduler=cluster.scheduler_address)
    assert set(remote.graded) == set(local.graded) == {"correct", "mistaken", "hangs", "stub"}
    assert again.graded == {}  # resume: what the cluster recorded is not graded twice
    rows = snapshot(tmp_path / "dask.db")
    assert grades(rows) == grades(snapshot(tmp_path / "local.db"))
    scores = {name: row["score"] for name, row in rows.items()}
    assert scores["correct"] == rows["correct"]["max_score"] > scores["hangs"] > scores["stub"] == 0
    assert rows["mistaken"]["exercises"][mistaken_exercise]["diagnoses"]
    assert rows["hangs"]["exercises"][f"{TOPIC}.numerical_diff"]["status"] == "timed-out"
    assert all(row["gradings"] == 1 for row in rows.values())


def test_an_unreachable_scheduler_is_a_one_line_error(tmp_path, monkeypatch):
    monkeypatch.setattr("tensorkata.gradebook.cluster.CONNECT_SECONDS", 1)
    (tmp_path / "class" / "someone").mkdir(parents=True)
    with pytest.raises(BatchError, match="cannot reach the Dask scheduler at tcp://127.0.0.1:9"):
        run_batch(tmp_path / "class", tmp_path / "g.db", topics=[TOPIC], scheduler="tcp://127.0.0.1:9")
