"""Hostile drawings and weights on the Draw-a-digit page: every one ends in an answer or a clear message,
never an exception, within bounded time and memory.

The bulk goes straight through the page's input path (app.pages.digits.reading.read_drawing, then the
forward pass and models.confidence.judge exactly as the page runs them); a few dozen go through the
whole page in AppTest via the injected-drawing state key.
"""

import time

import numpy as np
import psutil
import pytest
import torch

from app.pages.digits import cache, state
from app.pages.digits.reading import read_drawing
from models import digit_analysis as da
from models.confidence import judge
from models.mnist_cnn import MnistCNN, load_named, load_pretrained, model_card, save_weights
from tests.conftest import app_at

pytestmark = pytest.mark.slow

KINDS = {"confident", "unsure", "not_a_digit"}
MAX_EXTRA_MB = 500
MAX_SECONDS_EACH = 5.0


def hostile_drawings(n: int, seed: int = 0):
    """(name, value) pairs: NaN/inf arrays, all ink, 1x1, 0-size, huge, wrong dtypes and ranks, non-arrays."""
    rng = np.random.default_rng(seed)
    named = [
        ("nan", np.full((280, 280), np.nan)),
        ("inf", np.full((280, 280), np.inf, np.float32)),
        ("-inf spot", np.where(rng.random((280, 280)) < 0.01, -np.inf, 1.0)),
        ("all ink", np.zeros((280, 280), np.uint8)),
        ("all white", np.full((280, 280), 255, np.uint8)),
        ("1x1", np.zeros((1, 1), np.uint8)),
        ("1x1 white", np.full((1, 1), 255, np.uint8)),
        ("0x0", np.zeros((0, 0), np.uint8)),
        ("0x280", np.zeros((0, 280), np.uint8)),
        ("1-D", np.zeros(784, np.uint8)),
        ("4-D", np.zeros((1, 1, 28, 28), np.float32)),
        ("5 channels", np.zeros((28, 28, 5), np.uint8)),
        ("huge", np.full((4000, 4000), 255, np.uint8)),
        ("very wide", np.zeros((2, 200_000), np.uint8)),
        ("object", np.array([[object()] * 3] * 3)),
        ("strings", np.array([["a", "b"], ["c", "d"]])),
        ("complex", np.ones((28, 28), np.complex64)),
        ("bool", rng.random((280, 280)) < 0.5),
        ("int64 huge", np.full((28, 28), 2**62, np.int64)),
        ("negative", -rng.random((280, 280)) * 1e6),
        ("1e308", np.full((280, 280), 1e308)),
        ("float16", rng.random((280, 280)).astype(np.float16)),
        ("list", [[0, 255], [255, 0]]),
        ("string", "not a drawing"),
        ("dict", {"png": "data:image/png;base64,AAAA"}),
        ("bytes", b"\x89PNG\r\n"),
        ("int", 7),
        ("nested", [[[[[]]]]]),
    ]
    yield from named
    makers = [
        lambda: rng.integers(0, 256, (int(rng.integers(1, 600)), int(rng.integers(1, 600))), dtype=np.uint8),
        lambda: np.where(rng.random((280, 280)) < rng.random(), np.nan, rng.random((280, 280))),
        lambda: rng.normal(0, 10 ** rng.uniform(-5, 30), (int(rng.integers(1, 300)),) * 2),
        lambda: rng.integers(-2**31, 2**31, (64, 64), dtype=np.int64),
        lambda: rng.integers(0, 256, (int(rng.integers(1, 300)), int(rng.integers(1, 300)), int(rng.choice([1, 2, 3, 4]))),
                             dtype=np.uint8),
        lambda: np.zeros(tuple(int(d) for d in rng.integers(0, 4, int(rng.integers(0, 6)))), np.float32),
        lambda: (rng.random((280, 280)) < rng.random()).astype(np.uint8) * 255,
    ]
    for i in range(n - len(named)):
        yield f"random {i}", makers[i % len(makers)]()


def _rss_mb() -> float:
    return psutil.Process().memory_info().rss / 2**20


def test_hundreds_of_hostile_drawings_through_the_input_path():
    models = {name: load_named(name) for name in ("pen", "mnist")}
    cards = {name: model_card(name) for name in models}
    start = _rss_mb()
    seen = {"answer": 0, "message": 0, "blank": 0}
    for name, value in hostile_drawings(400):
        t0 = time.perf_counter()
        prepared, message = read_drawing(value)
        if message is not None:
            assert prepared is None and message.startswith(("That drawing could not be read", "Almost the whole"))
            assert "Traceback" not in message
            seen["message"] += 1
        elif prepared.empty:
            seen["blank"] += 1
        else:
            for model_name, model in models.items():
                result = da.analyse(model, prepared.tensor)
                assert np.isfinite(result.probs).all(), name
                verdict = judge(result.acts["logits"], prepared, cards[model_name])
                assert verdict.kind in KINDS and np.isfinite(verdict.prob) and verdict.message is not None
            seen["answer"] += 1
        assert time.perf_counter() - t0 < MAX_SECONDS_EACH, f"{name} took too long"
        assert _rss_mb() - start < MAX_EXTRA_MB, f"{name}: memory grew by {_rss_mb() - start:.0f} MB"
    assert min(seen.values()) > 10, seen  # every outcome was exercised


@pytest.mark.parametrize("count", [36])
def test_hostile_drawings_through_the_page(count):
    at = app_at("pages/digits/page.py")
    start = _rss_mb()
    for name, value in list(hostile_drawings(count, seed=1)):
        at.session_state[state.DIGITS_DRAWING] = value
        t0 = time.perf_counter()
        at.run()
        assert not at.exception, f"{name}: {at.exception}"
        body = " ".join(el.proto.body for el in at.get("html"))
        assert 'data-testid="digit-prediction"' in body, name
        assert "nan %" not in body.lower() and "nan%" not in body.lower(), name
        assert at.slider(key=state.DIGITS_STROKE) is not None  # settings still drawn
        assert time.perf_counter() - t0 < 3 * MAX_SECONDS_EACH, f"{name} took too long"
    assert _rss_mb() - start < MAX_EXTRA_MB


def test_regression_nan_weights_are_refused_with_a_clear_message(tmp_path, monkeypatch):
    """Weights containing NaN used to load silently and show "nan % sure"."""
    from models import mnist_cnn

    bad = MnistCNN()
    with torch.no_grad():
        bad.fc1.weight[0, 0] = float("nan")
    path = tmp_path / "mnist_pen.pt"
    save_weights(bad, path)
    monkeypatch.setattr(mnist_cnn, "load_named", lambda name: load_pretrained(path))
    cache.digit_model.clear()
    try:
        at = app_at("pages/digits/page.py")
        at.session_state[state.DIGITS_DRAWING] = np.asarray(np.random.default_rng(0).random((280, 280)) * 255,
                                                            np.uint8)
        at.run()
        assert not at.exception, at.exception
        errors = " ".join(e.value for e in at.error)
        assert "could not be loaded" in errors and "NaN" in errors
        assert str(tmp_path) not in errors  # no server path
        body = " ".join(el.proto.body for el in at.get("html")).lower()
        assert "nan %" not in body and "% sure" not in body
        at.button_group(key=state.DIGITS_SCALE).set_value("global").run()  # the settings are still there
        assert not at.exception, at.exception
    finally:
        monkeypatch.undo()
        cache.digit_model.clear()
