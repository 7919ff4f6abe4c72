"""How fast this machine is, so numbers from different sessions' machines can be compared.

Latency budgets are absolute, but the machines these benchmarks run on differ by up to ~1.7x in single-core
speed. Every result file records three reference timings (median of 7, one thread, quiet machine assumed):
a pure-Python loop, a numpy reduction and the Kernels page's own convolution (512x512 RGB, 7x7, depthwise).
"""

import statistics

import numpy as np

from benchmarks.model_speed import time_ms


def _median_ms(fn) -> float:
    return round(statistics.median(time_ms(fn, repeats=7, warmup=1)), 2)


def speed() -> dict:
    """Reference timings in ms (lower is faster)."""
    import torch
    import torch.nn.functional as F

    threads = torch.get_num_threads()
    torch.set_num_threads(1)
    try:
        x = torch.rand(1, 3, 518, 518).contiguous(memory_format=torch.channels_last)
        w = torch.rand(3, 1, 7, 7)
        a = np.random.default_rng(0).random(2_000_000, dtype=np.float32)
        return {"python_sum_1e6_ms": _median_ms(lambda: sum(range(1_000_000))),
                "numpy_sort_2e6_ms": _median_ms(lambda: np.sort(a)),
                "torch_conv_512rgb_7x7_ms": _median_ms(lambda: F.conv2d(x, w, groups=3))}
    finally:
        torch.set_num_threads(threads)
