"""prepare_digit: MNIST-style framing of drawn digits, any size, colour scheme and format."""

import numpy as np
import pytest
import torch
from PIL import Image, ImageDraw

from models.preprocess import MNIST_MEAN, MNIST_STD, DigitError, prepare_digit


def _ink(prepared) -> np.ndarray:
    return (prepared.tensor[0, 0] * MNIST_STD + MNIST_MEAN).numpy()


def _com_and_box(ink: np.ndarray) -> tuple[float, float, int, int]:
    ys, xs = np.mgrid[0:28, 0:28]
    mass = ink.sum()
    on = ink > 1e-3
    rows, cols = np.flatnonzero(on.any(1)), np.flatnonzero(on.any(0))
    return (float((ink * ys).sum() / mass), float((ink * xs).sum() / mass),
            int(rows[-1] - rows[0] + 1), int(cols[-1] - cols[0] + 1))


def draw_seven(size: tuple[int, int], box: tuple[int, int, int, int], width: int, dark_on_light: bool,
               mode: str = "L") -> Image.Image:
    """A '7' made of PIL lines inside box=(x0, y0, x1, y1) on a size=(W, H) image."""
    bg, ink = (255, 0) if dark_on_light else (0, 255)
    img = Image.new("L", size, bg)
    d = ImageDraw.Draw(img)
    x0, y0, x1, y1 = box
    d.line([(x0, y0), (x1, y0), ((x0 + x1) // 2, y1)], fill=ink, width=width, joint="curve")
    return img.convert(mode)


CASES = [
    ((280, 280), (40, 30, 200, 250), 20, False, "RGBA"),
    ((280, 280), (150, 150, 270, 270), 18, True, "RGB"),  # off-centre, black on white
    ((28, 28), (4, 4, 20, 24), 2, False, "L"),
    ((600, 300), (10, 10, 120, 290), 9, True, "L"),  # wide image, digit in a corner
    ((64, 900), (5, 400, 60, 880), 6, False, "RGB"),  # tall image
    ((1000, 1000), (700, 100, 760, 180), 4, True, "RGBA"),  # small digit in a big image
]


@pytest.mark.parametrize("size,box,width,dark,mode", CASES)
def test_pil_drawn_digit_is_centred_by_mass_with_a_20px_box(size, box, width, dark, mode):
    prepared = prepare_digit(draw_seven(size, box, width, dark, mode))
    assert not prepared.empty
    assert prepared.inverted == dark
    assert prepared.tensor.shape == (1, 1, 28, 28) and prepared.tensor.dtype == torch.float32
    cy, cx, h, w = _com_and_box(_ink(prepared))
    assert abs(cy - 13.5) <= 1.0 and abs(cx - 13.5) <= 1.0, (cy, cx)
    assert max(h, w) == 20, (h, w)
    assert set(prepared.stages) == {"raw", "cropped", "fitted", "centred"}
    assert all(s.dtype == np.uint8 for s in prepared.stages.values())
    assert prepared.stages["centred"].shape == (28, 28)
    assert max(prepared.stages["fitted"].shape) == 20


def test_both_colour_schemes_and_numpy_give_the_same_input():
    light = draw_seven((280, 280), (60, 40, 220, 240), 20, False)
    dark = draw_seven((280, 280), (60, 40, 220, 240), 20, True)
    a, b = prepare_digit(light), prepare_digit(dark)
    c = prepare_digit(np.asarray(light))
    d = prepare_digit(np.asarray(light, np.float32) / 255.0)
    assert torch.allclose(a.tensor, b.tensor, atol=1e-5)
    assert torch.allclose(a.tensor, c.tensor) and torch.allclose(a.tensor, d.tensor, atol=1e-5)


def test_transparent_canvas_with_coloured_strokes():
    """A browser canvas: transparent background, opaque strokes (here dark blue)."""
    rgba = np.zeros((280, 280, 4), np.uint8)
    rgba[50:230, 130:150] = (20, 20, 120, 255)
    prepared = prepare_digit(rgba)
    assert not prepared.empty
    cy, cx, h, w = _com_and_box(_ink(prepared))
    assert h == 20 and abs(cx - 13.5) <= 1


def test_normalisation_matches_mnist_constants():
    img = np.zeros((28, 28), np.uint8)
    img[4:24, 13:15] = 255
    t = prepare_digit(img).tensor
    assert float(t.min()) == pytest.approx(-MNIST_MEAN / MNIST_STD, abs=1e-6)
    assert float(t.max()) == pytest.approx((1 - MNIST_MEAN) / MNIST_STD, abs=1e-3)


def test_mnist_digit_is_nearly_unchanged():
    from models.data import TEST_SAMPLE, load_npz

    images, _ = load_npz(TEST_SAMPLE)
    ink = _ink(prepare_digit(images[0]))
    assert np.abs(ink - images[0] / 255.0).mean() < 0.08


@pytest.mark.parametrize("image", [
    np.zeros((280, 280, 4), np.uint8),  # blank transparent canvas
    np.zeros((280, 280), np.uint8),  # black
    np.full((280, 280, 3), 255, np.uint8),  # all white
    np.full((1, 1), 128, np.uint8),  # 1x1
    Image.new("RGB", (50, 50), "white"),
    np.full((100, 100), 0.5, np.float64),  # flat grey
])
def test_blank_inputs_are_empty(image):
    prepared = prepare_digit(image)
    assert prepared.empty
    assert prepared.tensor.shape == (1, 1, 28, 28)
    assert torch.allclose(prepared.tensor, torch.full((1, 1, 28, 28), -MNIST_MEAN / MNIST_STD))


def test_near_blank_noise_is_empty():
    rng = np.random.default_rng(0)
    noise = (255 - rng.integers(0, 10, (280, 280))).astype(np.uint8)  # almost white paper
    assert prepare_digit(noise).empty


def test_huge_5000_square_input():
    img = Image.new("L", (5000, 5000), 255)
    ImageDraw.Draw(img).line([(1000, 800), (1200, 4200)], fill=0, width=300)
    prepared = prepare_digit(img)
    assert not prepared.empty and prepared.inverted
    assert max(prepared.stages["raw"].shape) <= 1024
    cy, cx, h, w = _com_and_box(_ink(prepared))
    assert h == 20 and abs(cy - 13.5) <= 1 and abs(cx - 13.5) <= 1


def test_huge_numpy_input():
    arr = np.zeros((5000, 5000), np.uint8)
    arr[1000:4000, 2400:2600] = 255
    assert not prepare_digit(arr).empty


def test_one_pixel_dot_and_thin_lines():
    dot = np.zeros((100, 100), np.uint8)
    dot[50, 50] = 255
    prepared = prepare_digit(dot)
    assert not prepared.empty and np.isfinite(prepared.tensor.numpy()).all()
    line = np.zeros((300, 300), np.uint8)
    line[150, 10:290] = 255  # 1-px horizontal line: fits to 20x1
    cy, cx, h, w = _com_and_box(_ink(prepare_digit(line)))
    assert w == 20 and h <= 2


@pytest.mark.parametrize("image", [
    np.array([]), np.zeros((0, 10)), np.zeros((10, 10, 5)), np.zeros((2, 2, 2, 2)),
    np.array([[np.nan, 0.0], [0.0, 1.0]]), np.array([["a", "b"]]), "not an image", None,
])
def test_invalid_inputs_raise_digit_error(image):
    with pytest.raises(DigitError):
        prepare_digit(image)


@pytest.mark.parametrize("image", [
    np.full((30, 30), 70000, np.int64), np.full((30, 30), -5.0), (np.arange(900).reshape(30, 30) % 2).astype(bool),
    np.arange(900, dtype=np.uint16).reshape(30, 30) * 70, np.random.default_rng(1).random((30, 30, 2)),
    Image.new("P", (40, 40)), Image.new("CMYK", (40, 40)), Image.new("I;16", (40, 40)), Image.new("1", (40, 40), 1),
    Image.new("LA", (40, 40)), Image.new("F", (40, 40), 3.0),
])
def test_odd_but_real_inputs_never_crash(image):
    prepared = prepare_digit(image)
    assert prepared.tensor.shape == (1, 1, 28, 28)
    assert np.isfinite(prepared.tensor.numpy()).all()
