"""Pooling page controls: the classic presets and the pooling settings, and how the grid demo reruns.

The grid source (source.py), the settings and the results are sibling fragments (keys SOURCE,
SETTINGS, RESULTS). A control reruns only what it changes: a slider the results alone (its own value is
already on screen), a preset the settings (whose sliders must show the preset's values) and then the
results; the preset buttons themselves never rerun. The grid goes from SOURCE to RESULTS through
session state (state.POOL_GRID); the settings are read from session state by spec_from_state().
"""

import streamlit as st

from app.fragments import rerun_parts as rerun
from app.pages.pooling import state
from components.theme import projector
from models.pooling import MODE_LABELS, MODES, PoolSpec

SOURCE, SETTINGS, RESULTS = "pool-source", "pool-settings", "pool-results"  # fragment keys
PRESETS = (("Kernel 2, stride 2 (tiles)", 2, 2), ("Kernel 3, stride 2 (overlap)", 3, 2),
           ("Kernel 2, stride 3 (gaps)", 2, 3), ("Kernel 3, stride 1 (heavy overlap)", 3, 1))
P_CHOICES = (1.0, 1.5, 2.0, 3.0, 4.0, 8.0)


def reassert(*keys: str) -> None:
    """Set again the widget values a callback changed before a keyed rerun (call before the widgets).

    A keyed rerun starts a fresh run, so Streamlit no longer counts the callback's writes as new and
    the browser would keep showing the old values; writing them again in this run marks them new."""
    pending = st.session_state.get(state.POOL_REASSERT, set())
    for key in set(keys) & pending:
        st.session_state[key] = st.session_state[key]
        pending.discard(key)


def _apply_preset(kernel: int, stride: int) -> None:
    ss = st.session_state
    changes = {state.POOL_SEPARATE: False, state.POOL_KERNEL: kernel, state.POOL_STRIDE: stride,
               state.POOL_PADDING: 0, state.POOL_DILATION: 1, state.POOL_CEIL: False, state.POOL_STEP: 1}
    ss.update(changes)
    ss[state.POOL_PLAYING] = False
    ss[state.POOL_REASSERT] = set(changes)
    # The sliders first: each re-rendered slider measures itself, which forces a layout of the whole page, and
    # before the new figures arrive that layout is small (paired runs: click to figures 7 % faster).
    rerun(SETTINGS, RESULTS)


def spec_from_state() -> PoolSpec:
    """The pooling settings from session state; PoolingError says what is wrong."""
    ss = st.session_state
    mode = ss[state.POOL_MODE] or "max"
    kernel = (ss[state.POOL_KH], ss[state.POOL_KW]) if ss[state.POOL_SEPARATE] else ss[state.POOL_KERNEL]
    no_pad, no_dil = mode == "lp", mode in ("mean", "lp")
    return PoolSpec(mode, kernel, ss[state.POOL_STRIDE], 0 if no_pad else ss[state.POOL_PADDING],
                    1 if no_dil else ss[state.POOL_DILATION], ss[state.POOL_CEIL],
                    ss[state.POOL_COUNT_PAD] if mode == "mean" else True, ss[state.POOL_P] if mode == "lp" else 2.0)


@st.fragment
def preset_buttons() -> None:
    """The classic pictures. A click reruns the results and the settings, never these unchanged buttons."""
    st.markdown("**Classic pictures** (one click sets kernel and stride):")
    row = st.container(horizontal=True, wrap=True)  # buttons as wide as their labels, wrapping when narrow
    for i, (label, k, s) in enumerate(PRESETS):
        row.button(label, key=f"{state.POOL_PRESET}_{i}", on_click=_apply_preset, args=(k, s), width="content")


@st.fragment(key=SETTINGS)
def settings_controls() -> None:
    """The pooling settings; what they add up to (or why they cannot work) is shown by the results."""
    state.keep_settings()
    figures, layout = {"on_change": rerun, "args": (RESULTS,)}, {"on_change": rerun, "args": (RESULTS, SETTINGS)}
    reassert(state.POOL_SEPARATE, state.POOL_KERNEL, state.POOL_STRIDE, state.POOL_PADDING, state.POOL_DILATION,
             state.POOL_CEIL)
    row = {"horizontal": True, "horizontal_alignment": "distribute", "vertical_alignment": "bottom"}
    on_projector = projector()
    a = st.container() if on_projector else st.container(**row)  # one block each: fewer elements to redraw
    b = c = st.container(**row) if on_projector else a
    mode = a.segmented_control("Pooling type", MODES, format_func=MODE_LABELS.get, key=state.POOL_MODE,
                               **layout) or "max"
    if mode == "lp":
        b.select_slider("Power p", P_CHOICES, key=state.POOL_P, help="p=1 sums the window; large p approaches max.",
                        width=300, **figures)
    separate = c.toggle("Separate height and width", key=state.POOL_SEPARATE, **layout)
    k1, k2, k3, k4 = (*st.columns(2), *st.columns(2)) if on_projector else st.columns(4)  # 2x2: labels fit at 1024
    if separate:
        k1.slider("Kernel height", 1, 6, key=state.POOL_KH, **figures)
        k1.slider("Kernel width", 1, 6, key=state.POOL_KW, **figures)
    else:
        k1.slider("Kernel size", 1, 6, key=state.POOL_KERNEL, **figures)
    k2.slider("Stride", 1, 6, key=state.POOL_STRIDE, **figures)
    no_pad, no_dil = mode == "lp", mode in ("mean", "lp")
    k3.slider("Padding", 0, 3, key=state.POOL_PADDING, disabled=no_pad, **figures,
              help="PyTorch allows at most half the kernel." + (" Lp pooling has none." if no_pad else ""))
    k4.slider("Dilation", 1, 3, key=state.POOL_DILATION, disabled=no_dil, **figures,
              help="Gaps between the window's taps." + (" Only max/min pooling have it." if no_dil else ""))
    k2.checkbox("ceil_mode", key=state.POOL_CEIL, **figures, help="Round the output size up: keep a last window "
                "that hangs over the edge (PyTorch drops one that would start in the right padding).")
    if mode == "mean":
        k3.checkbox("count_include_pad", key=state.POOL_COUNT_PAD, **figures,
                    help="Divide by the whole window, padding zeros included, or only by the real cells.")
