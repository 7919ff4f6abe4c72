"""models.live_training: a few iterations learn, curves and kernels update, Stop works, threads stay capped."""

import threading
import time

import numpy as np
import pytest
import torch

from models import architecture as A
from models import data
from models import live_training as L
from models.mnist_cnn import MnistCNN


@pytest.fixture(scope="module")
def digits():
    train = data.load_npz(data.TRAIN_SUBSET)
    heldout = data.load_npz(data.TEST_SAMPLE)
    return (train[0][:2000], train[1][:2000]), heldout


def _run(digits, **settings) -> L.LiveTrainer:
    trainer = L.LiveTrainer(MnistCNN, *digits, L.TrainSettings(**settings)).start()
    trainer.join(timeout=120)
    assert not trainer.running
    return trainer


def test_a_few_iterations_reduce_the_loss_and_fill_the_curves(digits):
    trainer = _run(digits, epochs=1, batch_size=32, lr=0.05, max_iterations=40, log_every=5,
                   snapshot_every=10, eval_every=20)
    p = trainer.progress()
    assert p.status == "finished", p.message
    assert p.iteration == 40 and p.samples_seen == 40 * 32 and p.fraction == 1.0
    assert [it for it, *_ in p.train_curve] == list(range(5, 41, 5))
    assert p.train_curve[-1][1] < p.train_curve[0][1] - 0.3
    assert [it for it, *_ in p.heldout_curve] == [0, 20, 40]
    assert p.heldout_curve[-1][1] < p.heldout_curve[0][1] and p.heldout_curve[-1][2] > 0.5
    assert [it for it, _ in p.kernels] == [0, 10, 20, 30, 40]
    first, last = p.kernels[0][1], p.kernels[-1][1]
    assert first.shape == (10, 3, 3) and not np.allclose(first, last)
    assert np.allclose(last, trainer.model.conv1.weight.detach()[:, 0].numpy())
    assert not trainer.model.training and p.final_accuracy == pytest.approx(p.heldout_curve[-1][2])


def test_same_seed_same_result_and_epoch_counters(digits):
    a = _run(digits, epochs=2, batch_size=500, seed=3, optimizer="adam", lr=0.003).progress()
    b = _run(digits, epochs=2, batch_size=500, seed=3, optimizer="adam", lr=0.003).progress()
    assert a.iterations_per_epoch == 4 and a.total_iterations == 8 and a.epoch == 2
    assert a.epoch_marks == [4] and a.samples_seen == 4000
    assert a.heldout_curve == b.heldout_curve
    np.testing.assert_array_equal(a.kernels[-1][1], b.kernels[-1][1])


def test_stop_ends_training_cleanly(digits):
    trainer = L.LiveTrainer(MnistCNN, *digits, L.TrainSettings(epochs=50, batch_size=8)).start()
    deadline = time.monotonic() + 60
    while trainer.progress().iteration < 5 and time.monotonic() < deadline:
        time.sleep(0.02)
    trainer.stop()
    trainer.join(timeout=30)
    p = trainer.progress()
    assert not trainer.running and p.status == "stopped", p.message
    assert 5 <= p.iteration < p.total_iterations and p.message.startswith("Stopped after")
    assert p.final_accuracy is not None


def test_designed_stack_trains_and_snapshots_its_first_conv(digits):
    spec = A.PRESETS["LeNet-5 (LeCun 1998, ReLU version)"]
    trainer = L.LiveTrainer(lambda: A.to_sequential(spec, (1, 28, 28)), *digits,
                            L.TrainSettings(epochs=1, batch_size=64, max_iterations=6, snapshot_every=3),
                            label="LeNet-5").start()
    trainer.join(timeout=60)
    p = trainer.progress()
    assert p.status == "finished" and p.kernels[0][1].shape == (6, 5, 5)


@pytest.mark.parametrize("bad", [dict(epochs=0), dict(batch_size=0), dict(lr=0), dict(lr=float("nan")),
                                 dict(optimizer="rmsprop"), dict(threads=0), dict(max_iterations=0)])
def test_bad_settings_are_refused_with_a_message(bad):
    with pytest.raises(L.TrainingConfigError, match="must"):
        L.TrainSettings(**bad)


def test_thread_cap_applies_to_the_worker_only():
    seen = {}

    def worker():
        L.limit_this_thread(1)
        seen["worker"] = torch.get_num_threads()

    t = threading.Thread(target=worker)
    t.start()
    t.join()
    fresh = threading.Thread(target=lambda: seen.__setitem__("fresh", torch.get_num_threads()))
    fresh.start()
    fresh.join()
    assert seen["worker"] == 1
    assert seen["fresh"] == torch.get_num_threads()  # other (new) threads keep the process default
