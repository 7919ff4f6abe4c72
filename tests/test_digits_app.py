"""AppTest for the Draw-a-digit page: drawings are injected as pixel arrays through session state."""

import json
import re

import numpy as np
import pytest
import torch
from PIL import Image, ImageDraw

from app import state
from models.digit_gallery import load_test_sample
from models.mnist_cnn import MnistCNN, load_pretrained
from models.preprocess import prepare_digit
from tests.conftest import app_at


def shown_label(at) -> str | None:
    """data-label of the prediction block ("" = the draw-a-digit prompt)."""
    for el in at.get("html"):
        m = re.search(r'data-testid="digit-prediction" data-label="(\d?)"', el.proto.body)
        if m:
            return m.group(1)
    return None


def boards(at) -> dict[str, dict]:
    """Picture boards (components.feature_maps.board) by element key: their JSON data."""
    out = {}
    for el in at.get("bidi_component"):
        if el.proto.component_name == "convlab_picture_board":
            out[el.proto.id.rsplit("-", 1)[-1]] = json.loads(el.proto.json)
    return out


def captions(at) -> str:
    """Every caption, board title and board caption on the page."""
    tiles = [t for data in boards(at).values() for row in data["rows"] for t in row]
    return " | ".join([c.value for c in at.caption] + [t["title"] for t in tiles] + [t["caption"] for t in tiles])


def strokes(points: list[list[tuple[float, float]]], width: int = 20, size: int = 280) -> np.ndarray:
    """Black strokes on a white canvas, like the browser canvas sends."""
    img = Image.new("L", (size, size), 255)
    draw = ImageDraw.Draw(img)
    for line in points:
        pts = [(x * size, y * size) for x, y in line]
        draw.line(pts, fill=0, width=width, joint="curve")
        for x, y in pts:
            draw.ellipse([x - width / 2, y - width / 2, x + width / 2, y + width / 2], fill=0)
    return np.asarray(img)


ONE = strokes([[(0.5, 0.15), (0.5, 0.85)]])
SEVEN = strokes([[(0.25, 0.2), (0.75, 0.2), (0.45, 0.85)]])


def mnist_on_canvas(image: np.ndarray) -> np.ndarray:
    """A 28x28 MNIST digit blown up to the 280x280 canvas, black ink on white."""
    big = Image.fromarray(image).resize((200, 200), Image.BILINEAR)
    canvas = Image.new("L", (280, 280), 0)
    canvas.paste(big, (40, 40))
    return 255 - np.asarray(canvas)


@pytest.fixture(scope="module")
def digits_at():
    return app_at("views/digits.py")


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


@pytest.mark.parametrize("name,pixels,label", [("one", ONE, "1"), ("seven", SEVEN, "7")])
def test_drawn_digits_are_recognised(digits_at, name, pixels, label):
    assert draw(digits_at, pixels) == label


def test_mnist_digits_drawn_on_the_canvas_match_the_model(digits_at):
    sample = load_test_sample()
    model = load_pretrained()
    for i in (0, 1, 2, 3, 4, 7):
        pixels = mnist_on_canvas(sample.images[i])
        with torch.no_grad():
            expected = int(model(prepare_digit(pixels).tensor).argmax())
        assert draw(digits_at, pixels) == str(expected)
        assert expected == int(sample.labels[i])


@pytest.mark.parametrize("pixels", [
    strokes([[(0.5, 0.5)]], width=3),  # a tiny dot
    np.zeros((280, 280), np.uint8),  # a scribble over the whole canvas
    np.random.default_rng(0).integers(0, 256, (280, 280), dtype=np.uint8),
    strokes([[(0.9, 0.1), (1.4, 0.6)]]),  # a stroke that leaves the canvas
])
def test_odd_drawings_never_crash(digits_at, pixels):
    assert draw(digits_at, pixels) in {"", *map(str, range(10))}


def test_unreadable_input_gives_a_warning_not_a_traceback(digits_at):
    at = digits_at
    bad = np.full((280, 280), np.nan)
    draw(at, bad)
    assert any("could not be read" in w.value for w in at.warning)
    draw(at, np.zeros((0, 5)))
    assert any("could not be read" in w.value for w in at.warning)
    at.session_state[state.DIGITS_DRAWING] = None
    at.run()


def test_every_control_runs(digits_at):
    at = digits_at
    draw(at, SEVEN)
    at.slider(key=state.DIGITS_STROKE).set_value(30).run()
    for mode in ("per map", "global", "per layer"):
        at.button_group(key=state.DIGITS_SCALE).set_value(mode).run()
        assert not at.exception, at.exception
    at.toggle(key=state.DIGITS_RELU).set_value(False).run()
    assert "conv2</b> before ReLU" in captions(at)
    at.toggle(key=state.DIGITS_WHY).set_value(True).run()
    for method in ("gradient", "occlusion"):
        at.button_group(key=state.DIGITS_WHY_METHOD).set_value(method).run()
        assert not at.exception, at.exception
        assert f"({method})" in captions(at)
    for layer, count in (("pool1", 10), ("conv2", 20), ("pool2", 20), ("conv1", 10)):
        at.selectbox(key=state.DIGITS_ZOOM_LAYER).set_value(layer).run()
        at.number_input(key=state.DIGITS_ZOOM_INDEX).set_value(count - 1).run()
        assert not at.exception, at.exception
        assert f"{layer} map {count - 1}" in captions(at)
    assert shown_label(at) == "7"


def test_test_set_and_misclassified_gallery(digits_at):
    at = digits_at
    sample = load_test_sample()
    at.button_group(key=state.DIGITS_SOURCE).set_value("Test set").run()
    assert not at.exception, at.exception
    at.number_input(key=state.DIGITS_PICK).set_value(3).run()
    assert any(f"True label: <b>{sample.labels[3]}</b>" in el.proto.body for el in at.get("html"))
    at.button_group(key=state.DIGITS_GALLERY).set_value("Misclassified").run()
    assert not at.exception, at.exception
    box = at.selectbox(key=f"{state.DIGITS_PICK}_wrong")
    first = box.value
    assert "✗ wrong" in "".join(el.proto.body for el in at.get("html"))
    assert shown_label(at) != str(sample.labels[first])
    at.button_group(key=state.DIGITS_SOURCE).set_value("Draw").run()
    assert draw(at, ONE) == "1"


def test_session_trained_model_is_used_and_can_be_switched_back():
    at = app_at("views/digits.py")
    torch.manual_seed(0)
    odd = MnistCNN().eval()
    with torch.no_grad():
        for p in odd.parameters():
            p.zero_()
        odd.fc2.bias[5] = 10.0  # always answers 5
    at.session_state[state.TRAINED_MODEL] = odd
    at.session_state[state.TRAINED_MODEL_INFO] = {"epochs": 1}
    assert draw(at, ONE) == "5"
    assert any("you trained" in i.value for i in at.info)
    at.button(key="digits_to_shipped").click().run()
    assert shown_label(at) == "1"
    assert not at.info
    at.button(key="digits_to_trained").click().run()
    assert shown_label(at) == "5"


def test_projector_mode_renders(digits_at):
    at = app_at("views/digits.py", query={"projector": "1"})
    assert draw(at, SEVEN) == "7"


def test_missing_weights_give_a_clear_error(monkeypatch, tmp_path):
    from app import cache
    from models import mnist_cnn

    monkeypatch.setattr(mnist_cnn, "DEFAULT_WEIGHTS", tmp_path / "mnist_cnn.pt")
    cache.digit_model.clear()
    try:
        at = app_at("views/digits.py")
        assert not at.exception, at.exception
        assert any("could not be loaded" in e.value and "missing" in e.value for e in at.error)
    finally:
        monkeypatch.undo()
        cache.digit_model.clear()


def test_a_trained_model_of_another_shape_falls_back_to_the_shipped_one():
    at = app_at("views/digits.py")
    at.session_state[state.TRAINED_MODEL] = torch.nn.Sequential(torch.nn.Flatten(), torch.nn.Linear(784, 10))
    assert draw(at, ONE) == "1"
    assert any("shipped model is used" in w.value for w in at.warning)
