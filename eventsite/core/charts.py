"""Bar and column charts as accessible SVG, drawn on the server.

Our own module rather than a charting library, because the charts must hold under the site's
strict Content Security Policy when inlined in a page: pygal writes a <style> element and a
<script> into every SVG (both refused by `style-src 'self'` and `script-src 'self'` when inline,
which leaves its charts black and unlabelled), knows no right-to-left layout, and its PNG goes
through cairosvg, whose text does not shape Arabic; matplotlib's SVG backend costs some 40 MiB and
a second of import for the same bars. Here every colour and size is a presentation attribute
(`fill="…"`, allowed by the CSP, unlike `style="…"`), so the same markup is inlined in the page
and downloaded as a file; the chart is an image with a title and a description (`role="img"`),
and the page shows its numbers as a table beside it.

A chart is plain data (`Chart`); `svg()` lays it out left to right or, for Arabic, mirrored.
"""
from collections.abc import Callable
from dataclasses import dataclass, field
from html import escape

# Colours with at least 3:1 against white (WCAG non-text contrast), told apart in the legend by name.
PALETTE = ("#1f5fa8", "#c2410c", "#15803d", "#7e22ce", "#b91c1c", "#0f766e", "#a16207", "#4b5563")
TEXT, MUTED, GRID = "#1a1a1a", "#4b5563", "#d1d5db"
# One font per script: the PNG renderer (usvg in Typst) takes only the first family it is given.
FONTS = {"ar": "IBM Plex Sans Arabic", "zh": "Noto Sans SC"}
DEFAULT_FONT = "Noto Sans"
WIDTH = 640


@dataclass
class Series:
    name: str
    values: list[float]


@dataclass
class Chart:
    """One chart and its table: a value per category for each series."""
    key: str                      # the name in download addresses
    title: str
    description: str              # the text alternative: what the chart shows, in a sentence or two
    category_label: str           # the table's first column header
    categories: list[str]
    series: list[Series]
    kind: str = "bars"            # "bars" (horizontal, for categories) or "columns" (vertical, for days)
    stacked: bool = False
    notes: list[str] = field(default_factory=list)

    def rows(self) -> list[list]:
        """The table: one row per category, its label then a value per series."""
        return [[category, *(s.values[i] for s in self.series)] for i, category in enumerate(self.categories)]

    @property
    def header(self) -> list[str]:
        return [self.category_label, *(s.name for s in self.series)]

    @property
    def total(self) -> float:
        return sum(sum(s.values) for s in self.series)


def _nice_ceiling(value: float) -> tuple[float, float]:
    """An axis maximum at or above value and its tick step (1, 2 or 5 times a power of ten)."""
    if value <= 0:
        return 1, 1
    magnitude = 1
    while magnitude * 10 <= value:
        magnitude *= 10
    while magnitude > value:
        magnitude /= 10
    for step in (magnitude / 5, magnitude / 2, magnitude, magnitude * 2, magnitude * 5, magnitude * 10):
        if step >= 1 or value < 5:
            ticks = -(-value // step)
            if ticks <= 5:
                return ticks * step, step
    return value, value


def _shorten(text: str, limit: int) -> str:
    return text if len(text) <= limit else text[:limit - 1].rstrip() + "…"


class _Canvas:
    """SVG elements in physical coordinates; `x()` mirrors them for right-to-left charts."""

    def __init__(self, width: float, rtl: bool, physical_anchors: bool = False):
        self.width, self.rtl, self.parts = width, rtl, []
        self.physical_anchors = physical_anchors

    def x(self, value: float) -> float:
        return self.width - value if self.rtl else value

    def rect(self, x: float, y: float, w: float, h: float, fill: str, **data) -> None:
        left = self.x(x + w) if self.rtl else x
        extra = "".join(f' data-{k}="{escape(str(v))}"' for k, v in data.items())
        self.parts.append(f'<rect x="{left:.1f}" y="{y:.1f}" width="{max(w, 0):.1f}" height="{h:.1f}" '
                          f'fill="{fill}"{extra}/>')

    def line(self, x1: float, y1: float, x2: float, y2: float, colour: str = GRID) -> None:
        self.parts.append(f'<line x1="{self.x(x1):.1f}" y1="{y1:.1f}" x2="{self.x(x2):.1f}" y2="{y2:.1f}" '
                          f'stroke="{colour}" stroke-width="1"/>')

    def text(self, x: float, y: float, text: str, *, toward: str = "after", size: int = 12,
             colour: str = TEXT, weight: str | None = None) -> None:
        """Text beginning at x and running in the reading direction ("after"), ending at x ("before"), or centred."""
        # Browsers read text-anchor in the text's direction (the SVG says rtl for Arabic, and an inline SVG
        # inherits the page's): "start" is the right end of Arabic text. usvg (the PNG) reads it physically.
        if toward == "middle":
            anchor = "middle"
        elif self.physical_anchors and self.rtl:
            anchor = "end" if toward == "after" else "start"
        else:
            anchor = "start" if toward == "after" else "end"
        bold = f' font-weight="{weight}"' if weight else ""
        self.parts.append(f'<text x="{self.x(x):.1f}" y="{y:.1f}" text-anchor="{anchor}" font-size="{size}" '
                          f'fill="{colour}"{bold}>{escape(text)}</text>')


def _legend(canvas: _Canvas, chart: Chart, y: float) -> float:
    if len(chart.series) < 2:
        return y
    x = 8.0
    for i, series in enumerate(chart.series):
        label = _shorten(series.name, 28)
        advance = 24 + 7 * len(label)
        if x + advance > canvas.width - 8:
            x, y = 8.0, y + 20
        canvas.rect(x, y - 10, 12, 12, PALETTE[i % len(PALETTE)])
        canvas.text(x + 17, y, label, size=12)
        x += advance
    return y + 20


def _bars(canvas: _Canvas, chart: Chart, top: float, number: Callable) -> float:
    label_width, value_room = 200.0, 56.0
    plot_left, plot_right = label_width + 8, canvas.width - value_room
    n_series = 1 if chart.stacked else len(chart.series)
    bar, gap = 16.0, 10.0
    row = bar * n_series + gap
    totals = [sum(s.values[i] for s in chart.series) for i in range(len(chart.categories))]
    peak = max(totals if chart.stacked else [v for s in chart.series for v in s.values] or [0])
    axis_max, step = _nice_ceiling(peak)
    scale = (plot_right - plot_left) / axis_max
    height = row * len(chart.categories)
    tick = 0.0
    while tick <= axis_max + 1e-9:
        x = plot_left + tick * scale
        canvas.line(x, top, x, top + height)
        canvas.text(x, top + height + 14, number(tick), toward="middle", size=11, colour=MUTED)
        tick += step
    for i, category in enumerate(chart.categories):
        y = top + i * row
        canvas.text(label_width, y + (row - gap) / 2 + 4, _shorten(category, 30), toward="before")
        offset = 0.0
        for j, series in enumerate(chart.series):
            value = series.values[i]
            bar_y = y if chart.stacked else y + j * bar
            start = offset if chart.stacked else 0.0
            canvas.rect(plot_left + start * scale, bar_y, value * scale, bar - 2, PALETTE[j % len(PALETTE)],
                        value=value, series=j, category=i)
            if chart.stacked:
                offset += value
            else:
                canvas.text(plot_left + value * scale + 4, bar_y + bar / 2 + 2, number(value), size=11)
        if chart.stacked:
            canvas.text(plot_left + offset * scale + 4, y + bar / 2 + 2, number(offset), size=11)
    return top + height + 22


def _columns(canvas: _Canvas, chart: Chart, top: float, number: Callable) -> float:
    axis_room, plot_height = 44.0, 200.0
    plot_left, plot_right = axis_room, canvas.width - 8
    count = max(len(chart.categories), 1)
    slot = (plot_right - plot_left) / count
    n_series = 1 if chart.stacked else len(chart.series)
    width = min(slot * 0.8 / n_series, 40)
    totals = [sum(s.values[i] for s in chart.series) for i in range(len(chart.categories))]
    peak = max(totals if chart.stacked else [v for s in chart.series for v in s.values] or [0])
    axis_max, step = _nice_ceiling(peak)
    scale = plot_height / axis_max
    bottom = top + plot_height
    tick = 0.0
    while tick <= axis_max + 1e-9:
        y = bottom - tick * scale
        canvas.line(plot_left, y, plot_right, y)
        canvas.text(plot_left - 4, y + 4, number(tick), toward="before", size=11, colour=MUTED)
        tick += step
    every = max(1, -(-count // 12))  # at most a dozen labels along the axis
    for i, category in enumerate(chart.categories):
        x0 = plot_left + i * slot + (slot - width * n_series) / 2
        offset = 0.0
        for j, series in enumerate(chart.series):
            value = series.values[i]
            x = x0 if chart.stacked else x0 + j * width
            base = offset if chart.stacked else 0.0
            canvas.rect(x, bottom - (base + value) * scale, width - (0 if chart.stacked else 1), value * scale,
                        PALETTE[j % len(PALETTE)], value=value, series=j, category=i)
            if chart.stacked:
                offset += value
            elif count * n_series <= 16:
                canvas.text(x + width / 2, bottom - value * scale - 4, number(value), toward="middle", size=11)
        if chart.stacked and count <= 16:
            canvas.text(x0 + width / 2, bottom - offset * scale - 4, number(offset), toward="middle", size=11)
        if i % every == 0:
            canvas.text(plot_left + i * slot + slot / 2, bottom + 16, _shorten(category, 18), toward="middle",
                        size=11)
    return bottom + 30


def svg(chart: Chart, *, rtl: bool = False, lang: str = "en", number: Callable = str,
        standalone: bool = False, for_png: bool = False) -> str:
    """The chart as SVG: inline in a page (ids from chart.key), or standalone with its XML namespace
    and a white ground, for download and (for_png) for the PNG renderer."""
    shown = number
    number = lambda value: shown(int(value) if float(value).is_integer() else value)  # noqa: E731
    canvas = _Canvas(WIDTH, rtl, physical_anchors=for_png)
    top = _legend(canvas, chart, 16)
    if not chart.categories:
        canvas.text(WIDTH / 2, top + 20, "—", toward="middle")
        bottom = top + 40
    elif chart.kind == "columns":
        bottom = _columns(canvas, chart, top + (0 if len(chart.series) > 1 else -6), number)
    else:
        bottom = _bars(canvas, chart, top + (0 if len(chart.series) > 1 else -10), number)
    height = round(bottom)
    ident = f"chart-{chart.key}"
    namespace = ' xmlns="http://www.w3.org/2000/svg"' if standalone else ""
    ground = f'<rect width="{WIDTH}" height="{height}" fill="#ffffff"/>' if standalone else ""
    font = FONTS.get(lang.split("_")[0], DEFAULT_FONT)
    return (f'<svg{namespace} class="chart" viewBox="0 0 {WIDTH} {height}" width="{WIDTH}" height="{height}" '
            f'role="img" aria-labelledby="{ident}-title {ident}-desc" font-family="{font}, sans-serif" '
            f'direction="{"rtl" if rtl else "ltr"}" '
            f'lang="{escape(lang.replace("_", "-"))}">'
            f'<title id="{ident}-title">{escape(chart.title)}</title>'
            f'<desc id="{ident}-desc">{escape(chart.description)}</desc>'
            f'{ground}{"".join(canvas.parts)}</svg>')
