"""Honest confidence for one drawing: "confident", "unsure" or "not a digit", in words a student reads.

The network always picks one of ten digits, even for an X or a fully inked canvas, and its softmax
is over-confident. `judge` therefore
    1. divides the logits by the model card's temperature (calibrated on held-out pen writers),
    2. checks the drawing itself: a canvas mostly covered in ink, or ink that fills its own box
       (a dot, a blob, a dense scribble) is not a digit, whatever the network says,
    3. calls the answer "not a digit" when even the calibrated top probability is very low, and
       "unsure" when it is below the card's `unsure_below`.
Thresholds live in the card's "confidence" block (written by models.evaluate); DEFAULTS apply when a
card has none.
"""

from dataclasses import dataclass

import numpy as np
from PIL import Image
from scipy.ndimage import distance_transform_edt

from models.preprocess import MNIST_MEAN, MNIST_STD, PreparedDigit

DEFAULTS = {
    "temperature": 1.0,
    "unsure_below": 0.7,  # calibrated top probability under this -> "unsure"
    "reject_below": 0.3,  # calibrated top probability under this -> "not a digit"
    "max_canvas_ink": 0.35,  # share of the whole canvas that is ink
    "max_border_ink": 0.2,  # share of the image's edge that is ink
    "max_box_ink": 0.55,  # share of the fitted box that is ink (dense scribble)
    "max_thickness": 0.75,  # widest stroke / size of the drawing (dot, blob)
}
INK_LEVEL = 0.5  # a pixel counts as ink above this (0..1, white ink on black)
EDT_SIDE = 64  # the stroke-width measure runs on the ink box shrunk to this size (fast; a ratio, so scale-free)


@dataclass(frozen=True)
class Verdict:
    label: int | None  # the network's digit; None for "not a digit"
    prob: float  # calibrated probability of the network's top digit
    kind: str  # "confident" | "unsure" | "not_a_digit"
    message: str  # one or two sentences for a student


def settings(card: dict | None) -> dict:
    """The card's confidence settings over DEFAULTS (unknown or non-finite values ignored)."""
    out = dict(DEFAULTS)
    block = (card or {}).get("confidence", {}) if isinstance(card, dict) else {}
    for key in DEFAULTS:
        value = block.get(key) if isinstance(block, dict) else None
        if isinstance(value, int | float) and np.isfinite(value):
            out[key] = float(value)
    out["temperature"] = max(out["temperature"], 1e-3)
    return out


def calibrated_probs(logits, temperature: float) -> np.ndarray:
    """logits (10,) or (N,10) -> softmax(logits / temperature), float64, same shape."""
    z = np.asarray(logits, np.float64) / float(temperature)
    z = z - z.max(axis=-1, keepdims=True)
    e = np.exp(z)
    return e / e.sum(axis=-1, keepdims=True)


def ink_features(prepared: PreparedDigit) -> dict[str, float]:
    """Shape of the ink, from the stages prepare_digit kept (the 28x28 input when they are missing):
        canvas_ink  share of the drawn image that is ink
        border_ink  share of the image's outer ring that is ink (a painted-over canvas: its uninked edge
                    is read as the "ink" once prepare_digit picks the minority colour as ink)
        box_ink     share of the ink box's square that is ink (dense scribbles, blobs)
        thickness   widest stroke (2 x the largest inscribed radius) / longer side of the ink box:
                    about 1 for a dot or a blob, 0.05-0.45 for digits
    """
    stages = prepared.stages or {}
    centred = np.asarray(prepared.tensor, np.float32).reshape(28, 28) * MNIST_STD + MNIST_MEAN
    raw = stages.get("raw")
    image = np.asarray(raw, np.float32) / 255.0 if raw is not None and raw.size else centred
    crop = stages.get("cropped")
    crop = np.asarray(crop, np.float32) / 255.0 if crop is not None and crop.size else _ink_box(centred)
    fitted = stages.get("fitted")
    box = np.asarray(fitted, np.float32) / 255.0 if fitted is not None and fitted.size else _ink_box(centred)
    on = image > INK_LEVEL
    ring = max(1, round(0.03 * max(on.shape)))
    border = np.concatenate([on[:ring].ravel(), on[-ring:].ravel(), on[:, :ring].ravel(), on[:, -ring:].ravel()])
    side = max(box.shape)
    inked = np.pad(_at_most(crop, EDT_SIDE) > INK_LEVEL, 1)
    radius = float(distance_transform_edt(inked).max()) if inked.any() else 0.0
    return {"canvas_ink": float(on.mean()), "border_ink": float(border.mean()),
            "box_ink": float((box > INK_LEVEL).sum()) / float(side * side) if side else 0.0,
            "thickness": min(2.0 * radius / max(inked.shape[0] - 2, inked.shape[1] - 2), 1.0) if crop.size else 0.0}


def _at_most(crop: np.ndarray, side: int) -> np.ndarray:
    """crop (h,w) in [0,1], box-filtered down so its longer side is at most `side` px (ratios are kept)."""
    h, w = crop.shape
    if max(h, w) <= side:
        return crop
    k = side / max(h, w)
    size = (max(1, round(w * k)), max(1, round(h * k)))
    return np.asarray(Image.fromarray(np.ascontiguousarray(crop, np.float32), mode="F").resize(size, Image.BOX))


def _ink_box(frame: np.ndarray) -> np.ndarray:
    on = frame > 0.1
    rows, cols = np.flatnonzero(on.any(1)), np.flatnonzero(on.any(0))
    return frame[rows[0]:rows[-1] + 1, cols[0]:cols[-1] + 1] if rows.size else frame


def reason_not_digit(features: dict[str, float], top_prob: float, s: dict) -> str | None:
    """Why this drawing is not read as a digit, or None."""
    if features["canvas_ink"] > s["max_canvas_ink"] or features["border_ink"] > s["max_border_ink"]:
        return "Most of the canvas is covered in ink."
    if features["thickness"] > s["max_thickness"]:
        return "This is a dot or a blob, not a line like a digit."
    if features["box_ink"] > s["max_box_ink"]:
        return "The ink is a dense scribble, not a line like a digit."
    if top_prob < s["reject_below"]:
        return "It does not look much like any of the ten digits."
    return None


def judge(logits, prepared: PreparedDigit, card: dict | None, features: dict | None = None) -> Verdict:
    """logits (10,) of one drawing, its PreparedDigit and the model card -> Verdict. `features`: its
    ink_features(prepared), when the caller judges the same drawing for several models."""
    s = settings(card)
    probs = calibrated_probs(np.asarray(logits, np.float64).reshape(-1)[:10], s["temperature"])
    top = int(np.argmax(probs))
    p = float(probs[top])
    if prepared.empty:
        return Verdict(None, p, "not_a_digit", "There is nothing to read: the picture is blank (or all one "
                                               "colour). Draw a digit first.")
    why = reason_not_digit(ink_features(prepared) if features is None else features, p, s)
    if why is not None:
        return Verdict(None, p, "not_a_digit",
                       f"{why} The network must still pick one of the ten digits (it guessed {top}), "
                       "so here its answer means nothing. Try drawing a single digit.")
    if p < s["unsure_below"]:
        second = int(np.argsort(-probs, kind="stable")[1])
        return Verdict(top, p, "unsure",
                       f"Not sure: {top} is the best guess ({100 * p:.0f}%), {second} is next. The network must "
                       "pick one of ten, so a low score means the drawing sits between digits it knows.")
    return Verdict(top, p, "confident", f"{top}, {100 * p:.0f}% sure (calibrated on pen-written digits).")
