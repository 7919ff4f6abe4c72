"""The three small pictures under the Kernels output (kernel as applied, histogram, frequency response),
as one block of plain HTML/SVG: a few kilobytes that the browser draws at once, where three plotly
figures cost tens of milliseconds each on every slider move."""

import base64
import html
import io

import numpy as np
from PIL import Image

from components.kernel_grids import grid_html
from components.theme import CATEGORICAL, SEQUENTIAL_LUT, colorize, font_size, line_width

W, H = 400, 250  # histogram viewBox; drawn at its column's width
TOP = 12
CHAR_EM = 0.65  # a digit or minus of the default sans-serif (DejaVu Sans: 0.64 em) is at most this wide


def _tick(v: float) -> str:
    return f"{v:.3g}"


def _text_width(text: str, fs: float) -> float:
    return CHAR_EM * fs * len(text)


def histogram_svg(counts: np.ndarray, edges: np.ndarray, lo: float | None, hi: float | None) -> str:
    """counts (B,), edges (B+1,): bars of the output values; dashed lines at the shown range lo..hi.

    Drawn at most W px wide (never scaled up), so its text is the theme's figure size in CSS px; the margins
    grow with that size, so the count on the y axis and the ticks above the axis title always fit."""
    fs = font_size()
    x0, x1 = float(edges[0]), float(edges[-1])
    top = float(counts.max()) or 1.0
    left = 10 + _text_width(str(int(top)), fs)
    base = H - (2 * fs + 16)  # the x ticks, then the axis title, under the bars
    sx = (W - left - 10) / (x1 - x0)
    sy = (base - TOP) / top
    path = "".join(f"M{left + (a - x0) * sx:.1f} {base}V{base - c * sy:.1f}H{left + (b - x0) * sx:.1f}V{base}Z"
                   for a, b, c in zip(edges[:-1], edges[1:], counts, strict=True) if c)
    parts = [f'<path d="{path}" fill="{CATEGORICAL[0]}"/>',
             f'<line x1="{left:.1f}" y1="{base}" x2="{W - 10}" y2="{base}" stroke="#000" stroke-width="1.5"/>',
             f'<line x1="{left:.1f}" y1="{TOP}" x2="{left:.1f}" y2="{base}" stroke="#000" stroke-width="1.5"/>']
    for v in (lo, hi):
        if v is not None and x0 <= v <= x1:
            x = left + (v - x0) * sx
            parts.append(f'<line x1="{x:.1f}" y1="{TOP}" x2="{x:.1f}" y2="{base}" stroke="{CATEGORICAL[3]}" '
                         f'stroke-width="{line_width() * 1.5:g}" stroke-dasharray="6 4"/>')
    tick_y = base + fs + 2
    for v, anchor in ((x0, "start"), (x1, "end")):
        parts.append(f'<text x="{left + (v - x0) * sx:.1f}" y="{tick_y}" text-anchor="{anchor}">{_tick(v)}</text>')
    zero = left - x0 * sx
    if x0 < 0 < x1 and left + _text_width(_tick(x0), fs) + 6 < zero - fs * 0.3 \
            and zero + fs * 0.3 < W - 10 - _text_width(_tick(x1), fs) - 6:  # only where it clears the end ticks
        parts.append(f'<text x="{zero:.1f}" y="{tick_y}" text-anchor="middle">0</text>')
    parts.append(f'<text x="{left - 6:.1f}" y="{TOP + fs}" text-anchor="end">{int(top)}</text>'
                 f'<text x="{left - 6:.1f}" y="{base}" text-anchor="end">0</text>'
                 f'<text x="{(left + W) / 2:.0f}" y="{H - 6}" text-anchor="middle">output value</text>')
    svg = (f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {W} {H}" '
           f'style="font-size:{fs}px;font-family:sans-serif;fill:#000">{"".join(parts)}</svg>')
    src = "data:image/svg+xml;base64," + base64.b64encode(svg.encode()).decode()
    return (f'<img src="{src}" alt="Histogram of output values" style="width:100%;max-width:{W}px;display:block">')


def spectrum_img(magnitude: np.ndarray) -> str:
    """(n,n) |FFT|, zero frequency in the centre -> an <img> (viridis, 0 = dark) scaled up without blur."""
    rgb = colorize(magnitude, SEQUENTIAL_LUT, 0.0, float(magnitude.max()) or 1.0)
    buf = io.BytesIO()
    Image.fromarray(rgb).save(buf, format="PNG")
    src = "data:image/png;base64," + base64.b64encode(buf.getvalue()).decode()
    return (f'<img src="{src}" alt="Frequency response" style="width:100%;max-width:300px;aspect-ratio:1;'
            'image-rendering:pixelated;border:1px solid #000;display:block">')


def _panel(title: str, body: str, note: str, fs: int, min_width: int = 220) -> str:
    return (f'<div style="flex:1 1 0;min-width:min({min_width}px,100%)"><div style="font-weight:700;font-size:{fs + 2}px;'
            f'margin-bottom:6px">{html.escape(title)}</div>{body}'
            f'<div style="font-size:{fs}px;color:#333;margin-top:6px;line-height:1.3">{note}</div></div>')


def panels_html(applied: np.ndarray, title: str, counts: np.ndarray, edges: np.ndarray, lo: float | None,
                hi: float | None, magnitude: np.ndarray) -> str:
    """applied: (k,k) kernel as the convolution uses it; magnitude: (n,n) |FFT| of the kernel."""
    fs = font_size()
    kernel = grid_html(applied, "", True)
    return ('<div data-testid="kern-panels" style="display:flex;gap:2rem;flex-wrap:wrap;align-items:flex-start">'
            + _panel(title, kernel, "blue < 0 < red; white = 0", fs)
            + _panel("Histogram of output values", histogram_svg(counts, edges, lo, hi),
                     "dashed: the ends of the range shown as darkest and brightest", fs, min_width=W)
            + _panel("Frequency response |FFT|", spectrum_img(magnitude),
                     "centre = flat areas (zero frequency), edges = finest detail, ±0.5 cycles per pixel; "
                     "bright = passed, dark = blocked", fs)
            + "</div>")
