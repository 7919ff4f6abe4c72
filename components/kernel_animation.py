"""Sliding-window animation: step or play the current kernel across a small crop, cell by cell."""

import numpy as np
import streamlit as st

from app import state
from components.kernel_figures import sliding_figure
from models.convolution import padded, sliding_steps
from models.kernels import KernelError

PLAY_SECONDS = 0.8


def _step(delta: int | None, total: int, to: int | None = None):
    ss = st.session_state
    cur = int(ss.get(state.KERN_ANIM_STEP, 0))
    ss[state.KERN_ANIM_STEP] = to if to is not None else min(max(cur + delta, 0), total - 1)


def _body(plane: np.ndarray, projector: bool, playing: bool) -> None:
    ss = st.session_state
    current = ss.get(state.KERN_CURRENT)
    if not current or current[1] is None:
        st.info("Design a valid kernel above first; the animation slides that kernel.")
        return
    _, kernel, settings = current
    h, w = plane.shape
    c1, c2, c3 = st.columns(3)
    side = c1.slider("Crop size", 4, min(12, h, w), min(8, h, w), key=state.KERN_ANIM_CROP)
    top = c2.slider("Crop top row", 0, h - side, min((h - side) // 2, h - side), key=state.KERN_ANIM_TOP)
    left = c3.slider("Crop left column", 0, w - side, min((w - side) // 2, w - side), key=state.KERN_ANIM_LEFT)
    crop = plane[top:top + side, left:left + side].astype(np.float64)
    try:
        steps = sliding_steps(crop, kernel, settings)
    except KernelError as exc:
        st.warning(f"On this {side}×{side} crop: {exc}")
        return
    out = np.array([s.value for s in steps])
    n = len(steps)
    ss[state.KERN_ANIM_STEP] = min(int(ss.get(state.KERN_ANIM_STEP, 0)), n - 1)
    if playing:
        ss[state.KERN_ANIM_STEP] = (ss[state.KERN_ANIM_STEP] + 1) % n
    b = st.columns([1, 1, 1, 1, 1.2])
    b[0].button("First", icon=":material/first_page:", on_click=_step, args=(0, n, 0), key="kern_anim_first")
    b[1].button("Back", icon=":material/chevron_left:", on_click=_step, args=(-1, n), key="kern_anim_back")
    b[2].button("Next", icon=":material/chevron_right:", on_click=_step, args=(1, n), key="kern_anim_next")
    b[3].button("Last", icon=":material/last_page:", on_click=_step, args=(0, n, n - 1), key="kern_anim_last")
    if b[4].toggle("Play", key=state.KERN_ANIM_PLAY) != playing:
        st.rerun(scope="app")
    i = st.slider("Step", 0, n - 1, key=state.KERN_ANIM_STEP) if n > 1 else 0
    s = steps[i]
    grid = out.reshape(-1, sum(1 for t in steps if t.row == 0))  # (Ho, Wo)
    pad = settings.pad(kernel.shape[0])
    st.plotly_chart(sliding_figure(padded(crop, kernel.shape[0], settings), pad, grid, i, s.top, s.left, s.span,
                                   projector), key="kern_anim_fig")
    terms = " + ".join(f"{p:.2f}×{wt:.3g}" for p, wt in zip(s.patch.ravel()[:9], s.weights.ravel()[:9], strict=True))
    terms += " + …" if s.patch.size > 9 else ""
    st.markdown(f"Step {i + 1} of {n}: output ({s.row}, {s.col}) = {terms} + bias {s.bias:.3g} = **{s.value:.4f}**")
    st.caption(f"Stride {settings.stride}, dilation {settings.dilation}, {settings.padding} padding: the window's "
               f"top-left moves {settings.stride} cell(s) per step; cells outside the crop are padding.")


@st.fragment
def animation_still(plane: np.ndarray, projector: bool) -> None:
    _body(plane, projector, playing=False)


@st.fragment(run_every=PLAY_SECONDS)
def animation_playing(plane: np.ndarray, projector: bool) -> None:
    _body(plane, projector, playing=True)
