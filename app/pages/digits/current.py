"""The input the page shows and the model's analysis of it, computed once per input.

The answer, the network diagram and the maps are separate parts of the page (fragments) that rerun
together on a drawing update, and the maps also rerun alone when a map setting changes. Each asks
current(), which computes on the first call for a new input (drawing, test digit or model) and hands
every later call the same result."""

import hashlib
from dataclasses import dataclass

import numpy as np
import streamlit as st

from app.pages.digits import cache, state
from app.pages.digits.model_choice import Choice, chosen
from app.pages.digits.reading import read_drawing
from components.digit_canvas import drawing_from
from models import digit_analysis as da
from models.digit_gallery import as_input
from models.preprocess import PreparedDigit
from models.torch_threads import one_torch_thread

SPECK = "Only a tiny speck so far: draw a whole digit."
TEST_NEEDS_MODEL = "The test set needs a model that loads."


@dataclass(frozen=True)
class Current:
    choice: Choice
    x: object  # model input torch (1, 1, 28, 28), or None when there is nothing to classify
    prepared: PreparedDigit | None  # a drawing's preprocessing stages (None for a test digit)
    truth: int | None  # a test digit's label
    version: int  # the canvas's update counter (0 for a test digit)
    problem: str | None  # why the drawing cannot be classified, plain text
    result: da.Analysis | None  # the forward pass, when there is a model and an input
    replayed: bool = False  # the canvas shows exactly the pen-written digit it was last asked to replay


def canvas_key() -> str:
    """The canvas's widget key, new with every epoch: the browser keeps a widget's last value under its key
    and would send the old drawing again when Draw comes back."""
    return f"{state.DIGITS_CANVAS}-{st.session_state.get(state.DIGITS_CANVAS_EPOCH, 0)}"


def _drawn() -> tuple[object, object]:
    """(the injected drawing (AppTest, fuzz) or None, the canvas's latest "drawing" value, not decoded)."""
    ss = st.session_state
    return ss.get(state.DIGITS_DRAWING), (ss.get(canvas_key()) or {}).get("drawing")


def _identity(injected) -> object:
    if injected is None:
        return None
    if isinstance(injected, np.ndarray) and injected.nbytes <= 16_000_000:
        return (injected.shape, str(injected.dtype), hashlib.blake2b(injected.tobytes(), digest_size=16).digest())
    return ("object", id(injected))


def current() -> Current:
    ss = st.session_state
    choice = chosen()
    source = ss.get(state.DIGITS_SOURCE) or "Draw"
    if source == "Test set":
        index = int(ss.get(state.DIGITS_TEST_INDEX) or 0)
        identity = ("test", choice.model_id, index)
    else:
        injected, value = _drawn()
        seen = (value.get("seq"), value.get("strokes")) if isinstance(value, dict) else None
        identity = ("draw", choice.model_id, canvas_key(), seen, _identity(injected))
    memo = ss.get(state.DIGITS_CURRENT)
    if memo is not None and memo[0] == identity:
        return memo[1]
    one_torch_thread()
    if source == "Test set":
        cur = _test_digit(choice, index)
    else:
        drawing = drawing_from(value)  # decoded only for a new drawing
        pixels = drawing.pixels if injected is None else injected
        cur = _drawing(choice, pixels, drawing.seq, drawing.replayed and injected is None)
    ss[state.DIGITS_CURRENT] = (identity, cur)
    return cur


def _test_digit(choice: Choice, index: int) -> Current:
    if choice.model is None:
        return Current(choice, None, None, None, 0, TEST_NEEDS_MODEL, None)
    sample = cache.digit_test_sample()
    index = min(max(index, 0), len(sample.labels) - 1)
    x = as_input(sample.images[index])
    return Current(choice, x, None, int(sample.labels[index]), 0, None, da.analyse(choice.model, x))


def _drawing(choice: Choice, pixels, version: int, replayed: bool) -> Current:
    prepared, problem = read_drawing(pixels)
    if prepared is not None and prepared.empty:
        return Current(choice, None, prepared, None, version, SPECK if pixels is not None else None, None, replayed)
    x = None if prepared is None else prepared.tensor
    result = None if x is None or choice.model is None else da.analyse(choice.model, x)
    return Current(choice, x, prepared, None, version, problem, result, replayed)
