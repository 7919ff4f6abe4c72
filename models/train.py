"""Reproducible training of the two shipped digit models on CPU, and the pieces the Anatomy page reuses.

    python -m models.train [--data pen|mnist] [--epochs F] [--data-root P] [--seed S] [--out DIR] [--threads N]

--data pen (default): MNIST train + the UNIPEN train writers (minus a held-out part used for calibration),
each pen digit drawn several times like on the page's canvas (models.unipen), plus each pen 1 redrawn with a
long continental flag (--flagged-ones, models.unipen.with_long_flag), all through prepare_digit.
--data mnist: MNIST train only, same recipe ("MNIST only (as in the course)").
Writes <out>/mnist_pen.pt or mnist_only.pt (state_dict, loads with weights_only=True) and the model card
<out>/<same>.json, then fills the card's evaluation with models.evaluate. Same seed and data, same weights.
"""

import argparse
import json
import math
import os
import sys
import time
from collections.abc import Callable
from pathlib import Path

import numpy as np
import torch
import torch.nn.functional as F
from torch.utils.data import DataLoader, TensorDataset

from models import augment as aug
from models import data, unipen
from models.mnist_cnn import MODEL_CHOICES, MODEL_FILES, MODELS_DIR, MnistCNN, parameter_count, save_weights
from models.preprocess import MNIST_MEAN, MNIST_STD

ARCHITECTURE = ("conv1 Conv2d(1,10,3) -> ReLU -> MaxPool2d(2) -> conv2 Conv2d(10,20,3) -> ReLU -> MaxPool2d(2) "
                "-> flatten 500 -> fc1 Linear(500,50) -> ReLU -> fc2 Linear(50,10)")


# The shipped models' settings (`python -m models.train [--data mnist]` reproduces assets/models/).
DEFAULTS = {"pen": {"epochs": 6.0, "canvas_fraction": 0.15}, "mnist": {"epochs": 5.0, "canvas_fraction": 0.5}}
NOT_A_DIGIT = -1  # training label of the non-digit drawings (outlier exposure)
OUTLIER_WEIGHT = 0.5


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
                augment: bool = True, shuffle: bool = True, canvas_fraction: float = 0.7,
                aspect: float = 0.2, shear: float = 0.3, rotate: float = 15.0) -> DataLoader:
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
                x[pick] = aug.canvas_like(x[pick], aug_gen, aspect=aspect, shear=shear,
                                              rotate=rotate)
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
        loss = outlier_aware_loss(logits, y, label_smoothing)
        loss.backward()
        optimizer.step()
        if scheduler is not None:
            scheduler.step()
        steps += 1
        digits = y >= 0
        n = max(int(digits.sum()), 1)
        batch_correct = int((logits.argmax(1) == y)[digits].sum())
        total_loss += float(loss.detach()) * n
        correct += batch_correct
        seen += int(digits.sum())
        if on_batch is not None:
            on_batch(steps, float(loss.detach()), batch_correct / n)
    model.eval()
    return {"loss": total_loss / max(seen, 1), "acc": correct / max(seen, 1), "batches": steps, "stopped": stopped}


def outlier_aware_loss(logits: torch.Tensor, y: torch.Tensor, label_smoothing: float = 0.0,
                       outlier_weight: float = OUTLIER_WEIGHT) -> torch.Tensor:
    """Cross-entropy on digits (y >= 0) plus, for drawings that are not digits (y == NOT_A_DIGIT),
    outlier_weight x the cross-entropy to the uniform distribution ("outlier exposure": the network
    learns to spread its belief over all ten digits for such drawings). logits (B,10), y (B,)."""
    digits = y >= 0
    loss = logits.new_zeros(())
    if digits.any():
        loss = F.cross_entropy(logits[digits], y[digits], label_smoothing=label_smoothing) * digits.float().mean()
    if not digits.all():
        uniform = -F.log_softmax(logits[~digits], dim=1).mean(1)
        loss = loss + outlier_weight * uniform.sum() / len(y)
    return loss


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
    p.add_argument("--data", choices=sorted(MODEL_CHOICES), default="pen",
                   help="pen: MNIST + UNIPEN pen digits (shipped default); mnist: MNIST only")
    p.add_argument("--epochs", type=float, default=None, help="epochs (fractions allowed, e.g. 0.05); default per --data")
    p.add_argument("--limit", type=int, default=None, help="use only the first N MNIST training images")
    p.add_argument("--pen-limit", type=int, default=None, help="use only N pen digits (seeded pick)")
    p.add_argument("--pen-copies", type=int, default=6, help="renderings of each pen digit (random size/pen/place)")
    p.add_argument("--flagged-ones", type=int, default=2,
                   help="continental-style long-flag versions of each pen 1 (models.unipen.with_long_flag), each "
                        "rendered once")
    p.add_argument("--data-root", type=Path, default=None,
                   help=f"folder holding MNIST/raw and unipen-digits/ (default ${unipen.DATA_ENV}, else ../shared/data; "
                        "assets/digits for the shipped MNIST subset)")
    p.add_argument("--seed", type=int, default=0)
    p.add_argument("--out", type=Path, default=MODELS_DIR, help="folder for <name>.pt and <name>.json")
    p.add_argument("--batch-size", type=int, default=128)
    p.add_argument("--lr", type=float, default=4e-3)
    p.add_argument("--canvas-fraction", type=float, default=None,
                   help="share of each batch that gets the canvas-style augmentation; default per --data")
    p.add_argument("--aspect", type=float, default=0.2,
                   help="augmentation: width/height changes by up to exp(±2·aspect)")
    p.add_argument("--shear", type=float, default=0.3, help="augmentation: shear up to ±shear")
    p.add_argument("--rotate", type=float, default=15.0, help="augmentation: rotation up to ±rotate degrees")
    p.add_argument("--threads", type=int, default=1,
                   help="torch CPU threads (1: on a busy machine a 2-thread pool spins and was 8x slower per step)")
    p.add_argument("--outliers", type=int, default=4000,
                   help="non-digit drawings (models.non_digits, training seeds) taught as 'no digit' (0 = none)")
    p.add_argument("--workers", type=int, default=2, help="processes drawing the pen digits (same result for any)")
    p.add_argument("--no-evaluate", action="store_true", help="skip models.evaluate after training")
    p.add_argument("--quiet", action="store_true", help="no progress bar")
    args = p.parse_args(argv)
    for key, value in DEFAULTS[args.data].items():
        if getattr(args, key) is None:
            setattr(args, key, value)
    return args


def check_config(args: argparse.Namespace) -> None:
    """Raise TrainConfigError for settings out of range."""
    problems = []
    if not 0.0 <= args.canvas_fraction <= 1.0:
        problems.append("--canvas-fraction must be between 0 and 1")
    if not (0.0 <= args.aspect <= 0.5 and 0.0 <= args.shear <= 1.0):
        problems.append("--aspect must be between 0 and 0.5 and --shear between 0 and 1")
    if not 0.0 <= args.rotate <= 45.0:
        problems.append("--rotate must be between 0 and 45 degrees")
    if args.threads < 1:
        problems.append("--threads must be at least 1")
    if not (args.epochs > 0 and math.isfinite(args.epochs)):
        problems.append("--epochs must be a positive number")
    if args.limit is not None and args.limit < 10:
        problems.append("--limit must be at least 10")
    if args.pen_limit is not None and args.pen_limit < 10:
        problems.append("--pen-limit must be at least 10")
    if args.outliers < 0:
        problems.append("--outliers must be 0 or more")
    if args.workers < 1:
        problems.append("--workers must be at least 1")
    if args.pen_copies < 1:
        problems.append("--pen-copies must be at least 1")
    if args.flagged_ones < 0:
        problems.append("--flagged-ones must be 0 or more")
    if args.batch_size < 1 or not args.lr > 0:
        problems.append("--batch-size must be at least 1 and --lr positive")
    if args.data == "pen" and not unipen.available(args.data_root):
        problems.append(f"--data pen needs {unipen.UNIPEN_FILE} under the data root "
                        f"(set {unipen.DATA_ENV} or --data-root, or train --data mnist)")
    if problems:
        raise TrainConfigError("; ".join(problems))


def mnist_root(root: Path | None) -> Path:
    """Where MNIST is read from: the given root, else the data root when it holds MNIST, else assets/digits."""
    base = unipen.data_root(root)
    return base if root is not None or data.has_full_mnist(base) else data.DIGITS_DIR


def pen_training_set(args) -> tuple[np.ndarray, np.ndarray, dict]:
    """UNIPEN fit writers (train writers minus the held-out ones) rendered --pen-copies times."""
    train, _ = unipen.split(unipen.load(args.data_root))
    fit, held = unipen.holdout_split(train)
    if args.pen_limit is not None and args.pen_limit < len(fit):
        pick = np.sort(np.random.default_rng(args.seed + 3).choice(len(fit), args.pen_limit, replace=False))
        fit = [fit[i] for i in pick]
    start = time.time()
    images, labels = unipen.rendered_set(fit, seed=args.seed + 5, copies=args.pen_copies, workers=args.workers)
    flagged = unipen.long_flag_ones(fit, args.flagged_ones, seed=args.seed + 7)
    if flagged:
        more, more_labels = unipen.rendered_set(flagged, seed=args.seed + 9, workers=args.workers)
        images, labels = np.concatenate([images, more]), np.concatenate([labels, more_labels])
    info = {"file": unipen.UNIPEN_FILE.as_posix(),
            "md5": data.md5(unipen.data_root(args.data_root) / unipen.UNIPEN_FILE),
            "fit_digits": len(fit), "fit_writers": len({d.writer for d in fit}),
            "held_out_writers": sorted({d.writer for d in held}), "held_out_digits": len(held),
            "copies": args.pen_copies, "flagged_ones": len(flagged), "rendered": int(len(labels)),
            "render_seconds": round(time.time() - start, 1),
            "rendering": "placed like a person draws (longer side 100-250 px of the 280 px canvas, pen 6-40 px "
                         "(half 14-26), tilt ±8°, shear ±0.15, aspect ±12%), drawn like the page's canvas "
                         "(round caps and joins), then prepare_digit; plus each 1 redrawn --flagged-ones times with a long "
                         "continental flag (models.unipen.with_long_flag)"}
    return images, labels, info


def outlier_set(n: int, seed: int, workers: int = 1) -> np.ndarray:
    """About n non-digit drawings (training seed 1000 + seed; models.evaluate measures on seed 777)
    through prepare_digit -> (n,28,28) uint8."""
    from models import non_digits

    per_kind = max(1, n // len(non_digits.KINDS))
    drawings = non_digits.drawings(per_kind, seed=1000 + seed)
    chunks = [[(s, w) for _, s, w in drawings[i:i + 500]] for i in range(0, len(drawings), 500)]
    if workers > 1 and len(chunks) > 1:
        import multiprocessing

        with multiprocessing.get_context("fork").Pool(workers) as pool:
            parts = pool.map(_draw_chunk, chunks)
    else:
        parts = [_draw_chunk(c) for c in chunks]
    return np.concatenate(parts)


def _draw_chunk(drawings) -> np.ndarray:
    return np.stack([unipen.to_mnist(s, w) for s, w in drawings])


def main(argv=None) -> dict:
    args = parse_args(argv)
    check_config(args)
    set_determinism(args.seed, args.threads)
    t0 = time.time()
    root = mnist_root(args.data_root)
    train_x, train_y = data.load_split(root, train=True)
    if args.limit is not None:
        train_x, train_y = train_x[:args.limit], train_y[:args.limit]
    pen_info = None
    if args.data == "pen":
        pen_x, pen_y, pen_info = pen_training_set(args)
        train_x, train_y = np.concatenate([train_x, pen_x]), np.concatenate([train_y, pen_y])
    if args.outliers:
        out_x = outlier_set(args.outliers, args.seed, args.workers)
        train_x = np.concatenate([train_x, out_x])
        train_y = np.concatenate([train_y, np.full(len(out_x), NOT_A_DIGIT, np.int64)])
    loader = make_loader(train_x, train_y, args.batch_size, args.seed, augment=True,
                         canvas_fraction=args.canvas_fraction, aspect=args.aspect, shear=args.shear,
                         rotate=args.rotate)
    model = MnistCNN(dropout=0.1)
    optimizer = torch.optim.Adam(model.parameters(), lr=args.lr)
    total_steps = max(1, math.ceil(args.epochs * len(loader)))
    scheduler = torch.optim.lr_scheduler.OneCycleLR(optimizer, max_lr=args.lr, total_steps=total_steps,
                                                    pct_start=0.15)
    start, done, history, epoch = time.time(), 0, [], 0
    while done < total_steps:
        epoch += 1
        label, offset = f"epoch {epoch}/{math.ceil(args.epochs)}", done

        def on_batch(i, loss, acc, _offset=offset, _label=label):
            if not args.quiet and (i % 20 == 0 or _offset + i == total_steps):
                _progress(_label, _offset + i, total_steps, loss, acc, start)

        stats = train_one_epoch(model, loader, optimizer, on_batch=on_batch, scheduler=scheduler,
                                max_batches=total_steps - done, label_smoothing=0.05)
        done += stats["batches"]
        history.append({k: round(stats[k], 5) if k != "batches" else stats[k] for k in ("loss", "acc", "batches")})
    if not args.quiet:
        sys.stderr.write("\n")
    card = _model_card(model, args, root, pen_info, history, time.time() - start, time.time() - t0, len(train_y))
    stem = MODEL_FILES[args.data]
    args.out.mkdir(parents=True, exist_ok=True)
    save_weights(model, args.out / f"{stem}.pt")
    card["weights_md5"] = data.md5(args.out / f"{stem}.pt")
    (args.out / f"{stem}.json").write_text(json.dumps(card, indent=2) + "\n")
    print(f"{stem}: trained on {len(train_y)} images in {card['train_seconds']:.0f}s "
          f"({card['total_seconds']:.0f}s with data) -> {args.out / stem}.pt", flush=True)
    if not args.no_evaluate:
        from models import evaluate as evaluation

        card = evaluation.update_card(args.out / f"{stem}.pt", args.out / f"{stem}.json", args.data_root,
                                      name=args.data)
    return card


def _data_files(root: Path) -> dict:
    """md5 of each MNIST file, named relative to the data root (never an absolute path)."""
    raw = root / "MNIST" / "raw"
    files = sorted(raw.glob("*-ubyte")) if raw.is_dir() else sorted(root.glob("*.npz"))
    return {f.relative_to(root).as_posix(): data.md5(f) for f in files}


def _model_card(model, args, root, pen_info, history, train_seconds, total_seconds, n_train) -> dict:
    return {
        "name": args.data,
        "label": MODEL_CHOICES[args.data],
        "model": "MnistCNN",
        "architecture": ARCHITECTURE,
        "parameters": parameter_count(model),
        "command": "python -m models.train " + " ".join(argv_summary(args)),
        "config": {"epochs": args.epochs, "limit": args.limit, "pen_limit": args.pen_limit,
                   "batch_size": args.batch_size, "lr": args.lr, "optimizer": "Adam + OneCycleLR",
                   "label_smoothing": 0.05, "dropout": 0.1,
                   "augmentation": f"{args.canvas_fraction:.0%} of each batch: rotation ±{args.rotate:g}°, shear ±{args.shear:g}, "
                                   f"width/height x exp(±{2 * args.aspect:g}), elastic, stroke dilation/erosion, "
                                   "re-framed like prepare_digit",
                   "threads": torch.get_num_threads(), "training_images": int(n_train),
                   "non_digit_drawings": args.outliers,
                   "non_digit_training": "outlier exposure: models.non_digits drawings (seed 1000 + seed) with a "
                                         f"uniform target, weight {OUTLIER_WEIGHT}" if args.outliers else None},
        "seed": args.seed,
        "data": {"root": f"${unipen.DATA_ENV} or ../shared/data" if root != data.DIGITS_DIR else "assets/digits",
                 "mnist_files": _data_files(root), "unipen": pen_info},
        "history": history,
        "train_seconds": round(train_seconds, 1),
        "total_seconds": round(total_seconds, 1),
        "cpu_seconds": round(_cpu_seconds(), 1),  # this process and its drawing workers: the time on a free machine
        "torch": torch.__version__,
    }


def _cpu_seconds() -> float:
    t = os.times()
    return t.user + t.system + t.children_user + t.children_system


def argv_summary(args) -> list[str]:
    out = ["--data", args.data, "--epochs", f"{args.epochs:g}", "--seed", str(args.seed), "--threads", str(args.threads),
           "--canvas-fraction", f"{args.canvas_fraction:g}", "--aspect", f"{args.aspect:g}", "--shear", f"{args.shear:g}",
           "--rotate", f"{args.rotate:g}"]
    if args.limit is not None:
        out += ["--limit", str(args.limit)]
    out += ["--pen-copies", str(args.pen_copies), "--flagged-ones", str(args.flagged_ones),
            "--outliers", str(args.outliers)] if args.data == "pen" else \
        ["--outliers", str(args.outliers)]
    if args.pen_limit is not None:
        out += ["--pen-limit", str(args.pen_limit)]
    return out


if __name__ == "__main__":
    try:
        main()
    except (TrainConfigError, data.DataError, unipen.UnipenError) as exc:
        print(f"cannot train: {exc}", file=sys.stderr)
        sys.exit(2)
