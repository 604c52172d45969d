"""Accessible SVG bar charts for the reports: each chart has a <title> and a <desc> and comes
with the data table it draws (the page shows both; a screen reader reads the table).

Pure: figures in, a ``Chart`` out (bars in SVG user units); the templates draw it. Withheld
cells are drawn as no bar and labelled as withheld, never as zero.
"""

from dataclasses import dataclass

from django.utils.translation import gettext as _

WIDTH = 480
BAR_HEIGHT = 22
GAP = 8
LABEL_WIDTH = 170


@dataclass
class Bar:
    label: str
    shown: str
    y: int
    width: int
    withheld: bool
    text_x: int
    short: str = ""


@dataclass
class Chart:
    title: str
    desc: str
    bars: list[Bar]
    height: int
    label_width: int = LABEL_WIDTH

    @property
    def any_shown(self) -> bool:
        return any(not bar.withheld for bar in self.bars)

    @property
    def rows(self) -> list[tuple[str, str]]:
        return [(bar.label, bar.shown) for bar in self.bars]


def bar_chart(title: str, items: list[tuple[str, object]]) -> Chart:
    """``items``: [(label, Cell)] in order. Bar widths are proportional to the largest shown value."""
    values = [cell.value for _label, cell in items if cell.value is not None]
    largest = max(values) if values else 0
    span = WIDTH - LABEL_WIDTH - 60
    bars = []
    for index, (label, cell) in enumerate(items):
        width = round(span * cell.value / largest) if cell.value and largest else 0
        shown_text = str(cell) if not cell.withheld else f"{cell} ({cell.reason})"
        bars.append(Bar(str(label), shown_text, index * (BAR_HEIGHT + GAP), width, cell.withheld, LABEL_WIDTH + width + 6, str(cell)))
    shown = "; ".join(f"{bar.label}: {bar.shown}" for bar in bars)
    return Chart(title, _("Bar chart. %(values)s") % {"values": shown}, bars, max(len(bars), 1) * (BAR_HEIGHT + GAP))


def attendance_chart(attendance) -> Chart:
    """People present per session (withheld sessions drawn without a bar)."""
    items = [(f"{session.group.name} — {session.date:%d/%m/%Y}", cell) for session, cell in attendance.sessions]
    return bar_chart(_("People present per session"), items)


def question_chart(question) -> Chart:
    """One question's breakdown."""
    labels = dict(question.labels)
    return bar_chart(question.text, [(labels.get(value, value), cell) for value, cell in question.breakdown.cells.items()])
