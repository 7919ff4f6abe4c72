"""Turn images and convolution outputs into pixel-exact display images of one fixed size."""

import io

import numpy as np
from PIL import Image

from components.theme import DIVERGING_LUT, colorize

CHANNELS = ("red", "green", "blue")
DISPLAY_WIDTH = 480  # input and output are both shown this wide, so they line up
OUTLINE = np.array([230, 159, 0], dtype=np.uint8)  # Okabe-Ito orange, visible on gray, photos and RdBu
OUTLINE_DARK = np.array([0, 0, 0], dtype=np.uint8)


def display_height(h: int, w: int) -> int:
    return max(1, round(DISPLAY_WIDTH * h / w))


def fit(img: np.ndarray, out_h: int, out_w: int) -> np.ndarray:
    """(h,w,3) uint8 -> (out_h,out_w,3): nearest-neighbour when enlarging (pixels stay crisp squares),
    area averaging when shrinking (thin edges do not vanish)."""
    h, w = img.shape[:2]
    if out_h >= h and out_w >= w:
        rows = np.arange(out_h) * h // out_h
        cols = np.arange(out_w) * w // out_w
        return img[rows[:, None], cols[None, :]]
    return np.asarray(Image.fromarray(img).resize((out_w, out_h), Image.Resampling.BOX))


def to_uint8(values: np.ndarray, vmin: float, vmax: float) -> np.ndarray:
    span = vmax - vmin if vmax > vmin else 1.0
    return (np.clip((np.nan_to_num(values) - vmin) / span, 0, 1) * 255 + 0.5).astype(np.uint8)


def colour_output(values: np.ndarray, vmin: float, vmax: float, diverging: bool, channel: int = 0) -> np.ndarray:
    """(H,W) or (H,W,3) display values -> (H,W,3) uint8; the diverging map shows one channel."""
    if diverging:
        plane = values if values.ndim == 2 else values[..., channel]
        return colorize(plane, DIVERGING_LUT, vmin, vmax)
    img = to_uint8(values, vmin, vmax)
    return np.repeat(img[..., None], 3, axis=2) if img.ndim == 2 else img


def draw_box(img: np.ndarray, top: float, left: float, bottom: float, right: float, width: int = 3) -> np.ndarray:
    """Outline display rows [top, bottom) x cols [left, right) in place (clipped); black edge, orange inside."""
    h, w = img.shape[:2]
    t, b = int(np.clip(round(top), 0, h - 1)), int(np.clip(round(bottom) - 1, 0, h - 1))
    lft, r = int(np.clip(round(left), 0, w - 1)), int(np.clip(round(right) - 1, 0, w - 1))
    for i, colour in ((0, OUTLINE_DARK), *((j, OUTLINE) for j in range(1, width))):
        tt, bb, ll, rr = max(t - i, 0), min(b + i, h - 1), max(lft - i, 0), min(r + i, w - 1)
        img[tt, ll:rr + 1] = colour
        img[bb, ll:rr + 1] = colour
        img[tt:bb + 1, ll] = colour
        img[tt:bb + 1, rr] = colour
    return img


def png_bytes(img: np.ndarray) -> bytes:
    buf = io.BytesIO()
    Image.fromarray(img).save(buf, format="PNG", compress_level=0)  # no deflate: ~5x faster
    return buf.getvalue()


def click_to_pixel(click: dict | None, out_h: int, out_w: int) -> tuple[int, int] | None:
    """Map streamlit_image_coordinates' {x, y, width, height} (display pixels) to an output (row, col)."""
    if not click or not click.get("width") or not click.get("height"):
        return None
    row = int(click["y"] * out_h // click["height"])
    col = int(click["x"] * out_w // click["width"])
    return min(max(row, 0), out_h - 1), min(max(col, 0), out_w - 1)
