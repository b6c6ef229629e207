"""The dashboard's figures as charts: translated labels, the numbers as rows (for
the table and the CSV file), and the geometry of server-side SVG bar charts, so
the page needs no JavaScript and a screen reader gets the same numbers."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from babel.dates import get_month_names
from babel.numbers import get_decimal_symbol, get_group_symbol
from flask_babel import format_percent, get_locale
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l

from ideation.impact import ledger
from ideation.impact.queries import Figures, Series
from ideation.measures.queries import status_label as measure_status_label
from ideation.responses.queries import status_label as idea_status_label
from ideation.shared.spreadsheet import csv_text

# The kinds of participation (queries.activity) and "people", in the charts'
# order. Pairwise votes: one more entry here and in queries.activity.
SERIES_LABELS = {
    "ideas": _l("Ideas"),
    "supports": _l("Supports"),
    "people": _l("People taking part"),
}
GOVERNOR_LABELS = {
    "open": _l("Awaiting an answer"),
    "answered": _l("Answered"),
    "declined": _l("Declined"),
    "merged": _l("Merged into another question"),
}
HIDDEN_LABELS = {
    "hidden_ideas": _l("Ideas hidden by moderators"),
    "withdrawn_ideas": _l("Ideas withdrawn by their authors"),
    "merged_ideas": _l("Ideas merged into others"),
    "hidden_governor_questions": _l("Questions to the governor hidden by moderators"),
}
PUBLIC_CHARTS = (
    "participation",
    "regions",
    "funnel",
    "answers",
    "governor",
    "measures",
)
OFFICIAL_CHARTS = (*PUBLIC_CHARTS, "hidden", "departments")

# SVG geometry, in the viewBox's units (the chart scales to the page's width).
WIDTH = 640
LEFT = 56  # room for the scale's numbers
RIGHT = 8
PLOT = 110  # height of the bars' area
PANEL = 170  # one series: its name, bars, category names, a gap
LABELLED = 12  # up to this many bars, each is named; beyond, the first and last


@dataclass(frozen=True)
class Bar:
    x: float
    y: float
    width: float
    height: float
    category: str
    value: str
    labelled: bool
    # Where its name is written: under its middle, or, for the first and last of
    # many thin bars, from its left or up to its right edge (inside the chart).
    label_x: float = 0
    anchor: str = "middle"


@dataclass(frozen=True)
class Panel:
    label: str
    top: int
    high: str
    bars: list[Bar]


@dataclass
class Chart:
    key: str
    title: str
    description: str
    category_label: str
    categories: list[str]  # shown
    csv_categories: list[str]  # written to the file (dates as ISO dates)
    columns: list[tuple[str, list[float | None]]]

    @property
    def height(self) -> int:
        return PANEL * len(self.columns)

    def rows(self) -> list[tuple[str, list[str]]]:
        symbols = locale_symbols()
        return [
            (category, [number(values[i], symbols) for _label, values in self.columns])
            for i, category in enumerate(self.categories)
        ]

    def panels(self) -> list[Panel]:
        """One bar chart per column, each on its own scale."""
        panels = []
        symbols = locale_symbols()
        count = len(self.categories)
        slot = (WIDTH - LEFT - RIGHT) / max(count, 1)
        for index, (label, values) in enumerate(self.columns):
            high = max((v for v in values if v is not None), default=0) or 1
            bars = []
            for i, value in enumerate(values):
                if value is None:
                    continue
                height = PLOT * value / high
                bars.append(
                    Bar(
                        x=round(LEFT + i * slot + slot * 0.1, 2),
                        y=round(24 + PLOT - height, 2),
                        width=round(max(slot * 0.8, 1), 2),
                        height=round(height, 2),
                        category=self.categories[i],
                        value=number(value, symbols),
                        labelled=count <= LABELLED or i in (0, count - 1),
                        **_label_place(i, count, LEFT + i * slot, slot),
                    )
                )
            panels.append(Panel(label, PANEL * index, number(high, symbols), bars))
        return panels

    @property
    def summary(self) -> str:
        """What the bars show, in words: for <desc>."""
        parts = [self.description]
        for label, values in self.columns:
            known = [
                (v, c)
                for v, c in zip(values, self.categories, strict=True)
                if v is not None
            ]
            if known:
                value, category = max(known, key=lambda pair: pair[0])
                parts.append(
                    _(
                        "%(series)s: highest %(value)s (%(category)s).",
                        series=label,
                        value=number(value),
                        category=category,
                    )
                )
        return " ".join(parts)

    def csv(self) -> str:
        header = [self.category_label, *(label for label, _values in self.columns)]
        rows = (
            [
                category,
                *(
                    "" if values[i] is None else values[i]
                    for _l, values in self.columns
                ),
            ]
            for i, category in enumerate(self.csv_categories)
        )
        return csv_text(header, rows)


def _label_place(i: int, count: int, left: float, slot: float) -> dict:
    if count > LABELLED and i == 0:
        return {"label_x": round(left, 2), "anchor": "start"}
    if count > LABELLED and i == count - 1:
        return {"label_x": round(left + slot, 2), "anchor": "end"}
    return {"label_x": round(left + slot / 2, 2), "anchor": "middle"}


def number(value, symbols: tuple[str, str] | None = None) -> str:
    """A count (or a one-decimal figure) in the reader's notation: 36.110 in pt-BR.

    Babel's format_decimal costs tens of microseconds a call, and a weekly chart
    has thousands of numbers: the locale's two symbols are looked up once."""
    if value is None:
        return "—"
    group, decimal = symbols or locale_symbols()
    if isinstance(value, float) and not value.is_integer():
        text = f"{value:,.1f}"
    else:
        text = f"{int(value):,}"
    return text.replace(",", "\0").replace(".", decimal).replace("\0", group)


def locale_symbols() -> tuple[str, str]:
    """The reader's grouping and decimal symbols."""
    locale = get_locale()
    return get_group_symbol(locale), get_decimal_symbol(locale)


def period_labels(keys: list[str], period: str) -> list[str]:
    """Periods ('YYYY-MM-DD' of their first day) as the reader names them: "Mar
    2019", or "Week of 2019-03-04". A weekly chart of years of data has hundreds:
    the month names and the sentence are looked up once, not per label."""
    if period == "week":
        sentence = _("Week of %(date)s", date="\0")
        return [sentence.replace("\0", key) for key in keys]
    names = get_month_names("abbreviated", "stand-alone", locale=get_locale())
    labels = []
    for key in keys:
        day = date.fromisoformat(key)
        labels.append(f"{names[day.month]} {day.year}")
    return labels


def _columns(series: Series, labels: dict) -> list[tuple[str, list]]:
    return [
        (str(labels[name]), series.values[name])
        for name in labels
        if name in series.values
    ]


def charts(figures: Figures, period: str, official: bool) -> dict[str, Chart]:
    """The dashboard's charts, by key, in the page's order."""
    found = {}
    part = figures.participation
    found["participation"] = Chart(
        "participation",
        _("Participation per week")
        if period == "week"
        else _("Participation per month"),
        _("Ideas proposed, supports given and people who did either, per period."),
        _("Period"),
        period_labels(part.keys, period),
        part.keys,
        _columns(part, SERIES_LABELS),
    )
    if figures.regions is not None:
        found["regions"] = Chart(
            "regions",
            _("Participation per region"),
            _("The same, per region or community of the questions."),
            _("Region"),
            [k or _("No region") for k in figures.regions.keys],
            [k or _("No region") for k in figures.regions.keys],
            _columns(figures.regions, SERIES_LABELS),
        )
    funnel_labels = [idea_status_label(k) for k in figures.funnel.keys]
    found["funnel"] = Chart(
        "funnel",
        _("From submitted to implemented"),
        _(
            "Ideas at each status now, and ideas that reached it (now there or "
            "further on, or declined from there or further on)."
        ),
        _("Status"),
        funnel_labels,
        funnel_labels,
        [
            (_("Ideas there now"), figures.funnel.values["now"]),
            (_("Ideas that reached it"), figures.funnel.values["reached"]),
        ],
    )
    answer_labels = [str(label) for label in ledger.CATEGORIES.values()]
    found["answers"] = Chart(
        "answers",
        _("Answers and their deadlines"),
        _("Ideas by their first public response, against their question's deadline."),
        _("Answer"),
        answer_labels,
        answer_labels,
        [(_("Ideas"), list(figures.answers.as_dict().values()))],
    )
    governor_labels = [str(GOVERNOR_LABELS[k]) for k in figures.governor.keys]
    found["governor"] = Chart(
        "governor",
        _("Questions to the governor"),
        _("Questions citizens asked the governor, by what became of them."),
        _("Status"),
        governor_labels,
        governor_labels,
        [(_("Questions"), figures.governor.values["questions"])],
    )
    measure_labels = [measure_status_label(k) for k in figures.measures.keys]
    measure_columns = [(_("Measures"), figures.measures.values["measures"])]
    if "progress" in figures.measures.values:
        measure_columns.append(
            (_("Mean progress (%)"), figures.measures.values["progress"])
        )
    found["measures"] = Chart(
        "measures",
        _("Measures by status"),
        _("Measures the government announced, by status."),
        _("Status"),
        measure_labels,
        measure_labels,
        measure_columns,
    )
    if official and figures.hidden is not None:
        hidden_labels = [str(HIDDEN_LABELS[k]) for k in figures.hidden.keys]
        found["hidden"] = Chart(
            "hidden",
            _("Left out of the public figures"),
            _("Items the public dashboard does not count."),
            _("Items"),
            hidden_labels,
            hidden_labels,
            [(_("Count"), figures.hidden.values["count"])],
        )
    if official and figures.departments is not None:
        departments = figures.departments
        columns = [
            (_("First responses"), departments.values["answered"]),
            (_("Median days to answer"), departments.values["median_days"]),
            (_("Answered on time"), departments.values["on_time"]),
        ]
        if "measures" in departments.values:
            columns.append((_("Measures"), departments.values["measures"]))
        found["departments"] = Chart(
            "departments",
            _("First responses per department"),
            _("Departments that signed ideas' first public responses."),
            _("Department"),
            departments.keys,
            departments.keys,
            columns,
        )
    return found


def share(value: float | None) -> str:
    return "—" if value is None else format_percent(value)
