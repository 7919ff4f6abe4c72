"""Sliding-window animation (st.components.v2): the kernel's window walks over a small padded crop while the
output fills in, cell by cell. It plays in the browser (no server rerun per step), at up to 20 steps/s.

The page computes everything (models.convolution.sliding_steps); this widget only draws and steps.
"""

from dataclasses import asdict, dataclass
from pathlib import Path

import streamlit as st

_HERE = Path(__file__).parent

_component = st.components.v2.component(
    "convlab_sliding_window",
    html=(_HERE / "window.html").read_text(),
    css=(_HERE / "window.css").read_text(),
    js=(_HERE / "window.js").read_text(),
)

SPEEDS = (2, 5, 10, 20)  # steps per second offered; 10 is the default


@dataclass(frozen=True)
class SlidingView:
    padded: list  # (P, P) input crop with its padding, rows of floats
    pad: int  # padding cells on each side of the real crop
    k: int  # kernel size
    dilation: int
    out: list  # (Ho, Wo) output values, rows of floats
    tops: list  # per step: top row of the window in padded coordinates (0-based)
    lefts: list  # per step: left column of the window in padded coordinates (0-based)
    sums: list  # per step: the arithmetic as text, "0.20×(-1) + … + bias 0 = 0.1234"
    font_px: int  # cell text size in CSS px (components.theme.font_size)
    note: str = ""  # one line under the controls


def sliding_window(key: str, view: SlidingView) -> None:
    """Mount the animation; it keeps its own step and play state in the browser."""
    _component(key=key, data=asdict(view), width="stretch")
