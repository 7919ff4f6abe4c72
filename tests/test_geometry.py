"""models.geometry against torch's own output shapes and hand-computed receptive fields."""

import itertools

import pytest
import torch
import torch.nn.functional as F

from models.geometry import WindowLayer, field_span, formula_text, output_size, receptive_fields


def test_output_size_matches_torch_max_pool_over_a_grid():
    wrong = []
    for n, k, p, s, d in itertools.product([1, 4, 7, 12], [1, 2, 3, 5], [0, 1, 2], [1, 2, 3], [1, 2]):
        if p > k // 2:
            continue  # torch refuses padding over half the window
        for ceil_mode in (False, True):
            try:
                expected = F.max_pool2d(torch.zeros(1, 1, n, n), k, s, p, d, ceil_mode=ceil_mode).shape[-1]
            except RuntimeError:
                expected = 0
            if max(0, output_size(n, k, p, s, d, ceil_mode)) != expected:
                wrong.append((n, k, p, s, d, ceil_mode, expected))
    assert wrong == []


def test_output_size_matches_torch_conv_over_a_grid():
    wrong, empty = [], 0
    for n, k, p, s, d in itertools.product([3, 8, 13], [1, 3, 5], [0, 1, 2], [1, 2, 4], [1, 2, 3]):
        try:
            expected = F.conv2d(torch.zeros(1, 1, n, n), torch.zeros(1, 1, k, k), stride=s, padding=p,
                                dilation=d).shape[-1]
        except RuntimeError:
            expected = 0
        empty += expected == 0
        if max(0, output_size(n, k, p, s, d)) != expected:
            wrong.append((n, k, p, s, d, expected))
    assert wrong == []
    assert 0 < empty < 243  # the grid reaches both outputs and windows too large for the input


def test_formula_text_shows_numbers():
    assert formula_text(28, 3, 0, 1, 1) == "floor((28 + 2·0 − 1·(3−1) − 1) / 1) + 1 = floor(25/1) + 1 = 26"


def test_digit_cnn_receptive_fields_by_hand():
    rows = receptive_fields(28, [WindowLayer("conv1", 3), WindowLayer("pool1", 2, 2),
                                 WindowLayer("conv2", 3), WindowLayer("pool2", 2, 2)])
    assert [(r.size, r.rf, r.jump) for r in rows] == [(28, 1, 1), (26, 3, 1), (13, 4, 2), (11, 8, 2), (5, 10, 4)]
    assert field_span(rows[-1], 0, 28) == (0, 10)
    assert field_span(rows[-1], 4, 28) == (16, 26)
    assert field_span(rows[1], 25, 28) == (25, 28)


def test_bad_arguments_are_rejected():
    with pytest.raises(ValueError, match="k, s, d >= 1"):
        output_size(5, 0)
