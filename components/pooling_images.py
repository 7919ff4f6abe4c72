"""Pooled images for the page: small PNGs shown large with crisp (pixelated) upscaling in the browser."""

import io

import numpy as np
import streamlit as st
from PIL import Image

DISPLAY = 256  # px: every level is shown at this size, so coarser levels look blockier
CONTAINER_KEY = "pool-levels"  # st.container key; CSS below makes its images pixelated


def png(img: np.ndarray, side: int = DISPLAY) -> bytes:
    """(h, w[, 3]) float in [0, 1] -> PNG bytes at its own resolution (evenly subsampled if above `side`).

    No upscaling here: the browser enlarges with image-rendering: pixelated, so each pooled pixel shows as
    a crisp block and the PNGs stay small and fast to encode (compress level 1)."""
    h, w = img.shape[:2]
    step = int(np.ceil(max(h, w) / side))
    arr = (np.clip(img[::step, ::step], 0.0, 1.0) * 255 + 0.5).astype(np.uint8)
    buf = io.BytesIO()
    Image.fromarray(arr).save(buf, format="PNG", compress_level=1)
    return buf.getvalue()


def pixelated_css() -> None:
    st.html(f"<style>.st-key-{CONTAINER_KEY} img {{ image-rendering: pixelated; }}</style>")


def level_image(data: bytes, caption: str, projector: bool = False) -> None:
    st.image(data, caption=caption, width=420 if projector else DISPLAY)
