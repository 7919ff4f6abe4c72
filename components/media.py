"""Serve pictures as URLs from Streamlit's own media endpoint (localhost) instead of inlining them.

A URL lets a component keep its <img> between reruns: the same bytes get the same URL, so the browser
does not reload it, and a rerun sends a short string rather than the whole picture. Pictures go out as
BMP: lossless like PNG, but ~40x faster to make (0.2 ms vs 8.5 ms for 480x319), and size does not
matter on localhost.
"""

import io

import numpy as np
from PIL import Image
from streamlit import runtime

MIMETYPE = "image/bmp"


def picture_bytes(img: np.ndarray) -> bytes:
    """(H,W,3) or (H,W) uint8 -> an uncompressed BMP file."""
    buf = io.BytesIO()
    Image.fromarray(img).save(buf, format="BMP")
    return buf.getvalue()


def picture_url(img: np.ndarray, slot: str) -> str:
    """URL of `img`. `slot` names the picture's place on the page: a new picture in the same slot
    replaces the old one, which Streamlit then frees (as it does for st.image)."""
    return bytes_url(picture_bytes(img), slot)


def bytes_url(data: bytes, slot: str) -> str:
    """URL of an already encoded picture (see picture_url)."""
    return runtime.get_instance().media_file_mgr.add(data, MIMETYPE, f"convlab.{slot}")
