"""Chart geometry for the packs' inline SVG: the numbers go to the template, which draws them."""

from __future__ import annotations

from decimal import Decimal
from typing import Any


def bar_chart(items: list[tuple[str, Decimal, str]], width: int = 640, label_width: int = 190,
              value_width: int = 80, bar_height: int = 22, gap: int = 10) -> dict[str, Any]:
    """Geometry of a horizontal bar chart whose bars start at zero, negative to the left."""
    values = [Decimal(v) for _, v, _ in items]
    low, high = min([Decimal(0), *values]), max([Decimal(0), *values])
    plot_left, plot_width = label_width, width - label_width - value_width
    scale = Decimal(plot_width) / (high - low) if high != low else Decimal(0)
    zero_x = plot_left + float((0 - low) * scale)
    bars = []
    for i, (label, value, display) in enumerate(items):
        w = float(abs(value) * scale)
        x = zero_x - w if value < 0 else zero_x
        bars.append({"label": label, "short_label": label if len(label) <= 28 else label[:27] + "…",
                     "display": display, "negative": value < 0, "x": round(x, 1),
                     "w": round(w, 1), "y": gap + i * (bar_height + gap), "h": bar_height})
    return {"width": width, "height": gap + len(items) * (bar_height + gap),
            "label_width": label_width, "zero_x": round(zero_x, 1), "bars": bars}


def line_chart(items: list[tuple[str, Decimal | None, str]], width: int = 640, height: int = 240,
               left: int = 40, right: int = 40, top: int = 30, bottom: int = 56
               ) -> dict[str, Any]:
    """Geometry of a line chart over time: (label, value or None, formatted value) per point.

    A None value (not returned, or hidden by disclosure control) leaves a gap in the line
    and no dot, so the chart never gives away what the table hides. The vertical scale
    fits the values, padded, and need not start at zero: trends in a percentage matter
    more than its distance from zero, and every point is labelled with its value anyway.
    """
    values = [Decimal(v) for _, v, _ in items if v is not None]
    low, high = (min(values), max(values)) if values else (Decimal(0), Decimal(1))
    pad = (high - low) * Decimal("0.2") if high != low else (abs(high) * Decimal("0.1") or 1)
    low, high = low - pad, high + pad
    plot_w, plot_h = width - left - right, height - top - bottom
    step = Decimal(plot_w) / max(len(items) - 1, 1)
    points, segments, run = [], [], []
    for i, (label, value, display) in enumerate(items):
        x = float(left + step * i) if len(items) > 1 else left + plot_w / 2
        y = None if value is None else float(
            top + (high - Decimal(value)) / (high - low) * plot_h)
        points.append({"label": label, "display": display, "x": round(x, 1),
                       "y": None if y is None else round(y, 1)})
        if y is None:
            if len(run) > 1:
                segments.append(run)
            run = []
        else:
            run.append(f"{round(x, 1)},{round(y, 1)}")
    if len(run) > 1:
        segments.append(run)
    # A dip's label goes under its dot, where the line does not run through it.
    for i, p in enumerate(points):
        if p["y"] is None:
            continue
        near = [q["y"] for q in points[max(i - 1, 0):i + 2] if q is not p and q["y"] is not None]
        below = bool(near) and all(p["y"] > y for y in near)
        p["label_y"] = round(p["y"] + 18 if below else p["y"] - 10, 1)
    return {"width": width, "height": height, "top": top, "baseline": height - bottom,
            "left": left, "right": width - right, "points": points,
            "lines": [" ".join(s) for s in segments]}


def dot_plot(items: list[tuple[str, Decimal, str, bool]], median: Decimal | None = None,
             width: int = 460, label_width: int = 170, value_width: int = 70,
             row_height: int = 20, top: int = 10) -> dict[str, Any]:
    """Geometry of a dot plot: one row per area (label, value, formatted value, is the
    council), in the order given, on a scale fitted to the values (padded, not from
    zero: the spread between the areas is the point); the median as a line."""
    values = [Decimal(v) for _, v, _, _ in items]
    low, high = (min(values), max(values)) if values else (Decimal(0), Decimal(1))
    pad = (high - low) * Decimal("0.05") if high != low else (abs(high) * Decimal("0.1") or 1)
    low, high = low - pad, high + pad
    plot_left, plot_width = label_width, width - label_width - value_width
    scale = Decimal(plot_width) / (high - low)

    def x(v: Decimal) -> float:
        return round(float(plot_left + (Decimal(v) - low) * scale), 1)

    dots = [{"label": label, "short_label": label if len(label) <= 24 else label[:23] + "…",
             "display": display, "council": council, "x": x(value),
             "y": top + i * row_height + row_height / 2}
            for i, (label, value, display, council) in enumerate(items)]
    height = top * 2 + len(items) * row_height
    return {"width": width, "height": height, "label_width": label_width,
            "plot_left": plot_left, "plot_right": plot_left + plot_width, "dots": dots,
            "median_x": None if median is None else x(Decimal(median)),
            "top": top, "bottom": height - top}
