"""The gradient landing map equals torch.autograd through torch's own pooling."""

import itertools

import numpy as np
import pytest
import torch

from models.pool_gradient import gradient_map
from models.pooling import PoolingError, PoolSpec
from tests.test_pooling import torch_pool

X = np.random.default_rng(3).uniform(0.2, 9.0, size=(7, 8))
X_TIES = np.random.default_rng(4).integers(0, 4, size=(6, 6)).astype(np.float64)


def _autograd(x: np.ndarray, spec: PoolSpec, cell) -> np.ndarray:
    t = torch.from_numpy(x)[None, None].clone().requires_grad_(True)
    out = torch_pool(t, spec)
    (out.sum() if cell is None else out[0, 0, cell[0], cell[1]]).backward()
    return t.grad[0, 0].numpy()


SPECS = [PoolSpec(m, k, s, p, d, cm, cip)
         for m, k, s, p, d, cm, cip in itertools.product(("max", "min", "mean"), [2, 3], [1, 2, 3], [0, 1], [1, 2],
                                                          [False, True], [True, False])
         if not (m == "mean" and d > 1) and not (m != "mean" and not cip)]
SPECS += [PoolSpec("lp", k, s, ceil_mode=cm, p=pw) for k, s, cm, pw in
          itertools.product([2, 3], [1, 2], [False, True], [1.0, 2.0, 3.0])]


@pytest.mark.slow
def test_gradient_equals_autograd():
    """Every type and setting, for an all-ones upstream gradient and for the first and the last output cell."""
    checked = 0
    for spec, which in itertools.product(SPECS, ("ones", "first", "last")):
        for x in (X, X_TIES if spec.mode != "lp" else X):
            oh, ow = spec.output_shape(*x.shape)
            cell = {"ones": None, "first": (0, 0), "last": (oh - 1, ow - 1)}[which]
            np.testing.assert_allclose(gradient_map(x, spec, cell), _autograd(x, spec, cell), rtol=1e-9, atol=1e-12,
                                       err_msg=f"{spec} {which}")
            checked += 1
    assert checked == 2 * 3 * len(SPECS)


def test_max_routes_to_winners_mean_spreads_and_overlap_accumulates():
    x = np.arange(16.0).reshape(4, 4)
    g = gradient_map(x, PoolSpec("max", 2, 2))
    assert g.sum() == 4 and set(np.unique(g)) == {0.0, 1.0}
    np.testing.assert_allclose(gradient_map(x, PoolSpec("mean", 2, 2)), np.full((4, 4), 0.25))
    x[2, 2] = 100
    heavy = gradient_map(x, PoolSpec("max", 3, 1))
    assert heavy[2, 2] == 4 and heavy.sum() == 4  # one cell wins all four overlapping windows


def test_missing_output_cell_is_a_clear_error():
    with pytest.raises(PoolingError, match="does not exist; the output is 2x2"):
        gradient_map(np.zeros((4, 4)), PoolSpec(), (2, 0))
