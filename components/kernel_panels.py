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
LEFT, BOTTOM, TOP = 56, 44, 12


def _tick(v: float) -> str:
    return f"{v:.3g}"


def histogram_svg(counts: np.ndarray, edges: np.ndarray, lo: float | None, hi: float | None) -> str:
    """counts (B,), edges (B+1,): bars of the output values; dashed lines at the shown range lo..hi.

    Drawn at most W px wide (never scaled up), so its text is the theme's figure size in CSS px."""
    fs = font_size()
    x0, x1 = float(edges[0]), float(edges[-1])
    top = float(counts.max()) or 1.0
    sx = (W - LEFT - 10) / (x1 - x0)
    sy = (H - BOTTOM - TOP) / top
    base = H - BOTTOM
    path = "".join(f"M{LEFT + (a - x0) * sx:.1f} {base}V{base - c * sy:.1f}H{LEFT + (b - x0) * sx:.1f}V{base}Z"
                   for a, b, c in zip(edges[:-1], edges[1:], counts, strict=True) if c)
    parts = [f'<path d="{path}" fill="{CATEGORICAL[0]}"/>',
             f'<line x1="{LEFT}" y1="{base}" x2="{W - 10}" y2="{base}" stroke="#000" stroke-width="1.5"/>',
             f'<line x1="{LEFT}" y1="{TOP}" x2="{LEFT}" y2="{base}" stroke="#000" stroke-width="1.5"/>']
    for v in (lo, hi):
        if v is not None and x0 <= v <= x1:
            x = LEFT + (v - x0) * sx
            parts.append(f'<line x1="{x:.1f}" y1="{TOP}" x2="{x:.1f}" y2="{base}" stroke="{CATEGORICAL[3]}" '
                         f'stroke-width="{line_width() * 1.5:g}" stroke-dasharray="6 4"/>')
    for v, anchor in ((x0, "start"), (x1, "end")):
        parts.append(f'<text x="{LEFT + (v - x0) * sx:.1f}" y="{base + fs + 4}" text-anchor="{anchor}">{_tick(v)}</text>')
    if x0 < 0 < x1:
        parts.append(f'<text x="{LEFT - x0 * sx:.1f}" y="{base + fs + 4}" text-anchor="middle">0</text>')
    parts.append(f'<text x="{LEFT - 6}" y="{TOP + fs}" text-anchor="end">{int(top)}</text>'
                 f'<text x="{LEFT - 6}" y="{base}" text-anchor="end">0</text>'
                 f'<text x="{(LEFT + W) / 2:.0f}" y="{H - 4}" text-anchor="middle">output value</text>')
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
