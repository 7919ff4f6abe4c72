"""Feature maps, layer by layer, and one map up close beside its kernels and its input.

The settings (colour scale, before/after ReLU, which map is enlarged) are their own part of the page,
drawn on every full run even when there is nothing to show, so they survive every path through it; the
maps read them from session state."""

from dataclasses import dataclass

import numpy as np
import streamlit as st

from app.fragments import rerun_parts
from app.pages.digits import state
from app.pages.digits.parts import MAPS, SETTINGS
from app.pages.digits.pictures import LAYER_INPUT, ZOOMABLE, feature_rows, kernel_tile
from components import feature_maps as fm
from components.kernel_pictures import kernel_picture
from components.layout import explain
from models import digit_analysis as da

MAP_COUNT = {"conv1": 10, "pool1": 10, "conv2": 20, "pool2": 20}


@dataclass(frozen=True)
class MapSettings:
    mode: str  # colour scale: "per map", "per layer" or "global"
    after: bool  # conv maps after ReLU
    layer: str  # enlarged layer
    index: int  # enlarged map, 0-based


def heading() -> None:
    st.header("Feature maps, layer by layer")
    explain("Your drawing is cropped, shrunk to 20 px and centred in a 28×28 frame, the way MNIST's digits were "
            "made; then the CNN (two 3×3 convolution layers, two poolings, two fully connected layers) classifies "
            "it. Every map below is recomputed while you draw: **click any map** to enlarge it beside the kernels "
            "that made it and the input they looked at.", label="What happens here")


@st.fragment(key=SETTINGS)
def settings() -> None:
    """The map settings. A change reruns the maps (and these settings, when the layer changes the map count)."""
    ss = st.session_state
    pending = ss.pop(state.DIGITS_ZOOM_PENDING, None)
    if pending is not None:
        ss[state.DIGITS_ZOOM_LAYER], ss[state.DIGITS_ZOOM_INDEX] = pending
    maps_only = {"on_change": rerun_parts, "args": (MAPS,)}
    c1, c2 = st.columns(2)
    c1.segmented_control("Colour scale", ["per map", "per layer", "global"], key=state.DIGITS_SCALE, **maps_only)
    c2.toggle("Show conv maps after ReLU", key=state.DIGITS_RELU, **maps_only,
              help="Before ReLU maps can be negative (blue); ReLU sets those to 0.")
    c3, c4 = st.columns(2)
    layer = c3.selectbox("Map up close: layer", ZOOMABLE, key=state.DIGITS_ZOOM_LAYER,
                         on_change=rerun_parts, args=(SETTINGS, MAPS))
    count = MAP_COUNT[layer]
    ss[state.DIGITS_ZOOM_INDEX] = int(np.clip(ss.get(state.DIGITS_ZOOM_INDEX) or 1, 1, count))
    c4.number_input(f"Map (1–{count})", 1, count, key=state.DIGITS_ZOOM_INDEX, **maps_only)


def chosen_settings() -> MapSettings:
    """The map settings from session state (state.init_defaults() has filled them)."""
    ss = st.session_state
    layer = ss.get(state.DIGITS_ZOOM_LAYER)
    layer = layer if layer in MAP_COUNT else "conv1"
    index = int(np.clip(ss.get(state.DIGITS_ZOOM_INDEX) or 1, 1, MAP_COUNT[layer]))
    return MapSettings(ss.get(state.DIGITS_SCALE) or "per layer", bool(ss.get(state.DIGITS_RELU)), layer, index - 1)


def kernel_tiles(model) -> tuple[dict, dict]:
    """(kernels per conv layer (out, in, 3, 3), their board tiles), mosaics cached by the weights' bytes."""
    kernels = da.kernels(model)
    return kernels, {layer: kernel_tile(k, *kernel_picture(k.tobytes(), k)) for layer, k in kernels.items()}


def feature_maps(model, result: da.Analysis, x, chosen: MapSettings, version: int) -> None:
    names = {"conv1": "conv1" if chosen.after else "conv1_pre", "pool1": "pool1",
             "conv2": "conv2" if chosen.after else "conv2_pre", "pool2": "pool2"}
    maps = {k: result.acts[v] for k, v in names.items()}
    ranges = da.value_ranges(maps, chosen.mode)
    kernels, tiles = kernel_tiles(model)
    rows = feature_rows(maps, ranges, chosen.after, tiles, result.acts)
    picked = fm.board("digits_maps", rows, version)
    if picked is not None and picked[0] in maps and (picked[0], picked[1]) != (chosen.layer, chosen.index):
        st.session_state[state.DIGITS_ZOOM_PENDING] = (picked[0], picked[1] + 1)  # the zoom widgets are above
        st.rerun()
    enlarged(x, maps, ranges, kernels, chosen)


def enlarged(x, maps: dict, ranges: dict, kernels: dict, chosen: MapSettings) -> None:
    """One map large, beside the kernel(s) that produced it and the input they looked at."""
    layer, index, size = chosen.layer, chosen.index, 224
    source = LAYER_INPUT[layer]
    h, w = maps[layer].shape[1:]
    if source == "input":
        grey = x.reshape(28, 28).numpy()
        grey = np.clip((grey - grey.min()) / (np.ptp(grey) or 1.0) * 255, 0, 255).astype(np.uint8)
        tiles = [fm.image_tile("zoom-input", "its input: the 28×28 digit", grey, size // 28 * 28)]  # browser enlarges
    elif layer.startswith("pool"):
        tiles = [fm.image_tile("zoom-input", f"its input: {source} map {index + 1}",
                               *fm.single(maps[source], ranges[source], index, size))]
    else:
        tiles = [fm.image_tile("zoom-input", f"its input: all {maps[source].shape[0]} {source} maps",
                               fm.compose(maps[source], ranges[source], 5, 44))]
    if layer in kernels:
        k = kernels[layer][index]
        peak = float(np.abs(k).max()) or 1.0
        one = len(k) == 1  # one 3x3 kernel: sent at 3x3, enlarged 40 times by the browser
        kimg = fm.compose(k, np.tile([-peak, peak], (len(k), 1)), 1 if one else 5, 3 if one else 30)
        how = "slid over the input" if one else "one per input map, each slid over its map, results summed"
        tiles.append(fm.image_tile("zoom-kernels", f"kernel{'' if one else 's'} of map {index + 1}: "
                                   f"{len(k)} × 3×3", kimg, 120 if one else None, caption=f"{how}, plus a bias, then ReLU"))
    note = "" if layer in kernels else "max pool 2×2: each pixel keeps the largest of 4 input pixels; no weights"
    tiles.append(fm.image_tile("zoom-map", f"{layer} map {index + 1} ({h}×{w})",
                               *fm.single(maps[layer], ranges[layer], index, size), caption=note))
    st.markdown(f"**One map up close: {layer} map {index + 1}.** Click any map above to enlarge it here.")
    fm.board("digits_zoom", [tiles])
