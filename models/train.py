"""Reproducible training of MnistCNN on CPU, and the pieces the Anatomy page reuses.

    python -m models.train [--epochs F] [--limit N] [--data-root P] [--download] [--seed S] [--out DIR]

Writes <out>/mnist_cnn.pt (state_dict, loads with weights_only=True) and <out>/mnist_cnn.json
(the model card). The same seed and data give the same weights.
"""

import argparse
import json
import math
import sys
import time
from collections.abc import Callable
from pathlib import Path

import numpy as np
import torch
import torch.nn.functional as F
from torch.utils.data import DataLoader, TensorDataset

from models import augment as aug
from models import data
from models.mnist_cnn import MODELS_DIR, MnistCNN, parameter_count, save_weights
from models.preprocess import MNIST_MEAN, MNIST_STD

ARCHITECTURE = ("conv1 Conv2d(1,10,3) -> ReLU -> MaxPool2d(2) -> conv2 Conv2d(10,20,3) -> ReLU -> MaxPool2d(2) "
                "-> flatten 500 -> fc1 Linear(500,50) -> ReLU -> fc2 Linear(50,10)")


class TrainConfigError(ValueError):
    """A training setting is out of range."""


def set_determinism(seed: int, threads: int = 2) -> None:
    """Seed torch/numpy, fix the thread count and ask torch for deterministic kernels."""
    torch.manual_seed(seed)
    np.random.seed(seed % (2**32))
    torch.set_num_threads(threads)
    torch.use_deterministic_algorithms(True, warn_only=True)


def to_input(images_uint8: torch.Tensor | np.ndarray) -> torch.Tensor:
    """(N,28,28) uint8 -> (N,1,28,28) float32 ink in [0,1]."""
    t = torch.as_tensor(np.asarray(images_uint8) if not torch.is_tensor(images_uint8) else images_uint8)
    return t.to(torch.float32).div(255.0).unsqueeze(1)


def normalise(x: torch.Tensor) -> torch.Tensor:
    return (x - MNIST_MEAN) / MNIST_STD


def make_loader(images_uint8: np.ndarray, labels: np.ndarray, batch_size: int = 128, seed: int = 0,
                augment: bool = True, shuffle: bool = True, canvas_fraction: float = 0.7) -> DataLoader:
    """A seeded DataLoader yielding (x (B,1,28,28) normalised float32, y (B,) int64).

    With augment=True, a fraction `canvas_fraction` of each batch goes through
    models.augment.canvas_like (rotation, shear, elastic, thickness, re-framing); workers=0 and a
    seeded generator make the order and the augmentation reproducible.
    """
    images = np.asarray(images_uint8)
    if images.ndim != 3 or images.shape[1:] != (28, 28) or len(images) != len(labels) or len(images) == 0:
        raise TrainConfigError(f"need images (N,28,28) and N labels, got {images.shape} and {np.shape(labels)}")
    if batch_size < 1:
        raise TrainConfigError(f"batch_size must be at least 1, got {batch_size}")
    dataset = TensorDataset(torch.as_tensor(images, dtype=torch.uint8), torch.as_tensor(labels, dtype=torch.int64))
    aug_gen = torch.Generator().manual_seed(seed + 1)

    def collate(batch):
        xs = torch.stack([b[0] for b in batch])
        ys = torch.stack([b[1] for b in batch])
        x = to_input(xs)
        if augment:
            pick = torch.rand(len(x), generator=aug_gen) < canvas_fraction
            if pick.any():
                x[pick] = aug.canvas_like(x[pick], aug_gen)
        return normalise(x), ys

    return DataLoader(dataset, batch_size=batch_size, shuffle=shuffle, num_workers=0, collate_fn=collate,
                      generator=torch.Generator().manual_seed(seed))


def train_one_epoch(model: MnistCNN, loader: DataLoader, optimizer: torch.optim.Optimizer,
                    on_batch: Callable[[int, float, float], None] | None = None,
                    should_stop: Callable[[], bool] | None = None, scheduler=None,
                    max_batches: int | None = None, label_smoothing: float = 0.0) -> dict:
    """One pass over `loader` (or its first max_batches). Calls on_batch(iteration, loss, acc)
    after every step; stops cleanly between steps when should_stop() is True.
    Returns {"loss", "acc", "batches", "stopped"} averaged over the steps taken.
    """
    model.train()
    total_loss, correct, seen, steps, stopped = 0.0, 0, 0, 0, False
    for x, y in loader:
        if max_batches is not None and steps >= max_batches:
            break
        if should_stop is not None and should_stop():
            stopped = True
            break
        optimizer.zero_grad(set_to_none=True)
        logits = model(x)
        loss = F.cross_entropy(logits, y, label_smoothing=label_smoothing)
        loss.backward()
        optimizer.step()
        if scheduler is not None:
            scheduler.step()
        steps += 1
        batch_correct = int((logits.argmax(1) == y).sum())
        total_loss += float(loss.detach()) * len(y)
        correct += batch_correct
        seen += len(y)
        if on_batch is not None:
            on_batch(steps, float(loss.detach()), batch_correct / len(y))
    model.eval()
    return {"loss": total_loss / max(seen, 1), "acc": correct / max(seen, 1), "batches": steps, "stopped": stopped}


@torch.no_grad()
def predict(model: MnistCNN, x: torch.Tensor, batch_size: int = 2000) -> torch.Tensor:
    """x (N,1,28,28) normalised -> predicted labels (N,)."""
    model.eval()
    return torch.cat([model(x[i:i + batch_size]).argmax(1) for i in range(0, len(x), batch_size)])


def confusion_stats(pred: np.ndarray, labels: np.ndarray) -> tuple[float, np.ndarray, np.ndarray]:
    """-> (accuracy, per-class accuracy (10,), confusion (10,10) rows = true, cols = predicted)."""
    confusion = np.zeros((10, 10), np.int64)
    np.add.at(confusion, (labels, pred), 1)
    per_class = confusion.diagonal() / np.maximum(confusion.sum(1), 1)
    return float((pred == labels).mean()), per_class, confusion


def evaluate(model: MnistCNN, images: np.ndarray, labels: np.ndarray) -> tuple[float, np.ndarray, np.ndarray]:
    """images (N,28,28) uint8 MNIST-style -> (accuracy, per-class (10,), confusion (10,10))."""
    pred = predict(model, normalise(to_input(images))).numpy()
    return confusion_stats(pred, np.asarray(labels))


def _progress(epoch_label: str, done: int, total: int, loss: float, acc: float, start: float) -> None:
    elapsed = time.time() - start
    eta = elapsed / max(done, 1) * (total - done)
    bar = "#" * int(30 * done / total)
    sys.stderr.write(f"\r{epoch_label} [{bar:<30}] {done}/{total} loss {loss:.3f} acc {acc:.3f} "
                     f"{elapsed:5.0f}s elapsed, ~{eta:4.0f}s left ")
    sys.stderr.flush()


def parse_args(argv=None) -> argparse.Namespace:
    p = argparse.ArgumentParser(prog="python -m models.train", description=__doc__.splitlines()[0])
    p.add_argument("--epochs", type=float, default=10.0, help="epochs (fractions allowed, e.g. 0.05)")
    p.add_argument("--limit", type=int, default=None, help="use only the first N training images")
    p.add_argument("--data-root", type=Path, default=data.default_data_root(),
                   help="folder holding MNIST/raw (default ../shared/data if present, else assets/digits)")
    p.add_argument("--download", action="store_true", help="download MNIST first (needs internet)")
    p.add_argument("--seed", type=int, default=0)
    p.add_argument("--out", type=Path, default=MODELS_DIR, help="where to write mnist_cnn.pt and mnist_cnn.json")
    p.add_argument("--batch-size", type=int, default=128)
    p.add_argument("--lr", type=float, default=4e-3)
    p.add_argument("--restroke", type=int, default=20000,
                   help="how many training digits to re-draw with a canvas brush (0 = none)")
    p.add_argument("--templates", type=int, default=4000,
                   help="how many digits to draw from the hand-written style templates (0 = none)")
    p.add_argument("--canvas-fraction", type=float, default=0.6,
                   help="share of each batch that gets the canvas-style augmentation")
    p.add_argument("--canvas-eval", type=int, default=2000, help="size of the canvas-style test set")
    p.add_argument("--template-eval", type=int, default=30,
                   help="draws per style template in the handwriting evaluation set")
    p.add_argument("--threads", type=int, default=1,
                   help="torch CPU threads (1 is much faster on a busy machine; the card records it)")
    p.add_argument("--quiet", action="store_true", help="no progress bar")
    args = p.parse_args(argv)
    if not 0.0 <= args.canvas_fraction <= 1.0:
        p.error("--canvas-fraction must be between 0 and 1")
    if args.threads < 1:
        p.error("--threads must be at least 1")
    if not args.epochs > 0:
        p.error("--epochs must be positive")
    if args.limit is not None and args.limit < 10:
        p.error("--limit must be at least 10")
    return args


def main(argv=None) -> dict:
    args = parse_args(argv)
    set_determinism(args.seed, args.threads)
    t0 = time.time()
    train_x, train_y = data.load_split(args.data_root, train=True, download=args.download)
    test_x, test_y = data.load_split(args.data_root, train=False, download=False)
    if args.limit is not None:
        train_x, train_y = train_x[:args.limit], train_y[:args.limit]
    extra_x, extra_y = _restroked(train_x, train_y, args)
    if args.templates > 0:
        tx, ty = _templated(args.templates, args.seed)
        args.templates_drawn = len(tx)
        extra_x, extra_y = np.concatenate([extra_x, tx]), np.concatenate([extra_y, ty])
    all_x = np.concatenate([train_x, extra_x]) if len(extra_x) else train_x
    all_y = np.concatenate([train_y, extra_y]) if len(extra_y) else train_y
    loader = make_loader(all_x, all_y, args.batch_size, args.seed, augment=True,
                         canvas_fraction=args.canvas_fraction)
    model = MnistCNN(dropout=0.1)
    optimizer = torch.optim.Adam(model.parameters(), lr=args.lr)
    total_steps = max(1, math.ceil(args.epochs * len(loader)))
    scheduler = torch.optim.lr_scheduler.OneCycleLR(optimizer, max_lr=args.lr, total_steps=total_steps,
                                                    pct_start=0.15)
    start, done, history = time.time(), 0, []
    epoch = 0
    while done < total_steps:
        epoch += 1
        label = f"epoch {epoch}/{math.ceil(args.epochs)}"
        offset = done

        def on_batch(i, loss, acc, _offset=offset, _label=label):
            if not args.quiet and (i % 20 == 0 or _offset + i == total_steps):
                _progress(_label, _offset + i, total_steps, loss, acc, start)

        stats = train_one_epoch(model, loader, optimizer, on_batch=on_batch, scheduler=scheduler,
                                max_batches=total_steps - done, label_smoothing=0.05)
        done += stats["batches"]
        history.append({k: stats[k] for k in ("loss", "acc", "batches")})
    if not args.quiet:
        sys.stderr.write("\n")
    train_seconds = time.time() - start
    card = _model_card(model, args, test_x, test_y, history, train_seconds, time.time() - t0, len(all_x))
    args.out.mkdir(parents=True, exist_ok=True)
    save_weights(model, args.out / "mnist_cnn.pt")
    card["weights_md5"] = data.md5(args.out / "mnist_cnn.pt")
    (args.out / "mnist_cnn.json").write_text(json.dumps(card, indent=2) + "\n")
    print(f"test accuracy {card['test']['accuracy']:.4f} on {card['test']['n']} MNIST test digits; "
          f"canvas-style {card['canvas_style']['accuracy']:.4f}; trained in {train_seconds:.0f}s "
          f"-> {args.out / 'mnist_cnn.pt'}")
    return card


def _restroked(train_x: np.ndarray, train_y: np.ndarray, args) -> tuple[np.ndarray, np.ndarray]:
    n = min(args.restroke, len(train_x))
    if n <= 0:
        return np.zeros((0, 28, 28), np.uint8), np.zeros(0, np.int64)
    from models import canvas

    idx = np.random.default_rng(args.seed + 7).choice(len(train_x), n, replace=False)
    images = canvas.restroke_batch(train_x[idx], seed=args.seed + 11)
    return images, train_y[idx]


def _templated(n: int, seed: int) -> tuple[np.ndarray, np.ndarray]:
    """About n digits drawn from models.handwriting's templates (training seed, never the eval seed)."""
    from models import handwriting

    styles = sum(len(v) for v in handwriting.TEMPLATES.values())
    return handwriting.template_set(per_template=max(1, n // styles), seed=10_000 + seed)


def _model_card(model, args, test_x, test_y, history, train_seconds, total_seconds, n_train) -> dict:
    from models import canvas, handwriting

    acc, per_class, confusion = evaluate(model, test_x, test_y)
    sample_acc = evaluate(model, *data.load_npz(data.TEST_SAMPLE))[0]
    cx, cy = canvas.canvas_test_set(test_x, test_y, n=args.canvas_eval, seed=1234)
    c_acc, c_per_class, c_conf = evaluate(model, cx, cy)
    hx, hy = handwriting.template_set(per_template=max(1, args.template_eval), seed=99)
    h_acc, h_per_class, h_conf = evaluate(model, hx, hy)
    root = Path(args.data_root)
    raw = root / "MNIST" / "raw"
    files = sorted(raw.glob("*-ubyte")) if raw.is_dir() else sorted(root.glob("*.npz"))
    return {
        "model": "MnistCNN",
        "architecture": ARCHITECTURE,
        "parameters": parameter_count(model),
        "config": {"epochs": args.epochs, "limit": args.limit, "batch_size": args.batch_size, "lr": args.lr,
                   "optimizer": "Adam + OneCycleLR", "label_smoothing": 0.05, "dropout": 0.1,
                   "augmentation": f"{args.canvas_fraction:.0%} of each batch: rotation ±15°, shear ±0.3, aspect ±20%, elastic, "
                                   "stroke dilation/erosion, re-framed like prepare_digit",
                   "restroked_training_digits": min(args.restroke, n_train),
                   "template_training_digits": getattr(args, "templates_drawn", 0), "threads": torch.get_num_threads(),
                   "training_images": n_train},
        "seed": args.seed,
        "data": {"root": str(root), "files": {f.name: data.md5(f) for f in files}},
        "test": {"n": int(len(test_y)), "accuracy": acc, "per_class": [float(v) for v in per_class],
                 "confusion": confusion.tolist()},
        "sample": {"file": data.TEST_SAMPLE.name, "accuracy": sample_acc},
        "canvas_style": {"n": int(len(cy)), "accuracy": c_acc, "per_class": [float(v) for v in c_per_class],
                         "confusion": c_conf.tolist(),
                         "how": "MNIST test digits skeletonised and redrawn with a round 18-24 px brush on a "
                                "280x280 canvas, rotated/sheared/shaky/off-centre, then prepare_digit"},
        "handwriting_templates": {"n": int(len(hy)), "accuracy": h_acc,
                                  "per_class": [float(v) for v in h_per_class], "confusion": h_conf.tolist(),
                                  "how": "models.handwriting style templates (hooked 9s, crossed 7s, flagged 1s...) "
                                         "drawn with eval seed 99; training draws use other seeds"},
        "history": history,
        "train_seconds": round(train_seconds, 1),
        "total_seconds": round(total_seconds, 1),
        "torch": torch.__version__,
    }


if __name__ == "__main__":
    main()
