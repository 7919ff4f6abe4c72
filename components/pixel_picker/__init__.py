"""Clickable input/output image pair (st.components.v2) for the Kernels page's pixel inspector.

The outlines (the kernel window on the input, the chosen pixel on the output) are drawn in the browser,
so a click never re-sends an image: the images are URLs from `components.media`, and a click only
reports the output pixel it hit.
"""

from dataclasses import asdict, dataclass
from pathlib import Path

import streamlit as st

from components.theme import projector

_HERE = Path(__file__).parent

_component = st.components.v2.component(
    "convlab_pixel_picker",
    html=(_HERE / "picker.html").read_text(),
    css=(_HERE / "picker.css").read_text(),
    js=(_HERE / "picker.js").read_text(),
)


@dataclass(frozen=True)
class PickerView:
    in_src: str  # URL of the input at display size
    out_src: str  # URL of the output at the same display size
    in_h: int
    in_w: int
    out_h: int
    out_w: int
    row: int  # output pixel shown as chosen
    col: int
    k: int
    stride: int
    pad: int
    dil: int
    in_label: str
    out_label: str
    width: int  # display width of each image (px)
    t: int = 0  # time stamp of the click `row`, `col` came from (0: not from a click)
    clip: bool = False  # cut the window outline at the input's border (a receptive field clipped by the image)


def pixel_picker(key: str, view: PickerView) -> dict | None:
    """Mount the pair; return the latest click as {"row", "col", "t"} (output pixel, ms time stamp) or None."""
    data = {**asdict(view), "projector": projector()}  # the browser sizes its labels by mode
    result = _component(key=key, data=data, default={"pick": None}, on_pick_change=lambda: None, width="stretch")
    pick = getattr(result, "pick", None)
    if not isinstance(pick, dict):
        return None
    try:
        return {"row": int(pick["row"]), "col": int(pick["col"]), "t": int(pick["t"])}
    except (KeyError, TypeError, ValueError):
        return None
