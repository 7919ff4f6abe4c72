"""Backward pass of pooling: where an upstream gradient lands on the input.

Max/min pooling route each output's gradient to its window's winner only; mean pooling spreads
it evenly (1/divisor to each real cell); Lp pooling weights cell v by v^(p-1) / out^(p-1).
Where windows overlap, a cell collects gradient from every window that sees it.
"""

import numpy as np

from models.pooling import PoolingError, PoolSpec, check_input, windows


def gradient_map(x: np.ndarray, spec: PoolSpec, cell: tuple[int, int] | None = None) -> np.ndarray:
    """dL/dx (H, W) for L = sum of the outputs (cell None) or L = output[cell] alone.

    x: (H, W) grid. Equals torch.autograd on torch's pooling of x (see tests/test_pool_gradient.py).
    """
    x = check_input(x, spec)
    grad = np.zeros_like(x)
    oh, ow = spec.output_shape(*x.shape)
    if cell is not None and not (0 <= cell[0] < oh and 0 <= cell[1] < ow):
        raise PoolingError(f"Output cell (row {cell[0] + 1}, column {cell[1] + 1}) does not exist; "
                           f"the output is {oh}x{ow}.")
    kk = spec.kernel[0] * spec.kernel[1]
    for wnd in windows(x, spec):
        if cell is not None and wnd.out != tuple(cell):
            continue
        if spec.mode in ("max", "min"):
            if wnd.winner is not None:
                grad[wnd.winner] += 1.0
            continue
        rr, cc = np.meshgrid(wnd.rows, wnd.cols, indexing="ij")
        r, c = rr[wnd.inside], cc[wnd.inside]
        if spec.mode == "mean":
            np.add.at(grad, (r, c), 1.0 / wnd.divisor)
        elif wnd.value > 0:  # lp: d/dv (sum v^p * kk/div)^(1/p) = out^(1-p) * kk/div * v^(p-1)
            share = wnd.value ** (1 - spec.p) * kk / wnd.divisor * np.power(x[r, c], spec.p - 1)
            np.add.at(grad, (r, c), share)
    return grad
