"""Look and feel shared by every page: colour-blind-safe colormaps, figure text size, figure styling.

Projector mode is the one cross-page setting. `app/main.py` owns its toggle (key `PROJECTOR_KEY`);
everything else reads it through `projector()` instead of passing a flag down. A cached figure builder
runs inside `with using(mode):` (the mode being part of its cache key), which `projector()` reads first.

Importing this module costs no numpy or plotly (Home imports it): the lookup tables are built on first use.
"""

from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from functools import cache

import streamlit as st

PROJECTOR_KEY = "projector"  # bool in st.session_state, mirrored in the URL as ?projector=1
_MODE: ContextVar[bool | None] = ContextVar("projector_mode", default=None)  # set only inside using()


def projector() -> bool:
    """True in projector mode: the mode of the enclosing `using()` block, else this session's."""
    mode = _MODE.get()
    return bool(st.session_state.get(PROJECTOR_KEY, False)) if mode is None else mode


@contextmanager
def using(mode: bool) -> Iterator[None]:
    """Within the block, `projector()` and the figure helpers read `mode`, whatever the session holds."""
    token = _MODE.set(bool(mode))
    try:
        yield
    finally:
        _MODE.reset(token)


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


def _lut(colors: list[str]):
    """(256, 3) uint8 numpy lookup table interpolated between the colour stops."""
    import numpy as np

    stops = np.array([[int(c[i:i + 2], 16) for i in (1, 3, 5)] for c in colors], dtype=np.float64)
    xs = np.linspace(0, 1, len(colors))
    grid = np.linspace(0, 1, 256)
    return np.stack([np.interp(grid, xs, stops[:, ch]) for ch in range(3)], axis=1).round().astype(np.uint8)


@cache
def _luts() -> dict:
    lut = {"DIVERGING_LUT": _lut(DIVERGING), "SEQUENTIAL_LUT": _lut(SEQUENTIAL)}
    for table in lut.values():
        table.flags.writeable = False
    return lut


def __getattr__(name: str):
    """DIVERGING_LUT and SEQUENTIAL_LUT, (256, 3) uint8, built on first use."""
    if name in ("DIVERGING_LUT", "SEQUENTIAL_LUT"):
        return _luts()[name]
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


def colorize(values, lut, vmin: float, vmax: float):
    """Map an (H, W) float array to an (H, W, 3) uint8 image through a (256, 3) lookup table."""
    import numpy as np

    span = vmax - vmin if vmax > vmin else 1.0
    idx = np.clip((np.nan_to_num(values) - vmin) / span * 255.0, 0, 255).astype(np.uint8)
    return lut[idx]


# The one figure text size, in CSS px (plotly fonts, SVG and HTML figures). Projector figures are read from
# the back row at 1024 px wide, so they never go under 18 px; normal mode never under 12 px.
FIGURE_TEXT_PX = 14
FIGURE_TEXT_PX_PROJECTOR = 22  # about 1.4x, like the page text (html font-size 22.4 px)
FONT_NORMAL, FONT_PROJECTOR = FIGURE_TEXT_PX, FIGURE_TEXT_PX_PROJECTOR


def font_size() -> int:
    """Figure text size in CSS px."""
    return FIGURE_TEXT_PX_PROJECTOR if projector() else FIGURE_TEXT_PX


def line_width() -> float:
    return 4.0 if projector() else 2.0


def marker_size() -> int:
    return 12 if projector() else 7


def style_figure(fig):
    """Apply ConvLab's chart style to a plotly Figure: legible fonts, thick lines in projector mode."""
    on = projector()
    size = font_size()
    fig.update_layout(
        font=dict(size=size, color="#000000" if on else "#111111"),
        paper_bgcolor="#ffffff",
        plot_bgcolor="#ffffff",
        margin=dict(l=10, r=10, t=40 if fig.layout.title.text else 10, b=10),
        hoverlabel=dict(font_size=size),
    )
    fig.update_traces(line_width=line_width(), selector=dict(type="scatter"))
    fig.update_traces(marker_size=marker_size(), selector=dict(mode="markers"))
    fig.update_traces(marker_size=marker_size(), selector=dict(mode="lines+markers"))
    fig.update_annotations(font_size=size)
    return fig
