"""Turn images and convolution outputs into pixel-exact display images of one fixed size."""

import numpy as np
from PIL import Image

from components.theme import DIVERGING_LUT, colorize

CHANNELS = ("red", "green", "blue")
DISPLAY_WIDTH = 480  # input and output are both shown this wide, so they line up


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
    """vmin..vmax -> 0..255 (clipped), in float32 and in place: ~4x faster than the obvious expression."""
    span = vmax - vmin if vmax > vmin else 1.0
    y = (np.asarray(values, dtype=np.float32) - np.float32(vmin)) * np.float32(255 / span) + np.float32(0.5)
    np.nan_to_num(y, copy=False)
    np.clip(y, 0, 255, out=y)
    return y.astype(np.uint8)


def colour_output(values: np.ndarray, vmin: float, vmax: float, diverging: bool, channel: int = 0) -> np.ndarray:
    """(H,W) or (H,W,3) display values -> (H,W,3) uint8; the diverging map shows one channel."""
    if diverging:
        plane = values if values.ndim == 2 else values[..., channel]
        return colorize(plane, DIVERGING_LUT, vmin, vmax)
    img = to_uint8(values, vmin, vmax)
    return np.repeat(img[..., None], 3, axis=2) if img.ndim == 2 else img
