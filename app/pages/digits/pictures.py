"""Pictures of the Digits page: the preprocessing strip, the saliency overlay, tiles and board rows.
Pictures are numpy mosaics sent inline by components.feature_maps."""

import numpy as np
from PIL import Image

from components import feature_maps as fm
from components.theme import DIVERGING_LUT, colorize

TILE = 112
ZOOMABLE = ("conv1", "pool1", "conv2", "pool2")
LAYER_INPUT = {"conv1": "input", "pool1": "conv1", "conv2": "pool1", "pool2": "conv2"}


def fit_tile(img: np.ndarray, size: int = TILE) -> np.ndarray:
    """uint8 (h, w) -> (size, size): shrunk smoothly or enlarged with sharp pixels, centred on black."""
    h, w = img.shape
    scale = size / max(h, w)
    new = (max(1, round(w * scale)), max(1, round(h * scale)))
    resample = Image.BOX if scale < 1 else Image.NEAREST
    small = np.asarray(Image.fromarray(img).resize(new, resample))
    out = np.zeros((size, size), np.uint8)
    top, left = (size - small.shape[0]) // 2, (size - small.shape[1]) // 2
    out[top:top + small.shape[0], left:left + small.shape[1]] = small
    return out


def strip_image(stages: dict[str, np.ndarray], gap: int = 6) -> np.ndarray:
    """raw | cropped | fitted | centred as one (TILE, 4*TILE + 3*gap) grey image with white gaps."""
    tiles = [fit_tile(stages[k]) for k in ("raw", "cropped", "fitted", "centred")]
    out = np.full((TILE, 4 * TILE + 3 * gap), 255, np.uint8)
    for i, t in enumerate(tiles):
        out[:, i * (TILE + gap):i * (TILE + gap) + TILE] = t
    return out


def saliency_image(x, heat: np.ndarray, zoom: int = 8) -> np.ndarray:
    """The 28x28 input in grey with the signed saliency blended on top (blue < 0 < red)."""
    grey = x.reshape(28, 28).numpy()
    grey = (grey - grey.min()) / (np.ptp(grey) or 1.0)
    peak = float(np.abs(heat).max()) or 1.0
    colour = colorize(heat, DIVERGING_LUT, -peak, peak).astype(np.float32)
    weight = np.clip(np.abs(heat) / peak, 0, 1)[..., None] * 0.85
    base = np.repeat(grey[..., None] * 255.0, 3, axis=2)
    rgb = (base * (1 - weight) + colour * weight).astype(np.uint8)
    return rgb.repeat(zoom, axis=0).repeat(zoom, axis=1)


LAYOUTS = {"conv1": (10, 52), "pool1": (10, 52), "conv2": (10, 44), "pool2": (10, 40)}  # columns, cell px


def kernel_tile(weights: np.ndarray, url: str, size: tuple[int, int]) -> fm.Tile:
    """The learned kernels (out, in, 3, 3) as a tile, from a mosaic made once per model."""
    out_c, in_c = weights.shape[:2]
    note = "one row per output map, one column per input map" if in_c > 1 else "one per map"
    return fm.Tile(f"kernels-{out_c}x{in_c}", f"Learned kernels: {out_c}×{in_c} of 3×3", url, size[1], size[0],
                   alt="learned kernels", caption=f"{note}; blue < 0 < red")


def feature_rows(maps: dict, ranges: dict, after: bool, kernel_tiles: dict, acts: dict) -> list[list]:
    """Board rows: each conv/pool grid (kernels beside the conv layers), then fc1 and the 10 outputs."""
    from models.digit_analysis import value_ranges

    rows = []
    for layer, (cols, cell) in LAYOUTS.items():
        c, h, w = maps[layer].shape
        relu = "" if "pool" in layer else (" after ReLU" if after else " before ReLU")
        title = f"{fm.bold(layer)}{relu}: {c} maps of {h}×{w} · {fm.legend(bool(ranges[layer][:, 0].min() < 0))}"
        rows.append([fm.map_tile(layer, title, maps[layer], ranges[layer], cols, cell)]
                    + ([kernel_tiles[layer]] if layer in kernel_tiles else []))
    dense = {"fc1": acts["fc1"].reshape(-1, 1, 1), "logits": acts["logits"].reshape(-1, 1, 1)}
    d_ranges = value_ranges(dense, "per layer")
    for layer, cols, label in (("fc1", 25, "fc1: 50 units (after ReLU)"),
                               ("logits", 10, "the 10 outputs (logits for 0 … 9)")):
        title = f"{fm.bold(label)} · {fm.legend(bool(d_ranges[layer][:, 0].min() < 0))}"
        rows.append([fm.map_tile(layer, title, dense[layer], d_ranges[layer], cols, 28, pickable=False)])
    return rows
