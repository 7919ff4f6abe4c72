"""Draw a digit: a real trained CNN classifies your drawing live, with every layer on show."""

import time

import numpy as np
import streamlit as st

from app import cache, state
from components import feature_maps as fm
from components.digit_canvas import digit_canvas
from components.digit_model_choice import choose_model
from components.digit_views import (
    enlarged,
    feature_rows,
    kernel_tile,
    pick_test_digit,
    saliency_image,
    strip_image,
)
from components.layout import explain
from components.network_diagram import network_diagram
from components.prediction import prediction
from models import digit_analysis as da
from models.mnist_cnn import WeightsError
from models.preprocess import DigitError, prepare_digit
from models.saliency import saliency

projector = state.projector_on()
st.title("Draw a digit")
explain(
    "Draw a digit below. Your drawing is cropped, shrunk to 20 px and centred in a 28×28 frame, the "
    "way MNIST's digits were made; then a small CNN (two 3×3 convolution layers, two poolings, two "
    "fully connected layers) classifies it. Every feature map below is recomputed while you draw: "
    "**click any map** to enlarge it beside the kernels that made it and the input they looked at.",
    projector, label="What happens here")


try:
    MODEL, MODEL_ID = choose_model()
except WeightsError as exc:
    st.error(f"The digit model could not be loaded. {exc}")
    st.stop()
KERNELS = da.kernels(MODEL)
KERNEL_TILES = {layer: kernel_tile(k, *cache.kernel_picture(k.tobytes(), k)) for layer, k in KERNELS.items()}
DONE = '[data-testid="digits-done"]'
STAGES = da.architecture(MODEL)


def _forget_drawing() -> None:
    """Switching input unmounts the canvas, but a fragment rerun keeps its last drawing: drop it."""
    ss = st.session_state
    ss.pop(state.DIGITS_CANVAS, None)
    ss[state.DIGITS_CANVAS_EPOCH] = ss.get(state.DIGITS_CANVAS_EPOCH, 0) + 1


def _input():
    """(model input (1,1,28,28) or None, preprocessing stages or None, true label or None, version)."""
    source = st.segmented_control("Input", ["Draw", "Test set"], default="Draw", key=state.DIGITS_SOURCE,
                                  on_change=_forget_drawing)
    if source == "Test set":
        sample = cache.digit_test_sample()
        preds = cache.digit_test_predictions(MODEL, MODEL_ID)
        x, truth = pick_test_digit(sample, preds, projector)
        return x, None, truth, 0
    stroke = st.slider("Pen width", 6, 40, 20, key=state.DIGITS_STROKE,
                       help="In pixels of a 280-pixel canvas (scaled up with the canvas on a projector).")
    canvas = digit_canvas(state.DIGITS_CANVAS, stroke, projector, ack_selector=DONE,
                          epoch=st.session_state.get(state.DIGITS_CANVAS_EPOCH, 0))
    pixels = st.session_state.get(state.DIGITS_DRAWING)
    pixels = canvas.pixels if pixels is None else np.asarray(pixels)
    if pixels is None:
        return None, None, None, canvas.seq
    try:
        prepared = prepare_digit(pixels)
    except DigitError as exc:
        st.warning(f"That drawing could not be read: {exc}")
        return None, None, None, canvas.seq
    return (None if prepared.empty else prepared.tensor), prepared.stages, None, canvas.seq


def _feature_maps(result: da.Analysis, x, version: int) -> None:
    st.subheader("Feature maps, layer by layer")
    c1, c2 = st.columns(2)
    mode = c1.segmented_control("Colour scale", ["per map", "per layer", "global"], default="per layer",
                                key=state.DIGITS_SCALE) or "per layer"
    after = c2.toggle("Show conv maps after ReLU", value=True, key=state.DIGITS_RELU,
                      help="Before ReLU maps can be negative (blue); ReLU sets those to 0.")
    names = {"conv1": "conv1" if after else "conv1_pre", "pool1": "pool1",
             "conv2": "conv2" if after else "conv2_pre", "pool2": "pool2"}
    maps = {k: result.acts[v] for k, v in names.items()}
    ranges = da.value_ranges(maps, mode)
    rows = feature_rows(maps, ranges, after, KERNEL_TILES, result.acts)
    picked = fm.board("digits_maps", rows, projector, version)
    if picked is not None and picked[0] in maps:
        st.session_state[state.DIGITS_ZOOM_LAYER], st.session_state[state.DIGITS_ZOOM_INDEX] = picked
    enlarged(result, x, maps, ranges, KERNELS, projector)


@st.fragment
def live() -> None:
    started = (time.perf_counter(), time.thread_time())
    left, right = st.columns([1, 1] if projector else [1, 2])
    with left:
        x, stages, truth, version = _input()
    if x is None:
        with right:
            prediction(None, None, None, False, projector, version=version)
            if stages is not None:
                st.caption("Only a tiny speck so far: draw a whole digit.")
        network_diagram(STAGES, projector)
        _done(version, started)
        return
    result = da.analyse(MODEL, x)
    with right:
        prediction(result.probs, result.top, result.second, result.sure, projector, truth, version)
        if stages is not None:
            fm.board("digits_strip", [[fm.image_tile("digits_strip", "", strip_image(stages), caption=(
                "what you drew → cropped to the ink → longer side fitted to 20 px → centred in 28×28 "
                "(what the model sees)"))]], projector, version)
        if st.toggle("Why this answer?", key=state.DIGITS_WHY):
            method = st.segmented_control("Method", ["occlusion", "gradient"], default="occlusion",
                                          key=state.DIGITS_WHY_METHOD) or "occlusion"
            heat = saliency(MODEL, x, result.top, method)
            why = f"Red pixels pushed {result.top} up, blue ones pulled it down ({method})."
            fm.board("digits_why_board", [[fm.image_tile("digits_why", "", saliency_image(x, heat), 240, why)]],
                     projector, version)
    network_diagram(STAGES, projector, result.top)
    _feature_maps(result, x, version)
    _done(version, started)


def _done(version: int, started: tuple[float, float]) -> None:
    """Last element of every update: tells the canvas this drawing is on screen, and the cost
    (wall-clock, and CPU time of this script thread, which a busy machine does not inflate)."""
    wall, cpu = 1000 * (time.perf_counter() - started[0]), 1000 * (time.thread_time() - started[1])
    st.html(f'<div data-testid="digits-done" data-version="{version}" data-cpu-ms="{cpu:.1f}" '
            f'style="font-size:0.85rem;color:#444">Server work for this update: {wall:.0f} ms '
            "(preprocessing, forward pass and every picture).</div>")


live()
