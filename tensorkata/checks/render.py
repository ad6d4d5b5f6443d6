"""``tensorkata check`` on the terminal: a line per exercise, what to fix, progress per topic."""

from rich.console import Console
from rich.text import Text

from tensorkata import catalog
from tensorkata.checks.explain import lines
from tensorkata.checks.progress import Progress
from tensorkata.checks.verdict import Verdict
from tensorkata.i18n import Msg

WIDTH = 100
MARKS = {"passed": ("✓", "green"), "failed": ("✗", "red"), "not-implemented": ("·", "yellow")}
NAME_WIDTH = 28
INDENT = 6  # what to fix, under its exercise


def status_label(status: str, lang: str) -> str:
    return Msg.of(f"status.{status}")(lang)


def _exercise(console: Console, verdict: Verdict, lang: str) -> None:
    mark, style = MARKS.get(verdict.status, ("!", "magenta"))
    line = Text("  ")
    line.append(mark, style=style)
    line.append(f" {verdict.exercise.split('.', 1)[1]:<{NAME_WIDTH}} ")
    line.append(status_label(verdict.status, lang), style=style)
    console.print(line)
    for text in lines(verdict, lang):
        for wrapped in Text(text).wrap(console, console.width - INDENT):
            wrapped.rstrip()
            console.print(Text(" " * INDENT) + wrapped)


def _summary(progress: Progress, lang: str) -> str:
    key = "check.summary" if progress.previous in (None, progress.done) else "check.summary-was"
    return Msg.of(key, topic=progress.topic, done=progress.done, total=progress.total,
                  previous=progress.previous)(lang)


def render(path: str, results: dict[str, list[Verdict]], progress: list[Progress], lang: str,
           console: Console | None = None) -> None:
    console = console or Console(width=min(Console().width, WIDTH))
    console.print(Msg.of("check.heading", path=path)(lang), style="bold")
    for topic, verdicts in results.items():
        console.print(f"{topic} — {catalog.topic(topic).title(lang)}", style="bold")
        for verdict in verdicts:
            _exercise(console, verdict, lang)
    for item in progress:
        console.print(_summary(item, lang), style="bold")
    if all(v.passed for verdicts in results.values() for v in verdicts):
        console.print(Msg.of("check.all-passed")(lang), style="green")
