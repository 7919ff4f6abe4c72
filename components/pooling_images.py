"""Display helpers for pooled images: blocky upscaling so each pooled pixel stays visible."""

import numpy as np
import streamlit as st

DISPLAY = 256  # px: every level is shown at this size so sizes compare by pixel blockiness


def to_display(img: np.ndarray, side: int = DISPLAY) -> np.ndarray:
    """(h, w[, 3]) float in [0, 1] -> uint8 at about `side` px on the longer side.

    Upscales by whole-number pixel repetition (nearest neighbour, crisp blocks); larger images are
    subsampled evenly. No smoothing, so what you see is what the pooling produced.
    """
    h, w = img.shape[:2]
    rep = max(1, side // max(h, w))
    arr = np.clip(img, 0.0, 1.0)
    if rep > 1:
        arr = arr.repeat(rep, axis=0).repeat(rep, axis=1)
    elif max(h, w) > side:
        step = int(np.ceil(max(h, w) / side))
        arr = arr[::step, ::step]
    return (arr * 255 + 0.5).astype(np.uint8)


def level_image(img: np.ndarray, caption: str) -> None:
    st.image(to_display(img), caption=caption, output_format="PNG", width=DISPLAY)
