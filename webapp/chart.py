"""The timeline as a small bar chart: geometry for the SVG the search page draws on the server
(no script), and the labels its axis and its text equivalent show."""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date

WIDTH = 640  # the chart's drawing width, in SVG units (it scales with the page)
BARS_HEIGHT = 90  # the height of the tallest bar
AXIS_HEIGHT = 18  # room under the bars for the axis labels
TOP = 14  # room above the tallest bar for the label of its count
LABEL_EVERY_AT_LEAST = 90  # SVG units between axis labels, so they never overlap
GAP = 0.15  # share of each bar's slot left empty


@dataclass(slots=True)
class Bar:
    """One bucket drawn: its box, its label, its count and where clicking it goes."""

    x: float
    y: float
    width: float
    height: float
    label: str
    count: int
    start: str
    end: str  # excluded
    url: str = ""


@dataclass(slots=True)
class Chart:
    """The whole drawing: bars, axis labels (x, text) and sizes."""

    bars: list[Bar]
    ticks: list[tuple[float, str]]
    unit: str  # "day", "week" or "month"
    width: int = WIDTH
    height: int = TOP + BARS_HEIGHT + AXIS_HEIGHT
    top: int = TOP
    axis_y: int = TOP + BARS_HEIGHT
    peak: int = 0


def bucket_unit(bucket: dict) -> str:
    """Whether a timeline bucket is a day, a week or a month."""
    days = (date.fromisoformat(bucket["end"]) - date.fromisoformat(bucket["start"])).days
    return "day" if days == 1 else "week" if days == 7 else "month"


def bucket_label(bucket: dict, unit: str) -> str:
    """How a bucket is named: 2025-03-14, week of 2025-03-10, 2025-03."""
    if unit == "month":
        return bucket["start"][:7]
    return f"week of {bucket['start']}" if unit == "week" else bucket["start"]


def make_chart(buckets: list[dict]) -> Chart | None:
    """The chart of a timeline (None when nothing in it has a date)."""
    if not buckets:
        return None
    unit = bucket_unit(buckets[0])
    peak = max(b["count"] for b in buckets) or 1
    slot = WIDTH / len(buckets)
    bars = []
    for n, b in enumerate(buckets):
        height = round(BARS_HEIGHT * b["count"] / peak, 1)
        if b["count"] and height < 1:
            height = 1.0  # one story still shows
        bars.append(Bar(x=round(n * slot + slot * GAP / 2, 2), y=round(TOP + BARS_HEIGHT - height, 1),
                        width=round(max(slot * (1 - GAP), 0.5), 2), height=height,
                        label=bucket_label(b, unit), count=b["count"], start=b["start"], end=b["end"]))
    every = max(1, round(LABEL_EVERY_AT_LEAST / slot + 0.5))
    ticks = [(round(n * slot, 1), b["start"][:7] if unit == "month" else b["start"])
             for n, b in enumerate(buckets) if n % every == 0 and n * slot <= WIDTH - LABEL_EVERY_AT_LEAST / 1.5]
    return Chart(bars=bars, ticks=ticks, unit=unit, peak=peak)
