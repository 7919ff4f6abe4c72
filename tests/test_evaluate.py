"""models.evaluate: the numbers in the model cards, and the shipped models against the targets."""

import numpy as np
import pytest
import torch

from models import confidence, data, evaluate, non_digits, unipen
from models.mnist_cnn import MODEL_CHOICES, load_named, model_card
from models.preprocess import prepare_digit

HAVE_DATA = unipen.available() and data.has_full_mnist(unipen.data_root())
needs_data = pytest.mark.skipif(not HAVE_DATA, reason="full MNIST and UNIPEN not found under $CONVLAB_DATA or "
                                                      "../shared/data (MNIST/raw and unipen-digits/)")


@pytest.fixture(autouse=True, scope="module")
def one_thread():
    threads = torch.get_num_threads()
    torch.set_num_threads(1)
    yield
    torch.set_num_threads(threads)


def test_summary_by_hand():
    labels = np.array([9, 9, 9, 7, 7, 1])
    pred = np.array([3, 3, 9, 2, 7, 1])
    s = evaluate.summary(np.eye(10)[pred], labels)
    assert s["accuracy"] == pytest.approx(3 / 6) and s["n"] == 6
    assert s["per_class"][9] == pytest.approx(1 / 3, abs=1e-4) and s["per_class"][1] == 1.0 and s["worst_class"] == 9
    assert s["top_confusions"] == [{"true": 9, "predicted": 3, "count": 2}, {"true": 7, "predicted": 2, "count": 1}]


def drawn(strokes, width):
    return prepare_digit(unipen.render_strokes(strokes, width))


X_DRAWING = [[[80, 70], [200, 210]], [[200, 70], [80, 210]]]
INKED = [[[15, y], [265, y + 8]] for y in range(20, 262, 24)]


def verdict_of(name, strokes, width):
    model, card = load_named(name), model_card(name)
    prepared = drawn(strokes, width)
    return confidence.judge(model(prepared.tensor)[0].detach().numpy(), prepared, card)


@pytest.mark.parametrize("name", list(MODEL_CHOICES))
def test_shipped_models_flag_an_inked_canvas(name):
    verdict = verdict_of(name, INKED, 36)
    assert verdict.kind == "not_a_digit" and verdict.label is None, verdict


@pytest.mark.parametrize("name", list(MODEL_CHOICES))
def test_shipped_models_flag_an_x(name):
    verdict = verdict_of(name, X_DRAWING, 22)
    assert verdict.kind == "not_a_digit" and verdict.label is None, verdict


def test_batched_rule_is_the_rule_judge_applies():
    model, card = load_named("pen"), model_card("pen")
    drawings = [(s, w) for _, s, w in non_digits.drawings(4, seed=5)]
    drawings += [(g["strokes"], g["width"]) for g in unipen.gallery()[::15]]
    images, feats = evaluate._prepared(drawings)
    found = evaluate.kinds(evaluate.logits_of(model, images), feats, confidence.settings(card))
    for (strokes, width), kind in zip(drawings, found, strict=True):
        prepared = drawn(strokes, width)
        assert confidence.judge(model(prepared.tensor)[0].detach().numpy(), prepared, card).kind == kind


@pytest.mark.slow
@needs_data
@pytest.mark.parametrize("name", list(MODEL_CHOICES))
def test_shipped_weights_match_their_cards(name):
    model, card = load_named(name), model_card(name)
    images, labels = data.load_mnist(unipen.data_root(), train=False)
    mnist = evaluate.summary(evaluate.logits_of(model, images), labels)
    val_x, val_y, _ = evaluate.pen_sets(None)["validation_default"]
    pen = evaluate.summary(evaluate.logits_of(model, val_x), val_y)
    assert mnist["accuracy"] == pytest.approx(card["mnist_test"]["accuracy"], abs=1e-4)
    assert pen["accuracy"] == pytest.approx(card["unipen_validation_default"]["accuracy"], abs=1e-4)


@pytest.mark.slow
@needs_data
def test_the_pen_model_meets_the_targets():
    model = load_named("pen")
    images, labels = data.load_mnist(unipen.data_root(), train=False)
    mnist = evaluate.summary(evaluate.logits_of(model, images), labels)
    val_x, val_y, _ = evaluate.pen_sets(None)["validation_default"]
    pen = evaluate.summary(evaluate.logits_of(model, val_x), val_y)
    assert mnist["accuracy"] >= 0.992, f"MNIST test {mnist['accuracy']:.4f}"
    assert pen["accuracy"] >= 0.988, f"UNIPEN validation writers {pen['accuracy']:.4f}"
    assert min(pen["per_class"]) >= 0.97, f"per class {pen['per_class']}"
