"""The parts of the page that show the model at work, each a keyed fragment (see parts.py).

A drawing update reruns answer_part(), diagram_part() and maps_part() in that order; each reads
current(), which computes the input and its analysis once. Every setting is drawn on every full run (a model that cannot
be loaded or an unreadable drawing only replace the pictures by a message)."""

import os
import time

import streamlit as st

from app.fragments import rerun_page, rerun_parts
from app.pages.digits import cache, maps, state
from app.pages.digits.answer import answer_column
from app.pages.digits.current import SPECK, TEST_NEEDS_MODEL, current
from app.pages.digits.drawing import draw_input, forget_drawing
from app.pages.digits.model_choice import chosen, model_selector
from app.pages.digits.parts import ANSWER, DIAGRAM, INPUT, MAPS, OUTPUTS
from app.pages.digits.reading import COVERED_MESSAGE
from app.pages.digits.test_set import pick_test_digit
from components.layout import plain
from components.network_diagram import network_diagram
from components.prediction import prediction
from models import digit_analysis as da
from models.torch_threads import one_torch_thread


def _clock() -> tuple[float, float]:
    return time.perf_counter(), time.thread_time()


def _spent(started: tuple[float, float]) -> tuple[float, float]:
    """(wall ms, CPU ms of this script thread) since `started`."""
    return 1000 * (time.perf_counter() - started[0]), 1000 * (time.thread_time() - started[1])


@st.fragment(key=INPUT)
def input_part() -> None:
    """The input column: Draw (canvas, pen width, pen gallery) or a test digit."""
    source = st.segmented_control("Input", ["Draw", "Test set"], key=state.DIGITS_SOURCE, on_change=forget_drawing)
    if source == "Test set":
        one_torch_thread()
        choice = chosen()
        if choice.model is None:
            st.info(TEST_NEEDS_MODEL)
            return
        pick_test_digit(cache.digit_test_sample(), cache.digit_test_predictions(choice.model, choice.model_id))
    else:
        draw_input()


def _model_changed() -> None:
    """A new model changes the answer, the diagram and the maps; with the test set also its misclassified list."""
    if st.session_state.get(state.DIGITS_SOURCE) == "Test set":
        rerun_page()
    else:
        rerun_parts(*OUTPUTS)


def model_part() -> None:
    model_selector(_model_changed)


@st.fragment(key=ANSWER)
def answer_part() -> None:
    started = _clock()
    one_torch_thread()  # each run may be a new script thread; small forward passes follow
    cur = current()
    if cur.problem and cur.problem not in (COVERED_MESSAGE, SPECK, TEST_NEEDS_MODEL):
        st.warning(cur.problem)
    if cur.result is None:
        prediction(None, cur.version, prompt=cur.problem if cur.problem and cur.problem != SPECK else "")
        if cur.problem == SPECK and cur.prepared is not None and cur.prepared.stages:
            st.caption(SPECK)
    else:
        note = st.session_state.get(state.DIGITS_REPLAY_NOTE)
        if note and cur.replayed:
            st.caption(plain(note))
        answer_column(cur.choice, cur.x, cur.prepared, cur.result, cur.truth, cur.version)
    st.session_state[state.DIGITS_COST] = _spent(started)


@st.fragment(key=DIAGRAM)
def diagram_part() -> None:
    started = _clock()
    cur = current()
    if cur.choice.model is not None:
        network_diagram(da.architecture(cur.choice.model), None if cur.result is None else cur.result.top)
    _add_cost(_spent(started))


@st.fragment(key=MAPS)
def maps_part() -> None:
    started = _clock()
    cur = current()
    if cur.result is not None:
        maps.feature_maps(cur.choice.model, cur.result, cur.x, maps.chosen_settings(), cur.version)
    else:
        st.caption("The feature maps appear as soon as there is a digit to classify.")
    _add_cost(_spent(started))
    done(cur.version, st.session_state.pop(state.DIGITS_COST, (0.0, 0.0)), cur.choice.name)


def _add_cost(cost: tuple[float, float]) -> None:
    ss = st.session_state
    before = ss.get(state.DIGITS_COST) or (0.0, 0.0)
    ss[state.DIGITS_COST] = (before[0] + cost[0], before[1] + cost[1])


def done(version: int, cost: tuple[float, float], model: str) -> None:
    """Last element of every update: tells the canvas this drawing is on screen, and the cost (wall-clock,
    and CPU time of the script thread) of this update's parts. The numbers are shown only with
    CONVLAB_TIMING=1 (benchmarks)."""
    wall, cpu = cost
    text = (f"Server work for this update: {wall:.0f} ms (preprocessing, forward pass and every picture)."
            if os.environ.get("CONVLAB_TIMING") == "1" else "")
    st.html(f'<div data-testid="digits-done" data-version="{version}" data-model="{model}" data-cpu-ms="{cpu:.1f}" '
            f'style="font-size:0.85rem;color:#333">{text}</div>')
