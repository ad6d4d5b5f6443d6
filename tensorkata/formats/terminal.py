"""The terminal report: a table per topic (exercise, score, status, diagnosis), then feedback."""

from rich.console import Console, Group
from rich.panel import Panel
from rich.table import Table
from rich.text import Text

from tensorkata.results import GradingResult, TopicResult
from tensorkata import catalog
from tensorkata.formats.feedback import exercise_feedback, status_label
from tensorkata.i18n import Msg

STYLES = {"passed": "green", "failed": "red", "not-implemented": "yellow", "not-submitted": "dim"}


def points(value: float) -> str:
    """Scores as people write them: 2, 1.5, 0.67."""
    return f"{value:.2f}".rstrip("0").rstrip(".")


def _topic_table(topic: TopicResult, lang: str) -> Table:
    title = catalog.topic(topic.topic).title(lang)
    table = Table(title=f"{topic.topic} — {title}", title_justify="left", expand=False)
    table.add_column(Msg.of("report.exercise")(lang), no_wrap=True)
    table.add_column(Msg.of("report.score")(lang), justify="right")
    table.add_column(Msg.of("report.status")(lang))
    table.add_column(Msg.of("report.diagnosis")(lang), overflow="fold", max_width=40)
    for e in topic.exercises:
        style = STYLES.get(e.status, "magenta")
        table.add_row(e.id.split(".", 1)[1], f"{points(e.score)}/{points(e.max_score)}",
                      Text(status_label(e.status, lang), style=style), ", ".join(e.diagnoses))
    table.add_section()
    table.add_row(Msg.of("report.total")(lang), f"{points(topic.score)}/{points(topic.max_score)}", "", "")
    return table


def _feedback_panels(topic: TopicResult, lang: str) -> list[Panel]:
    panels = []
    for e in topic.exercises:
        lines = exercise_feedback(e, lang)
        if lines and e.status != "not-submitted":
            panels.append(Panel(Text("\n".join(lines)), title=e.id, title_align="left",
                                border_style=STYLES.get(e.status, "magenta")))
    return panels


def render(result: GradingResult, lang: str, console: Console | None = None) -> None:
    console = console or Console()
    console.print(Msg.of("report.heading", submission=result.submission, seed=result.seed)(lang), style="bold")
    for topic in result.topics:
        console.print(_topic_table(topic, lang))
        panels = _feedback_panels(topic, lang)
        if panels:
            console.print(Group(*panels))
    total = Msg.of("report.grand-total", score=points(result.score), max=points(result.max_score),
                   seconds=f"{result.execution_time:.1f}")(lang)
    console.print(total, style="bold")
