"""Live training of a small MNIST network: the settings, the progress a page shows, and the training loop.

The loop (`train_and_report`) runs inside the process models.training_job spawns for each run. It trains
with models.train's loader and epoch loop and reports through `emit(message)`:
    ("set", {field: value})     fields of `Progress` changed
    ("add", field, item)        one item appended to a curve / the kernel snapshots
    ("weights", state_dict)     the trained weights, once at the end
Held-out evaluation runs in chunks so a wide stack never needs all 1000 digits' feature maps at once.
"""

import math
import time
from collections.abc import Callable
from dataclasses import dataclass, field

import numpy as np
import torch
import torch.nn.functional as F
from torch import nn

from models import architecture as arch
from models.stack_cost import EVAL_CHUNK
from models.train import make_loader, normalise, to_input, train_one_epoch

OPTIMIZERS = {"sgd": "SGD with momentum 0.9", "adam": "Adam"}
MAX_SNAPSHOTS = 60
MAX_SNAPSHOT_MAPS = 32  # kernels shown per snapshot; a 1024-map layer would send megabytes per poll


class TrainingConfigError(ValueError):
    """A training setting is out of range (the message says which and what is allowed)."""


class DivergedError(ValueError):
    """The trained weights are not finite numbers (the loss blew up); the message says what to try."""


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
    max_iterations: int | None = None  # stop early after this many iterations (tests, demos)

    def __post_init__(self):
        checks = [("epochs", self.epochs, 1, 50), ("batch size", self.batch_size, 1, 4096),
                  ("snapshot interval", self.snapshot_every, 1, 100_000),
                  ("evaluation interval", self.eval_every, 1, 100_000), ("log interval", self.log_every, 1, 1000)]
        for name, value, low, high in checks:
            if isinstance(value, bool) or not isinstance(value, int) or not low <= value <= high:
                raise TrainingConfigError(f"The {name} must be a whole number from {low} to {high}, got {value!r}.")
        lr = self.lr
        if isinstance(lr, bool) or not (isinstance(lr, int | float) and math.isfinite(lr) and 0 < lr <= 10):
            raise TrainingConfigError(f"The learning rate must be a number above 0 and at most 10, got {lr!r}.")
        if not isinstance(self.optimizer, str) or self.optimizer not in OPTIMIZERS:
            raise TrainingConfigError(f"The optimizer must be one of {', '.join(OPTIMIZERS)}, got {self.optimizer!r}.")
        if self.max_iterations is not None and (not isinstance(self.max_iterations, int) or self.max_iterations < 1):
            raise TrainingConfigError("max_iterations must be a whole number of at least 1.")

    def iterations(self, n_train: int) -> int:
        total = self.epochs * math.ceil(n_train / self.batch_size)
        return total if self.max_iterations is None else min(total, self.max_iterations)

    def evaluations(self, n_train: int) -> int:
        return self.iterations(n_train) // self.eval_every + self.epochs + 2


@dataclass(frozen=True)
class Recipe:
    """What to train, as picklable data: the digit CNN, or a designed stack on a (C, H, W) input."""
    spec: tuple[arch.Layer, ...] | None = None  # None: models.mnist_cnn.MnistCNN
    input_shape: tuple[int, int, int] = (1, 28, 28)

    @property
    def label(self) -> str:
        return "the digit CNN" if self.spec is None else "your designed stack"

    def build(self) -> nn.Module:
        """A fresh model with random weights (seed torch first for a reproducible start)."""
        if self.spec is None:
            from models.mnist_cnn import MnistCNN

            return MnistCNN()
        return arch.to_sequential(list(self.spec), self.input_shape)


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

    def apply(self, message: tuple) -> None:
        """Apply one ("set", {...}) or ("add", field, item) report from the training loop."""
        if message[0] == "set":
            for key, value in message[1].items():
                setattr(self, key, value)
        elif message[0] == "add":
            items = getattr(self, message[1])
            items.append(message[2])
            if message[1] == "kernels" and len(items) > MAX_SNAPSHOTS:  # keep the first and last, thin the rest
                items[:] = items[:1] + items[1:-1][1::2] + items[-1:]


def first_conv(model: nn.Module) -> nn.Conv2d | None:
    return next((m for m in model.modules() if isinstance(m, nn.Conv2d)), None)


def kernel_snapshot(model: nn.Module) -> np.ndarray | None:
    """conv1 weights of the first input channel, first MAX_SNAPSHOT_MAPS maps: (maps, k, k) float32 copy."""
    conv = first_conv(model)
    return None if conv is None else conv.weight.detach()[:MAX_SNAPSHOT_MAPS, 0].clone().numpy()


@torch.no_grad()
def heldout_metrics(model: nn.Module, x: torch.Tensor, y: torch.Tensor) -> tuple[float, float]:
    """x (N,1,28,28) normalised, y (N,) -> (mean cross-entropy, accuracy), in chunks of EVAL_CHUNK digits.

    Leaves the model's mode as it was."""
    was_training = model.training
    model.eval()
    loss, right = 0.0, 0
    for start in range(0, len(y), EVAL_CHUNK):
        logits = model(x[start:start + EVAL_CHUNK])
        part = y[start:start + EVAL_CHUNK]
        loss += float(F.cross_entropy(logits, part, reduction="sum"))
        right += int((logits.argmax(1) == part).sum())
    model.train(was_training)
    return loss / max(len(y), 1), right / max(len(y), 1)


def finite_weights(state: dict) -> bool:
    """True when every floating-point array in a state dict of numpy arrays / tensors is finite."""
    return all(bool(np.isfinite(np.asarray(a)).all()) for a in state.values()
               if np.issubdtype(np.asarray(a).dtype, np.floating))


def train_and_report(recipe: Recipe, train: tuple[np.ndarray, np.ndarray], heldout: tuple[np.ndarray, np.ndarray],
                     settings: TrainSettings, emit: Callable[[tuple], None], should_stop: Callable[[], bool]) -> None:
    """Train recipe.build() on (images (N,28,28) uint8, labels (N,)), reporting every step through `emit`."""
    s, n = settings, len(train[1])
    total = s.iterations(n)
    torch.manual_seed(s.seed)
    model = recipe.build()
    loader = make_loader(train[0], train[1], s.batch_size, s.seed, augment=False)
    hx = normalise(to_input(heldout[0]))
    hy = torch.as_tensor(heldout[1], dtype=torch.int64)
    if s.optimizer == "sgd":
        optimizer = torch.optim.SGD(model.parameters(), lr=s.lr, momentum=0.9)
    else:
        optimizer = torch.optim.Adam(model.parameters(), lr=s.lr)
    emit(("add", "heldout_curve", (0, *heldout_metrics(model, hx, hy))))
    emit(("add", "kernels", (0, kernel_snapshot(model))))
    emit(("set", {"status": "running", "message": "", "worker_threads": torch.get_num_threads()}))
    done, window, start = 0, [], time.perf_counter()
    for epoch in range(1, s.epochs + 1):
        emit(("set", {"epoch": epoch}))
        epoch_start = time.perf_counter()

        def on_batch(i: int, loss: float, acc: float, _base=done, _epoch=epoch) -> None:
            it = _base + i
            window.append((loss, acc))
            if it % s.log_every == 0 or it == total:
                emit(("add", "train_curve", (it, float(np.mean([w[0] for w in window])),
                                             float(np.mean([w[1] for w in window])))))
                window.clear()
            if it % s.snapshot_every == 0:
                emit(("add", "kernels", (it, kernel_snapshot(model))))
            if it % s.eval_every == 0:
                emit(("add", "heldout_curve", (it, *heldout_metrics(model, hx, hy))))
            emit(("set", {"iteration": it, "samples_seen": min(it * s.batch_size, _epoch * n),
                          "elapsed": time.perf_counter() - start}))

        stats = train_one_epoch(model, loader, optimizer, on_batch=on_batch, should_stop=should_stop,
                                max_batches=total - done)
        done += stats["batches"]
        emit(("add", "epoch_seconds", time.perf_counter() - epoch_start))
        if stats["stopped"] or done >= total:
            break
        emit(("add", "epoch_marks", done))
    model.eval()
    loss, acc = heldout_metrics(model, hx, hy)
    emit(("add", "heldout_curve", (done, loss, acc)))
    if done % s.snapshot_every:
        emit(("add", "kernels", (done, kernel_snapshot(model))))
    emit(("weights", {k: v.detach().numpy().copy() for k, v in model.state_dict().items()}))  # plain pickles
    stopped = should_stop() and done < total
    verb = "Stopped" if stopped else "Finished"
    emit(("set", {"status": "stopped" if stopped else "finished", "final_accuracy": acc,
                  "elapsed": time.perf_counter() - start,
                  "message": f"{verb} after {done} iterations: {acc:.1%} of the held-out test digits right."}))
