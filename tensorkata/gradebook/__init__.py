"""Whole-class grading into a SQLite gradebook (``tensorkata grade-batch``).

- :mod:`.scan`     finds the submissions in a folder and hashes their content
- :mod:`.version`  the grader version: package version + a hash of everything that decides a score
- :mod:`.schema`   the SQLite tables and how a connection is opened (WAL, foreign keys)
- :mod:`.store`    reads and writes the gradebook; one transaction per finished submission
- :mod:`.child`    what a grading process does with one submission (returns plain JSON data)
- :mod:`.pool`     grading processes: a crash or a hang costs only the submission it was grading
- :mod:`.batch`    the run: decide what needs grading, grade it, record it, with a progress bar
- :mod:`.summary`  the summary table at the end
- :mod:`.export`   the gradebook as CSV
"""
