"""models.convolution against torch.nn.functional.conv2d, an independent NumPy loop, and scipy."""

import itertools

import numpy as np
import pytest
import torch
import torch.nn.functional as F
from scipy import ndimage, signal

from models.convolution import (
    DILATIONS,
    PADDINGS,
    STRIDES,
    ConvSettings,
    check_fits,
    convolve,
    display_values,
    frequency_response,
    gradient_magnitude,
    histogram,
    inspect_pixel,
    output_shape,
    rank_filter,
    sliding_steps,
)
from models.geometry import output_size
from models.kernels import KernelError, PresetParams, box, laplacian_of_gaussian, make_preset

RNG = np.random.default_rng(7)
GRAY = RNG.random((13, 11)).astype(np.float32)
RGB = RNG.random((10, 12, 3)).astype(np.float32)
K3 = RNG.normal(size=(3, 3))
K5 = RNG.normal(size=(5, 5))


def _source_index(i: int, n: int, mode: str) -> int | None:
    """Which input index a padded coordinate i (may be <0 or >=n) reads; None = zero. Written by hand."""
    if 0 <= i < n:
        return i
    if mode == "zeros":
        return None
    if mode == "replicate":
        return 0 if i < 0 else n - 1
    if mode == "circular":
        return i % n
    if mode == "reflect":  # mirror without repeating the edge pixel: -1 -> 1, n -> n-2
        return -i if i < 0 else 2 * (n - 1) - i
    raise AssertionError(mode)


def numpy_reference(plane: np.ndarray, kernel: np.ndarray, padding: str, stride: int, dilation: int,
                    flip: bool = False, bias: float = 0.0) -> np.ndarray:
    """The definition of a strided, dilated, padded cross-correlation, float64: tap (i, j) of output pixel
    (r, c) reads the input pixel that _source_index names for r*stride + i*dilation - p (zero if none)."""
    h, w = plane.shape
    k = kernel.shape[0]
    weights = kernel[::-1, ::-1] if flip else kernel
    p = 0 if padding == "valid" else dilation * (k - 1) // 2
    ho = (h + 2 * p - dilation * (k - 1) - 1) // stride + 1
    wo = (w + 2 * p - dilation * (k - 1) - 1) // stride + 1

    def taps(n_out: int, n_in: int) -> np.ndarray:  # (n_out, k) input index per tap; n_in = the zero pixel
        src = [[_source_index(o * stride + i * dilation - p, n_in, padding) for i in range(k)] for o in range(n_out)]
        return np.array([[n_in if v is None else v for v in row] for row in src], dtype=int).reshape(n_out, k)

    with_zero = np.zeros((h + 1, w + 1))
    with_zero[:h, :w] = plane
    rows, cols = taps(ho, h), taps(wo, w)
    windows = with_zero[rows[:, None, :, None], cols[None, :, None, :]]  # (ho, wo, k, k)
    return np.einsum("rcij,ij->rc", windows, weights) + bias


def torch_reference(image: np.ndarray, kernel: np.ndarray, s: ConvSettings) -> np.ndarray:
    """conv2d with groups=C, written independently of models.convolution."""
    x = torch.from_numpy(image if image.ndim == 3 else image[..., None]).permute(2, 0, 1)[None].double()
    c = x.shape[1]
    kern = kernel[::-1, ::-1].copy() if s.flip else kernel
    weight = torch.from_numpy(np.ascontiguousarray(kern)).double().expand(c, 1, *kernel.shape)
    p = s.pad(kernel.shape[0])
    if s.padding == "valid" or s.padding == "zeros":
        y = F.conv2d(x, weight, torch.full((c,), s.bias, dtype=torch.float64), s.stride, p, s.dilation, groups=c)
    else:
        y = F.conv2d(F.pad(x, (p,) * 4, mode=s.padding), weight, torch.full((c,), s.bias, dtype=torch.float64),
                     s.stride, 0, s.dilation, groups=c)
    y = y[0].permute(1, 2, 0).numpy()
    return y if image.ndim == 3 else y[..., 0]


GRID = list(itertools.product(PADDINGS, STRIDES, DILATIONS))


def _mismatch(got: np.ndarray, expected: np.ndarray) -> float:
    return float(np.abs(got - expected).max()) if got.shape == expected.shape else float("inf")


def test_gray_matches_torch_and_numpy_loop_for_every_setting():
    wrong, compared = {}, 0
    for (padding, stride, dilation), (kernel, flip) in itertools.product(GRID, ((K3, False), (K5, True))):
        s = ConvSettings(padding, stride, dilation, flip, bias=0.25)
        try:
            check_fits(*GRAY.shape, kernel.shape[0], s)
        except KernelError:
            continue
        got = convolve(GRAY, kernel, s)
        assert got.dtype == np.float32
        errors = (_mismatch(got, torch_reference(GRAY, kernel, s)),
                  _mismatch(got, numpy_reference(GRAY, kernel, padding, stride, dilation, flip, 0.25)))
        compared += 1
        if max(errors) > 1e-5:
            wrong[(padding, stride, dilation, kernel.shape[0])] = errors
    assert wrong == {}
    assert compared >= len(GRID)  # every setting with the 3x3 kernel, and the 5x5 where it fits


def test_rgb_depthwise_matches_torch_groups_and_numpy_loop_for_every_setting():
    wrong = {}
    for padding, stride, dilation in GRID:
        s = ConvSettings(padding, stride, dilation, bias=-0.1)
        got = convolve(RGB, K3, s)
        assert got.shape == (*output_shape(10, 12, 3, s), 3)
        loops = np.stack([numpy_reference(RGB[..., ch], K3, padding, stride, dilation, bias=-0.1) for ch in range(3)],
                         axis=-1)
        errors = (_mismatch(got, torch_reference(RGB, K3, s)), _mismatch(got, loops))
        if max(errors) > 1e-5:
            wrong[(padding, stride, dilation)] = errors
    assert wrong == {}


def test_true_convolution_equals_scipy_convolve2d():
    s = ConvSettings("zeros", flip=True)
    np.testing.assert_allclose(convolve(GRAY, K5, s), signal.convolve2d(GRAY, K5, mode="same"), atol=1e-5)
    s = ConvSettings("valid", flip=False)
    np.testing.assert_allclose(convolve(GRAY, K3, s), signal.correlate2d(GRAY, K3, mode="valid"), atol=1e-5)


def test_formula_equals_actual_shape_over_a_grid():
    for n, k, p, s, d in itertools.product((5, 8, 13, 28), (1, 3, 5, 7), (0, 1, 2, 3), (1, 2, 3, 4), (1, 2, 3)):
        expected = output_size(n, k, p, s, d)
        if expected < 1:
            continue
        y = F.conv2d(torch.zeros(1, 1, n, n), torch.zeros(1, 1, k, k), stride=s, padding=p, dilation=d)
        assert y.shape[-1] == expected, (n, k, p, s, d)


def test_convolve_shape_matches_output_shape_for_every_setting():
    for padding, stride, dilation in GRID:
        s = ConvSettings(padding, stride, dilation)
        assert convolve(GRAY, K3, s).shape == output_shape(13, 11, 3, s)


@pytest.mark.parametrize("padding,stride,dilation", [("reflect", 2, 2), ("zeros", 1, 1), ("circular", 3, 1),
                                                     ("valid", 1, 3), ("replicate", 4, 2)])
def test_inspector_arithmetic_equals_every_output_pixel(padding, stride, dilation):
    s = ConvSettings(padding, stride, dilation, flip=True, bias=0.5)
    out = convolve(GRAY, K3, s)
    for r, c in itertools.product(range(out.shape[0]), range(out.shape[1])):
        ins = inspect_pixel(GRAY, K3, s, r, c)
        assert ins.value == pytest.approx(float(out[r, c]), abs=1e-5)
        assert ins.total + ins.bias == pytest.approx(ins.value)
        np.testing.assert_allclose(ins.product, ins.patch * K3[::-1, ::-1])


def test_inspector_patch_position_and_padding():
    s = ConvSettings("zeros", stride=2, dilation=2)
    ins = inspect_pixel(GRAY, K3, s, 0, 0)
    assert (ins.top, ins.left, ins.span) == (-2, -2, 5)
    assert ins.patch[0].tolist() == [0, 0, 0]  # zero padding above
    assert ins.patch[1, 1] == pytest.approx(GRAY[0, 0])
    with pytest.raises(KernelError, match="outside"):
        inspect_pixel(GRAY, K3, s, 99, 0)


def test_kernel_larger_than_padded_image_and_impossible_padding():
    tiny = np.zeros((4, 4), np.float32)
    with pytest.raises(KernelError, match="padded image"):
        convolve(tiny, np.ones((5, 5)), ConvSettings("valid"))
    with pytest.raises(KernelError, match="padded image"):
        convolve(tiny, np.ones((3, 3)), ConvSettings("valid", dilation=3))
    with pytest.raises(KernelError, match="Reflect padding"):
        convolve(tiny, np.ones((11, 11)), ConvSettings("reflect"))
    assert convolve(tiny, np.ones((11, 11)), ConvSettings("zeros")).shape == (4, 4)
    assert convolve(tiny, np.ones((11, 11)), ConvSettings("replicate")).shape == (4, 4)


@pytest.mark.parametrize("bad", [dict(padding="mirror"), dict(stride=5), dict(stride=0), dict(dilation=4)])
def test_settings_reject_bad_values(bad):
    with pytest.raises(KernelError):
        ConvSettings(**bad)


def test_gradient_magnitude():
    gx, gy = np.array([[3.0, 0.0]]), np.array([[4.0, -2.0]])
    np.testing.assert_allclose(gradient_magnitude(gx, gy), [[5.0, 2.0]])


@pytest.mark.parametrize("kind,func", [("median", np.median), ("min", np.min), ("max", np.max)])
def test_rank_filters_match_a_loop(kind, func):
    padded = np.pad(GRAY, 1, mode="symmetric")  # scipy's "reflect" repeats the edge pixel
    expected = np.array([[func(padded[r:r + 3, c:c + 3]) for c in range(11)] for r in range(13)])
    np.testing.assert_allclose(rank_filter(GRAY, 3, kind), expected)
    rgb = rank_filter(RGB, 3, kind)
    np.testing.assert_allclose(rgb[..., 1], rank_filter(RGB[..., 1], 3, kind))
    assert kind != "median" or np.allclose(rank_filter(GRAY, 3, kind), ndimage.median_filter(GRAY, 3))


def test_median_removes_salt_and_pepper_but_blur_does_not():
    flat = np.full((20, 20), 0.5, np.float32)
    flat[5, 5], flat[12, 7] = 1.0, 0.0
    assert np.allclose(rank_filter(flat, 3, "median"), 0.5)
    blurred = convolve(flat, box(3), ConvSettings("reflect"))
    assert abs(blurred[5, 5] - 0.5) > 0.04


def test_frequency_response_low_and_high_pass():
    blur = frequency_response(box(5))
    assert blur[32, 32] == pytest.approx(1.0) and blur[32, 32] == blur.max()
    log = frequency_response(laplacian_of_gaussian(7, 1.0))
    assert log[32, 32] == pytest.approx(0.0, abs=1e-9) and log.max() > 0.1
    sobel = frequency_response(make_preset("sobel x", PresetParams())[0])
    assert sobel[32, 32] == pytest.approx(0.0, abs=1e-9)
    np.testing.assert_allclose(frequency_response(K3, 16), np.fft.fftshift(np.abs(np.fft.fft2(K3, (16, 16)))))


def test_display_values_modes():
    out = np.array([[-2.0, 0.5], [1.5, 0.0]])
    v, lo, hi = display_values(out, "clipped")
    assert (lo, hi) == (0, 1) and v.min() == 0 and v.max() == 1
    v, lo, hi = display_values(out, "absolute")
    assert v[0, 0] == 2 and (lo, hi) == (0, 2)
    assert display_values(out, "stretch")[1:] == (-2.0, 1.5)
    # |out| sorted: 0, 0.5, 1.5, 2; the 99.5th percentile interpolates 98.5 % of the way from 1.5 to 2
    assert display_values(out, "diverging")[1:] == pytest.approx((-1.9925, 1.9925))
    assert display_values(np.zeros((2, 2)), "diverging")[1:] == (-1.0, 1.0)

    with pytest.raises(KernelError):
        display_values(out, "rainbow")
    counts, edges = histogram(out, bins=4)
    assert counts.sum() == 4 and edges[0] == -2 and edges[-1] == 1.5


def test_diverging_range_ignores_the_few_strongest_values():
    """Sobel on a photo: a handful of strong edges must not wash every other edge out to white."""
    out = np.full((100, 100), 0.2)
    out[0, :3] = (-3.0, 3.0, 2.5)  # 3 extreme values out of 10 000
    assert display_values(out, "diverging")[1:] == pytest.approx((-0.2, 0.2))
    spread = np.linspace(-1, 1, 2001)
    assert display_values(spread, "diverging")[2] == pytest.approx(np.quantile(np.abs(spread), 0.995))


def test_sliding_steps_build_the_output():
    s = ConvSettings("zeros", stride=2)
    crop = GRAY[:8, :8]
    steps = sliding_steps(crop, K3, s)
    out = convolve(crop, K3, s)
    assert len(steps) == out.size
    np.testing.assert_allclose([st.value for st in steps], out.ravel(), atol=1e-5)
    assert [(st.row, st.col) for st in steps[:5]] == [(0, 0), (0, 1), (0, 2), (0, 3), (1, 0)]


@pytest.mark.parametrize("padding,stride,dilation,flip", [
    (p, s, d, f) for p in PADDINGS for s in (1, 2, 3) for d in (1, 2) for f in (False, True)])
def test_sliding_steps_agree_with_inspect_pixel_and_torch(padding, stride, dilation, flip):
    """The gathered-at-once windows: every field equal to inspecting each cell alone, values equal to
    torch's convolution of the crop."""
    rng = np.random.default_rng(stride * 10 + dilation)
    crop, kernel = rng.random((9, 11)), rng.normal(size=(3, 3))
    s = ConvSettings(padding, stride=stride, dilation=dilation, flip=flip, bias=0.25)
    steps = sliding_steps(crop, kernel, s)
    ho, wo = output_shape(9, 11, 3, s)
    assert [(st.row, st.col) for st in steps] == [(r, c) for r in range(ho) for c in range(wo)]
    for st in steps:
        one = inspect_pixel(crop, kernel, s, st.row, st.col)
        np.testing.assert_array_equal(st.patch, one.patch)
        np.testing.assert_array_equal(st.product, one.product)
        np.testing.assert_array_equal(st.weights, one.weights)
        assert (st.top, st.left, st.span, st.bias) == (one.top, one.left, one.span, one.bias)
        assert st.value == pytest.approx(one.value, abs=1e-12)
    weights = torch.from_numpy(kernel[::-1, ::-1].copy() if flip else kernel)[None, None]
    x = torch.from_numpy(crop)[None, None]
    p = s.pad(3)
    if p:
        x = F.pad(x, (p, p, p, p), mode={"zeros": "constant"}.get(padding, padding))
    expected = F.conv2d(x, weights, stride=stride, dilation=dilation)[0, 0].numpy() + 0.25
    np.testing.assert_allclose(np.array([st.value for st in steps]).reshape(ho, wo), expected, atol=1e-12)
