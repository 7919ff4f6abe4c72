"""Pooling page section: an editable conv/pool stack; click a unit to see the input region it sees.

Rows, columns and units are numbered from 1 on screen (state holds the 1-based numbers the inputs show).
"""

from html import escape

import pandas as pd
import streamlit as st

from app.pages.pooling import state
from components import theme
from components.image_source import sample_image
from components.layout import plain
from components.media import picture_url
from components.pixel_picker import PickerView, pixel_picker
from components.pooling_rf import PICTURE_PX, input_picture, layer_picture, rf_depth_figure
from components.pooling_view import view
from models.images import to_gray
from models.receptive_stack import (
    DIGIT_CNN,
    KINDS,
    LIMITS,
    MAX_LAYERS,
    MAX_N,
    MIN_N,
    WHAT,
    StackError,
    field_origin,
    parse_stack,
    receptive_fields,
    unit_field,
)


def _stack_editor() -> list[dict]:
    """The layer rows as edited. The editor starts from the digit CNN, or from the last edited stack when it is
    drawn again (Streamlit forgets an editor's edits while it is hidden)."""
    ss = st.session_state
    if state.POOL_RF_STACK not in ss:  # (re)mounted
        ss[state.POOL_RF_BASE] = ss.get(state.POOL_RF_ROWS) or list(DIGIT_CNN)
    frame = pd.DataFrame(ss[state.POOL_RF_BASE], columns=["kind", "k", "s", "p"])
    edited = st.data_editor(frame, key=state.POOL_RF_STACK, num_rows="dynamic", hide_index=True, width="stretch",
                            column_config={
                                "kind": st.column_config.SelectboxColumn("kind", options=list(KINDS), required=True),
                                **{key: st.column_config.NumberColumn(WHAT[key], min_value=low, max_value=high, step=1)
                                   for key, (low, high) in LIMITS.items()}})
    rows = edited.to_dict("records")
    ss[state.POOL_RF_ROWS] = rows
    return rows


def receptive_field() -> None:
    left, right = (st.container(), st.container()) if theme.projector() else st.columns([2, 3])  # stacked: big type
    with left:
        st.markdown(f"**Layer stack** (edit cells, add or delete rows; at most {MAX_LAYERS}). Default: the digit CNN.")
        n = int(st.number_input("Input size (pixels per side)", MIN_N, MAX_N, key=state.POOL_RF_N))
        edited = _stack_editor()
    try:
        layers = parse_stack(edited, n)
    except StackError as exc:
        left.error(plain(str(exc)))
        return
    table = receptive_fields(n, layers)
    with left:
        st.dataframe(pd.DataFrame({"layer": [r.name for r in table], "output size": [f"{r.size}x{r.size}" for r in table],
                                   "receptive field": [f"{r.rf}x{r.rf}" for r in table],
                                   "jump": [r.jump for r in table]}), hide_index=True, width="stretch")
    names = [r.name for r in table[1:]]
    with right:
        if st.session_state.get(state.POOL_RF_LAYER) not in names:
            st.session_state[state.POOL_RF_LAYER] = names[-1]
        name = st.selectbox("Pick a unit in layer", names, key=state.POOL_RF_LAYER)
        layer = names.index(name) + 1
        info = table[layer]
        t = _apply_click(name, info.size)
        a, b = st.columns(2)
        row = int(a.number_input("Unit row", 1, info.size, key=state.POOL_RF_ROW))
        col = int(b.number_input("Unit column", 1, info.size, key=state.POOL_RF_COL))
        pixel_picker(state.POOL_RF_CLICK, PickerView(
            in_src=picture_url(input_picture(_digit(n), n), "pool_rf_input", exact=True),
            out_src=picture_url(layer_picture(info.size), "pool_rf_layer", exact=True),
            in_h=n, in_w=n, out_h=info.size, out_w=info.size, row=row - 1, col=col - 1, k=info.rf, stride=info.jump,
            pad=-field_origin(info), dil=1, in_label=f"Input {n}x{n}: what the unit sees",
            out_label=f"{name}: {info.size}x{info.size} units (click one)", width=PICTURE_PX,
            t=t, clip=True))
        field = unit_field(table, layer, row - 1, col - 1, n)
        (r0, r1), (c0, c1) = field.rows, field.cols
        clip = " (clipped by the image border; the rest falls on padding)" if field.clipped else ""
        sees = (f"sees input rows {r0 + 1}–{r1} and columns {c0 + 1}–{c1}: a <b>{r1 - r0}x{c1 - c0}</b> region{clip}"
                if not field.empty else "sees <b>no input pixel</b>: its whole window falls on padding")
        st.html(f'<div data-testid="pool-rf-text" style="font-size:{1.3 if theme.projector() else 1.1}rem">Unit (row '
                f"{row}, column {col}) of <b>{escape(name)}</b> {sees}. Receptive field {info.rf}, jump {info.jump}."
                "</div>")
        view(rf_depth_figure([r.name for r in table], [r.rf for r in table], [r.jump for r in table]),
             "pool_rf_depth_view")


def picked_unit(pick, size: int) -> tuple[int, int, int] | None:
    """(row, column, time stamp) of a click reported by the browser, rows and columns from 1 and clamped to a
    size x size layer; None when `pick` is not a usable click (it comes from outside, so anything may arrive)."""
    if not isinstance(pick, dict):
        return None
    try:
        row, col, t = (int(pick[k]) for k in ("row", "col", "t"))
    except (KeyError, TypeError, ValueError, OverflowError):
        return None
    return min(max(row, 0), size - 1) + 1, min(max(col, 0), size - 1) + 1, t


def _apply_click(name: str, size: int) -> int:
    """Apply a new click on the layer picture to the row/column inputs (from 1) and clamp both to the layer;
    return the click's time stamp (0: none yet). A new layer starts at its centre unit."""
    ss = st.session_state
    if ss.get(state.POOL_RF_UNIT) != name:
        ss[state.POOL_RF_UNIT] = name
        ss[state.POOL_RF_ROW] = ss[state.POOL_RF_COL] = size // 2 + 1
    click = ss.get(state.POOL_RF_CLICK)
    picked = picked_unit(click.get("pick") if isinstance(click, dict) else getattr(click, "pick", None), size)
    seen = f"{state.POOL_RF_CLICK}_seen"
    if picked and picked[2] != ss.get(seen):
        ss[state.POOL_RF_ROW], ss[state.POOL_RF_COL], ss[seen] = picked
    for key in (state.POOL_RF_ROW, state.POOL_RF_COL):
        ss[key] = min(max(int(ss.get(key) or 1), 1), size)
    return int(ss.get(seen) or 0)


def _digit(n: int):
    gray = to_gray(sample_image("digit").rgb)
    return gray if gray.shape == (n, n) else None
