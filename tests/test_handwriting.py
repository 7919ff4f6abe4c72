"""Canvas-style evaluation sets: re-stroked MNIST digits and hand-authored templates."""

import numpy as np
import pytest

from models import canvas, handwriting
from models.data import TEST_SAMPLE, load_npz
from models.mnist_cnn import load_pretrained
from models.train import evaluate


def test_skeleton_of_a_thick_bar_is_one_pixel_wide():
    bar = np.zeros((1, 28, 28), bool)
    bar[0, 4:24, 10:16] = True
    skel = canvas.skeletonize(bar)[0]
    assert skel.sum() > 10
    assert (skel.sum(axis=1) <= 1).all()  # one pixel per row
    assert skel[4:24].any(axis=1)[3:-3].all()  # runs down the bar
    cols = np.flatnonzero(skel.any(0))
    assert 11 <= cols.min() and cols.max() <= 14  # near the bar's middle


def test_skeleton_keeps_a_ring_closed():
    yy, xx = np.mgrid[0:28, 0:28]
    r = np.hypot(yy - 13.5, xx - 13.5)
    ring = ((r > 6) & (r < 10))[None]
    skel = canvas.skeletonize(ring)[0]
    assert skel.sum() > 30
    assert not skel[12:16, 12:16].any()  # the hole stays a hole
    assert (np.hypot(*np.nonzero(skel)[::-1] - np.array([[13.5], [13.5]])) > 5).all()


def test_restroked_digits_are_framed_like_mnist_with_uniform_strokes():
    images, labels = load_npz(TEST_SAMPLE)
    out = canvas.restroke_batch(images[:40], seed=3)
    assert out.shape == (40, 28, 28) and out.dtype == np.uint8
    ink = out / 255.0
    ys, xs = np.mgrid[0:28, 0:28]
    mass = ink.sum((1, 2))
    assert (mass > 10).all()
    cy = (ink * ys).sum((1, 2)) / mass
    cx = (ink * xs).sum((1, 2)) / mass
    assert np.abs(cy - 13.5).max() <= 1.0 and np.abs(cx - 13.5).max() <= 1.0
    assert not np.array_equal(out, canvas.restroke_batch(images[:40], seed=4))
    assert np.array_equal(out, canvas.restroke_batch(images[:40], seed=3))


def test_drawn_canvas_uses_the_brush_width():
    skel = np.zeros((28, 28), bool)
    skel[5:23, 14] = True
    img = np.asarray(canvas.draw_skeleton(skel, np.random.default_rng(0), brush=20)) > 0
    widths = img.sum(1)[img.any(1)]
    assert img.shape == (280, 280)
    assert 16 <= np.median(widths) <= 26


def test_canvas_test_set_is_stratified():
    images, labels = load_npz(TEST_SAMPLE)
    x, y = canvas.canvas_test_set(images, labels, n=50, seed=1)
    assert x.shape == (50, 28, 28)
    assert np.bincount(y, minlength=10).tolist() == [5] * 10


def test_every_template_draws_a_digit_on_the_canvas():
    rng = np.random.default_rng(0)
    for digit, styles in handwriting.TEMPLATES.items():
        assert styles, digit
        for strokes in styles:
            img = np.asarray(handwriting.draw_template(strokes, rng))
            assert img.shape == (280, 280)
            on = img > 0
            assert 0.01 < on.mean() < 0.4, digit
            rows, cols = np.flatnonzero(on.any(1)), np.flatnonzero(on.any(0))
            assert rows[0] >= 0 and rows[-1] < 280 and cols[-1] < 280


def test_template_set_labels_and_shapes():
    x, y = handwriting.template_set(per_template=2, seed=0)
    n_styles = sum(len(s) for s in handwriting.TEMPLATES.values())
    assert x.shape == (2 * n_styles, 28, 28) and len(y) == len(x)
    assert sorted(set(y.tolist())) == list(range(10))


@pytest.mark.parametrize("name,builder,floor", [
    ("re-stroked MNIST test digits", lambda: canvas.canvas_test_set(*load_npz(TEST_SAMPLE), n=300, seed=5), 0.94),
    ("hand-authored templates", lambda: handwriting.template_set(per_template=6, seed=5), 0.95),
])
def test_shipped_model_reads_canvas_style_digits(name, builder, floor):
    x, y = builder()
    acc, per_class, _ = evaluate(load_pretrained(), x, y)
    assert acc >= floor, f"{name}: {acc:.3f}, per class {np.round(per_class, 2)}"
