"""Pooling page section: an editable conv/pool stack; click a unit to see the input region it sees."""

import pandas as pd
import streamlit as st
from streamlit_image_coordinates import streamlit_image_coordinates

from components.image_source import sample_image
from app import cache, state
from components.pooling_rf import click_to_unit, field_picture, layer_picture, rf_depth_figure
from components.pooling_view import view
from models.images import to_gray
from models.receptive_stack import DIGIT_CNN, KINDS, StackError, parse_stack, receptive_fields, unit_field


def _stack_editor():
    frame = pd.DataFrame(list(DIGIT_CNN))
    return st.data_editor(frame, key=state.POOL_RF_STACK, num_rows="dynamic", hide_index=True, width="stretch",
                          column_config={
                              "kind": st.column_config.SelectboxColumn("kind", options=list(KINDS), required=True),
                              "k": st.column_config.NumberColumn("kernel", min_value=1, max_value=15, step=1),
                              "s": st.column_config.NumberColumn("stride", min_value=1, max_value=6, step=1),
                              "p": st.column_config.NumberColumn("padding", min_value=0, max_value=7, step=1)})


def receptive_field(projector: bool) -> None:
    ss = st.session_state
    ss.setdefault(state.POOL_RF_N, 28)
    left, right = st.columns([2, 3])
    with left:
        st.markdown("**Layer stack** (edit cells, add or delete rows). Default: the digit CNN.")
        n = st.number_input("Input size (pixels per side)", 8, 64, key=state.POOL_RF_N)
        edited = _stack_editor()
    try:
        layers = parse_stack(edited.to_dict("records"), int(n))
    except StackError as exc:
        left.error(str(exc))
        return
    table = receptive_fields(int(n), layers)
    with left:
        st.dataframe(pd.DataFrame({"layer": [r.name for r in table], "output size": [f"{r.size}x{r.size}" for r in table],
                                   "receptive field": [f"{r.rf}x{r.rf}" for r in table],
                                   "jump": [r.jump for r in table]}), hide_index=True, width="stretch")
    names = [r.name for r in table[1:]]
    with right:
        name = st.selectbox("Pick a unit in layer", names, index=len(names) - 1, key=state.POOL_RF_LAYER)
        layer = names.index(name) + 1
        size = table[layer].size
        unit = _current_unit(name, size)
        pic, field_col = st.columns(2)
        with pic:
            st.markdown(f"**{name}**: {size}x{size} units — click one")
            streamlit_image_coordinates(layer_picture(size, unit), key=state.POOL_RF_CLICK, width="stretch",
                                        cursor="pointer")
        field = unit_field(table, layer, *unit, int(n))
        with field_col:
            st.markdown(f"**Input {n}x{n}**: what unit ({unit[0]}, {unit[1]}) sees")
            st.image(field_picture(_digit(int(n)), int(n), field.rows, field.cols), width="stretch",
                     output_format="PNG")
        (r0, r1), (c0, c1) = field.rows, field.cols
        clip = " (clipped by the image border; the rest falls on padding)" if field.clipped else ""
        st.html(f'<div data-testid="pool-rf-text" style="font-size:{1.3 if projector else 1.1}rem">Unit ({unit[0]}, '
                f"{unit[1]}) of <b>{name}</b> sees input rows {r0}–{r1 - 1} and columns {c0}–{c1 - 1}: a "
                f"<b>{r1 - r0}x{c1 - c0}</b> region{clip}. Receptive field {table[layer].rf}, jump {table[layer].jump}."
                "</div>")
        view(rf_depth_figure([r.name for r in table], [r.rf for r in table], [r.jump for r in table], projector),
             "pool_rf_depth_view")


def _current_unit(name: str, size: int) -> tuple[int, int]:
    """The picked unit: a new click on the layer picture wins, then the row/column inputs (keyboard)."""
    ss = st.session_state
    if ss.get(state.POOL_RF_UNIT) != name:  # new layer (or first visit): start at the centre unit
        ss[state.POOL_RF_UNIT] = name
        ss[state.POOL_RF_ROW] = ss[state.POOL_RF_COL] = size // 2
    click = ss.get(state.POOL_RF_CLICK)
    stamp = (click or {}).get("unix_time")
    if stamp and stamp != ss.get(f"{state.POOL_RF_CLICK}_seen"):
        ss[f"{state.POOL_RF_CLICK}_seen"] = stamp
        picked = click_to_unit(click, size)
        if picked:
            ss[state.POOL_RF_ROW], ss[state.POOL_RF_COL] = picked
    for key in (state.POOL_RF_ROW, state.POOL_RF_COL):
        ss[key] = min(max(int(ss.get(key, 0)), 0), size - 1)
    a, b = st.columns(2)
    row = a.number_input("Unit row", 0, size - 1, key=state.POOL_RF_ROW)
    col = b.number_input("Unit column", 0, size - 1, key=state.POOL_RF_COL)
    return int(row), int(col)


def _digit(n: int):
    img = sample_image("digit")
    gray = to_gray(img.rgb)
    return gray if gray.shape == (n, n) else None
