"""Accessible bar charts drawn on the server as SVG: a title and a description for screen
readers, the values written on the bars, no script. The page shows the data table beside."""

from markupsafe import Markup, escape

WIDTH, BAR, GAP, LABEL = 440, 26, 10, 150


def bar_chart(chart_id, title, description, bars, maximum=None):
    """bars: [(label, value, shown)] where shown is the value as the page writes it."""
    maximum = maximum or max((value for _, value, _ in bars), default=1) or 1
    height = len(bars) * (BAR + GAP) + GAP
    room = WIDTH - LABEL - 70
    parts = [
        f'<svg class="chart" id="{chart_id}" role="img" aria-labelledby="{chart_id}-title {chart_id}-desc" '
        f'viewBox="0 0 {WIDTH} {height}" preserveAspectRatio="xMinYMin meet">',
        f'<title id="{chart_id}-title">{escape(title)}</title>',
        f'<desc id="{chart_id}-desc">{escape(description)}</desc>',
    ]
    for i, (label, value, shown) in enumerate(bars):
        y = GAP + i * (BAR + GAP)
        width = max(2, round(room * value / maximum))
        parts += [
            f'<text class="chart-label" x="{LABEL - 8}" y="{y + BAR * 0.68:.0f}" text-anchor="end">{escape(label)}</text>',
            f'<rect class="chart-bar" x="{LABEL}" y="{y}" width="{width}" height="{BAR}" rx="3"></rect>',
            f'<text class="chart-value" x="{LABEL + width + 6}" y="{y + BAR * 0.68:.0f}">{escape(shown)}</text>',
        ]
    parts.append("</svg>")
    return Markup("".join(parts))
