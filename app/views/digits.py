"""Draw a digit: a real trained CNN classifies your drawing live, with every layer on show."""

import time

import numpy as np
import streamlit as st

from app import cache, state
from components import feature_maps as fm
from components.digit_canvas import digit_canvas
from components.digit_views import enlarged, pick_test_digit, saliency_image, strip_image
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


def _choose_model():
    trained = st.session_state.get(state.TRAINED_MODEL)
    if trained is not None and not st.session_state.get(state.DIGITS_USE_SHIPPED, False):
        info = st.session_state.get(state.TRAINED_MODEL_INFO) or {}
        detail = ", ".join(f"{k}: {v}" for k, v in info.items())
        st.info(f"Using **the model you trained** on the Anatomy page (this session only{'; ' + detail if detail else ''}).")
        st.button("Switch back to the shipped model", key="digits_to_shipped",
                  on_click=lambda: st.session_state.update({state.DIGITS_USE_SHIPPED: True}))
        return trained, f"trained-{id(trained)}"
    if trained is not None:
        st.button("Use the model I trained this session", key="digits_to_trained",
                  on_click=lambda: st.session_state.update({state.DIGITS_USE_SHIPPED: False}))
    return cache.digit_model(), "shipped"


try:
    MODEL, MODEL_ID = _choose_model()
except WeightsError as exc:
    st.error(f"The digit model could not be loaded. {exc}")
    st.stop()
KERNELS = da.kernels(MODEL)
DONE = '[data-testid="digits-done"]'
STAGES = da.architecture(MODEL)


def _input():
    """(model input (1,1,28,28) or None, preprocessing stages or None, true label or None, version)."""
    source = st.segmented_control("Input", ["Draw", "Test set"], default="Draw", key=state.DIGITS_SOURCE)
    if source == "Test set":
        sample = cache.digit_test_sample()
        preds = cache.digit_test_predictions(MODEL, MODEL_ID)
        x, truth = pick_test_digit(sample, preds, projector)
        return x, None, truth, 0
    stroke = st.slider("Pen width", 6, 40, 20, key=state.DIGITS_STROKE)
    canvas = digit_canvas(state.DIGITS_CANVAS, stroke, projector, ack_selector=DONE)
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
    layouts = {"conv1": (10, 52), "pool1": (10, 52), "conv2": (10, 44), "pool2": (10, 40)}
    picked = None
    for layer, (cols, cell) in layouts.items():
        c, h, w = maps[layer].shape
        title = f"**{layer}**{'' if 'pool' in layer else (' after ReLU' if after else ' before ReLU')}: {c} maps of {h}×{w}"
        left, right = st.columns([3, 1]) if not projector else (st.container(), st.container())
        with left:
            st.markdown(f"{title} · {fm.legend(bool(ranges[layer][:, 0].min() < 0))}")
            idx = fm.grid(f"digits_grid_{layer}", layer, maps[layer], ranges[layer], cols, cell, projector,
                          alt=f"{layer}: {c}@{h}x{w}", version=version)
            picked = (layer, idx) if idx is not None else picked
        if layer in KERNELS:
            with right:
                k = KERNELS[layer]
                st.markdown(f"Learned kernels: {k.shape[0]}×{k.shape[1]} of 3×3")
                url, size = cache.kernel_picture(k.tobytes(), k)
                fm.kernel_grid(f"digits_kernels_{layer}", k.shape, url, size, projector)
    dense = {"fc1": result.acts["fc1"], "logits": result.acts["logits"]}
    d_ranges = da.value_ranges({k: v.reshape(-1, 1, 1) for k, v in dense.items()}, "per layer")
    for layer, cols, label in (("fc1", 25, "fc1: 50 units (after ReLU)"), ("logits", 10, "the 10 outputs (logits, 0 … 9)")):
        st.markdown(f"**{label}** · {fm.legend(bool(d_ranges[layer][:, 0].min() < 0))}")
        fm.grid(f"digits_grid_{layer}", layer, dense[layer].reshape(-1, 1, 1), d_ranges[layer], cols, 28,
                projector, alt=label, pickable=False, version=version)
    if picked is not None:
        st.session_state[state.DIGITS_ZOOM_LAYER], st.session_state[state.DIGITS_ZOOM_INDEX] = picked
    enlarged(result, x, maps, ranges, KERNELS, projector)


@st.fragment
def live() -> None:
    started = time.perf_counter()
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
            fm.picture("digits_strip", strip_image(stages), "preprocessing steps", 470 if projector else 466,
                       "what you drew → cropped to the ink → longer side fitted to 20 px → centred in 28×28 "
                       "(what the model sees)")
        if st.toggle("Why this answer?", key=state.DIGITS_WHY):
            method = st.segmented_control("Method", ["occlusion", "gradient"], default="occlusion",
                                          key=state.DIGITS_WHY_METHOD) or "occlusion"
            heat = saliency(MODEL, x, result.top, method)
            fm.picture("digits_why_img", saliency_image(x, heat), "saliency map", 320 if projector else 240,
                       f"Red pixels pushed **{result.top}** up, blue ones pulled it down ({method}).")
    network_diagram(STAGES, projector, result.top)
    _feature_maps(result, x, version)
    _done(version, started)


def _done(version: int, started: float) -> None:
    """Last element of every update: tells the canvas this drawing is on screen, and the cost."""
    st.html(f'<div data-testid="digits-done" data-version="{version}" style="font-size:0.85rem;color:#444">'
            f"Server work for this update: {1000 * (time.perf_counter() - started):.0f} ms "
            "(preprocessing, forward pass and every picture).</div>")


live()
