"""Every session-state key of the Draw-a-digit page, its defaults, init_defaults() and keep().

The settings live here: widgets are keyed by these names and created without their own defaults, so
a setting survives every path through the page (Draw -> Test set -> Draw, model switches, errors).
"""

import streamlit as st

DIGITS_DRAWING = "digits_drawing"  # np.ndarray (H,W) drawing injected instead of the canvas (AppTest, fuzz)
DIGITS_CANVAS = "digits_canvas"  # the canvas component's own state (latest PNG from this browser)
DIGITS_CANVAS_EPOCH = "digits_canvas_epoch"  # int: bumped to wipe the strokes kept in the browser
DIGITS_MODEL = "digits_model"  # str: a models.mnist_cnn.MODEL_CHOICES name, or TRAINED
DIGITS_SEEN_TRAINED = "digits_seen_trained"  # int: id() of the session-trained model last offered
DIGITS_STROKE = "digits_stroke"  # int: pen width in canvas pixels (of a 280 px canvas)
DIGITS_SOURCE = "digits_source"  # "Draw" or "Test set"
DIGITS_PEN_PAGE = "digits_pen_page"  # int: which set of pen-written digits the gallery shows
DIGITS_REPLAY = "digits_replay"  # dict | None: {"id", "strokes", "width"} sent to the canvas to replay
DIGITS_REPLAY_NOTE = "digits_replay_note"  # str: which gallery digit was replayed (shown under the canvas)
DIGITS_GALLERY = "digits_gallery"  # "All digits" or "Misclassified"
DIGITS_PICK = "digits_pick"  # int: test digit number, 1-based as shown
DIGITS_PICK_WRONG = "digits_pick_wrong"  # int: index of the misclassified test digit shown
DIGITS_SCALE = "digits_scale"  # "per map" / "per layer" / "global" colour scale
DIGITS_RELU = "digits_relu"  # bool: show conv maps after ReLU (else before)
DIGITS_WHY = "digits_why"  # bool: show the saliency overlay
DIGITS_WHY_METHOD = "digits_why_method"  # "occlusion" or "gradient"
DIGITS_ZOOM_LAYER = "digits_zoom_layer"  # layer of the enlarged map
DIGITS_ZOOM_INDEX = "digits_zoom_index"  # int: which map of that layer is enlarged, 1-based as shown
DIGITS_ZOOM_PENDING = "digits_zoom_pending"  # (layer, 1-based index) clicked on a grid, applied next run
DIGITS_TEST_INDEX = "digits_test_index"  # int: 0-based index of the test digit the input column shows
DIGITS_CURRENT = "digits_current"  # (input identity, current.Current): the shown input and its analysis
DIGITS_CHOICE = "digits_choice"  # model_choice.Choice: the shipped model last loaded for this session
DIGITS_COST = "digits_cost"  # [wall ms, cpu ms] of this update's parts so far (timing for benchmarks)

TRAINED = "trained"  # DIGITS_MODEL value of the model trained this session on the Anatomy page
DEFAULT_MODEL = "pen"

DEFAULTS = {
    DIGITS_MODEL: DEFAULT_MODEL,
    DIGITS_STROKE: 20,
    DIGITS_SOURCE: "Draw",
    DIGITS_PEN_PAGE: 0,
    DIGITS_GALLERY: "All digits",
    DIGITS_PICK: 1,
    DIGITS_SCALE: "per layer",
    DIGITS_RELU: True,
    DIGITS_WHY: False,
    DIGITS_WHY_METHOD: "occlusion",
    DIGITS_ZOOM_LAYER: "conv1",
    DIGITS_ZOOM_INDEX: 1,
}


def init_defaults() -> None:
    """Fill the settings that are missing, and keep the others: a widget not drawn in a run (the pen
    width while the test set is shown) would otherwise lose its value when Streamlit cleans up."""
    ss = st.session_state
    for key, value in DEFAULTS.items():
        ss[key] = ss[key] if key in ss and ss[key] is not None else value
