"""models.pooling, grid_sources, pool_images and receptive_stack checked against torch and hand counts."""

import itertools

import numpy as np
import pytest
import torch
import torch.nn.functional as F

from models.grid_sources import (
    GridError,
    checkerboard,
    gradient,
    image_patch,
    make_grid,
    parse_grid,
    random_ints,
    sparse_peaks,
)
from models.pool_images import PoolImageError, make_variant, pool_levels, sparse_lines
from models.pooling import (
    PoolingError,
    PoolSpec,
    analyse,
    arithmetic,
    coverage,
    fmt,
    pool,
    summarize,
    window_at,
    windows,
)
from models.receptive_stack import (
    DIGIT_CNN,
    StackError,
    field_origin,
    parse_stack,
    receptive_fields,
    unit_field,
)

RNG = np.random.default_rng(7)
X7 = RNG.integers(0, 10, size=(7, 6)).astype(np.float64)  # non-square, with ties
X_FLOAT = RNG.uniform(0.1, 5.0, size=(9, 8))


def torch_pool(t: torch.Tensor, spec: PoolSpec) -> torch.Tensor:
    """The same pooling done by torch's own ops on a (1, 1, H, W) tensor: the independent reference."""
    k, s, p, d, cm = spec.kernel, spec.stride, spec.padding, spec.dilation, spec.ceil_mode
    if spec.mode == "max":
        return F.max_pool2d(t, k, s, p, d, ceil_mode=cm)
    if spec.mode == "min":
        return -F.max_pool2d(-t, k, s, p, d, ceil_mode=cm)
    if spec.mode == "mean":
        return F.avg_pool2d(t, k, s, p, ceil_mode=cm, count_include_pad=spec.count_include_pad)
    return F.lp_pool2d(t, spec.p, k, s, ceil_mode=cm)


def _torch(x: np.ndarray, spec: PoolSpec) -> np.ndarray:
    return torch_pool(torch.from_numpy(x)[None, None], spec)[0, 0].numpy()


def _specs():
    for mode, k, s, p, d, cm, cip in itertools.product(
            ("max", "min", "mean"), [(1, 1), (2, 2), (3, 3), (3, 2), (4, 5)], [(1, 1), (2, 2), (3, 3), (2, 3)],
            [0, 1, 2], [1, 2], [False, True], [True, False]):
        if (mode != "mean" and not cip) or (mode == "mean" and d > 1):
            continue
        pad = (min(p, k[0] // 2), min(p, k[1] // 2))
        yield PoolSpec(mode, k, s, pad, (d, d), cm, cip)
    for k, s, cm, pw in itertools.product([2, 3, (2, 3)], [1, 2, 3], [False, True], [1.0, 2.0, 3.0, 1.5]):
        yield PoolSpec("lp", k, s, ceil_mode=cm, p=pw)


SPECS = list(_specs())


def _name(spec: PoolSpec) -> str:
    return (f"{spec.mode} k{spec.kernel} s{spec.stride} p{spec.padding} d{spec.dilation} ceil={spec.ceil_mode} "
            f"count_pad={spec.count_include_pad} p={spec.p}")


@pytest.mark.slow
def test_pool_matches_torch_for_every_setting():
    """Every combination of type, kernel, stride, padding, dilation, ceil_mode and count_include_pad on a
    non-square integer grid with ties and on a float grid: equal to torch's own op, or refused exactly
    where torch refuses (a window that does not fit)."""
    wrong, compared, refused = [], 0, 0
    for x, spec in itertools.product((X7, X_FLOAT), SPECS):
        try:
            expected = _torch(x, spec)
        except RuntimeError as exc:
            refused += 1
            if "too small" not in str(exc) and "size" not in str(exc).lower():
                wrong.append(f"{_name(spec)}: torch failed for another reason: {exc}")
            try:
                pool(x, spec)
                wrong.append(f"{_name(spec)}: torch refuses {x.shape}, pool() did not")
            except PoolingError as err:
                if "does not fit" not in str(err):
                    wrong.append(f"{_name(spec)}: refused with {err}")
            continue
        try:
            got = pool(x, spec)
        except PoolingError as err:
            wrong.append(f"{_name(spec)} on {x.shape}: refused ({err}) but torch gives {expected.shape}")
            continue
        compared += 1
        if got.shape != expected.shape or got.shape != spec.output_shape(*x.shape) or \
                not np.allclose(got, expected, rtol=1e-9, atol=1e-9):
            wrong.append(f"{_name(spec)} on {x.shape}: {got.tolist()} != torch {expected.tolist()}")
    assert not wrong, f"{len(wrong)} of {2 * len(SPECS)} differ, e.g.\n" + "\n".join(wrong[:10])
    assert compared > 0.95 * 2 * len(SPECS) and 0 < refused, (compared, refused)  # both branches really ran


def test_coverage_equals_window_by_window_count():
    h, w = X7.shape
    checked = 0
    for spec in SPECS:
        try:
            wins = windows(X7, spec)
        except PoolingError:
            continue
        counts = np.zeros((h, w), dtype=int)
        for wnd in wins:  # independent count: add one for every tap of every window that lands in the input
            rows, cols = np.meshgrid(np.asarray(wnd.rows), np.asarray(wnd.cols), indexing="ij")
            lands = (rows >= 0) & (rows < h) & (cols >= 0) & (cols < w)
            assert np.asarray(wnd.inside)[lands].all(), _name(spec)
            np.add.at(counts, (rows[lands], cols[lands]), 1)
        np.testing.assert_array_equal(coverage((h, w), spec), counts, err_msg=_name(spec))
        checked += 1
    assert checked > 0.95 * len(SPECS)


def test_max_and_min_winners_are_torchs_first_extreme():
    x = np.array([[1, 5, 5, 0], [5, 2, 3, 3], [0, 0, 1, 1], [0, 0, 1, 1.0]])  # ties in every window
    t = torch.from_numpy(x)[None, None]
    _, max_idx = F.max_pool2d(t, 2, 2, return_indices=True)
    _, min_idx = F.max_pool2d(-t, 2, 2, return_indices=True)
    for mode, idx in (("max", max_idx), ("min", min_idx)):
        wins = windows(x, PoolSpec(mode))
        assert [w.winner[0] * 4 + w.winner[1] for w in wins] == idx.flatten().tolist(), mode
    assert window_at(x, PoolSpec("min"), 0, 0).winner == (0, 0)  # min(1, 5, 5, 2) is the top-left 1
    assert window_at(x, PoolSpec("max"), 0, 1).winner == (0, 2)  # 5 and 3, 5, 0: the first 5 wins


def test_classic_presets_coverage_and_summary():
    x = np.arange(64.0).reshape(8, 8)
    s = summarize(x, PoolSpec("max", 2, 2))
    assert (s.missed, s.overlap, s.reduction, s.ratio) == (0.0, 0.0, 0.75, 0.25)
    assert s.never_win == 0.75
    assert s.formulas[0].endswith("= 4")
    gaps = summarize(x, PoolSpec("max", 2, 3))  # windows at 0,3 (rows 0,1,3,4): 2,5,6,7 missed
    assert gaps.out_shape == (3, 3) and gaps.missed == pytest.approx(1 - (6 * 6) / 64)
    heavy = coverage((8, 8), PoolSpec("max", 3, 1))
    assert heavy[3, 3] == 9 and heavy[0, 0] == 1
    overlap = coverage((8, 8), PoolSpec("max", 3, 2))
    assert overlap[2, 2] == 4 and overlap[7, 7] == 0


def test_formula_equals_torch_shape():
    for n, k, p, s, cm in itertools.product([4, 7, 16], [1, 2, 3, 5], [0, 1, 2], [1, 2, 3, 6], [False, True]):
        if p > k // 2 or k > n + 2 * p:
            continue
        spec = PoolSpec("max", k, s, p, ceil_mode=cm)
        shape = F.max_pool2d(torch.zeros(1, 1, n, n), k, s, p, ceil_mode=cm).shape[-2:]
        assert spec.formulas(n, n)[0].endswith(f"= {shape[0]}")
        assert spec.output_shape(n, n) == tuple(shape)


@pytest.mark.parametrize("kwargs,shape,message", [
    (dict(kernel=5), (4, 4), "the 5x5 window does not fit in a 4x4 input"),
    (dict(kernel=3, dilation=3, padding=1), (4, 4), r"spread to 7x7 by dilation\) does not fit in a 4x4 input \(6x6"),
    (dict(kernel=3, padding=2), (4, 4), "Padding 2 is more than half the window"),
    (dict(kernel=3, dilation=2, padding=2), (9, 9), "Padding 2 is more than half the window"),
    (dict(kernel=0), (4, 4), "at least 1x1"),
    (dict(stride=0), (4, 4), "stride must be at least 1"),
    (dict(kernel=2.5), (4, 4), "whole number"),
    (dict(mode="mean", dilation=2), (4, 4), "no dilation"),
    (dict(mode="lp", padding=1), (4, 4), "no padding"),
    (dict(mode="lp", p=0.5), (4, 4), "at least 1"),
    (dict(mode="median"), (4, 4), "Unknown pooling type"),
])
def test_bad_settings_have_student_messages(kwargs, shape, message):
    with pytest.raises(PoolingError, match=f"(?i){message}"):
        pool(np.zeros(shape), PoolSpec(**kwargs))


@pytest.mark.parametrize("k,p,d", [(3, 2, 1), (3, 2, 2), (2, 2, 3), (1, 1, 3), (4, 3, 1)])
def test_padding_rule_is_torchs(k, p, d):
    with pytest.raises(RuntimeError, match="half"):
        F.max_pool2d(torch.zeros(1, 1, 12, 12), k, 1, p, d)
    with pytest.raises(PoolingError, match="more than half the window"):
        PoolSpec("max", k, 1, p, d)


@pytest.mark.parametrize("value,message", [(np.nan, "NaN, which is not a usable number"),
                                           (np.inf, "∞, which is not"), (1e30, "1e\\+30; keep values between")])
def test_extreme_values_are_refused(value, message):
    x = np.ones((4, 4))
    x[1, 2] = value
    with pytest.raises(PoolingError, match=f"row 2, column 3\\) is {message}"):
        pool(x, PoolSpec())


def test_negative_values_fine_for_max_but_refused_for_lp():
    x = -np.arange(16.0).reshape(4, 4)
    np.testing.assert_array_equal(pool(x, PoolSpec("max")), [[0, -2], [-8, -10]])
    with pytest.raises(PoolingError, match="negative values"):
        pool(x, PoolSpec("lp"))
    with pytest.raises(PoolingError, match="empty"):
        pool(np.zeros((0, 4)), PoolSpec())


def test_arithmetic_text():
    x = np.array([[3, 1, 0, 0], [4, 1, 0, 0], [0, 0, 0, 0], [0, 0, 0, 0.0]])
    assert arithmetic(x, PoolSpec("max"), window_at(x, PoolSpec("max"), 0, 0)) == "max(3, 1, 4, 1) = 4"
    mean = PoolSpec("mean", 3, 2, 1)
    assert arithmetic(x, mean, window_at(x, mean, 0, 0)) == \
        "(0 + 0 + 0 + 0 + 3 + 1 + 0 + 4 + 1) / 9 = 1 (padding zeros counted)"
    excl = PoolSpec("mean", 3, 2, 1, count_include_pad=False)
    assert arithmetic(x, excl, window_at(x, excl, 0, 0)) == "(3 + 1 + 4 + 1) / 4 = 2.25 (padding not counted)"
    lp = PoolSpec("lp", 2, 2)
    assert arithmetic(x, lp, window_at(x, lp, 0, 0)) == "(3^2 + 1^2 + 4^2 + 1^2)^(1/2) = 5.2"
    assert fmt(-2.0) == "−2" and fmt(1 / 3) == "0.33" and fmt(2.5e7) == "2.5e+07" and fmt(123456.0) == "123456"


def test_grid_sources():
    assert random_ints(5, 6, seed=3).shape == (5, 6)
    np.testing.assert_array_equal(random_ints(4, 4, 1), random_ints(4, 4, 1))
    g = gradient(4, 4)
    assert g[0, 0] == 0 and g[3, 3] == 9
    assert checkerboard(4, 4).sum() == 8 * 9
    assert (sparse_peaks(16, 16, 2) > 0).mean() == pytest.approx(0.1, abs=0.01)
    patch = image_patch(np.linspace(0, 1, 100 * 100).reshape(100, 100), 8, 8)
    assert patch.shape == (8, 8) and 0 <= patch.min() <= patch.max() <= 99
    with pytest.raises(GridError, match="between 4x4 and 16x16"):
        make_grid("random", 3, 20)
    with pytest.raises(GridError, match="Choose an image"):
        make_grid("image", 8, 8)


def _typed(**cells) -> list[list[str]]:
    """A 4x4 grid of "1" with some cells replaced: _typed(r2c3="abc")."""
    grid = [["1"] * 4 for _ in range(4)]
    for name, value in cells.items():
        r, c = (int(v) for v in name[1:].split("c"))
        grid[r - 1][c - 1] = value
    return grid


def test_parse_grid_reads_numbers_as_students_type_them():
    grid = parse_grid(_typed(r1c1=" -2 ", r1c2="2,5", r1c3="1e2", r1c4="−1", r2c1=3, r2c2=0.5))
    np.testing.assert_array_equal(grid[:2], [[-2, 2.5, 100, -1], [3, 0.5, 1, 1]])


@pytest.mark.parametrize("cells,message", [
    (_typed(r2c1="abc"), r"\(row 2, column 1\) holds “abc”, which is not a number"),
    (_typed(r1c2=""), r"\(row 1, column 2\) is empty"),
    (_typed(r1c2=None), r"\(row 1, column 2\) is empty"),
    (_typed(r3c3="nan"), r"\(row 3, column 3\) holds “nan”, which is not a finite number"),
    (_typed(r3c3="1e400"), "not a finite number"),
    (_typed(r3c3="-Infinity"), "not a finite number"),
    (_typed(r4c4="2e6"), r"is 2e\+06; keep values between"),
    (_typed(r1c1="1" * 25), "holds 25 characters; a number needs at most 24"),
    (_typed(r1c1="１２"), "not a number"),
    (_typed(r1c1="1_000"), "not a number"),
    (_typed(r1c1=True), "not a number"),
    (_typed(r1c1=10 ** 5000), "thousands of digits"),
    ([["1", "2"], ["3", "4"]], "between 4x4 and 16x16, got 2x2"),
    ([["1"] * 17] * 4, "between 4x4 and 16x16"),
    ([["1"] * 4, ["1"] * 3, ["1"] * 4, ["1"] * 4], "Row 2 has 3 cells but row 1 has 4"),
    ([], "empty"),
])
def test_parse_grid_refuses_bad_cells_by_name(cells, message):
    with pytest.raises(GridError, match=message):
        parse_grid(cells)


def test_image_levels_match_torch_and_halve():
    img = np.random.default_rng(0).random((512, 512, 3)).astype(np.float32)
    levels = pool_levels(img, 4)
    assert [lv.size for lv in levels] == [(512, 512), (256, 256), (128, 128), (64, 64), (32, 32)]
    t = torch.from_numpy(img).permute(2, 0, 1)[None]
    np.testing.assert_allclose(levels[2].max, F.max_pool2d(F.max_pool2d(t, 2), 2)[0].permute(1, 2, 0).numpy())
    np.testing.assert_allclose(levels[1].mean, F.avg_pool2d(t, 2)[0].permute(1, 2, 0).numpy(), rtol=1e-6)
    with pytest.raises(PoolImageError, match="between 1 and 4"):
        pool_levels(img, 5)
    with pytest.raises(PoolImageError, match="fewer levels"):
        pool_levels(np.zeros((20, 20), np.float32), 4, kernel=3)


def test_variants_and_the_rule_of_thumb():
    img = np.full((64, 64), 0.5, np.float32)
    noisy = make_variant(img, "salt_pepper", 0.2)
    assert ((noisy == 0) | (noisy == 1)).mean() == pytest.approx(0.2, abs=0.03)
    lv = pool_levels(noisy, 2)[-1]
    assert np.std(lv.mean) < np.std(lv.max)  # mean smooths noise away
    lines = sparse_lines(128, count=5)
    assert (lines > 0).mean() < 0.05
    lv = pool_levels(lines, 2)[-1]
    assert lv.max.max() >= 0.7 > lv.mean.max()  # max keeps thin lines bright, mean dilutes them
    with pytest.raises(PoolImageError, match="between 0 and 1"):
        make_variant(img, "gaussian", 3.0)


def test_digit_cnn_receptive_fields():
    layers = parse_stack(list(DIGIT_CNN), 28)
    table = receptive_fields(28, layers)
    assert [(r.name, r.size, r.rf, r.jump) for r in table] == [
        ("input", 28, 1, 1), ("conv1", 26, 3, 1), ("pool1", 13, 4, 2), ("conv2", 11, 8, 2), ("pool2", 5, 10, 4)]
    field = unit_field(table, 4, 1, 2, 28)  # one pool2 unit sees a 10x10 region
    assert field.rows == (4, 14) and field.cols == (8, 18) and not field.clipped
    with pytest.raises(StackError, match="does not exist"):
        unit_field(table, 4, 5, 0, 28)


@pytest.mark.parametrize("rows,n,message", [
    ([], 28, "empty"),
    ([{"kind": "dense", "k": 3, "s": 1, "p": 0}], 28, "'conv' or 'pool', got “dense”"),
    ([{"kind": "[Log in](http://x.co)", "k": 3, "s": 1, "p": 0}], 28, "got “\\[Log in\\]\\(http://x.co\\)”"),
    ([{"kind": "conv", "k": "x", "s": 1, "p": 0}], 28, "kernel must be a whole number from 1 to 15, got “x”"),
    ([{"kind": "conv", "k": 0, "s": 1, "p": 0}], 28, "from 1 to 15, got “0”"),
    ([{"kind": "conv", "k": float("nan"), "s": 1, "p": 0}], 28, "kernel is empty"),
    ([{"kind": "conv", "k": None, "s": 1, "p": 0}], 28, "kernel is empty"),
    ([{"kind": "conv", "k": 3, "s": float("inf"), "p": 0}], 28, "stride must be a whole number from 1 to 6, got “inf”"),
    ([{"kind": "conv", "k": 3, "s": "1e400", "p": 0}], 28, "got “1e400”"),
    ([{"kind": "conv", "k": 3, "s": 10 ** 5000, "p": 0}], 28, "thousands of digits"),
    ([{"kind": "conv", "k": 3, "s": 1, "p": 2.5}], 28, "padding must be a whole number from 0 to 7"),
    ([{"kind": "conv", "k": 3, "s": 1, "p": 10 ** 9}], 28, "from 0 to 7"),
    ([{"kind": "conv", "k": True, "s": 1, "p": 0}], 28, "got “True”"),
    ([{"kind": "pool", "k": 2, "s": 2, "p": 2}], 28, "more than half"),
    ([{"kind": "conv", "k": 15, "s": 1, "p": 0}], 8, "does not fit in the 8x8"),
    ([{"kind": "conv", "k": 3, "s": 1, "p": 0}] * 11, 28, "10 layers or fewer"),
    ([{"kind": "conv", "k": 3, "s": 1, "p": 0}], 65, "input size must be a whole number from 8 to 64"),
    (["conv"], 28, "'conv' or 'pool'"),
])
def test_bad_stacks(rows, n, message):
    with pytest.raises(StackError, match=message):
        parse_stack(rows, n)


def test_analyse_agrees_with_its_parts_and_torch():
    x = np.random.default_rng(3).integers(0, 10, (7, 9)).astype(float)
    spec = PoolSpec("max", 3, 2, 1)
    values, wins, cov, summary = analyse(x, spec)
    expected = F.max_pool2d(torch.from_numpy(x)[None, None], 3, 2, 1)[0, 0].numpy()
    np.testing.assert_array_equal(values, expected)
    assert len(wins) == values.size and np.array_equal(cov, coverage(x.shape, spec))
    assert summary.out_shape == values.shape


def _torch_field(layers, n: int, layer: int, i: int, j: int) -> tuple[tuple[int, int], tuple[int, int]]:
    """The input region unit (i, j) of `layer` depends on, found by autograd through an all-ones conv/pool stack."""
    x = torch.ones(1, 1, n, n, dtype=torch.float64, requires_grad=True)
    t = x
    for spec in layers[:layer]:
        if spec.name.startswith("conv"):
            t = F.conv2d(t, torch.ones(1, 1, spec.k, spec.k, dtype=torch.float64), stride=spec.s, padding=spec.p)
        else:
            t = F.avg_pool2d(t, spec.k, spec.s, spec.p)
    t[0, 0, i, j].backward()
    rows, cols = np.nonzero(x.grad[0, 0].numpy())
    return (int(rows.min()), int(rows.max()) + 1), (int(cols.min()), int(cols.max()) + 1)


def test_unit_fields_and_field_origin_match_autograd():
    """For the digit CNN and a padded stack: every unit's field (clipped to the input) is what autograd says
    the unit depends on, and field_origin + i * jump (cut to the input) draws the same box."""
    padded = [{"kind": "conv", "k": 3, "s": 1, "p": 1}, {"kind": "pool", "k": 3, "s": 2, "p": 1},
              {"kind": "conv", "k": 5, "s": 2, "p": 2}, {"kind": "pool", "k": 2, "s": 2, "p": 0}]
    for rows, n in ((list(DIGIT_CNN), 28), (padded, 20)):
        layers = parse_stack(rows, n)
        table = receptive_fields(n, layers)
        for layer in range(1, len(table)):
            info = table[layer]
            for i, j in {(0, 0), (info.size - 1, info.size - 1), (info.size // 2, 0)}:
                field = unit_field(table, layer, i, j, n)
                assert (field.rows, field.cols) == _torch_field(layers, n, layer, i, j), (info.name, i, j)
                lo = field_origin(info) + i * info.jump
                assert field.rows == (max(0, lo), min(n, lo + info.rf)), (info.name, i)


def test_a_unit_that_sees_only_padding_has_an_empty_field():
    layers = parse_stack([{"kind": "conv", "k": 1, "s": 1, "p": 3}], 8)  # 14x14: a 3-unit ring sees only zeros
    table = receptive_fields(8, layers)
    x = torch.ones(1, 1, 8, 8, dtype=torch.float64, requires_grad=True)
    F.conv2d(x, torch.ones(1, 1, 1, 1, dtype=torch.float64), padding=3)[0, 0, 13, 0].backward()
    assert not x.grad.any()  # autograd: the unit depends on no input pixel
    field = unit_field(table, 1, 13, 0, 8)
    assert field.empty and field.rows == (8, 8) and field.cols == (0, 0)
    assert not unit_field(table, 1, 5, 5, 8).empty
