"""models.live_training (the loop) and models.training_job (its process): learning, curves, stop, orphans."""

import time

import numpy as np
import pytest

from models import architecture as A
from models import data
from models import live_training as L
from models import training_job as J


@pytest.fixture(scope="module")
def digits():
    train = data.load_npz(data.TRAIN_SUBSET)
    heldout = data.load_npz(data.TEST_SAMPLE)
    return (train[0][:2000], train[1][:2000]), heldout


def _loop(digits, recipe=None, stop_after=None, **settings):
    """Run the training loop in this process; returns (Progress with every report applied, weights)."""
    s, recipe = L.TrainSettings(**settings), recipe or L.Recipe()
    p = L.Progress(epochs=s.epochs, total_iterations=s.iterations(len(digits[0][1])))
    weights = {}

    def emit(message):
        if message[0] == "weights":
            weights.update(message[1])
        else:
            p.apply(message)

    L.train_and_report(recipe, *digits, s, emit, lambda: stop_after is not None and p.iteration >= stop_after)
    return p, weights


def test_a_few_iterations_reduce_the_loss_and_fill_the_curves(digits):
    p, weights = _loop(digits, epochs=1, batch_size=32, lr=0.05, max_iterations=40, log_every=5, snapshot_every=10,
                       eval_every=20)
    assert p.status == "finished", p.message
    assert p.iteration == 40 and p.samples_seen == 40 * 32 and p.fraction == 1.0
    assert [it for it, *_ in p.train_curve] == list(range(5, 41, 5))
    assert p.train_curve[-1][1] < p.train_curve[0][1] - 0.3
    assert [it for it, *_ in p.heldout_curve] == [0, 20, 40, 40]  # every 20, and the final evaluation
    assert p.heldout_curve[-1][1] < p.heldout_curve[0][1] and p.heldout_curve[-1][2] > 0.5
    assert [it for it, _ in p.kernels] == [0, 10, 20, 30, 40]
    first, last = p.kernels[0][1], p.kernels[-1][1]
    assert first.shape == (10, 3, 3) and not np.allclose(first, last)
    np.testing.assert_array_equal(last, weights["conv1.weight"][:, 0])
    assert p.final_accuracy == pytest.approx(p.heldout_curve[-1][2])


def test_heldout_metrics_in_chunks_equal_one_pass(digits):
    import torch
    import torch.nn.functional as F

    from models.train import normalise, to_input

    torch.manual_seed(0)
    model = L.Recipe().build()
    x, y = normalise(to_input(digits[1][0])), torch.as_tensor(digits[1][1], dtype=torch.int64)
    loss, acc = L.heldout_metrics(model, x, y)
    with torch.no_grad():
        logits = model.eval()(x)
    assert loss == pytest.approx(float(F.cross_entropy(logits, y)), rel=1e-5)
    assert acc == pytest.approx(float((logits.argmax(1) == y).float().mean()))


@pytest.mark.slow
def test_same_seed_same_result_and_epoch_counters(digits):
    a, _ = _loop(digits, epochs=2, batch_size=500, seed=3, optimizer="adam", lr=0.003)
    b, _ = _loop(digits, epochs=2, batch_size=500, seed=3, optimizer="adam", lr=0.003)
    assert a.total_iterations == 8 and a.epoch == 2 and a.epoch_marks == [4] and a.samples_seen == 4000
    assert a.heldout_curve == b.heldout_curve
    np.testing.assert_array_equal(a.kernels[-1][1], b.kernels[-1][1])


def test_stop_ends_the_loop_between_batches(digits):
    p, weights = _loop(digits, stop_after=5, epochs=50, batch_size=8)
    assert p.status == "stopped" and p.iteration == 5 and p.message.startswith("Stopped after 5 iterations")
    assert p.final_accuracy is not None and "fc2.weight" in weights


def test_designed_stack_trains_and_snapshots_its_first_conv(digits):
    recipe = L.Recipe(tuple(A.PRESETS["LeNet-5 (LeCun 1998, ReLU version)"]), (1, 28, 28))
    p, _ = _loop(digits, recipe, epochs=1, batch_size=64, max_iterations=6, snapshot_every=3)
    assert p.status == "finished" and p.kernels[0][1].shape == (6, 5, 5) and recipe.label == "your designed stack"


def test_snapshots_keep_at_most_32_maps():
    recipe = L.Recipe((A.conv(100, 3), A.RELU, A.FLATTEN, A.linear(10)), (1, 28, 28))
    assert L.kernel_snapshot(recipe.build()).shape == (L.MAX_SNAPSHOT_MAPS, 3, 3)


@pytest.mark.parametrize("bad", [dict(epochs=0), dict(batch_size=0), dict(lr=0), dict(lr=float("nan")),
                                 dict(lr=float("inf")), dict(epochs=True), dict(epochs=2.5),
                                 dict(optimizer="rmsprop"), dict(max_iterations=0)])
def test_bad_settings_are_refused_with_a_message(bad):
    with pytest.raises(L.TrainingConfigError, match="must"):
        L.TrainSettings(**bad)


def test_weights_with_nan_are_refused(digits):
    job = J.TrainingJob(L.Recipe(), *digits, L.TrainSettings())
    job.weights = {k: v.detach().numpy().copy() for k, v in L.Recipe().build().state_dict().items()}
    assert job.trained_model() is not None
    job.weights["fc1.bias"][3] = np.nan
    with pytest.raises(L.DivergedError, match="smaller learning rate"):
        job.trained_model()


@pytest.mark.slow
def test_a_job_trains_in_its_own_process_and_hands_over_a_copy(digits):
    job = J.TrainingJob(L.Recipe(), *digits, L.TrainSettings(epochs=1, batch_size=50, max_iterations=10),
                        grace=600).start()
    assert J.find(job.id) is job
    job.join(300)
    p = job.progress()
    assert p.status == "finished" and p.iteration == 10 and p.worker_threads == 1, p.message
    model = job.trained_model()
    assert not model.training
    np.testing.assert_array_equal(model.conv1.weight.detach().numpy(), job.weights["conv1.weight"])


@pytest.mark.slow
def test_the_training_process_runs_behind_interactive_sessions(digits):
    import os

    import psutil

    job = J.TrainingJob(L.Recipe(), *digits, L.TrainSettings(epochs=5, batch_size=8), grace=600).start()
    try:
        niceness, deadline = None, time.monotonic() + 120
        while niceness is None and time.monotonic() < deadline:
            niceness = next((c.nice() for c in psutil.Process().children(recursive=True)
                             if c.nice() >= min(19, os.nice(0) + J.TRAINING_NICENESS)), None)
            time.sleep(0.2)
        assert niceness is not None, "no child process at the training niceness"
    finally:
        job.stop()
        job.join(60)


@pytest.mark.slow
def test_an_orphaned_job_is_ended_and_frees_its_slot(digits):
    """No poll for `grace` seconds (tab closed or reloaded): the process is terminated, the slot is free."""
    free = J.free_slots()
    job = J.TrainingJob(L.Recipe(), *digits, L.TrainSettings(epochs=50, batch_size=8), grace=3).start()
    t0 = time.monotonic()
    job.join(120)
    assert not job.running and time.monotonic() - t0 < 60
    p = job.progress()
    assert p.status == "stopped" and "closed" in p.message or p.message == "Stopped before it started."
    assert J.free_slots() == free


@pytest.mark.parametrize("junk", [None, "", "x" * 19, "../../etc/passwd", "a" * 41, 12345, ["abc"] * 10,
                                  "ü" * 24, "A" * 24])
def test_find_accepts_only_known_job_ids(junk):
    assert J.find(junk) is None
