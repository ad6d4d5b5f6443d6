"""Loading submissions reads files (folders, zips, notebooks) without running them."""

import zipfile

import nbformat
import pytest

from tensorkata.submission import SubmissionError, load

TOPICS = ["derivatives", "cross_entropy"]


def test_a_folder_with_one_topic(tmp_path):
    (tmp_path / "derivatives.py").write_text("x = 1\n")
    with load(tmp_path, TOPICS) as sub:
        assert sub.sources == {"derivatives": "x = 1\n"}
        assert (sub.folder / "derivatives.py").read_text() == "x = 1\n"


def test_a_zip_with_a_wrapping_folder_and_hostile_entries(tmp_path):
    archive = tmp_path / "student.zip"
    with zipfile.ZipFile(archive, "w") as zf:
        zf.writestr("homework/derivatives.py", "y = 2\n")
        zf.writestr("../escape.py", "bad = 1\n")
        zf.writestr("/abs/cross_entropy.py", "bad = 1\n")
    with load(archive, TOPICS) as sub:
        assert sub.sources == {"derivatives": "y = 2\n"}
        assert sub.name == "student"
    assert not (tmp_path.parent / "escape.py").exists()


def test_a_notebook_becomes_its_code_cells(tmp_path):
    notebook = nbformat.v4.new_notebook()
    notebook.cells = [
        nbformat.v4.new_markdown_cell("# text"),
        nbformat.v4.new_code_cell("import numpy as np\n%matplotlib inline"),
        nbformat.v4.new_code_cell("def softmax(z, axis=-1):\n    return z"),
    ]
    nbformat.write(notebook, tmp_path / "cross_entropy.ipynb")
    with load(tmp_path, TOPICS) as sub:
        source = sub.sources["cross_entropy"]
    assert "def softmax" in source and "# %matplotlib inline" in source and "# text" not in source


def test_unreadable_files_are_reported_per_topic(tmp_path):
    (tmp_path / "derivatives.py").write_bytes(b"x = '\xff\xfe'\n")
    (tmp_path / "cross_entropy.ipynb").write_text("{not json")
    with load(tmp_path, TOPICS) as sub:
        assert not sub.sources
        assert "UTF-8" in sub.unreadable["derivatives"].reason
        assert "notebook" in sub.unreadable["cross_entropy"].reason


def test_a_missing_path_or_a_broken_zip_is_one_clear_error(tmp_path):
    with pytest.raises(SubmissionError, match="no such file"):
        load(tmp_path / "nowhere", TOPICS)
    (tmp_path / "broken.zip").write_bytes(b"PK\x03\x04 definitely not a zip")
    with pytest.raises(SubmissionError):
        load(tmp_path / "broken.zip", TOPICS)
