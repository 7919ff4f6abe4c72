"""The kernel grid's cell parsing: what a student types becomes a number or a NaN the page reports."""

import math

import numpy as np
import pytest

from components.kernel_grid import apply_edits, parse_cell


@pytest.mark.parametrize("text,value", [("2.5", 2.5), (" -1 ", -1.0), ("−2", -2.0), ("1,5", 1.5), ("1e-3", 0.001),
                                        (".5", 0.5)])
def test_numbers_parse(text, value):
    assert parse_cell(text) == value


@pytest.mark.parametrize("text", ["abc", "", "inf", "-inf", "nan", "1..2"])
def test_non_numbers_become_nan(text):
    assert math.isnan(parse_cell(text))


def test_edits_apply_on_top_of_the_base_and_bad_keys_are_ignored():
    base = np.arange(9, dtype=float).reshape(3, 3)
    kernel, kept, too_long = apply_edits(base, {"0,0": "7", "2,1": "x", "5,5": "1", "a,b": "1", "1,1": 3.0})
    expected = base.copy()
    expected[0, 0] = 7
    expected[2, 1] = np.nan
    np.testing.assert_array_equal(kernel, expected)
    assert kept == {"0,0": "7", "2,1": "x"}
    assert base[0, 0] == 0  # the base is not changed in place
    assert too_long == []


def test_a_cell_over_40_characters_is_reported_not_silently_ignored():
    base = np.zeros((3, 3))
    kernel, kept, too_long = apply_edits(base, {"1,2": "1" * 41, "0,0": "0." + "5" * 38})
    assert too_long == [(1, 2)]
    assert np.isnan(kernel[1, 2]) and "1,2" not in kept
    assert kernel[0, 0] == pytest.approx(5 / 9) and "0,0" in kept  # exactly 40 characters is still read
