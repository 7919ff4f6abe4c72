"""models.unipen: canvas-exact rendering, the writer-disjoint split, placement and the shipped pen gallery."""

import gzip
import hashlib
import json

import numpy as np
import pytest
from PIL import Image, ImageDraw

from models import unipen
from models.preprocess import prepare_digit

HAVE_DATA = unipen.available()
needs_data = pytest.mark.skipif(not HAVE_DATA, reason=f"UNIPEN digits not found ({unipen.UNIPEN_FILE} under "
                                                       f"${unipen.DATA_ENV} or ../shared/data)")


def supersampled(strokes, width, k=8):
    """Independent reference: PIL draws each segment as a polygon plus a disc per point at k x the size
    (the union of round-capped, round-joined segments), box-filtered down to 280 px."""
    img = Image.new("L", (280 * k, 280 * k), 0)
    d = ImageDraw.Draw(img)
    r = width * k / 2
    for s in strokes:
        pts = np.asarray(s, float) * k
        for (x, y) in pts:
            d.ellipse([x - r, y - r, x + r, y + r], fill=255)
        for a, b in zip(pts[:-1], pts[1:], strict=True):
            n = np.array([a[1] - b[1], b[0] - a[0]])
            n = n / max(np.hypot(*n), 1e-9) * r
            d.polygon([tuple(a + n), tuple(b + n), tuple(b - n), tuple(a - n)], fill=255)
    return 255 - np.asarray(img.resize((280, 280), Image.BOX), np.float64)


def test_render_a_horizontal_stroke_pixel_by_pixel():
    img = unipen.render_strokes([[[100, 140], [180, 140]]], 20)
    assert img.shape == (280, 280) and img.dtype == np.uint8
    assert img[0, 0] == 255 and img[140, 140] == 0  # black ink on white, like canvas.js
    # pixel centres are at i + 0.5; ink where the centre is within 10 px of the segment
    assert img[149, 140] == 0 and img[150, 140] == 255 and img[130, 140] == 0 and img[129, 140] == 255
    # round cap: the centre of pixel (140, 189) is 9.51 px from the end (180, 140): 98.7% ink
    assert img[140, 189] == round(255 * (1 - (10.5 - np.hypot(9.5, 0.5)))) and img[140, 190] == 255
    assert img[140, 90] == img[140, 189] and img[140, 89] == 255
    # the capsule's area: 80 x 20 + pi 10^2
    assert (255 - img.astype(float)).sum() / 255 == pytest.approx(80 * 20 + np.pi * 100, rel=0.01)


def test_render_matches_a_supersampled_reference():
    strokes = [[[60, 60], [200, 80], [120, 220]], [[90, 150], [210, 150]], [[40, 240]]]
    for width in (6, 18, 40):
        ours = unipen.render_strokes(strokes, width).astype(np.float64)
        ref = supersampled(strokes, width)
        assert np.abs(ours - ref).mean() < 1.0 and np.abs(ours - ref).max() < 140


def test_one_point_is_a_dot_as_wide_as_the_pen():
    img = unipen.render_strokes([[[140, 140]]], 30)
    ink = img < 128
    rows, cols = np.flatnonzero(ink.any(1)), np.flatnonzero(ink.any(0))
    assert rows[-1] - rows[0] + 1 == 30 and cols[-1] - cols[0] + 1 == 30


def test_larger_canvas_scales_strokes_and_pen():
    strokes = [[[100, 140], [180, 140]]]
    small = unipen.render_strokes(strokes, 20)
    big = unipen.render_strokes(strokes, 20, size=560)
    assert np.abs(np.asarray(Image.fromarray(big).resize((280, 280), Image.BOX), float) - small).mean() < 1.5


def test_bad_strokes_are_refused():
    with pytest.raises(unipen.UnipenError, match="pen width"):
        unipen.render_strokes([[[1, 1]]], float("nan"))
    with pytest.raises(unipen.UnipenError, match="finite"):
        unipen.render_strokes([[[1, float("inf")]]], 10)


def test_normalise_and_place():
    strokes = [np.array([[0, 0], [0, 400.0]]), np.array([[-50, 100], [50, 100.0]])]
    norm = unipen.normalise(strokes)
    pts = np.concatenate(norm)
    assert (pts.max(0) - pts.min(0)).max() == pytest.approx(1.0)
    assert (pts.max(0) + pts.min(0)) == pytest.approx([0, 0])
    a = unipen.place(strokes, np.random.default_rng(5))
    b = unipen.place(strokes, np.random.default_rng(5))
    assert a[1] == b[1] and all(np.array_equal(x, y) for x, y in zip(a[0], b[0], strict=True))
    for seed in range(50):
        placed, width = unipen.place(strokes, np.random.default_rng(seed))
        pts = np.concatenate(placed)
        assert 6 <= width <= 40
        assert pts.min() >= width / 2 - 1e-6 and pts.max() <= 280 - width / 2 + 1e-6
        assert 95 <= (pts.max(0) - pts.min(0)).max() <= 255


def test_a_vertical_stroke_becomes_a_centred_one():
    x = unipen.to_mnist([[[140, 40], [140, 240]]], 20)
    assert x.shape == (28, 28) and x[4:24, 13:15].min() > 200 and x[:, :10].max() == 0


def test_data_root_from_environment(monkeypatch, tmp_path):
    monkeypatch.setenv(unipen.DATA_ENV, str(tmp_path))
    assert unipen.data_root() == tmp_path and not unipen.available()
    with pytest.raises(unipen.UnipenError, match=unipen.DATA_ENV):
        unipen.load()
    (tmp_path / "unipen-digits").mkdir()
    with gzip.open(tmp_path / unipen.UNIPEN_FILE, "wt") as f:
        f.write(json.dumps({"label": 7, "writer": "x/a", "strokes": [[[0, 0], [5, 9]]]}) + "\n")
    assert unipen.load()[0].label == 7
    with gzip.open(tmp_path / unipen.UNIPEN_FILE, "wt") as f:
        f.write('{"label": 7}\n')
    with pytest.raises(unipen.UnipenError, match="line 1"):
        unipen.load()


def readme_validation_writers(digits):
    """The README's rule, recomputed: within each contributor, writers sorted by sha1("unipen-digits:" + w)
    go to validation while its share is under 20% and adding one keeps it at or under 30%."""
    out = set()
    sources = sorted({d.writer.split("/")[0] for d in digits})
    for src in sources:
        counts = {}
        for d in digits:
            if d.writer.startswith(src + "/"):
                counts[d.writer] = counts.get(d.writer, 0) + 1
        total, taken = sum(counts.values()), 0
        for w in sorted(counts, key=lambda w: hashlib.sha1(("unipen-digits:" + w).encode()).hexdigest()):
            if taken / total >= 0.2:
                break
            if (taken + counts[w]) / total <= 0.3:
                out.add(w)
                taken += counts[w]
    return out


@needs_data
def test_split_is_writer_disjoint_and_as_the_readme_says():
    digits = unipen.load()
    train, val = unipen.split(digits)
    assert (len(digits), len(train), len(val)) == (15543, 12366, 3177)
    assert not {d.writer for d in train} & {d.writer for d in val}
    assert {d.writer for d in val} == unipen.VALIDATION_WRITERS == readme_validation_writers(digits)
    fit, held = unipen.holdout_split(train)
    assert len(fit) + len(held) == len(train) and not {d.writer for d in fit} & {d.writer for d in held}
    assert not {d.writer for d in held} & unipen.VALIDATION_WRITERS
    assert 0.1 < len(held) / len(train) < 0.25 and set(d.label for d in held) == set(range(10))


def test_shipped_gallery():
    items = unipen.gallery()
    assert len(items) == 300 and np.bincount([g["label"] for g in items]).tolist() == [30] * 10
    assert {g["writer"] for g in items} <= unipen.VALIDATION_WRITERS
    for g in items[::25]:
        pts = np.concatenate([np.asarray(s, float).reshape(-1, 2) for s in g["strokes"]])
        assert pts.min() >= 0 and pts.max() <= 280 and 6 <= g["width"] <= 40
        assert not prepare_digit(unipen.render_strokes(g["strokes"], g["width"])).empty
    assert unipen.gallery(unipen.GALLERY_FILE.parent / "missing.json.gz") == []


@pytest.mark.parametrize("written", [[[0, 0], [0, 5], [0, 10]], [[0, 10], [0, 5], [0, 0]]], ids=["down", "up"])
def test_a_long_flag_goes_up_from_the_lower_left_into_the_top_of_the_1(written):
    rng_a, rng_b = np.random.default_rng(3), np.random.default_rng(3)
    out = unipen.with_long_flag([np.array(written, float)], rng_a)
    length, angle = rng_b.uniform(*unipen.FLAG_LENGTH), np.deg2rad(rng_b.uniform(*unipen.FLAG_ANGLE))
    stroke = out[0]
    # normalised: the body runs from (0, -0.5) at the top to (0, 0.5); height 1
    np.testing.assert_allclose(stroke[0], [-length * np.cos(angle), -0.5 + length * np.sin(angle)])
    np.testing.assert_allclose(stroke[5], [0.0, -0.5])  # the flag ends at the top of the body
    np.testing.assert_allclose(stroke[-1], [0.0, 0.5])  # ... which is then drawn down to the bottom
    assert len(out) == 1 and np.all(np.diff(stroke[:6, 0]) > 0) and np.all(np.diff(stroke[:6, 1]) < 0)


def test_long_flag_ones_only_redraws_the_ones():
    one = unipen.PenDigit(1, "w/a", (np.array([[0.0, 0.0], [0.0, 10.0]]),))
    seven = unipen.PenDigit(7, "w/a", (np.array([[0.0, 0.0], [5.0, 0.0], [2.0, 10.0]]),))
    made = unipen.long_flag_ones([one, seven, one], copies=3, seed=0)
    assert len(made) == 6 and {d.label for d in made} == {1} and {d.writer for d in made} == {"w/a"}
    assert all(len(d.strokes[0]) == 7 for d in made)  # 5 flag points + the 2 body points
    again = unipen.long_flag_ones([one, seven, one], copies=3, seed=0)
    assert all(np.array_equal(a.strokes[0], b.strokes[0]) for a, b in zip(made, again, strict=True))

