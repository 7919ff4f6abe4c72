"""Pooling page controls: the classic presets and the pooling settings.

They are drawn inside the page's grid-demo fragment with the grid source and the results, so one click is
one fragment run. (Sibling fragments that asked each other to rerun from a callback cost a second script
run per click: measured 57 ms of a preset's 229 ms under load.) The settings are read from session state by
spec_from_state().
"""

import streamlit as st

from app.pages.pooling import state
from components.theme import projector
from models.pooling import MODE_LABELS, MODES, PoolSpec

PRESETS = (("Kernel 2, stride 2 (tiles)", 2, 2), ("Kernel 3, stride 2 (overlap)", 3, 2),
           ("Kernel 2, stride 3 (gaps)", 2, 3), ("Kernel 3, stride 1 (heavy overlap)", 3, 1))
P_CHOICES = (1.0, 1.5, 2.0, 3.0, 4.0, 8.0)


def _apply_preset(kernel: int, stride: int) -> None:
    ss = st.session_state
    changes = {state.POOL_SEPARATE: False, state.POOL_KERNEL: kernel, state.POOL_STRIDE: stride,
               state.POOL_PADDING: 0, state.POOL_DILATION: 1, state.POOL_CEIL: False, state.POOL_STEP: 1}
    ss.update(changes)
    ss[state.POOL_PLAYING] = False


def spec_from_state() -> PoolSpec:
    """The pooling settings from session state; PoolingError says what is wrong."""
    ss = st.session_state
    mode = ss[state.POOL_MODE] or "max"
    kernel = (ss[state.POOL_KH], ss[state.POOL_KW]) if ss[state.POOL_SEPARATE] else ss[state.POOL_KERNEL]
    no_pad, no_dil = mode == "lp", mode in ("mean", "lp")
    return PoolSpec(mode, kernel, ss[state.POOL_STRIDE], 0 if no_pad else ss[state.POOL_PADDING],
                    1 if no_dil else ss[state.POOL_DILATION], ss[state.POOL_CEIL],
                    ss[state.POOL_COUNT_PAD] if mode == "mean" else True, ss[state.POOL_P] if mode == "lp" else 2.0)


def preset_buttons() -> None:
    """The classic pictures."""
    st.markdown("**Classic pictures** (one click sets kernel and stride):")
    row = st.container(horizontal=True, wrap=True)  # buttons as wide as their labels, wrapping when narrow
    for i, (label, k, s) in enumerate(PRESETS):
        row.button(label, key=f"{state.POOL_PRESET}_{i}", on_click=_apply_preset, args=(k, s), width="content")


def settings_controls() -> None:
    """The pooling settings; what they add up to (or why they cannot work) is shown by the results."""
    row = {"horizontal": True, "horizontal_alignment": "distribute", "vertical_alignment": "bottom"}
    on_projector = projector()
    a = st.container() if on_projector else st.container(**row)  # one block each: fewer elements to redraw
    b = c = st.container(**row) if on_projector else a
    mode = a.segmented_control("Pooling type", MODES, format_func=MODE_LABELS.get, key=state.POOL_MODE) or "max"
    if mode == "lp":
        b.select_slider("Power p", P_CHOICES, key=state.POOL_P, help="p=1 sums the window; large p approaches max.",
                        width=300)
    separate = c.toggle("Separate height and width", key=state.POOL_SEPARATE)
    k1, k2, k3, k4 = (*st.columns(2), *st.columns(2)) if on_projector else st.columns(4)  # 2x2: labels fit at 1024
    if separate:
        k1.slider("Kernel height", 1, 6, key=state.POOL_KH)
        k1.slider("Kernel width", 1, 6, key=state.POOL_KW)
    else:
        k1.slider("Kernel size", 1, 6, key=state.POOL_KERNEL)
    k2.slider("Stride", 1, 6, key=state.POOL_STRIDE)
    no_pad, no_dil = mode == "lp", mode in ("mean", "lp")
    k3.slider("Padding", 0, 3, key=state.POOL_PADDING, disabled=no_pad,
              help="PyTorch allows at most half the kernel." + (" Lp pooling has none." if no_pad else ""))
    k4.slider("Dilation", 1, 3, key=state.POOL_DILATION, disabled=no_dil,
              help="Gaps between the window's taps." + (" Only max/min pooling have it." if no_dil else ""))
    k2.checkbox("ceil_mode", key=state.POOL_CEIL, help="Round the output size up: keep a last window "
                "that hangs over the edge (PyTorch drops one that would start in the right padding).")
    if mode == "mean":
        k3.checkbox("count_include_pad", key=state.POOL_COUNT_PAD,
                    help="Divide by the whole window, padding zeros included, or only by the real cells.")
