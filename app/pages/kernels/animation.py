"""Sliding-window animation: the current kernel walks across a small crop, played in the browser."""

import numpy as np
import streamlit as st

from app.pages.kernels import state
from components.layout import plain
from components.sliding_window import SlidingView, sliding_window
from components.theme import font_size
from models.convolution import padded, sliding_steps
from models.kernels import KernelError

MAX_CROP = 12


def _crop_controls(h: int, w: int) -> tuple[int, int, int]:
    """(side, top, left), 0-based, of the crop; sliders (1-based) only where there is a choice to make."""
    c1, c2, c3 = st.columns(3)
    biggest = min(MAX_CROP, h, w)
    side = biggest
    if biggest > 4:
        st.session_state[state.KERN_ANIM_CROP] = min(max(int(st.session_state.get(state.KERN_ANIM_CROP) or 8), 4),
                                                     biggest)
        side = c1.slider("Crop size", 4, biggest, key=state.KERN_ANIM_CROP)
    starts = []
    for col, key, n, name in ((c2, state.KERN_ANIM_TOP, h, "top row"), (c3, state.KERN_ANIM_LEFT, w, "left column")):
        last = n - side + 1  # 1-based positions 1..last
        if last <= 1:
            starts.append(0)
            continue
        st.session_state[key] = min(max(int(st.session_state.get(key) or (last + 1) // 2), 1), last)
        starts.append(col.slider(f"Crop {name}", 1, last, key=key) - 1)
    return side, starts[0], starts[1]


def sliding_section(plane: np.ndarray) -> None:
    """plane: (H,W) float in [0,1]; slides the kernel last applied above (state.KERN_CURRENT)."""
    current = st.session_state.get(state.KERN_CURRENT)
    if not current or current[1] is None:
        st.info("Design a valid kernel above first; the animation slides that kernel.")
        return
    _, kernel, settings = current
    h, w = plane.shape
    side, top, left = _crop_controls(h, w)
    crop = plane[top:top + side, left:left + side].astype(np.float64)
    try:
        steps = sliding_steps(crop, kernel, settings)
    except KernelError as exc:
        st.warning(plain(f"On this {crop.shape[0]}×{crop.shape[1]} crop: {exc}"))
        return
    k = kernel.shape[0]
    wo = sum(1 for s in steps if s.row == 0)
    out = np.array([s.value for s in steps]).reshape(-1, wo)
    pad = settings.pad(k)

    def arithmetic(s) -> str:
        terms = " + ".join(f"{p:.2f}×({wt:.3g})" for p, wt in zip(s.patch.ravel()[:6], s.weights.ravel()[:6],
                                                                 strict=True))
        return terms + (" + …" if s.patch.size > 6 else "") + f" + bias {s.bias:.3g} = {s.value:.4f}"

    sliding_window(state.KERN_ANIM, SlidingView(
        padded(crop, k, settings).round(4).tolist(), pad, k, settings.dilation, out.round(4).tolist(),
        [s.top + pad for s in steps], [s.left + pad for s in steps], [arithmetic(s) for s in steps], font_size(),
        f"Stride {settings.stride}, dilation {settings.dilation}, {settings.padding} padding: the window moves "
        f"{settings.stride} cell(s) per step; hatched cells are padding."))
