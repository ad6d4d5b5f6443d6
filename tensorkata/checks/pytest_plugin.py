"""``pytest`` on ``exercises/``: one test per exercise, with the verdicts of ``tensorkata check``.

A topic module (``exercises/derivatives.py``: its stem names a topic with public checks) is
collected when it lies in a folder named ``exercises`` or in a folder pytest was pointed at;
anywhere else the plugin stays inert (the project's own tests, the hidden grading engine). The
module is never imported here: each test runs its exercise's public cases in a worker. A
failure reads like ``tensorkata check`` (expected versus got, diagnosis, hint); ``--tb=long``
or ``-vv`` adds the traceback.
"""

from pathlib import Path

import pytest


def _topic(file_path: Path, config) -> str | None:
    """The topic whose public checks apply to ``file_path``, if the plugin should collect it."""
    from tensorkata.checks import data

    if file_path.suffix != ".py" or file_path.stem not in data.topics():
        return None
    pointed = {Path(arg.split("::")[0]).resolve() for arg in config.args}
    folder = file_path.parent
    if folder.name == "exercises" or folder.resolve() in pointed or file_path.resolve() in pointed:
        return file_path.stem
    return None


def pytest_collect_file(file_path: Path, parent):
    # Files named on the command line reach pytest_pycollect_makemodule instead; no double collection.
    if not parent.session.isinitpath(file_path) and _topic(file_path, parent.config):
        return TopicFile.from_parent(parent, path=file_path)
    return None


@pytest.hookimpl(tryfirst=True)
def pytest_pycollect_makemodule(module_path: Path, parent):
    """A topic module named on the command line: collect its exercises instead of importing it."""
    if _topic(module_path, parent.config):
        return TopicFile.from_parent(parent, path=module_path)
    return None


class CheckFailed(AssertionError):
    """An exercise did not pass its public checks; the message is the explanation."""

    def __init__(self, text: str):
        super().__init__(text)
        self.text = text


class TopicFile(pytest.File):
    def collect(self):
        from tensorkata import catalog

        for exercise in catalog.topic(self.path.stem).exercises:
            yield ExerciseItem.from_parent(self, name=exercise.function, exercise=exercise.id)


class ExerciseItem(pytest.Item):
    def __init__(self, *, exercise: str, **kwargs):
        super().__init__(**kwargs)
        self.exercise = exercise

    def runtest(self):
        from tensorkata.checks.explain import lines
        from tensorkata.checks.render import status_label
        from tensorkata.checks.run import check
        from tensorkata.i18n import choose_language

        topic = self.path.stem
        verdict = check(self.path.parent, {topic: [self.exercise]})[topic][0]
        if not verdict.passed:
            lang = choose_language()
            heading = f"{self.exercise}: {status_label(verdict.status, lang)}"
            raise CheckFailed("\n".join([heading, *(f"  {line}" for line in lines(verdict, lang))]))

    def repr_failure(self, excinfo):
        wants_traceback = self.config.getoption("tbstyle") == "long" or self.config.getoption("verbose") >= 2
        if isinstance(excinfo.value, CheckFailed) and not wants_traceback:
            return excinfo.value.text
        return super().repr_failure(excinfo)

    def reportinfo(self):
        return self.path, None, self.exercise
