"""Look and feel shared by every page: colour-blind-safe colormaps, projector CSS, figure styling.

Projector mode is the one cross-page setting. `app/main.py` owns its toggle (key `PROJECTOR_KEY`);
everything else reads it once through `projector()` instead of passing a flag down.
"""

import numpy as np
import plotly.graph_objects as go
import streamlit as st

PROJECTOR_KEY = "projector"  # bool in st.session_state, mirrored in the URL as ?projector=1


def projector() -> bool:
    """True while this session is in projector mode."""
    return bool(st.session_state.get(PROJECTOR_KEY, False))

# Colour-blind-safe colormaps (ColorBrewer RdBu and viridis), low value first.
# DIVERGING is for signed values and must be used with a zero-centred range: blue < 0 < red.
DIVERGING = [
    "#053061", "#2166ac", "#4393c3", "#92c5de", "#d1e5f0", "#f7f7f7",
    "#fddbc7", "#f4a582", "#d6604d", "#b2182b", "#67001f",
]
# SEQUENTIAL is for magnitudes (>= 0): dark purple (low) to yellow (high).
SEQUENTIAL = [
    "#440154", "#482878", "#3e4989", "#31688e", "#26828e",
    "#1f9e89", "#35b779", "#6ece58", "#b5de2b", "#fde725",
]
# Categorical colours (Okabe-Ito), safe for all common colour-vision deficiencies.
CATEGORICAL = ["#0072B2", "#E69F00", "#009E73", "#D55E00", "#CC79A7", "#56B4E9", "#F0E442", "#000000"]


def plotly_scale(colors: list[str]) -> list[list]:
    """A plotly colorscale from evenly spaced colour stops."""
    return [[i / (len(colors) - 1), c] for i, c in enumerate(colors)]


DIVERGING_SCALE = plotly_scale(DIVERGING)
SEQUENTIAL_SCALE = plotly_scale(SEQUENTIAL)


def _lut(colors: list[str]) -> np.ndarray:
    """(256, 3) uint8 lookup table interpolated between the colour stops."""
    stops = np.array([[int(c[i:i + 2], 16) for i in (1, 3, 5)] for c in colors], dtype=np.float64)
    xs = np.linspace(0, 1, len(colors))
    grid = np.linspace(0, 1, 256)
    return np.stack([np.interp(grid, xs, stops[:, ch]) for ch in range(3)], axis=1).round().astype(np.uint8)


DIVERGING_LUT = _lut(DIVERGING)
SEQUENTIAL_LUT = _lut(SEQUENTIAL)


def colorize(values: np.ndarray, lut: np.ndarray, vmin: float, vmax: float) -> np.ndarray:
    """Map an (H, W) float array to an (H, W, 3) uint8 image through a lookup table."""
    span = vmax - vmin if vmax > vmin else 1.0
    idx = np.clip((np.nan_to_num(values) - vmin) / span * 255.0, 0, 255).astype(np.uint8)
    return lut[idx]


FONT_NORMAL = 14
FONT_PROJECTOR = 22  # >= 1.4x, to match the page text


def font_size(projector: bool) -> int:
    return FONT_PROJECTOR if projector else FONT_NORMAL


def line_width(projector: bool) -> float:
    return 4.0 if projector else 2.0


def style_figure(fig: go.Figure, projector: bool) -> go.Figure:
    """Apply ConvLab's chart style: legible fonts, thick lines in projector mode."""
    size = font_size(projector)
    fig.update_layout(
        font=dict(size=size, color="#000000" if projector else "#111111"),
        paper_bgcolor="#ffffff",
        plot_bgcolor="#ffffff",
        margin=dict(l=10, r=10, t=40 if fig.layout.title.text else 10, b=10),
        hoverlabel=dict(font_size=size),
    )
    width = line_width(projector)
    fig.update_traces(line_width=width, selector=dict(type="scatter"))
    fig.update_traces(marker_size=12 if projector else 7, selector=dict(mode="markers"))
    fig.update_traces(marker_size=12 if projector else 7, selector=dict(mode="lines+markers"))
    fig.update_annotations(font_size=size)
    return fig
