"""The shared worker pool: work runs in other processes, results come back, and a killed worker is replaced."""

import os
import signal
from concurrent.futures.process import BrokenProcessPool

import numpy as np
import pytest

from models.pipeline import make_step, sample_outcomes, to_pil
from models.worker_pool import WorkerPool, ready


@pytest.fixture(scope="module")
def pool():
    p = WorkerPool(1)
    yield p
    p.shutdown()


@pytest.mark.slow
def test_work_runs_in_another_process(pool):
    assert pool.submit(ready).result(timeout=120) is True
    assert pool.submit(os.getpid).result(timeout=60) != os.getpid()


@pytest.mark.slow
def test_the_random_grid_in_a_worker_equals_the_grid_here(pool):
    photo = to_pil(np.random.default_rng(0).random((48, 40, 3)))
    steps = [make_step("RandomRotation", {}, "s0"), make_step("ColorJitter", {}, "s1"), make_step("ToImage", {}, "s2")]
    there = pool.submit(sample_outcomes, steps, photo, 4, 8).result(timeout=120)
    here = sample_outcomes(steps, photo, 4, 8)
    assert [o.sampled for o in there] == [o.sampled for o in here]
    assert all(np.array_equal(a.view, b.view) for a, b in zip(there, here, strict=True))


@pytest.mark.slow
def test_a_killed_worker_is_replaced(pool):
    pid = pool.submit(os.getpid).result(timeout=60)
    os.kill(pid, signal.SIGKILL)
    with pytest.raises(BrokenProcessPool):
        pool.submit(os.getpid).result(timeout=60)
    assert pool.submit(os.getpid).result(timeout=120) not in (pid, os.getpid())
