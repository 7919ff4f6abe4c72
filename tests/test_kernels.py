"""Kernel presets against their textbook values, nn.Conv2d's init, and every bad kernel a student can type."""

import math

import numpy as np
import pytest
import torch

from models.kernels import (
    PRESETS,
    SIZES,
    AllZeroKernel,
    KernelError,
    PresetParams,
    binomial,
    box,
    check_bias,
    conv2d_init,
    format_text,
    gaussian,
    gaussian_1d,
    identity,
    init_bound,
    is_sized,
    laplacian_of_gaussian,
    make_preset,
    motion_blur,
    normalise,
    parse_text,
    unsharp_mask,
    validate,
)

_DELTA = np.pad([[1]], 1)  # 3x3 identity
_DERIV = np.array([-1, 0, 1])  # central difference
_L4 = np.array([[0, 1, 0], [1, 0, 1], [0, 1, 0]]) - 4 * _DELTA  # sum of the two 1D second differences
_L8 = np.ones((3, 3), int) - 9 * _DELTA
# Built from their definitions, not copied: separable smoothing x derivative for the gradient filters,
# identity minus Laplacian for sharpen. Emboss is a convention with no derivation, so it is spelled out.
TEXTBOOK = {
    "sharpen": _DELTA - _L4,
    "laplacian 4": _L4,
    "laplacian 8": _L8,
    "sobel x": np.outer([1, 2, 1], _DERIV),
    "sobel y": np.outer(_DERIV, [1, 2, 1]),
    "prewitt x": np.outer([1, 1, 1], _DERIV),
    "prewitt y": np.outer(_DERIV, [1, 1, 1]),
    "scharr x": np.outer([3, 10, 3], _DERIV),
    "scharr y": np.outer(_DERIV, [3, 10, 3]),
    "emboss": [[-2, -1, 0], [-1, 1, 1], [0, 1, 2]],
    "outline": -_L8,
}


@pytest.mark.parametrize("name", sorted(TEXTBOOK))
def test_fixed_presets_are_textbook(name):
    kernel, bias = make_preset(name, PresetParams(size=7))
    np.testing.assert_array_equal(kernel, TEXTBOOK[name])
    assert bias == 0 and not is_sized(name)


def test_sobel_is_smoothing_times_derivative():
    np.testing.assert_array_equal(make_preset("sobel x", PresetParams())[0], np.outer([1, 2, 1], [-1, 0, 1]))
    np.testing.assert_array_equal(make_preset("sobel y", PresetParams())[0], np.outer([-1, 0, 1], [1, 2, 1]))


@pytest.mark.parametrize("size", SIZES)
def test_identity_box_and_every_sized_preset(size):
    assert identity(size)[size // 2, size // 2] == 1 and identity(size).sum() == 1
    np.testing.assert_allclose(box(size), np.full((size, size), 1 / size**2))
    for name in PRESETS:
        if is_sized(name) and not (name == "unsharp mask" and size == 1):
            kernel, _ = make_preset(name, PresetParams(size=size, sigma=1.2, length=3, angle=30, seed=1))
            assert kernel.shape == (size, size), name


def test_gaussian_formula_sum_and_separability():
    g = gaussian(5, 1.0)
    x = np.arange(5) - 2
    raw = np.exp(-(x[:, None] ** 2 + x[None, :] ** 2) / 2)
    np.testing.assert_allclose(g, raw / raw.sum())
    assert g.sum() == pytest.approx(1.0)
    np.testing.assert_allclose(np.outer(gaussian_1d(5, 1.0), gaussian_1d(5, 1.0)), g)
    assert np.linalg.matrix_rank(g) == 1
    with pytest.raises(KernelError, match="sigma"):
        gaussian(5, 0)


def test_unsharp_mask_is_the_wikipedia_5x5():
    textbook = -np.array([[1, 4, 6, 4, 1], [4, 16, 24, 16, 4], [6, 24, -476, 24, 6], [4, 16, 24, 16, 4],
                          [1, 4, 6, 4, 1]]) / 256
    np.testing.assert_allclose(unsharp_mask(5), textbook)
    np.testing.assert_allclose(binomial(3) * 16, [[1, 2, 1], [2, 4, 2], [1, 2, 1]])
    assert unsharp_mask(7).sum() == pytest.approx(1.0)


def test_laplacian_of_gaussian():
    log = laplacian_of_gaussian(9, 1.4)
    assert log.sum() == pytest.approx(0.0, abs=1e-12)
    assert log[4, 4] == log.min() < 0  # negative centre, positive ring
    np.testing.assert_allclose(log, log.T)
    np.testing.assert_allclose(log, log[::-1, ::-1])
    x = np.arange(9) - 4
    r2 = x[:, None] ** 2 + x[None, :] ** 2
    formula = -1 / (math.pi * 1.4**4) * (1 - r2 / (2 * 1.4**2)) * np.exp(-r2 / (2 * 1.4**2))
    np.testing.assert_allclose(log, formula - formula.mean())


def test_motion_blur():
    np.testing.assert_allclose(motion_blur(5, 5, 0), np.pad(np.full((1, 5), 0.2), ((2, 2), (0, 0))))
    np.testing.assert_allclose(motion_blur(5, 5, 90), motion_blur(5, 5, 0).T)
    np.testing.assert_allclose(motion_blur(5, 5, 45) * 5, np.fliplr(np.eye(5)))
    assert motion_blur(7, 3, 0).sum() == pytest.approx(1) and np.count_nonzero(motion_blur(7, 3, 0)) == 3


@pytest.mark.parametrize("size", [1, 3, 5, 11])
def test_random_is_a_fresh_conv2d(size):
    weight, bias = conv2d_init(size, seed=3)
    torch.manual_seed(3)
    conv = torch.nn.Conv2d(1, 1, size)
    np.testing.assert_allclose(weight, conv.weight.detach().numpy()[0, 0], rtol=1e-6)
    assert bias == pytest.approx(float(conv.bias[0]))
    bound = init_bound(size)
    assert bound == pytest.approx(1 / size)  # kaiming_uniform(a=√5): gain √(1/3) · √(3/fan_in) = 1/√fan_in
    assert np.abs(weight).max() <= bound and abs(bias) <= bound


def test_random_init_bound_and_spread():
    draws = np.concatenate([conv2d_init(11, seed)[0].ravel() for seed in range(20)])
    assert np.abs(draws).max() <= 1 / 11
    assert draws.min() < -0.85 / 11 and draws.max() > 0.85 / 11  # uniform, fills the range
    biases = [conv2d_init(3, seed)[1] for seed in range(50)]
    assert max(np.abs(biases)) <= 1 / 3 and np.std(biases) > 0.1
    state = torch.get_rng_state()
    conv2d_init(3, 0)
    assert torch.equal(state, torch.get_rng_state())  # the global RNG is left alone


@pytest.mark.parametrize("value,match", [(np.nan, "not a number"), (np.inf, "infinite"), (-np.inf, "infinite"),
                                        (1e30, r"1e\+30, outside the allowed range")])
def test_validate_rejects_nan_inf_and_huge(value, match):
    kernel = np.ones((3, 3))
    kernel[1, 2] = value
    with pytest.raises(KernelError, match=match) as err:
        validate(kernel)
    assert "row 2, column 3" in str(err.value)


def test_validate_all_zero_explains_black_output():
    with pytest.raises(AllZeroKernel, match="black"):
        validate(np.zeros((5, 5)))
    assert issubclass(AllZeroKernel, KernelError)


@pytest.mark.parametrize("shape", [(2, 2), (3, 5), (13, 13), (3,)])
def test_validate_rejects_bad_shapes(shape):
    with pytest.raises(KernelError, match="size|square"):
        validate(np.ones(shape))


def test_normalise_and_bias():
    np.testing.assert_allclose(normalise(np.ones((3, 3))), np.full((3, 3), 1 / 9))
    with pytest.raises(KernelError, match="sum to 0"):
        normalise(make_preset("sobel x", PresetParams())[0])
    assert check_bias(0.5) == 0.5
    for bad in (math.nan, math.inf, 1e30):
        with pytest.raises(KernelError):
            check_bias(bad)


def test_parse_and_format_text():
    np.testing.assert_array_equal(parse_text("0 -1 0\n-1, 5, -1\n0 -1 0"), TEXTBOOK["sharpen"])
    assert parse_text("1 2 3; 4 5 6; 7 8 9")[2, 0] == 7
    assert np.isnan(parse_text("nan")[0, 0])
    np.testing.assert_allclose(parse_text(format_text(gaussian(5, 1.0))), gaussian(5, 1.0), rtol=1e-5)
    for bad in ("1 2\n3", "a b c", ""):
        with pytest.raises(KernelError):
            parse_text(bad)


def test_unknown_preset_and_size():
    with pytest.raises(KernelError):
        make_preset("blurry", PresetParams())
    with pytest.raises(KernelError, match="odd"):
        identity(4)
