"""What a hidden suite imports: the exercise marker, the hypothesis profile, and named strategies.

A hidden test is an ordinary pytest function that takes the ``student`` fixture (a proxy whose
calls run in the worker) and carries ``@exercise("<topic>.<function>")``. Its first docstring
line becomes the test's name in reports.
"""

import pytest
from hypothesis import HealthCheck, Phase, settings

from graders import expect  # noqa: F401  (re-exported for suites)

# Deterministic and patient: grading must give every student the same examples, and student
# code may be slow (pure-Python loops), so no deadline. Failures replay the shrunk example.
settings.register_profile(
    "grading",
    deadline=None,
    phases=[Phase.explicit, Phase.reuse, Phase.generate, Phase.shrink],
    database=None,
    max_examples=25,
    print_blob=False,
    report_multiple_bugs=False,
    suppress_health_check=list(HealthCheck),
)
settings.load_profile("grading")

MARKER = "tensorkata_exercise"


def exercise(exercise_id: str, weight: float = 1.0):
    """Mark a hidden test as one of ``exercise_id``'s; ``weight`` is its share of the points."""
    return getattr(pytest.mark, MARKER)(exercise_id, weight=weight)
