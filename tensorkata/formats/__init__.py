"""Formats of a grading result: terminal report, Gradescope JSON, JUnit XML."""
