"""Pooling page: where the grid comes from (random, gradient, checkerboard, peaks, an image patch, typed).

The SOURCE fragment puts the grid (H, W) in state.POOL_GRID for the RESULTS fragment; its controls
rerun both (see controls.py).
"""

import numpy as np
import pandas as pd
import streamlit as st

from app.pages.pooling import state
from app.pages.pooling.controls import RESULTS, SOURCE, rerun
from components.image_source import sample_image
from components.layout import plain
from models.grid_sources import SOURCE_LABELS, SOURCES, GridError, make_grid, parse_grid
from models.images import SAMPLE_LABELS, to_gray


def _new_seed() -> None:
    st.session_state[state.POOL_SEED] += 1
    rerun(SOURCE, RESULTS)


@st.fragment(key=SOURCE)
def source_controls() -> None:
    """The grid controls; the grid itself (or None after an on-page message) goes to state.POOL_GRID."""
    state.keep_settings()
    st.session_state[state.POOL_GRID] = read_grid()


def read_grid() -> np.ndarray | None:
    """The input grid (H, W) chosen by the student, or None after showing why it cannot be used."""
    both = {"on_change": rerun, "args": (SOURCE, RESULTS)}
    left, mid, right = st.columns([2, 2, 2])
    source = left.selectbox("Input values", SOURCES, format_func=SOURCE_LABELS.get, key=state.POOL_SOURCE, **both)
    size = mid.slider("Grid size (cells per side)", 4, 16, key=state.POOL_SIZE, **both)
    seed = st.session_state[state.POOL_SEED]
    gray = None
    if source in ("random", "sparse", "typed"):
        right.button("New random values", key=state.POOL_NEW_GRID, on_click=_new_seed, icon=":material/casino:")
    if source == "image":
        names = list(SAMPLE_LABELS)
        name = right.selectbox("Sample image", names, format_func=SAMPLE_LABELS.get, key=state.POOL_PATCH_SAMPLE,
                               **both)
        gray = to_gray(sample_image(name).rgb)
    try:
        if source != "typed":
            return make_grid(source, size, size, seed, gray)
        st.caption("Type into the cells (any number, e.g. 3, -2 or 0.5). Click a cell, type, press Enter.")
        return parse_grid(_typed_cells(size, seed))
    except GridError as exc:
        st.error(plain(str(exc)), icon=":material/grid_off:")
        return None


def _typed_cells(size: int, seed: int) -> list[list]:
    """The cells as typed (rows of text). The editor starts from random integers, or from what was typed last
    for this size and seed when it is drawn again (Streamlit forgets an editor's edits while it is hidden)."""
    ss = st.session_state
    key = f"{state.POOL_TYPED}_{size}_{seed}"
    if key not in ss:  # (re)mounted
        saved = ss.get(state.POOL_TYPED_CELLS)
        start = make_grid("random", size, size, seed).astype(int).astype(str).tolist()
        ss[state.POOL_TYPED_BASE] = saved[2] if saved and saved[:2] == (size, seed) else start
    columns = [str(c + 1) for c in range(size)]
    frame = pd.DataFrame(ss[state.POOL_TYPED_BASE], columns=columns, index=range(1, size + 1))  # rows numbered from 1
    edited = st.data_editor(frame, key=key, hide_index=False, num_rows="fixed", width="content", on_change=rerun,
                            args=(SOURCE, RESULTS),
                            column_config={c: st.column_config.TextColumn(c, width=40) for c in columns})
    cells = edited.values.tolist()
    ss[state.POOL_TYPED_CELLS] = (size, seed, cells)
    return cells
