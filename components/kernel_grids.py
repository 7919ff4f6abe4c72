"""Annotated number grids as HTML tables: fast to build and legible on a projector (used by the inspector)."""

import html

import numpy as np

from components.theme import DIVERGING_LUT, SEQUENTIAL_LUT, colorize, font_size


def _cells(values: np.ndarray, signed: bool) -> np.ndarray:
    m = float(np.abs(values).max()) or 1.0
    if signed:
        return colorize(values, DIVERGING_LUT, -m, m)
    lo, hi = float(values.min()), float(values.max())
    return colorize(values, SEQUENTIAL_LUT, lo, hi if hi > lo else lo + 1)


def grid_html(values: np.ndarray, title: str, signed: bool) -> str:
    """A (k,k) table with each cell coloured like the heatmaps (diverging if signed) and its number printed.

    Numbers are sized from the theme's figure text size."""
    k = values.shape[0]
    colours = _cells(values, signed)
    fs = font_size()
    size = round(fs * 1.4) if k <= 3 else round(fs * 1.1) if k <= 5 else fs
    pad = "0.45em 0.5em" if k <= 5 else "0.2em 0.25em"
    digits = ".3g" if k <= 5 else ".2g"
    rows = []
    for r in range(k):
        tds = []
        for c in range(k):
            red, green, blue = (int(v) for v in colours[r, c])
            ink = "#000" if 0.299 * red + 0.587 * green + 0.114 * blue > 140 else "#fff"
            tds.append(f'<td style="background:rgb({red},{green},{blue});color:{ink};padding:{pad};'
                       f'text-align:center;border:1px solid #fff;font-variant-numeric:tabular-nums">'
                       f"{values[r, c]:{digits}}</td>")
        rows.append("<tr>" + "".join(tds) + "</tr>")
    return (f'<div style="font-size:{size}px;line-height:1.2"><div style="font-weight:700;margin-bottom:4px">'
            f'{html.escape(title)}</div><table style="border-collapse:collapse;margin:0">'
            + "".join(rows) + "</table></div>")
