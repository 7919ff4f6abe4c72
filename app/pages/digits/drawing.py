"""The "Draw" input: pen width, the canvas, and a gallery of real pen-written digits to replay onto it."""

import streamlit as st

from app.fragments import rerun_page, rerun_parts
from app.pages.digits import cache, state
from app.pages.digits.current import canvas_key
from app.pages.digits.parts import OUTPUTS
from components import feature_maps as fm
from components.digit_canvas import digit_canvas
from models.content_id import content_id

DONE = '[data-testid="digits-done"]'
PER_CLASS = 3  # pen digits shown per class
ATTRIBUTION = ("Real pen-written digits from UNIPEN (train_r01_v07, CC BY 4.0), by writers neither model "
               "was trained on. Click one: it is drawn onto the canvas stroke by stroke.")


def forget_drawing() -> None:
    """Input switch callback: the canvas is unmounted, but Streamlit would keep its last drawing, so drop
    it; then every part of the page shows the new input."""
    ss = st.session_state
    ss.pop(canvas_key(), None)
    ss.pop(state.DIGITS_REPLAY, None)
    ss.pop(state.DIGITS_REPLAY_NOTE, None)
    ss[state.DIGITS_CANVAS_EPOCH] = ss.get(state.DIGITS_CANVAS_EPOCH, 0) + 1
    rerun_page()


def _replay(index: int) -> None:
    """Send pen digit `index` of the gallery to the canvas."""
    item = cache.pen_gallery()[index]
    ss = st.session_state
    ss[state.DIGITS_REPLAY] = {"id": content_id("replay", index, ss.get(state.DIGITS_CANVAS_EPOCH, 0),
                                                (ss.get(state.DIGITS_REPLAY) or {}).get("id", "")),
                               "strokes": item["strokes"], "width": float(item.get("width", 20))}
    ss[state.DIGITS_REPLAY_NOTE] = f"Replayed: a {item['label']} written by UNIPEN writer {item['writer']}."


def pen_gallery() -> None:
    """Pen-written digits of every class as clickable thumbnails (one column per class), and a button
    for another set."""
    ss = st.session_state
    try:
        cells, tile = cache.pen_gallery_tile(int(ss.get(state.DIGITS_PEN_PAGE) or 0), PER_CLASS, ATTRIBUTION)
    except (OSError, ValueError, KeyError) as exc:
        st.caption(f"The pen-written gallery is not available ({type(exc).__name__}).")
        return
    if not cells:
        return
    picked = fm.board("digits_pen_gallery", [[tile]])
    if picked is not None and picked[0] == "pen-gallery" and 0 <= picked[1] < len(cells):
        _replay(cells[picked[1]])
    st.button("Other pen-written digits", key="digits_pen_more",
              on_click=lambda: ss.update({state.DIGITS_PEN_PAGE: int(ss.get(state.DIGITS_PEN_PAGE) or 0) + 1}))


def draw_input() -> None:
    """The canvas, then its pen width and the gallery (drawn first into a slot above them, filled last, so a
    gallery click or a new width reaches the canvas in the same run). A drawing the browser sends reruns
    the answer, the diagram and the maps, not this column (the canvas already shows it)."""
    slot = st.container()
    stroke = st.slider("Pen width", 6, 40, key=state.DIGITS_STROKE,
                       help="In pixels of a 280-pixel canvas (scaled up with the canvas on a projector).")
    pen_gallery()
    with slot:
        digit_canvas(canvas_key(), stroke, ack_selector=DONE, epoch=st.session_state.get(state.DIGITS_CANVAS_EPOCH, 0),
                     replay=st.session_state.get(state.DIGITS_REPLAY), on_change=lambda: rerun_parts(*OUTPUTS))
