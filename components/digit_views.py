"""Smaller pieces of the Digits page: the preprocessing strip, the saliency picture, the test-set
picker and the enlarged-map panel. Pictures are numpy mosaics sent inline by feature_maps.picture."""

import numpy as np
import streamlit as st
from PIL import Image

from app import state
from components import feature_maps as fm
from components.theme import DIVERGING_LUT, colorize

TILE = 112
ZOOMABLE = ("conv1", "pool1", "conv2", "pool2")
LAYER_INPUT = {"conv1": "input", "pool1": "conv1", "conv2": "pool1", "pool2": "conv2"}


def _fit_tile(img: np.ndarray, size: int = TILE) -> np.ndarray:
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
    tiles = [_fit_tile(stages[k]) for k in ("raw", "cropped", "fitted", "centred")]
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


def pick_test_digit(sample, preds, projector: bool):
    """Choose a digit from the shipped MNIST test sample; returns (model input, true label)."""
    from models.digit_gallery import as_input, misclassified

    wrong = misclassified(sample.labels, preds)
    kind = st.segmented_control("Which digits", ["All digits", "Misclassified"], default="All digits",
                                format_func=lambda k: f"{k} ({len(wrong)})" if k == "Misclassified" else k,
                                key=state.DIGITS_GALLERY) or "All digits"
    if kind == "All digits":
        idx = st.number_input(f"Test digit number (0–{len(sample.labels) - 1})", 0, len(sample.labels) - 1, 0,
                              key=state.DIGITS_PICK)
    elif len(wrong) == 0:
        st.success("This model classifies every digit in the test sample correctly.")
        idx = 0
    else:
        gallery = sample.images[wrong[:40]].astype(np.float32)
        tile = fm.map_tile("gallery", "Click one (the most confidently wrong first)", gallery,
                           np.tile([0.0, 255.0], (len(gallery), 1)), 8, 28, lut=fm.GREY_LUT)
        picked = fm.board("digits_gallery_img", [[tile]], projector)
        if picked is not None:
            st.session_state[f"{state.DIGITS_PICK}_wrong"] = int(wrong[picked[1]])
        idx = st.selectbox("Misclassified digit", [int(i) for i in wrong], key=f"{state.DIGITS_PICK}_wrong",
                           format_func=lambda i: f"#{i}: really {sample.labels[i]}, model says "
                                                 f"{preds.predicted[i]} ({100 * preds.confidence[i]:.0f}%)")
    image = sample.images[int(idx)]
    fm.board("digits_test_img", [[fm.image_tile("test-digit", "", _fit_tile(image, 168),
                                                 caption=f"Test digit #{int(idx)}")]], projector)
    return as_input(image), int(sample.labels[int(idx)])


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


def enlarged(result, x, maps: dict, ranges: dict, kernels: dict, projector: bool) -> None:
    """One map large, beside the kernel(s) that produced it and the input they looked at."""
    st.subheader("One map up close")
    c1, c2 = st.columns(2)
    layer = c1.selectbox("Layer", ZOOMABLE, key=state.DIGITS_ZOOM_LAYER)
    count = maps[layer].shape[0]
    if st.session_state.get(state.DIGITS_ZOOM_INDEX, 0) >= count:
        st.session_state[state.DIGITS_ZOOM_INDEX] = 0
    index = int(c2.number_input(f"Map (0–{count - 1})", 0, count - 1, key=state.DIGITS_ZOOM_INDEX))
    size = 224
    source = LAYER_INPUT[layer]
    h, w = maps[layer].shape[1:]
    if source == "input":
        grey = x.reshape(28, 28).numpy()
        grey = np.clip((grey - grey.min()) / (np.ptp(grey) or 1.0) * 255, 0, 255).astype(np.uint8)
        tiles = [fm.image_tile("zoom-input", "its input: the 28×28 digit", _fit_tile(grey, size))]
    elif layer.startswith("pool"):
        tiles = [fm.image_tile("zoom-input", f"its input: {source} map {index}",
                               fm.single(maps[source], ranges[source], index, size))]
    else:
        tiles = [fm.image_tile("zoom-input", f"its input: all {maps[source].shape[0]} {source} maps",
                               fm.compose(maps[source], ranges[source], 5, 44))]
    if layer in kernels:
        k = kernels[layer][index]
        peak = float(np.abs(k).max()) or 1.0
        kimg = fm.compose(k, np.tile([-peak, peak], (len(k), 1)), 5 if len(k) > 1 else 1, 30 if len(k) > 1 else 120)
        how = "one per input map, each slid over its map, results summed" if len(k) > 1 else "slid over the input"
        tiles.append(fm.image_tile("zoom-kernels", f"kernel{'s' if len(k) > 1 else ''} of map {index}: "
                                   f"{len(k)} × 3×3", kimg, caption=f"{how}, plus a bias, then ReLU"))
    note = "" if layer in kernels else "max pool 2×2: each pixel keeps the largest of 4 input pixels; no weights"
    tiles.append(fm.image_tile("zoom-map", f"{layer} map {index} ({h}×{w})",
                               fm.single(maps[layer], ranges[layer], index, size), caption=note))
    fm.board("digits_zoom", [tiles], projector)
