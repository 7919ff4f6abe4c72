"""AppTest for the Draw-a-digit page: drawings are injected as pixel arrays through session state."""

import json
import re

import numpy as np
import pytest
import torch

from app import session
from app.pages.digits import cache, state
from models.confidence import judge
from models.digit_gallery import load_test_sample
from models.mnist_cnn import MODEL_CHOICES, MnistCNN, WeightsError, load_named
from models.preprocess import prepare_digit
from testkit.digits import render_strokes
from tests.conftest import app_at, widget

PAGE = "pages/digits/page.py"


def prediction_block(at) -> dict[str, str] | None:
    """data-* attributes of the prediction block (label "" = the draw-a-digit prompt)."""
    for el in at.get("html"):
        if 'data-testid="digit-prediction"' in el.proto.body:
            tag = re.search(r'<div[^>]*data-testid="digit-prediction"[^>]*>', el.proto.body).group(0)
            return dict(re.findall(r'data-(\w+)="([^"]*)"', tag))
    return None


def shown_label(at) -> str | None:
    block = prediction_block(at)
    return None if block is None else block["label"]


def page_html(at) -> str:
    return " ".join(el.proto.body for el in at.get("html"))


def boards(at) -> dict[str, dict]:
    """Picture boards (components.feature_maps.board) by element key: their JSON data."""
    out = {}
    for el in at.get("bidi_component"):
        if el.proto.component_name == "convlab_picture_board":
            out[el.proto.id.rsplit("-", 1)[-1]] = json.loads(el.proto.json)
    return out


def captions(at) -> str:
    """Every caption, markdown, board title and board caption on the page."""
    tiles = [t for data in boards(at).values() for row in data["rows"] for t in row]
    return " | ".join([c.value for c in at.caption] + [m.value for m in at.markdown]
                      + [t["title"] for t in tiles] + [t["caption"] for t in tiles])


ONE = render_strokes([[(0.5, 0.15), (0.5, 0.85)]])
SEVEN = render_strokes([[(0.25, 0.2), (0.75, 0.2), (0.45, 0.85)]])
X_MARK = render_strokes([[(0.15, 0.15), (0.85, 0.85)], [(0.85, 0.15), (0.15, 0.85)]])
ALL_INK = np.zeros((280, 280), np.uint8)
MOSTLY_INK = render_strokes([[(0.3, 0.3), (0.7, 0.7)]], width=200)


def mnist_on_canvas(image: np.ndarray) -> np.ndarray:
    """A 28x28 MNIST digit blown up to the 280x280 canvas, black ink on white."""
    from PIL import Image

    big = Image.fromarray(image).resize((200, 200), Image.BILINEAR)
    canvas = Image.new("L", (280, 280), 0)
    canvas.paste(big, (40, 40))
    return 255 - np.asarray(canvas)


def offline(name: str, pixels: np.ndarray):
    """(argmax, verdict kind) of a shipped model for a drawing, computed without the page."""
    prepared = prepare_digit(pixels)
    with torch.no_grad():
        logits = load_named(name)(prepared.tensor)[0].numpy()
    from models.mnist_cnn import model_card

    return int(logits.argmax()), judge(logits, prepared, model_card(name)).kind


@pytest.fixture(scope="module")
def digits_at():
    return app_at(PAGE)


def draw(at, pixels):
    at.session_state[state.DIGITS_DRAWING] = pixels
    at.run()
    assert not at.exception, at.exception
    return shown_label(at)


def test_blank_canvas_prompts_to_draw(digits_at):
    at = digits_at
    assert not at.exception, at.exception
    assert at.title[0].value == "Draw a digit"
    assert shown_label(at) == ""
    assert draw(at, np.full((280, 280), 255, np.uint8)) == ""


def test_the_pen_model_is_the_default_and_both_models_are_offered(digits_at):
    control = widget(digits_at, "radio", state.DIGITS_MODEL)
    assert control.value == "pen"
    assert len(control.options) == 2
    assert [c.value for c in digits_at.caption if "UNIPEN" in c.value] or "UNIPEN" in captions(digits_at)


@pytest.mark.parametrize("name", list(MODEL_CHOICES))
@pytest.mark.parametrize("drawing", ["one", "seven", "x", "all ink", "mostly ink"])
def test_answer_and_verdict_equal_the_offline_model(digits_at, name, drawing):
    pixels = {"one": ONE, "seven": SEVEN, "x": X_MARK, "all ink": ALL_INK, "mostly ink": MOSTLY_INK}[drawing]
    at = digits_at
    widget(at, "radio", state.DIGITS_MODEL).set_value(name).run()
    label = draw(at, pixels)
    if drawing in ("all ink", "mostly ink"):  # no forced pick at all: the page says why in words
        assert label == "" and "pick one of ten digits" in page_html(at)
        return
    expected, kind = offline(name, pixels)
    assert label == str(expected)
    assert prediction_block(at)["kind"] == kind
    if kind == "not_a_digit":  # honest words, not "8, 94 % sure"
        assert "% sure ·" not in page_html(at).split('data-testid="digit-prediction"')[1].split("</div></div>")[0]
    widget(at, "radio", state.DIGITS_MODEL).set_value("pen").run()


def test_comparison_shows_both_models_answers(digits_at):
    draw(digits_at, SEVEN)
    html = page_html(digits_at)
    table = html[html.index('data-testid="digit-comparison"'):]
    for name, label in MODEL_CHOICES.items():
        answer, kind = offline(name, SEVEN)
        row = table[table.index(label):].split("</tr>")[0]
        assert f">{'?' if kind == 'not_a_digit' else answer}<" in row
    assert "domain shift" in captions(digits_at)


def test_mnist_digits_drawn_on_the_canvas_match_the_model(digits_at):
    sample = load_test_sample()
    for i in (0, 1, 2, 3, 4, 7):
        pixels = mnist_on_canvas(sample.images[i])
        expected, _ = offline("pen", pixels)
        assert draw(digits_at, pixels) == str(expected)
        assert expected == int(sample.labels[i])


@pytest.mark.parametrize("pixels", [
    render_strokes([[(0.5, 0.5)]], width=3),  # a tiny dot
    ALL_INK,
    np.random.default_rng(0).integers(0, 256, (280, 280), dtype=np.uint8),
    render_strokes([[(0.9, 0.1), (1.4, 0.6)]]),  # a stroke that leaves the canvas
])
def test_odd_drawings_never_crash(digits_at, pixels):
    assert draw(digits_at, pixels) in {"", *map(str, range(10))}


def test_unreadable_input_gives_a_warning_not_a_traceback(digits_at):
    at = digits_at
    draw(at, np.full((280, 280), np.nan))
    assert any("could not be read" in w.value for w in at.warning)
    draw(at, np.zeros((0, 5)))
    assert any("could not be read" in w.value for w in at.warning)
    at.session_state[state.DIGITS_DRAWING] = None
    at.run()


def test_every_control_runs_and_numbering_is_one_based(digits_at):
    at = digits_at
    draw(at, SEVEN)
    widget(at, "slider", state.DIGITS_STROKE).set_value(30).run()
    for mode in ("per map", "global", "per layer"):
        widget(at, "button_group", state.DIGITS_SCALE).set_value(mode).run()
        assert not at.exception, at.exception
    widget(at, "toggle", state.DIGITS_RELU).set_value(False).run()
    assert "conv2</b> before ReLU" in captions(at)
    widget(at, "toggle", state.DIGITS_WHY).set_value(True).run()
    for method in ("gradient", "occlusion"):
        widget(at, "button_group", state.DIGITS_WHY_METHOD).set_value(method).run()
        assert not at.exception, at.exception
        assert f"({method})" in captions(at)
    for layer, count in (("pool1", 10), ("conv2", 20), ("pool2", 20), ("conv1", 10)):
        widget(at, "selectbox", state.DIGITS_ZOOM_LAYER).set_value(layer).run()
        assert widget(at, "number_input", state.DIGITS_ZOOM_INDEX).min == 1
        assert widget(at, "number_input", state.DIGITS_ZOOM_INDEX).max == count
        widget(at, "number_input", state.DIGITS_ZOOM_INDEX).set_value(count).run()
        assert not at.exception, at.exception
        assert f"{layer} map {count} " in captions(at)
    assert shown_label(at) == "7"


SETTINGS = {state.DIGITS_STROKE: ("slider", 31), state.DIGITS_SCALE: ("button_group", "global"),
            state.DIGITS_RELU: ("toggle", False), state.DIGITS_ZOOM_LAYER: ("selectbox", "conv2"),
            state.DIGITS_ZOOM_INDEX: ("number_input", 17), state.DIGITS_WHY: ("toggle", True),
            state.DIGITS_WHY_METHOD: ("button_group", "gradient")}


def _widget(at, kind, key):
    return getattr(at, kind)(key=key)


def test_settings_survive_test_set_and_model_switches():
    at = app_at(PAGE)
    draw(at, SEVEN)
    for key, (kind, value) in SETTINGS.items():
        widget(at, kind, key).set_value(value).run()
    path = [(state.DIGITS_SOURCE, "Test set"), (state.DIGITS_MODEL, "mnist"), (state.DIGITS_SOURCE, "Draw"),
            (state.DIGITS_MODEL, "pen")]
    for key, value in path:
        widget(at, "radio" if key == state.DIGITS_MODEL else "button_group", key).set_value(value).run()
        assert not at.exception, at.exception
        draw(at, SEVEN)
        for skey, (kind, expected) in SETTINGS.items():
            if skey == state.DIGITS_STROKE and at.session_state[state.DIGITS_SOURCE] != "Draw":
                assert at.session_state[skey] == expected
                continue
            assert _widget(at, kind, skey).value == expected, f"{skey} lost after {key} -> {value}"


def test_test_set_is_numbered_from_one_and_the_misclassified_gallery_works(digits_at):
    at = digits_at
    sample = load_test_sample()
    widget(at, "button_group", state.DIGITS_SOURCE).set_value("Test set").run()
    assert not at.exception, at.exception
    picker = widget(at, "number_input", state.DIGITS_PICK)
    assert (picker.min, picker.max) == (1, len(sample.labels))
    picker.set_value(4).run()
    assert f"True label: <b>{sample.labels[3]}</b>" in page_html(at)
    assert "Test digit #4" in captions(at)
    widget(at, "button_group", state.DIGITS_GALLERY).set_value("Misclassified").run()
    assert not at.exception, at.exception
    first = widget(at, "selectbox", state.DIGITS_PICK_WRONG).value
    assert "✗ wrong" in page_html(at)
    assert shown_label(at) != str(sample.labels[first])
    widget(at, "button_group", state.DIGITS_SOURCE).set_value("Draw").run()
    assert draw(at, ONE) == "1"


def _always_five() -> MnistCNN:
    odd = MnistCNN().eval()
    with torch.no_grad():
        for p in odd.parameters():
            p.zero_()
        odd.fc2.bias[5] = 10.0
    return odd


def test_session_trained_model_is_a_third_choice_selected_once():
    at = app_at(PAGE)
    at.session_state[session.TRAINED_MODEL] = _always_five()
    at.session_state[session.TRAINED_MODEL_INFO] = {"epochs": 1}
    assert draw(at, ONE) == "5"
    control = widget(at, "radio", state.DIGITS_MODEL)
    assert control.value == state.TRAINED and len(control.options) == 3
    assert any("the model you trained" in i.value and "epochs" in i.value for i in at.info)
    control.set_value("pen").run()
    assert shown_label(at) == "1"
    draw(at, ONE)  # the student's choice holds on the next run
    assert widget(at, "radio", state.DIGITS_MODEL).value == "pen" and not at.info


def test_projector_mode_renders():
    at = app_at(PAGE, query={"projector": "1"})
    assert draw(at, SEVEN) == "7"


@pytest.mark.parametrize("problem", ["missing", "nan"])
def test_unloadable_weights_give_a_clear_message_and_keep_the_settings(monkeypatch, problem):
    """Weights the loader refuses (missing file, NaN values): a message, no traceback, every setting drawn."""
    from models import mnist_cnn

    def refuse(name):
        raise WeightsError("The weights contain NaN values." if problem == "nan" else "The weights file is missing.")

    monkeypatch.setattr(mnist_cnn, "load_named", refuse)
    cache.digit_model.clear()
    try:
        at = app_at(PAGE)
        at.session_state[state.DIGITS_DRAWING] = SEVEN
        at.run()
        assert not at.exception, at.exception
        assert any("could not be loaded" in e.value for e in at.error)
        assert "nan %" not in page_html(at).lower() and shown_label(at) == ""
        for key, (kind, _) in SETTINGS.items():
            if key not in (state.DIGITS_WHY, state.DIGITS_WHY_METHOD):
                _widget(at, kind, key)  # drawn (raises KeyError otherwise)
        widget(at, "button_group", state.DIGITS_SOURCE).set_value("Test set").run()
        assert not at.exception, at.exception
    finally:
        monkeypatch.undo()
        cache.digit_model.clear()


def test_a_trained_model_of_another_shape_is_not_offered():
    at = app_at(PAGE)
    at.session_state[session.TRAINED_MODEL] = torch.nn.Sequential(torch.nn.Flatten(), torch.nn.Linear(784, 10))
    assert draw(at, ONE) == "1"
    assert any("not the digit CNN's shape" in w.value for w in at.warning)
    assert len(widget(at, "radio", state.DIGITS_MODEL).options) == 2


def test_card_accuracies_are_read_defensively():
    from app.pages.digits.answer import _accuracy

    assert _accuracy({"unipen_validation_default": {"accuracy": 0.9891}}, "unipen_validation_default") == "98.9 %"
    assert _accuracy({"unipen_validation": 97.25}, "unipen_validation_default", "unipen_validation") == "97.2 %"
    for bad in ({}, {"unipen_validation": "x"}, {"unipen_validation": float("nan")}, {"unipen_validation": 400}):
        assert _accuracy(bad, "unipen_validation") == "–"
