"""Cell colours and printed values for the Pooling page's SVG grids (components.pooling_grid)."""

import numpy as np

from components.theme import DIVERGING_LUT, SEQUENTIAL_LUT, colorize
from models.pooling import fmt


def hex_colors(rgb: np.ndarray) -> np.ndarray:
    """(..., 3) uint8 -> (...) '#rrggbb' strings."""
    flat = rgb.reshape(-1, 3)
    return np.array([f"#{r:02x}{g:02x}{b:02x}" for r, g, b in flat]).reshape(rgb.shape[:-1])


def luminance(color: str) -> float:
    """WCAG 2 relative luminance of '#rrggbb'."""
    def channel(v: int) -> float:
        c = v / 255
        return c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4
    r, g, b = (channel(int(color[i:i + 2], 16)) for i in (1, 3, 5))
    return 0.2126 * r + 0.7152 * g + 0.0722 * b


def contrast_ratio(a: str, b: str) -> float:
    """WCAG 2 contrast ratio of two '#rrggbb' colours, 1 to 21."""
    hi, lo = sorted((luminance(a), luminance(b)), reverse=True)
    return (hi + 0.05) / (lo + 0.05)


def ink_for(fill: str) -> str:
    """Black or white text, whichever has the higher contrast on the fill (at least 4.58:1 on any colour)."""
    return "#000000" if contrast_ratio("#000000", fill) >= contrast_ratio("#ffffff", fill) else "#ffffff"


def value_fills(values: np.ndarray, vmin: float | None = None, vmax: float | None = None) -> np.ndarray:
    """Colour per cell: sequential for magnitudes, zero-centred diverging when values go negative."""
    finite = values[np.isfinite(values)]
    values = np.where(np.isfinite(values), values, 0.0)  # a NaN/inf cell is drawn like 0 but printed as is
    lo = float(finite.min(initial=0.0)) if vmin is None else vmin
    hi = float(finite.max(initial=0.0)) if vmax is None else vmax
    if lo < 0:
        bound = max(abs(lo), abs(hi)) or 1.0
        return hex_colors(colorize(values, DIVERGING_LUT, -bound, bound))
    return hex_colors(colorize(values, SEQUENTIAL_LUT, lo, hi if hi > lo else lo + 1))


def text_grid(values: np.ndarray) -> np.ndarray:
    return np.array([[fmt(float(v)) for v in row] for row in values], dtype=object)
