"""The live part of the page, one fragment: model, input, answer, network diagram and feature maps.

A drawing update reruns only this fragment. Every setting is drawn on every run (a model that cannot
be loaded or an unreadable drawing only replace the pictures by a message)."""

import os
import time

import streamlit as st

from app.pages.digits import cache, maps, state
from app.pages.digits.answer import answer_column
from app.pages.digits.drawing import draw_input, forget_drawing
from app.pages.digits.model_choice import choose_model
from app.pages.digits.reading import COVERED_MESSAGE, read_drawing
from app.pages.digits.test_set import pick_test_digit
from components.network_diagram import network_diagram
from components.prediction import prediction
from components.theme import projector
from models import digit_analysis as da
from models.torch_threads import one_torch_thread

SPECK = "Only a tiny speck so far: draw a whole digit."


def _input(choice, source: str):
    """(model input (1,1,28,28) or None, PreparedDigit or None, true label or None, version, message or None)."""
    if source == "Test set":
        if choice.model is None:
            return None, None, None, 0, "The test set needs a model that loads."
        sample = cache.digit_test_sample()
        x, truth = pick_test_digit(sample, cache.digit_test_predictions(choice.model, choice.model_id))
        return x, None, truth, 0, None
    drawn = draw_input()
    prepared, problem = read_drawing(drawn.pixels)
    if problem and problem != COVERED_MESSAGE:
        st.warning(problem)
    if prepared is not None and prepared.empty:
        return None, prepared, None, drawn.version, SPECK if drawn.pixels is not None else None
    return (None if prepared is None else prepared.tensor), prepared, None, drawn.version, problem


@st.fragment
def live() -> None:
    started = (time.perf_counter(), time.thread_time())
    one_torch_thread()  # each run may be a new script thread; three tiny forward passes follow
    state.init_defaults()
    left, right = st.columns([1, 1] if projector() else [1, 2], gap="large")
    with right:
        choice = choose_model()
    with left:
        source = st.segmented_control("Input", ["Draw", "Test set"], key=state.DIGITS_SOURCE, on_change=forget_drawing)
        x, prepared, truth, version, problem = _input(choice, source)
    result = None
    with right:
        if x is None or choice.model is None:
            prediction(None, version, prompt=problem if problem and problem != SPECK else "")
            if problem == SPECK and prepared is not None and prepared.stages:
                st.caption(SPECK)
        else:
            result = da.analyse(choice.model, x)
            answer_column(choice, x, prepared, result, truth, version)
    if choice.model is not None:
        network_diagram(da.architecture(choice.model), None if result is None else result.top)
    chosen = maps.settings()
    if result is not None:
        maps.feature_maps(choice.model, result, x, chosen, version)
    else:
        st.caption("The feature maps appear as soon as there is a digit to classify.")
    done(version, started, choice.name)


def done(version: int, started: tuple[float, float], model: str) -> None:
    """Last element of every update: tells the canvas this drawing is on screen, and the cost (wall-clock,
    and CPU time of this script thread). The numbers are shown only with CONVLAB_TIMING=1 (benchmarks)."""
    wall, cpu = 1000 * (time.perf_counter() - started[0]), 1000 * (time.thread_time() - started[1])
    text = (f"Server work for this update: {wall:.0f} ms (preprocessing, forward pass and every picture)."
            if os.environ.get("CONVLAB_TIMING") == "1" else "")
    st.html(f'<div data-testid="digits-done" data-version="{version}" data-model="{model}" data-cpu-ms="{cpu:.1f}" '
            f'style="font-size:0.85rem;color:#333">{text}</div>')
