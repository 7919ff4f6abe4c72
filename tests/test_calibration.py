"""models.calibration against hand-computed numbers and torch; models.confidence on drawings."""

import numpy as np
import pytest
import torch
import torch.nn.functional as F

from models import calibration, confidence, non_digits, unipen
from models.preprocess import PreparedDigit, normalise, prepare_digit


def test_ece_by_hand():
    # bin [0.9, 1.0): two answers at 0.9 confidence, one right -> |0.5 - 0.9| = 0.4
    # bin [0.6, 0.7): two answers at 0.6 confidence, both right -> |1.0 - 0.6| = 0.4
    probs = np.array([[0.9, 0.1], [0.9, 0.1], [0.4, 0.6], [0.4, 0.6]])
    labels = np.array([0, 1, 1, 1])
    assert calibration.ece(probs, labels, bins=10) == pytest.approx(0.4)
    r = calibration.reliability(probs, labels, bins=10)
    assert r["count"][9] == 2 and r["count"][6] == 2 and sum(r["count"]) == 4
    assert r["accuracy"][9] == 0.5 and r["confidence"][6] == pytest.approx(0.6) and r["accuracy"][0] is None
    # a perfectly calibrated pair: 3 of 4 right at 0.75 -> 0
    probs = np.array([[0.75, 0.25]] * 4)
    assert calibration.ece(probs, np.array([0, 0, 0, 1]), bins=10) == pytest.approx(0.0)
    # confidence exactly 1 lands in the last bin
    assert calibration.reliability(np.array([[1.0, 0.0]]), np.array([0]), bins=5)["count"] == [0, 0, 0, 0, 1]


def test_softmax_and_nll_match_torch():
    logits = np.random.default_rng(0).normal(size=(50, 10)) * 4
    labels = np.random.default_rng(1).integers(0, 10, 50)
    for t in (0.5, 1.0, 2.5):
        ref = F.softmax(torch.tensor(logits) / t, dim=1).numpy()
        assert np.allclose(calibration.softmax(logits, t), ref)
        assert calibration.nll(logits, labels, t) == pytest.approx(
            float(F.cross_entropy(torch.tensor(logits) / t, torch.tensor(labels))))


def test_fit_temperature_recovers_an_overconfident_scale():
    rng = np.random.default_rng(0)
    z = rng.normal(size=(20000, 10)) * 2.0
    p = calibration.softmax(z)
    labels = (p.cumsum(1) > rng.random((len(p), 1))).argmax(1)  # labels drawn from softmax(z): calibrated
    t = calibration.fit_temperature(3.0 * z, labels)
    assert t == pytest.approx(3.0, rel=0.05)
    before = calibration.ece(calibration.softmax(3.0 * z), labels)
    after = calibration.ece(calibration.softmax(3.0 * z, t), labels)
    assert after < 0.02 < before
    with pytest.raises(ValueError):
        calibration.fit_temperature(np.zeros((3, 10)), np.zeros(2, int))


def judge_drawing(strokes, width, card=None, logits=None):
    prepared = prepare_digit(unipen.render_strokes(strokes, width))
    return confidence.judge(np.zeros(10) if logits is None else logits, prepared, card or {})


def confident_logits(label=8):
    logits = np.zeros(10)
    logits[label] = 12.0
    return logits


def test_an_x_a_dot_and_an_inked_canvas_are_not_digits():
    x = [[[80, 70], [200, 210]], [[200, 70], [80, 210]]]
    # the network's confident "8" for an X: judged on calibrated probability (card temperature)
    card = {"confidence": {"temperature": 3.0, "reject_below": 0.5}}
    v = judge_drawing(x, 20, card, logits=np.r_[np.zeros(8), 2.0, 0.0])
    assert v.kind == "not_a_digit" and v.label is None and "one of the ten" in v.message
    v = judge_drawing([[[140, 140]]], 30, logits=confident_logits())
    assert v.kind == "not_a_digit" and "dot" in v.message
    scribble = [[[20, y], [260, y + 10]] for y in range(30, 250, 25)]
    v = judge_drawing(scribble, 36, logits=confident_logits())
    assert v.kind == "not_a_digit" and "canvas" in v.message
    blank = prepare_digit(np.zeros((280, 280), np.uint8))  # also a canvas inked all over: one colour
    assert confidence.judge(confident_logits(), blank, {}).kind == "not_a_digit"


def test_real_pen_digits_are_judged_digits():
    seven = next(g for g in unipen.gallery() if g["label"] == 7)
    v = judge_drawing(seven["strokes"], seven["width"], logits=confident_logits(7))
    assert v.kind == "confident" and v.label == 7 and v.prob > 0.99
    unsure = np.zeros(10)
    unsure[[3, 5]] = [2.0, 1.6]
    v = judge_drawing(seven["strokes"], seven["width"], {"confidence": {"reject_below": 0.2}}, logits=unsure)
    assert v.kind == "unsure" and v.label == 3 and "one of ten" in v.message


def test_judge_works_without_stages_and_ignores_bad_settings():
    frame = np.zeros((28, 28), np.float32)
    frame[4:24, 13:15] = 1.0
    prepared = PreparedDigit(normalise(frame), {}, empty=False)
    assert confidence.judge(confident_logits(1), prepared, None).kind == "confident"
    s = confidence.settings({"confidence": {"temperature": float("nan"), "unsure_below": "x", "reject_below": 0.1}})
    assert s["temperature"] == 1.0 and s["unsure_below"] == confidence.DEFAULTS["unsure_below"]
    assert s["reject_below"] == 0.1


def test_non_digit_drawings_are_seeded():
    a, b = non_digits.drawings(3, seed=1), non_digits.drawings(3, seed=1)
    assert [k for k, _, _ in a] == [k for k in non_digits.KINDS for _ in range(3)]
    assert all(w1 == w2 and all(np.array_equal(p, q) for p, q in zip(s1, s2, strict=True))
               for (_, s1, w1), (_, s2, w2) in zip(a, b, strict=True))
    assert non_digits.drawings(3, seed=2)[0][1][0].tolist() != a[0][1][0].tolist()


def test_judge_uses_the_ink_features_it_is_given():
    seven = next(g for g in unipen.gallery() if g["label"] == 7)
    prepared = prepare_digit(unipen.render_strokes(seven["strokes"], seven["width"]))
    features = confidence.ink_features(prepared)
    assert confidence.judge(confident_logits(7), prepared, {}, features) == \
        confidence.judge(confident_logits(7), prepared, {})
    blob = {**features, "thickness": 1.0}  # the same drawing described as a blob
    assert confidence.judge(confident_logits(7), prepared, {}, blob).kind == "not_a_digit"
