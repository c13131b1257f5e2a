"""Small bar charts as inline SVG, drawn here (no plotting service): the PDF summary's figures at a glance.

Labels are supplier text (facility names) and are escaped; numbers are formatted here, never taken as markup.
"""

from dataclasses import dataclass
from decimal import Decimal

from django.utils.html import format_html
from django.utils.safestring import SafeString, mark_safe

LABEL_WIDTH = 190
BAR_AREA = 300
VALUE_WIDTH = 90
ROW_HEIGHT = 22
BAR_HEIGHT = 14
TOP = 24
# Presentation attributes rather than classes: the SVG is drawn apart from the page's stylesheet.
TEXT_STYLE = mark_safe('font-family="DejaVu Sans, sans-serif" font-size="8.5" fill="#333"')
TITLE_STYLE = mark_safe('font-family="DejaVu Sans, sans-serif" font-size="9" font-weight="bold" fill="#1a1a1a"')


@dataclass(frozen=True)
class Bar:
    label: str
    value: Decimal | float | int | None
    note: str = ""  # shown after the value instead of the unit, e.g. "of 5"
    maximum: Decimal | float | int | None = None  # the bar's own full length, e.g. a criterion's highest score


def _number(value) -> str:
    number = Decimal(str(value))
    if number == number.to_integral_value():
        return f"{int(number):,}"
    return f"{number.normalize():,f}"


def _shorten(text: str, limit: int = 30) -> str:
    text = " ".join(str(text).split())
    return text if len(text) <= limit else f"{text[: limit - 1]}…"


def bar_chart_svg(
    *, title: str, bars: list[Bar], unit: str = "", maximum: Decimal | float | int | None = None
) -> SafeString:
    """A horizontal bar chart; bars without a value are drawn empty and marked "not given"."""
    values = [Decimal(str(bar.value)) for bar in bars if bar.value is not None]
    top = Decimal(str(maximum)) if maximum is not None else max(values, default=Decimal(0))
    width = LABEL_WIDTH + BAR_AREA + VALUE_WIDTH
    height = TOP + ROW_HEIGHT * max(len(bars), 1) + 6
    parts = [
        format_html(
            '<svg xmlns="http://www.w3.org/2000/svg" class="chart" width="{}" height="{}" viewBox="0 0 {} {}" '
            'role="img" aria-label="{}">',
            width,
            height,
            width,
            height,
            title,
        ),
        format_html('<text x="0" y="14" {}>{}</text>', TITLE_STYLE, title),
    ]
    for index, bar in enumerate(bars):
        y = TOP + index * ROW_HEIGHT
        length = 0
        full = Decimal(str(bar.maximum)) if bar.maximum is not None else top
        if bar.value is not None and full > 0:
            length = int(BAR_AREA * min(Decimal(str(bar.value)), full) / full)
        shown = "not given" if bar.value is None else f"{_number(bar.value)} {bar.note or unit}".strip()
        parts.append(
            format_html(
                '<text x="{}" y="{}" {} text-anchor="end">{}</text>'
                '<rect x="{}" y="{}" width="{}" height="{}" fill="#eef1f5"/>'
                '<rect x="{}" y="{}" width="{}" height="{}" fill="#0b5cad"/>'
                '<text x="{}" y="{}" {}>{}</text>',
                LABEL_WIDTH - 8,
                y + BAR_HEIGHT - 3,
                TEXT_STYLE,
                _shorten(bar.label),
                LABEL_WIDTH,
                y,
                BAR_AREA,
                BAR_HEIGHT,
                LABEL_WIDTH,
                y,
                length,
                BAR_HEIGHT,
                LABEL_WIDTH + BAR_AREA + 6,
                y + BAR_HEIGHT - 3,
                TEXT_STYLE,
                shown,
            )
        )
    if not bars:
        parts.append(format_html('<text x="0" y="{}" {}>{}</text>', TOP + 12, TEXT_STYLE, "Nothing to show."))
    parts.append("</svg>")
    return mark_safe("".join(str(part) for part in parts))  # noqa: S308 - every piece above went through format_html
