"""A small drawing canvas (st.components.v2): mouse, touch and pen, stroke width, undo and clear.

While a stroke is in progress the browser sends the drawing about every 110 ms (but never faster than
the page can show it), and at once on pen-up, as a PNG data URL (280x280, 420x420 in projector mode). `digit_canvas` returns
the drawing as a uint8 (H, W) grey array (black ink on white) or None when the canvas is blank.
Nothing leaves the machine: the PNG travels over Streamlit's own websocket.
"""

import base64
import io
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import streamlit as st
from PIL import Image

from components.theme import projector

_HERE = Path(__file__).parent
MAX_PAYLOAD = 2_000_000  # characters of data URL accepted from the browser
MAX_SIDE = 1000
SIZE_NORMAL = 280
SIZE_PROJECTOR = 420

_component = st.components.v2.component(
    "convlab_digit_canvas",
    html=(_HERE / "canvas.html").read_text(),
    css=(_HERE / "canvas.css").read_text(),
    js=(_HERE / "canvas.js").read_text(),
)


@dataclass(frozen=True)
class Drawing:
    pixels: np.ndarray | None  # uint8 (H, W) grey, black ink on white; None when blank
    seq: int  # increases with every update the browser sends
    strokes: int
    replayed: bool = False  # the canvas shows exactly the strokes it was last asked to replay


def decode_png(data_url: str) -> np.ndarray | None:
    """A 'data:image/png;base64,...' string -> uint8 (H, W) grey, or None if it is not a sane PNG."""
    prefix = "data:image/png;base64,"
    if not isinstance(data_url, str) or not data_url.startswith(prefix) or len(data_url) > MAX_PAYLOAD:
        return None
    try:
        image = Image.open(io.BytesIO(base64.b64decode(data_url[len(prefix):], validate=True)))
        if image.format != "PNG" or max(image.size) > MAX_SIDE:
            return None
        return np.asarray(image.convert("L"))
    except (ValueError, OSError):
        return None


def drawing_from(value) -> Drawing:
    """The canvas's "drawing" value (st.session_state[key].get("drawing")) -> a Drawing."""
    if not isinstance(value, dict):
        return Drawing(None, 0, 0)
    try:
        strokes, seq = int(value.get("strokes") or 0), int(value.get("seq") or 0)
    except (TypeError, ValueError, OverflowError):
        return Drawing(None, 0, 0)
    pixels = decode_png(value.get("png")) if strokes else None
    return Drawing(pixels, seq, strokes, bool(value.get("replayed")) and pixels is not None)


def digit_canvas(key: str, stroke_width: int = 18, ack_selector: str | None = None, epoch: int = 0,
                 replay: dict | None = None, on_change=None) -> Drawing:
    """Mount the canvas; return the latest drawing sent by this browser session.

    ack_selector: CSS selector of an element whose data-version the page sets to the Drawing.seq
    it has finished showing; mid-stroke updates wait for it, so slow reruns are never starved.
    epoch: a new value wipes the browser's strokes (the browser may keep the old canvas when it comes back).
    replay: {"id": str, "strokes": [[[x, y], ...], ...] in 280x280 canvas pixels, "width": pen px}; a new id
    makes the canvas draw those strokes (animated, about half a second) and send them like a pen-up.
    on_change: callback run when the browser sends a drawing (read it with drawing_from(st.session_state[key])).
    The canvas is shown at most 280 CSS px wide (420 in projector mode) and never wider than its column.
    """
    size = SIZE_PROJECTOR if projector() else SIZE_NORMAL
    result = _component(key=key, data={"size": size, "stroke": int(stroke_width), "ack": ack_selector,
                                       "epoch": int(epoch), "replay": replay},
                        default={"drawing": None}, on_drawing_change=on_change or (lambda: None), width="stretch")
    return drawing_from(getattr(result, "drawing", None))
