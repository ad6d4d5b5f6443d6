"""Smoke test of the benchmark: a tiny configuration runs end to end and writes its table."""

import subprocess
import sys

import pytest

from tests.conftest import ROOT

pytestmark = pytest.mark.slow


def test_the_benchmark_runs_end_to_end_and_writes_its_table(tmp_path):
    out = tmp_path / "RESULTS.md"
    done = subprocess.run([sys.executable, str(ROOT / "bench" / "run.py"), "--repeats", "1", "--batch", "2",
                           "--workers", "1", "--topic", "derivatives", "--skip-nbgrader", "--out", str(out)],
                          capture_output=True, text=True, timeout=900)
    assert done.returncode == 0, done.stderr[-2000:]
    table = out.read_text()
    assert "cores available" in table and "| measurement | median |" in table
    rows = [line for line in table.splitlines() if line.startswith("| (")]
    assert [row.split("|")[1].strip()[:3] for row in rows] == ["(a)", "(b)"]
    assert all(float(row.split("|")[2].split()[0]) > 0 for row in rows)
    assert "| judge (grading process) |" in table and "| sandbox worker |" in table
