"""Live training of a small MNIST network in a background thread, with progress a page can poll.

One `LiveTrainer` per browser session. Its thread trains with models.train's loader and epoch loop,
and publishes a `Progress` (loss/accuracy curves for train and held-out digits, epoch/iteration/
samples counters, snapshots of the first conv layer's kernels) under a lock. `stop()` ends it
between two batches.

CPU use. torch.set_num_threads(n) is documented as process-wide, but on this OpenMP build it does
two things: it sets the *calling thread's* OpenMP thread count, and it stores a global default
that every thread which has not used torch yet adopts on its first parallel op (Streamlit runs
each script run in a fresh thread). `limit_this_thread` therefore caps the worker to `threads`
and then restores the global default from a short helper thread, so other sessions keep their
full thread count (measured in tests/test_live_training.py and benchmarks/epoch_time.py).
Process-wide, at most `TRAINING_SLOTS` trainings run at once (half the cores, at least one);
the others wait their turn.
"""

import math
import os
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field, replace

import numpy as np
import torch
import torch.nn.functional as F
from torch import nn

from models.train import make_loader, normalise, to_input, train_one_epoch

OPTIMIZERS = {"sgd": "SGD with momentum 0.9", "adam": "Adam"}
TRAINING_SLOTS = max(1, (os.cpu_count() or 2) // 2)
_SLOTS = threading.BoundedSemaphore(TRAINING_SLOTS)
_INIT_LOCK = threading.Lock()
MAX_SNAPSHOTS = 60


class TrainingConfigError(ValueError):
    """A training setting is out of range (the message says which and what is allowed)."""


@dataclass(frozen=True)
class TrainSettings:
    epochs: int = 2
    batch_size: int = 64
    lr: float = 0.01
    optimizer: str = "sgd"
    seed: int = 0
    snapshot_every: int = 20  # conv1 kernel snapshot every N iterations
    eval_every: int = 40  # held-out loss/accuracy every N iterations (and at every epoch end)
    log_every: int = 5  # one train-curve point per N iterations (their mean)
    threads: int = 1  # torch threads for this training only
    max_iterations: int | None = None  # stop early after this many iterations (tests, demos)

    def __post_init__(self):
        checks = [("epochs", self.epochs, 1, 50), ("batch size", self.batch_size, 1, 4096),
                  ("snapshot interval", self.snapshot_every, 1, 100_000), ("threads", self.threads, 1, 64),
                  ("evaluation interval", self.eval_every, 1, 100_000), ("log interval", self.log_every, 1, 1000)]
        for name, value, low, high in checks:
            if not isinstance(value, int) or not low <= value <= high:
                raise TrainingConfigError(f"The {name} must be a whole number from {low} to {high}, got {value!r}.")
        if not (isinstance(self.lr, int | float) and 0 < self.lr <= 10 and math.isfinite(self.lr)):
            raise TrainingConfigError(f"The learning rate must be a number above 0 and at most 10, got {self.lr!r}.")
        if self.optimizer not in OPTIMIZERS:
            raise TrainingConfigError(f"The optimizer must be one of {', '.join(OPTIMIZERS)}, got {self.optimizer!r}.")
        if self.max_iterations is not None and self.max_iterations < 1:
            raise TrainingConfigError("max_iterations must be at least 1.")


@dataclass
class Progress:
    """What the page shows. Curves are [(iteration, loss, accuracy)]; kernels [(iteration, (maps, k, k))]."""
    status: str = "waiting"  # waiting -> running -> finished | stopped | failed
    epoch: int = 0
    epochs: int = 0
    iteration: int = 0
    iterations_per_epoch: int = 0
    total_iterations: int = 0
    samples_seen: int = 0
    n_train: int = 0
    batch_size: int = 0
    train_curve: list = field(default_factory=list)
    heldout_curve: list = field(default_factory=list)
    kernels: list = field(default_factory=list)
    epoch_marks: list = field(default_factory=list)
    elapsed: float = 0.0
    epoch_seconds: list = field(default_factory=list)
    worker_threads: int = 0
    final_accuracy: float | None = None
    message: str = ""

    @property
    def fraction(self) -> float:
        return min(1.0, self.iteration / self.total_iterations) if self.total_iterations else 0.0

    @property
    def done(self) -> bool:
        return self.status in ("finished", "stopped", "failed")


def limit_this_thread(threads: int) -> int:
    """Cap torch's OpenMP threads for the calling thread only; returns the process default kept for others."""
    default = torch.get_num_threads()
    torch.set_num_threads(threads)
    restore = threading.Thread(target=torch.set_num_threads, args=(default,), name="torch-threads-restore")
    restore.start()
    restore.join()
    return default


def first_conv(model: nn.Module) -> nn.Conv2d | None:
    return next((m for m in model.modules() if isinstance(m, nn.Conv2d)), None)


def kernel_snapshot(model: nn.Module) -> np.ndarray | None:
    """conv1 weights of the first input channel: (maps, k, k) float32 copy."""
    conv = first_conv(model)
    return None if conv is None else conv.weight.detach()[:, 0].clone().numpy()


@torch.no_grad()
def heldout_metrics(model: nn.Module, x: torch.Tensor, y: torch.Tensor) -> tuple[float, float]:
    """x (N,1,28,28) normalised, y (N,) -> (mean cross-entropy, accuracy). Leaves the model's mode as it was."""
    was_training = model.training
    model.eval()
    logits = model(x)
    model.train(was_training)
    return float(F.cross_entropy(logits, y)), float((logits.argmax(1) == y).float().mean())


class LiveTrainer:
    """Train `build_model()` on (images (N,28,28) uint8, labels (N,)) in a daemon thread."""

    def __init__(self, build_model: Callable[[], nn.Module], train: tuple[np.ndarray, np.ndarray],
                 heldout: tuple[np.ndarray, np.ndarray], settings: TrainSettings, label: str = "digit CNN"):
        self.settings, self.label = settings, label
        self._build, self._train, self._heldout = build_model, train, heldout
        self._lock, self._stop = threading.Lock(), threading.Event()
        n = len(train[1])
        per_epoch = math.ceil(n / settings.batch_size)
        total = settings.epochs * per_epoch
        if settings.max_iterations is not None:
            total = min(total, settings.max_iterations)
        self._progress = Progress(epochs=settings.epochs, iterations_per_epoch=per_epoch, total_iterations=total,
                                  n_train=n, batch_size=settings.batch_size)
        self.model: nn.Module | None = None
        self._thread = threading.Thread(target=self._run, name=f"live-training-{id(self)}", daemon=True)

    # --- the page's side ---
    def start(self) -> "LiveTrainer":
        self._thread.start()
        return self

    def stop(self) -> None:
        self._stop.set()

    def join(self, timeout: float | None = None) -> None:
        self._thread.join(timeout)

    @property
    def running(self) -> bool:
        return self._thread.is_alive()

    def progress(self) -> Progress:
        """A consistent copy of the latest progress (lists copied; kernel arrays are never mutated)."""
        with self._lock:
            p = self._progress
            return replace(p, train_curve=list(p.train_curve), heldout_curve=list(p.heldout_curve),
                           kernels=list(p.kernels), epoch_marks=list(p.epoch_marks),
                           epoch_seconds=list(p.epoch_seconds))

    # --- the worker's side ---
    def _publish(self, **changes) -> None:
        with self._lock:
            for key, value in changes.items():
                setattr(self._progress, key, value)

    def _append(self, name: str, item) -> None:
        with self._lock:
            items = getattr(self._progress, name)
            items.append(item)
            if name == "kernels" and len(items) > MAX_SNAPSHOTS:  # keep the first and last, thin the rest
                items[:] = items[:1] + items[1:-1][1::2] + items[-1:]

    def _run(self) -> None:
        start = time.perf_counter()
        try:
            threads = self.settings.threads
            limit_this_thread(threads)
            self._publish(worker_threads=torch.get_num_threads())
            while not _SLOTS.acquire(timeout=0.2):
                self._publish(message=f"Waiting for a free training slot ({TRAINING_SLOTS} at a time on this server).")
                if self._stop.is_set():
                    self._publish(status="stopped", message="Stopped before it started.")
                    return
            try:
                self._train_loop(start)
            finally:
                _SLOTS.release()
        except Exception as exc:  # noqa: BLE001 - reported on the page instead of killing the thread silently
            self._publish(status="failed", message=f"Training failed: {type(exc).__name__}: {exc}")
        finally:
            self._publish(elapsed=time.perf_counter() - start)

    def _train_loop(self, start: float) -> None:
        s = self.settings
        with _INIT_LOCK, torch.random.fork_rng(devices=[]):
            torch.manual_seed(s.seed)
            model = self._build()
        self.model = model
        loader = make_loader(self._train[0], self._train[1], s.batch_size, s.seed, augment=False)
        hx = normalise(to_input(self._heldout[0]))
        hy = torch.as_tensor(self._heldout[1], dtype=torch.int64)
        if s.optimizer == "sgd":
            optimizer = torch.optim.SGD(model.parameters(), lr=s.lr, momentum=0.9)
        else:
            optimizer = torch.optim.Adam(model.parameters(), lr=s.lr)
        total = self._progress.total_iterations
        self._append("heldout_curve", (0, *heldout_metrics(model, hx, hy)))
        self._append("kernels", (0, kernel_snapshot(model)))
        self._publish(status="running", message="")
        done, window = 0, []
        for epoch in range(1, s.epochs + 1):
            self._publish(epoch=epoch)
            epoch_start = time.perf_counter()

            def on_batch(i: int, loss: float, acc: float, _base=done, _epoch=epoch) -> None:
                it = _base + i
                window.append((loss, acc))
                changes = {"iteration": it, "samples_seen": min(it * s.batch_size, _epoch * len(self._train[1])),
                           "elapsed": time.perf_counter() - start}
                if it % s.log_every == 0 or it == total:
                    self._append("train_curve", (it, float(np.mean([w[0] for w in window])),
                                                 float(np.mean([w[1] for w in window]))))
                    window.clear()
                if it % s.snapshot_every == 0:
                    self._append("kernels", (it, kernel_snapshot(model)))
                if it % s.eval_every == 0:
                    self._append("heldout_curve", (it, *heldout_metrics(model, hx, hy)))
                self._publish(**changes)

            stats = train_one_epoch(model, loader, optimizer, on_batch=on_batch, should_stop=self._stop.is_set,
                                    max_batches=total - done)
            done += stats["batches"]
            self._append("epoch_seconds", time.perf_counter() - epoch_start)
            if stats["stopped"] or done >= total:
                break
            self._append("epoch_marks", done)
        self._finish(model, hx, hy, done, stopped=self._stop.is_set() and done < total)

    def _finish(self, model: nn.Module, hx: torch.Tensor, hy: torch.Tensor, done: int, stopped: bool) -> None:
        model.eval()
        loss, acc = heldout_metrics(model, hx, hy)
        p = self.progress()
        if not p.heldout_curve or p.heldout_curve[-1][0] != done:
            self._append("heldout_curve", (done, loss, acc))
        if not p.kernels or p.kernels[-1][0] != done:
            self._append("kernels", (done, kernel_snapshot(model)))
        verb = "Stopped" if stopped else "Finished"
        self._publish(status="stopped" if stopped else "finished", final_accuracy=acc,
                      message=f"{verb} after {done} iterations: {acc:.1%} of the held-out test digits right.")

    def summary(self) -> dict:
        """What the Digits page shows about a model trained here."""
        p, s = self.progress(), self.settings
        return {"label": self.label, "epochs": p.iteration / max(p.iterations_per_epoch, 1),
                "iterations": p.iteration, "batch_size": s.batch_size, "lr": s.lr,
                "optimizer": OPTIMIZERS[s.optimizer], "seed": s.seed, "n_train": p.n_train,
                "test_accuracy": p.final_accuracy, "status": p.status,
                "when": time.strftime("%H:%M:%S"), "source": "Anatomy & training page (this session only)"}
