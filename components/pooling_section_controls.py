"""Pooling page widgets: where the grid comes from, and the pooling settings (with the classic presets)."""

import numpy as np
import pandas as pd
import streamlit as st

from app import cache, state
from models.grid_sources import SOURCE_LABELS, SOURCES, GridError, make_grid, parse_grid
from models.images import SAMPLE_LABELS, to_gray
from models.pooling import MODE_LABELS, MODES, PoolingError, PoolSpec

PRESETS = (("Kernel 2, stride 2 (tiles)", 2, 2), ("Kernel 3, stride 2 (overlap)", 3, 2),
           ("Kernel 2, stride 3 (gaps)", 2, 3), ("Kernel 3, stride 1 (heavy overlap)", 3, 1))
P_CHOICES = (1.0, 1.5, 2.0, 3.0, 4.0, 8.0)
DEFAULTS = {
    state.POOL_SOURCE: "random", state.POOL_SIZE: 8, state.POOL_SEED: 0, state.POOL_PATCH_SAMPLE: "digit",
    state.POOL_MODE: "max", state.POOL_P: 2.0, state.POOL_SEPARATE: False, state.POOL_KERNEL: 2,
    state.POOL_KH: 2, state.POOL_KW: 3, state.POOL_STRIDE: 2, state.POOL_PADDING: 0, state.POOL_DILATION: 1,
    state.POOL_CEIL: False, state.POOL_COUNT_PAD: True, state.POOL_STEP: 0, state.POOL_PLAYING: False,
    state.POOL_SPEED: 5,
}


def init_defaults() -> None:
    for key, value in DEFAULTS.items():
        st.session_state.setdefault(key, value)


def _new_seed() -> None:
    st.session_state[state.POOL_SEED] += 1


def _apply_preset(kernel: int, stride: int) -> None:
    ss = st.session_state
    ss.update({state.POOL_SEPARATE: False, state.POOL_KERNEL: kernel, state.POOL_STRIDE: stride,
               state.POOL_PADDING: 0, state.POOL_DILATION: 1, state.POOL_CEIL: False, state.POOL_STEP: 0,
               state.POOL_PLAYING: False})


def read_grid() -> np.ndarray | None:
    """The input grid (H, W) chosen by the student, or None after showing why it cannot be used."""
    left, mid, right = st.columns([2, 2, 2])
    source = left.selectbox("Input values", SOURCES, format_func=SOURCE_LABELS.get, key=state.POOL_SOURCE)
    size = mid.slider("Grid size (cells per side)", 4, 16, key=state.POOL_SIZE)
    seed = st.session_state[state.POOL_SEED]
    gray = None
    if source in ("random", "sparse", "typed"):
        right.button("New random values", key=state.POOL_NEW_GRID, on_click=_new_seed, icon=":material/casino:")
    if source == "image":
        names = list(SAMPLE_LABELS)
        name = right.selectbox("Sample image", names, format_func=SAMPLE_LABELS.get, key=state.POOL_PATCH_SAMPLE)
        gray = to_gray(cache.sample_image(name).rgb)
    try:
        if source != "typed":
            return make_grid(source, size, size, seed, gray)
        start = make_grid("random", size, size, seed).astype(int).astype(str)
        frame = pd.DataFrame(start, columns=[str(c + 1) for c in range(size)])
        st.caption("Type into the cells (any number, e.g. 3, -2 or 0.5). Click a cell, type, press Enter.")
        edited = st.data_editor(frame, key=f"{state.POOL_TYPED}_{size}_{seed}", hide_index=False,
                                num_rows="fixed", width="content",
                                column_config={c: st.column_config.TextColumn(c, width=40) for c in frame.columns})
        return parse_grid(edited.values.tolist())
    except GridError as exc:
        st.error(str(exc), icon=":material/grid_off:")
        return None


def read_spec(projector: bool) -> PoolSpec | None:
    """The pooling settings, or None after an on-page message saying what is wrong."""
    st.markdown("**Classic pictures** (one click sets kernel and stride):")
    per_row = 2 if projector else len(PRESETS)  # projector type is big: two buttons per row
    cols = [c for _ in range(len(PRESETS) // per_row) for c in st.columns(per_row)]
    for i, (label, k, s) in enumerate(PRESETS):
        cols[i].button(label, key=f"{state.POOL_PRESET}_{i}", on_click=_apply_preset, args=(k, s), width="stretch")
    if projector:
        a = st.container()
        b, c = st.columns(2)
    else:
        a, b, c = st.columns([3, 2, 2])
    mode = a.segmented_control("Pooling type", MODES, format_func=MODE_LABELS.get, key=state.POOL_MODE) or "max"
    p = 2.0
    if mode == "lp":
        p = b.select_slider("Power p", P_CHOICES, key=state.POOL_P, help="p=1 sums the window; large p approaches max.")
    separate = c.toggle("Separate height and width", key=state.POOL_SEPARATE)
    k1, k2, k3, k4 = st.columns(4)
    if separate:
        kernel = (k1.slider("Kernel height", 1, 6, key=state.POOL_KH), k1.slider("Kernel width", 1, 6, key=state.POOL_KW))
    else:
        kernel = k1.slider("Kernel size", 1, 6, key=state.POOL_KERNEL)
    stride = k2.slider("Stride", 1, 6, key=state.POOL_STRIDE)
    no_pad, no_dil = mode == "lp", mode in ("mean", "lp")
    padding = k3.slider("Padding", 0, 3, key=state.POOL_PADDING, disabled=no_pad,
                        help="PyTorch allows at most half the kernel." + (" Lp pooling has none." if no_pad else ""))
    dilation = k4.slider("Dilation", 1, 3, key=state.POOL_DILATION, disabled=no_dil,
                         help="Gaps between the window's taps." + (" Only max/min pooling have it." if no_dil else ""))
    ceil = k2.checkbox("ceil_mode", key=state.POOL_CEIL, help="Round the output size up: keep a last window "
                       "that hangs over the edge (PyTorch drops one that would start in the right padding).")
    include = True
    if mode == "mean":
        include = k3.checkbox("count_include_pad", key=state.POOL_COUNT_PAD,
                              help="Divide by the whole window, padding zeros included, or only by the real cells.")
    try:
        return PoolSpec(mode, kernel, stride, 0 if no_pad else padding, 1 if no_dil else dilation, ceil, include, p)
    except PoolingError as exc:
        st.error(str(exc), icon=":material/error:")
        return None
