"""GitHub Classroom autograding for the student bundle: one graded step per exercise.

Each exercise becomes a command test, ``tensorkata check <exercise id>``, worth the catalogue's
points; the command's exit status (0 only when every public check of that exercise passes) is
the verdict. Two forms are written from the same list, because Classroom has used both: the
workflow of ``classroom-resources`` actions that new assignments get, and the older
``.github/classroom/autograding.json``.
"""

import json
from pathlib import Path

import yaml

from tensorkata import catalog

INSTALL = (
    "pip install torch==2.13.0 --index-url https://download.pytorch.org/whl/cpu",  # the CPU build, not GBs of CUDA
    "pip install -e .",
)
MINUTES = 5  # per exercise; a hung exercise fails on its own, the checks' call limit is far shorter


def tests() -> list[dict]:
    """Every exercise as a command test: a step id, the command and its points."""
    return [
        {"id": exercise.id.replace(".", "-").replace("_", "-"), "name": exercise.id,
         "run": f"tensorkata check {exercise.id}", "points": exercise.points}
        for name in catalog.topic_names() for exercise in catalog.topic(name).exercises
    ]


def workflow() -> dict:
    graded = [
        {"name": test["name"], "id": test["id"], "uses": "classroom-resources/autograding-command-grader@v1",
         "with": {"test-name": test["name"], "command": test["run"], "timeout": MINUTES, "max-score": test["points"]}}
        for test in tests()
    ]
    reporter = {
        "name": "Autograding Reporter",
        "uses": "classroom-resources/autograding-grading-reporter@v1",
        "env": {f"{test['id'].upper()}_RESULTS": f"${{{{steps.{test['id']}.outputs.result}}}}" for test in tests()},
        "with": {"runners": ",".join(test["id"] for test in tests())},
    }
    setup = [
        {"name": "Check out the repository", "uses": "actions/checkout@v4"},
        {"name": "Set up Python", "uses": "actions/setup-python@v5", "with": {"python-version": "3.11"}},
        {"name": "Install the exercises and their checks", "run": "\n".join(INSTALL)},
    ]
    return {
        "name": "Autograding Tests",
        "on": ["push", "repository_dispatch"],
        "permissions": {"checks": "write", "actions": "read", "contents": "read"},
        "jobs": {"run-autograding-tests": {
            "runs-on": "ubuntu-latest",
            "if": "github.actor != 'github-classroom[bot]'",
            "steps": setup + graded + [reporter],
        }},
    }


def autograding() -> dict:
    """The older form: the first test's set-up installs the bundle for all of them."""
    return {"tests": [
        {"name": test["name"], "setup": " && ".join(INSTALL) if number == 0 else "", "run": test["run"],
         "input": "", "output": "", "comparison": "included", "timeout": MINUTES, "points": test["points"]}
        for number, test in enumerate(tests())
    ]}


def write(bundle: Path) -> None:
    """Write both forms into the bundle's ``.github`` folder."""
    workflows, config = bundle / ".github" / "workflows", bundle / ".github" / "classroom"
    workflows.mkdir(parents=True)
    config.mkdir(parents=True)
    text = yaml.safe_dump(workflow(), sort_keys=False, allow_unicode=True, width=120)
    (workflows / "classroom.yml").write_text("# Grades every push with the public checks: one step per exercise.\n" + text)
    (config / "autograding.json").write_text(json.dumps(autograding(), indent=2) + "\n")
